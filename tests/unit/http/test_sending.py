"""Sending: retries, redirects, cookies, waits and failures, against scripted connections."""

from __future__ import annotations

import asyncio
import socket

import pytest

from loadforge.http import PoolClosedError
from unit.http.scripted import Recorder, ScriptedPool, client_for, ok, redirect


async def test_cookies_are_stored_and_sent_back(recorder: Recorder) -> None:
    answers = iter([ok(extra=b"Set-Cookie: sid=s1; Path=/\r\n"), ok(), ok()])
    pool = ScriptedPool(server=lambda request: next(answers))
    client = client_for(pool, recorder)
    await client.post("/login")
    await client.get("/me")
    await client.get("http://elsewhere.test/")
    assert b"Cookie" not in pool.requests[0]
    assert b"\r\nCookie: sid=s1\r\n" in pool.requests[1]
    assert b"Cookie" not in pool.requests[2]
    assert len(client.cookies) == 1


async def test_redirects_are_followed_within_one_recorded_call(recorder: Recorder) -> None:
    def server(request: bytes) -> bytes:
        if request.startswith(b"POST /v1/old"):
            return b"HTTP/1.1 303 See Other\r\nLocation: /v1/new\r\nContent-Length: 3\r\n\r\nabc"
        return ok(b"new")

    pool = ScriptedPool(server=server)
    client = client_for(pool, recorder)
    response = await client.post("/old", data=b"payload")
    assert response.status == 200
    assert response.url == "http://api.test/v1/new"
    assert response.request_method == "POST"
    assert pool.requests[1].startswith(b"GET /v1/new HTTP/1.1")
    assert b"payload" not in pool.requests[1]
    assert recorder.records == [("POST /old", "POST", 200, recorder.records[0][3], 6, None)]


async def test_a_redirect_is_returned_as_is_when_not_followed(recorder: Recorder) -> None:
    client = client_for(ScriptedPool(server=lambda request: redirect(302, b"/b")), recorder)
    response = await client.get("/a", allow_redirects=False)
    assert (response.status, response.ok, response.headers["location"]) == (302, True, "/b")


async def test_an_endless_redirect_loop_fails_after_ten_hops(recorder: Recorder) -> None:
    pool = ScriptedPool(server=lambda request: redirect(302, b"/loop"))
    response = await client_for(pool, recorder).get("/loop")
    assert response.error == "too_many_redirects"
    assert len(pool.requests) == 11
    assert [record[5] for record in recorder.records] == ["too_many_redirects"]


async def test_a_redirect_without_location_or_to_nowhere_stops(recorder: Recorder) -> None:
    answers = iter(
        [
            b"HTTP/1.1 301 Moved\r\nContent-Length: 0\r\n\r\n",
            b"HTTP/1.1 301 Moved\r\nLocation: gopher://x/\r\nContent-Length: 0\r\n\r\n",
        ]
    )
    client = client_for(ScriptedPool(server=lambda request: next(answers)), recorder)
    assert (await client.get("/a")).ok
    assert (await client.get("/b")).error == "invalid_redirect"


async def test_a_cross_origin_redirect_drops_authorization(recorder: Recorder) -> None:
    def server(request: bytes) -> bytes:
        if b"Host: api.test" in request:
            return redirect(307, b"http://other.test/x")
        return ok()

    pool = ScriptedPool(server=server)
    client = client_for(pool, recorder)
    client.headers["Authorization"] = "Bearer secret"
    await client.get("/x")
    assert b"Authorization" in pool.requests[0]
    assert pool.requests[1].startswith(b"GET /x HTTP/1.1\r\nHost: other.test\r\n")
    assert b"Authorization" not in pool.requests[1]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (socket.gaierror(socket.EAI_NONAME, "Name or service not known"), "dns_error"),
        (ConnectionRefusedError(111, "refused"), "connection_refused"),
        (TimeoutError(), "timeout"),
    ],
)
async def test_connect_failures_come_back_as_failed_responses(
    recorder: Recorder, error: OSError, expected: str
) -> None:
    pool = ScriptedPool(connect_error=error)
    response = await client_for(pool, recorder).get("/x")
    assert (response.status, response.error, response.failed) == (0, expected, True)
    assert recorder.records[0][2] == 0
    assert recorder.records[0][5] == expected
    assert pool.stats().open == 0


async def test_a_stale_keep_alive_connection_is_retried_once_uncounted(recorder: Recorder) -> None:
    answers = iter([ok(), None, ok(b"retried")])
    pool = ScriptedPool(server=lambda request: next(answers))
    client = client_for(pool, recorder)
    await client.get("/x")
    response = await client.get("/x")
    assert response.ok
    assert await response.read() == b"retried"
    assert pool.connects == 2
    assert [record[5] for record in recorder.records] == [None, None]


async def test_a_stale_connection_fails_a_post_instead_of_repeating_it(recorder: Recorder) -> None:
    answers = iter([ok(), None])
    pool = ScriptedPool(server=lambda request: next(answers))
    client = client_for(pool, recorder)
    await client.post("/x")
    response = await client.post("/x")
    assert response.error == "connection_reset"
    assert pool.connects == 1


async def test_a_closed_first_exchange_is_a_reset_not_a_retry(recorder: Recorder) -> None:
    pool = ScriptedPool(server=lambda request: None)
    response = await client_for(pool, recorder).get("/x")
    assert response.error == "connection_reset"
    assert pool.connects == 1


async def test_keep_alive_connections_are_reused(recorder: Recorder) -> None:
    pool = ScriptedPool()
    client = client_for(pool, recorder)
    for _ in range(5):
        await client.get("/x")
    assert pool.connects == 1
    assert pool.stats().idle == 1


async def test_a_request_waits_for_a_connection_at_the_limit(recorder: Recorder) -> None:
    pool = ScriptedPool(limit=1)
    clients = [client_for(pool, recorder) for _ in range(3)]
    responses = await asyncio.gather(*(client.get(f"/{n}") for n, client in enumerate(clients)))
    assert all(response.ok for response in responses)
    assert pool.connects == 1
    assert pool.stats().opened_total == 1


async def test_waiting_longer_than_the_timeout_is_a_timeout(recorder: Recorder) -> None:
    pool = ScriptedPool(limit=1, server=lambda request: b"")
    client = client_for(pool, recorder)
    hanging = asyncio.ensure_future(client.get("/slow", timeout=5.0))
    await asyncio.sleep(0)
    response = await client.get("/x", timeout=0.01)
    assert response.error == "timeout"
    assert pool.stats().waiting == 0
    hanging.cancel()
    with pytest.raises(asyncio.CancelledError):
        await hanging
    assert pool.stats().open == 0


async def test_a_cancelled_request_frees_its_connection(recorder: Recorder) -> None:
    pool = ScriptedPool(server=lambda request: b"")
    client = client_for(pool, recorder)
    task = asyncio.ensure_future(client.get("/x"))
    await asyncio.sleep(0.001)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert recorder.records == []
    assert pool.stats().open == 0


async def test_a_request_cancelled_on_a_kept_alive_connection_drops_it(recorder: Recorder) -> None:
    answers = iter([ok(), b""])
    pool = ScriptedPool(server=lambda request: next(answers))
    client = client_for(pool, recorder)
    await client.get("/warm")
    task = asyncio.ensure_future(client.get("/hangs"))
    await asyncio.sleep(0.001)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert len(recorder.records) == 1
    assert pool.stats().open == 0


async def test_a_closed_pool_refuses_new_requests(recorder: Recorder) -> None:
    pool = ScriptedPool()
    client = client_for(pool, recorder)
    await client.get("/x")
    await pool.aclose()
    with pytest.raises(PoolClosedError):
        await client.get("/x")
    assert "open=0/0" in repr(pool)


async def test_a_redirect_keeps_auth_on_its_origin_and_drops_it_elsewhere(
    recorder: Recorder,
) -> None:
    def server(request: bytes) -> bytes:
        if request.startswith(b"GET /v1/start "):
            return redirect(302, b"/v1/same")
        if request.startswith(b"GET /v1/same "):
            return redirect(302, b"http://other.test/x")
        return ok()

    pool = ScriptedPool(server=server)
    client = client_for(pool, recorder, auth=("ann", "pw"))
    await client.get("/start")
    start, same, other = pool.requests
    assert b"Authorization: Basic YW5uOnB3\r\n" in start
    assert b"Authorization: Basic YW5uOnB3\r\n" in same
    assert other.startswith(b"GET /x HTTP/1.1\r\nHost: other.test\r\n")
    assert b"Authorization" not in other
