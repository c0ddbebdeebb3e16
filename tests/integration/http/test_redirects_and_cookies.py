"""Redirects and cookies across real servers on 127.0.0.1."""

from __future__ import annotations

import base64

import pytest

from integration.http.servers import ListRecorder, Request, Serve, answering
from loadforge.http import BearerAuth, ConnectionPool, HttpClient


def redirect(status: int, location: str) -> bytes:
    """A redirect to `location`."""
    return b"HTTP/1.1 %d Redirect\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n" % (
        status,
        location.encode(),
    )


def ok(body: bytes = b"ok", extra: bytes = b"") -> bytes:
    """A 200 with `body` and `extra` header lines."""
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n%s\r\n%s" % (len(body), extra, body)


def routes(request: Request) -> bytes:
    """A few redirecting routes; anything else echoes method, target and body."""
    if request.target == "/moved":
        return redirect(301, "/landing")
    if request.target == "/temporary":
        return redirect(307, "/landing")
    if request.target.startswith("/loop"):
        return redirect(302, "/loop")
    return ok(b"%s %s %s" % (request.method.encode(), request.target.encode(), request.body))


async def test_a_moved_post_becomes_a_get_without_body(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    server = await serve(answering(routes))
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    response = await client.post("/moved", data=b"payload")
    assert await response.read() == b"GET /landing "
    assert response.url == f"{server.url}/landing"
    assert "content-length" not in server.requests[1].headers
    assert recorder.records == [("POST /moved", "POST", 200, recorder.records[0][3], 13, None)]


async def test_a_temporary_redirect_repeats_the_post(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    server = await serve(answering(routes))
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    response = await client.post("/temporary", data=b"payload")
    assert await response.read() == b"POST /landing payload"


async def test_a_redirect_loop_gives_up(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    server = await serve(answering(routes))
    response = await HttpClient(base_url=server.url, pool=pool, recorder=recorder).get("/loop")
    assert (response.status, response.error) == (302, "too_many_redirects")
    assert len(server.requests) == 11
    assert recorder.errors == ["too_many_redirects"]


async def test_redirects_can_be_left_to_the_scenario(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    server = await serve(answering(routes))
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    response = await client.get("/moved", allow_redirects=False)
    assert (response.status, response.headers["location"], response.ok) == (301, "/landing", True)
    assert len(server.requests) == 1


async def test_credentials_do_not_follow_to_another_origin(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    elsewhere = await serve(answering(lambda request: ok()))
    origin = await serve(answering(lambda request: redirect(302, f"{elsewhere.url}/there")))
    client = HttpClient(base_url=origin.url, pool=pool, recorder=recorder)
    client.headers["Authorization"] = "Bearer secret"
    response = await client.get("/here")
    assert response.url == f"{elsewhere.url}/there"
    assert origin.requests[0].headers["authorization"] == "Bearer secret"
    assert "authorization" not in elsewhere.requests[0].headers
    assert elsewhere.requests[0].headers["host"] == f"127.0.0.1:{elsewhere.port}"


async def test_cookies_make_a_round_trip(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    def session(request: Request) -> bytes:
        if request.target == "/login":
            cookies = (
                b"Set-Cookie: sid=abc123; Path=/; HttpOnly\r\n"
                b"Set-Cookie: pref=x; Path=/settings\r\n"
            )
            return ok(extra=cookies)
        return ok(request.headers.get("cookie", "").encode())

    server = await serve(answering(session))
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    other_user = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    await client.post("/login")
    assert await (await client.get("/me")).read() == b"sid=abc123"
    assert await (await client.get("/settings/theme")).read() == b"pref=x; sid=abc123"
    assert await (await other_user.get("/me")).read() == b""


async def test_each_hop_is_its_own_request_when_asked(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    server = await serve(answering(routes))
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    client.record_redirect_hops = True
    response = await client.post("/moved", data=b"payload", name="Move")
    assert await response.read() == b"GET /landing "
    assert [
        (name, method, status, error) for name, method, status, _, _, error in recorder.records
    ] == [
        ("Move", "POST", 301, None),
        ("GET /landing", "GET", 200, None),
    ]
    assert recorder.records[1][4] == 13
    assert response.elapsed_ms * 1000 == pytest.approx(recorder.records[1][3], abs=1)


async def test_a_hop_to_another_origin_is_named_by_its_url(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    landing = await serve(answering(routes))
    start = await serve(answering(lambda request: redirect(302, f"{landing.url}/there?x=1")))
    client = HttpClient(base_url=start.url, pool=pool, recorder=recorder)
    client.record_redirect_hops = True
    await client.get("/away")
    assert [(name, status) for name, _, status, *_ in recorder.records] == [
        ("GET /away", 302),
        (f"GET {landing.url}/there", 200),
    ]


async def test_a_loop_recorded_per_hop_ends_in_its_error(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    server = await serve(answering(routes))
    client = HttpClient(base_url=server.url, pool=pool, recorder=recorder)
    client.record_redirect_hops = True
    response = await client.get("/loop")
    assert response.error == "too_many_redirects"
    assert len(recorder.records) == 11
    assert [record[5] for record in recorder.records] == [None] * 10 + ["too_many_redirects"]


async def test_auth_reaches_the_server_and_stays_behind_on_another_origin(
    serve: Serve, pool: ConnectionPool, recorder: ListRecorder
) -> None:
    elsewhere = await serve(answering(lambda request: ok()))

    def origin_routes(request: Request) -> bytes:
        if request.target == "/away":
            return redirect(302, f"{elsewhere.url}/there")
        return ok()

    origin = await serve(answering(origin_routes))
    client = HttpClient(base_url=origin.url, pool=pool, recorder=recorder, auth=("jürgen", "pw"))
    assert (await client.get("/me")).ok
    assert (await client.get("/me", auth=BearerAuth("t0ken"))).ok
    assert (await client.get("/away")).url == f"{elsewhere.url}/there"
    basic = "Basic " + base64.b64encode("jürgen:pw".encode()).decode()
    assert [request.headers["authorization"] for request in origin.requests] == [
        basic,
        "Bearer t0ken",
        basic,
    ]
    assert "authorization" not in elsewhere.requests[0].headers
