"""The client's API: building, caching and recording requests, against scripted connections."""

from __future__ import annotations

import gzip
from dataclasses import dataclass

import pytest

from loadforge.errors import ConfigError
from loadforge.http import USER_AGENT, BasicAuth, BearerAuth
from unit.http.scripted import Recorder, ScriptedPool, client_for, ok, redirect


async def test_a_get_sends_a_well_formed_request_and_records_it_once(recorder: Recorder) -> None:
    pool = ScriptedPool()
    client = client_for(pool, recorder, default_headers={"X-Team": "qa"})
    response = await client.get("/items?page=2")
    assert response.ok
    assert response.status == 200
    assert response.url == "http://api.test/v1/items?page=2"
    assert await response.read() == b"ok"
    assert pool.requests == [
        b"GET /v1/items?page=2 HTTP/1.1\r\nHost: api.test\r\n"
        b"User-Agent: " + USER_AGENT.encode() + b"\r\nAccept-Encoding: gzip, deflate\r\n"
        b"X-Team: qa\r\n\r\n"
    ]
    ((name, method, status, latency_us, nbytes, error),) = recorder.records
    assert (name, method, status, nbytes, error) == ("GET /items", "GET", 200, 2, None)
    assert latency_us >= 0
    assert response.elapsed_ms * 1000 == pytest.approx(latency_us, abs=1)


async def test_every_verb_sends_its_method(recorder: Recorder) -> None:
    pool = ScriptedPool()
    client = client_for(pool, recorder)
    for call in (client.get, client.post, client.put, client.patch, client.delete, client.options):
        await call("/x")
    await client.head("/x")
    await client.request("purge", "/x")
    methods = [request.split(b" ", 1)[0] for request in pool.requests]
    assert methods == [b"GET", b"POST", b"PUT", b"PATCH", b"DELETE", b"OPTIONS", b"HEAD", b"PURGE"]
    assert [record[0] for record in recorder.records][-1] == "PURGE /x"


async def test_options_per_call_reach_the_wire(recorder: Recorder) -> None:
    pool = ScriptedPool()
    client = client_for(pool, recorder)
    await client.post("/login", json={"u": "ann"}, headers={"X-Trace": "1"}, name="login")
    await client.get("/search", params={"q": "a b"})
    await client.put("/form", data={"a": "1"})
    login, search, form = pool.requests
    assert login.startswith(b"POST /v1/login HTTP/1.1\r\n")
    assert b"X-Trace: 1\r\n" in login
    assert login.endswith(
        b'Content-Type: application/json\r\nContent-Length: 11\r\n\r\n{"u":"ann"}'
    )
    assert search.startswith(b"GET /v1/search?q=a+b HTTP/1.1")
    assert form.endswith(b"\r\n\r\na=1")
    assert [record[0] for record in recorder.records] == ["login", "GET /search", "PUT /form"]


async def test_user_headers_apply_to_later_requests(recorder: Recorder) -> None:
    pool = ScriptedPool()
    client = client_for(pool, recorder)
    await client.get("/me")
    client.headers["Authorization"] = "Bearer t1"
    await client.get("/me")
    client.headers = {"Authorization": "Bearer t2"}
    await client.get("/me")
    assert b"Authorization" not in pool.requests[0]
    assert b"Authorization: Bearer t1\r\n" in pool.requests[1]
    assert b"Authorization: Bearer t2\r\n" in pool.requests[2]
    assert client.headers["authorization"] == "Bearer t2"
    assert client.base_url == "http://api.test/v1"


async def test_a_bad_request_raises_at_the_call(recorder: Recorder) -> None:
    client = client_for(ScriptedPool(), recorder)
    with pytest.raises(ConfigError):
        _ = client.get("/x", headers={"X": "a\nb"})
    assert recorder.records == []


async def test_error_statuses_are_failures_unless_expected(recorder: Recorder) -> None:
    statuses = iter([404, 404, 201, 503, 200])

    def server(request: bytes) -> bytes:
        return b"HTTP/1.1 %d X\r\nContent-Length: 0\r\n\r\n" % next(statuses)

    client = client_for(ScriptedPool(server=server), recorder)
    assert (await client.get("/a")).error == "http_404"
    assert (await client.get("/a", expect=404)).ok
    assert (await client.post("/a", expect=(200, 202))).error == "http_201"
    assert (await client.get("/a", expect=[503])).ok
    assert (await client.get("/a", expect=[201])).error == "http_200"
    assert [record[5] for record in recorder.records] == [
        "http_404",
        None,
        "http_201",
        None,
        "http_200",
    ]


async def test_a_compressed_body_counts_wire_bytes_and_reads_plain(recorder: Recorder) -> None:
    packed = gzip.compress(b"x" * 1000)

    def server(request: bytes) -> bytes:
        assert b"Accept-Encoding: gzip, deflate" in request
        return ok(packed, b"Content-Encoding: gzip\r\n")

    response = await client_for(ScriptedPool(server=server), recorder).get("/big")
    assert await response.read() == b"x" * 1000
    assert response.nbytes == len(packed)
    assert recorder.records[0][4] == len(packed)


async def test_the_rate_gate_is_awaited_once_per_call(recorder: Recorder) -> None:
    @dataclass
    class CountingGate:
        calls: int = 0

        async def acquire(self) -> None:
            self.calls += 1

    gate = CountingGate()

    def server(request: bytes) -> bytes:
        return ok() if b"/b " in request else redirect(302, b"/v1/b")

    client = client_for(ScriptedPool(server=server), recorder, rate_gate=gate)
    await client.get("/a")
    await client.get("/b")
    assert gate.calls == 2


async def test_many_distinct_paths_do_not_grow_the_cache_without_bound(recorder: Recorder) -> None:
    pool = ScriptedPool()
    client = client_for(pool, recorder)
    for n in range(300):
        await client.get(f"/items/{n}")
    assert len(recorder.records) == 300
    assert recorder.records[-1][0] == "GET /items/299"


def _authorization(request: bytes) -> list[bytes]:
    return [line for line in request.split(b"\r\n") if line.lower().startswith(b"authorization:")]


async def test_auth_per_call_sends_basic_or_bearer(recorder: Recorder) -> None:
    pool = ScriptedPool()
    client = client_for(pool, recorder)
    await client.get("/me", auth=("Aladdin", "open sesame"))
    await client.post("/me", auth=BearerAuth("t0ken"), name="me")
    await client.get("/me")
    assert _authorization(pool.requests[0]) == [
        b"Authorization: Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    ]
    assert _authorization(pool.requests[1]) == [b"Authorization: Bearer t0ken"]
    assert _authorization(pool.requests[2]) == []


async def test_the_client_auth_applies_unless_a_call_overrides_it(recorder: Recorder) -> None:
    pool = ScriptedPool()
    client = client_for(pool, recorder, auth=("ann", "pw"))
    assert client.auth == BasicAuth("ann", "pw")
    await client.get("/a")  # the cached fast path
    await client.request("GET", "/a")
    await client.get("/a", auth=BearerAuth("t"))
    await client.get("/a", auth=None)
    client.auth = BearerAuth("later")
    await client.get("/a")
    client.auth = None
    await client.get("/a")
    basic = [BasicAuth("ann", "pw").authorization().encode()]
    assert [_authorization(r) for r in pool.requests] == [
        [b"Authorization: " + basic[0]],
        [b"Authorization: " + basic[0]],
        [b"Authorization: Bearer t"],
        [],
        [b"Authorization: Bearer later"],
        [],
    ]


async def test_an_authorization_header_wins_over_auth(recorder: Recorder) -> None:
    pool = ScriptedPool()
    client = client_for(pool, recorder, auth=("ann", "pw"))
    await client.get("/a", headers={"authorization": "Token per-call"})
    client.headers["Authorization"] = "Token user"
    await client.get("/a", auth=BearerAuth("ignored"))
    assert _authorization(pool.requests[0]) == [b"authorization: Token per-call"]
    assert _authorization(pool.requests[1]) == [b"Authorization: Token user"]


async def test_a_prepared_request_carries_the_auth_of_its_call(recorder: Recorder) -> None:
    pool = ScriptedPool()
    client = client_for(pool, recorder, auth=BearerAuth("default"))
    await client.send(client.prepare("GET", "/a"))
    await client.send(client.prepare("GET", "/a", auth=("u", "p")))
    assert _authorization(pool.requests[0]) == [b"Authorization: Bearer default"]
    assert _authorization(pool.requests[1]) == [b"Authorization: Basic dTpw"]


async def test_a_bad_auth_raises_at_the_call(recorder: Recorder) -> None:
    client = client_for(ScriptedPool(), recorder)
    with pytest.raises(ConfigError, match="3 items"):
        client.get("/a", auth=("u", "p", "x"))  # type: ignore[arg-type,unused-coroutine]
    with pytest.raises(ConfigError, match="got str"):
        client.auth = "u:p"  # type: ignore[assignment]
    with pytest.raises(ConfigError, match="contains a colon"):
        client_for(ScriptedPool(), recorder, auth=("u:x", "p"))
