"""`resp.check` and `client.group` against scripted connections: what reaches the recorder."""

from __future__ import annotations

import asyncio

import pytest

from loadforge.errors import ConfigError, RunCutOff
from loadforge.http import Response
from unit.http.scripted import Recorder, ScriptedPool, client_for, ok


async def test_a_check_returns_its_outcome_and_is_counted_under_the_endpoint(
    recorder: Recorder,
) -> None:
    client = client_for(ScriptedPool(), recorder)
    response = await client.get("/items", name="List")

    assert response.check("status is 200", response.status == 200) is True
    assert response.check("has body", lambda r: r.nbytes > 100) is False

    assert recorder.checks == [
        ("status is 200", "List", True, None),
        ("has body", "List", False, None),
    ]
    assert response.ok, "a failed check leaves the request a success"
    assert recorder.failures == []


async def test_a_condition_that_raises_is_a_failed_check_counted_with_its_error(
    recorder: Recorder,
) -> None:
    client = client_for(ScriptedPool(), recorder)
    response = await client.get("/items", name="List")

    def missing_header(r: Response) -> object:
        return r.headers["x-request-id"]

    assert response.check("has id", missing_header) is False
    assert recorder.checks == [("has id", "List", False, "KeyError")]


async def test_fail_true_makes_a_failed_check_fail_the_request(recorder: Recorder) -> None:
    client = client_for(ScriptedPool(), recorder)
    response = await client.get("/items", name="List")

    assert response.check("is 201", response.status == 201, fail=True) is False
    assert response.check("is 200", response.status == 200, fail=True) is True

    assert response.error == "check failed: is 201"
    assert recorder.failures == [("List", 200, "check failed: is 201")]


async def test_requests_in_a_group_carry_its_path_and_the_block_is_timed(
    recorder: Recorder,
) -> None:
    client = client_for(ScriptedPool(), recorder)
    await client.get("/cart", name="Add to cart")
    async with client.group("checkout") as checkout:
        assert checkout.path == "checkout"
        await client.get("/cart", name="Add to cart")
        async with client.group("pay") as pay:
            assert pay.path == "checkout › pay"
            await client.post("/pay")
        await client.get("/done", name="Done")
    await client.get("/after", name="After")

    assert [record[0] for record in recorder.records] == [
        "Add to cart",
        "checkout › Add to cart",
        "checkout › pay › POST /pay",
        "checkout › Done",
        "After",
    ]
    assert [path for path, _ in recorder.groups] == ["checkout › pay", "checkout"]
    (pay_us, checkout_us) = (duration for _, duration in recorder.groups)
    assert 0 <= pay_us <= checkout_us


async def test_a_group_that_raises_is_still_timed_and_left(recorder: Recorder) -> None:
    client = client_for(ScriptedPool(), recorder)

    async def checkout() -> None:
        async with client.group("checkout"):
            await client.get("/cart", name="Add to cart")
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError, match="boom"):
        await checkout()
    await client.get("/cart", name="Add to cart")

    assert [path for path, _ in recorder.groups] == ["checkout"]
    assert [record[0] for record in recorder.records] == ["checkout › Add to cart", "Add to cart"]


async def test_a_group_cut_off_by_the_end_of_the_run_is_left_but_not_timed(
    recorder: Recorder,
) -> None:
    client = client_for(ScriptedPool(), recorder)
    inside = asyncio.Event()

    async def checkout() -> None:
        async with client.group("checkout"):
            await client.get("/cart", name="Add to cart")
            inside.set()
            await asyncio.sleep(60)  # the run ends here: the user's task is cancelled

    task = asyncio.create_task(checkout())
    await asyncio.wait_for(inside.wait(), 5)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await client.get("/cart", name="Add to cart")

    assert recorder.groups == []
    assert [record[0] for record in recorder.records] == ["checkout › Add to cart", "Add to cart"]


async def test_a_group_whose_request_never_got_its_rate_slot_is_not_timed(
    recorder: Recorder,
) -> None:
    client = client_for(ScriptedPool(), recorder)

    async def checkout() -> None:
        async with client.group("checkout"):
            raise RunCutOff("the run stopped while the request waited for its --rps slot")

    with pytest.raises(RunCutOff):
        await checkout()

    assert recorder.groups == []


async def test_a_group_keeps_the_users_cookies(recorder: Recorder) -> None:
    pool = ScriptedPool(server=lambda request: ok(extra=b"Set-Cookie: sid=1; Path=/\r\n"))
    client = client_for(pool, recorder)
    async with client.group("login"):
        await client.get("/login")
        assert client.cookies is not None
    await client.get("/home")

    assert b"Cookie: sid=1" in pool.requests[-1]


@pytest.mark.parametrize(("name", "message"), [("", "non-empty"), ("a › b", "nest")])
def test_a_bad_group_name_is_refused_at_the_call(
    recorder: Recorder, name: str, message: str
) -> None:
    client = client_for(ScriptedPool(), recorder)
    with pytest.raises(ConfigError, match=message):
        client.group(name)
