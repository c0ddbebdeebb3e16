"""A pool with a target policy against real servers on 127.0.0.1: hops and connects refused."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable

import pytest

from integration.http.servers import Handler, ListRecorder, Request, Serve, answering
from loadforge.http import AllowList, ConnectionPool, HttpClient, TargetPolicy

MakePool = Callable[[TargetPolicy], ConnectionPool]


def ok(request: Request) -> bytes:
    """A 200 naming the target."""
    body = request.target.encode()
    return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)


def to(location: str) -> Handler:
    """A handler that redirects every request to `location`."""

    def answer(request: Request) -> bytes:
        return b"HTTP/1.1 302 Found\r\nLocation: %s\r\nContent-Length: 0\r\n\r\n" % (
            location.encode()
        )

    return answering(answer)


class NoAddress:
    """Allows every name, no address: what a name resolving off the list meets."""

    def allows(self, host: str, port: int) -> bool:
        return True

    def allows_address(self, host: str, address: str, port: int) -> bool:
        return False


@pytest.fixture
async def make_pool() -> AsyncIterator[MakePool]:
    pools: list[ConnectionPool] = []

    def make(policy: TargetPolicy) -> ConnectionPool:
        pools.append(ConnectionPool(max_connections=4, target_policy=policy))
        return pools[-1]

    yield make
    for pool in pools:
        await pool.aclose()


async def test_a_hop_off_the_list_is_refused_before_it_is_sent(
    serve: Serve, make_pool: MakePool, recorder: ListRecorder
) -> None:
    outside = await serve(answering(ok))
    allowed = await serve(to(f"{outside.url}/elsewhere"))
    pool = make_pool(AllowList.parse([f"127.0.0.1:{allowed.port}"]))
    client = HttpClient(base_url=allowed.url, pool=pool, recorder=recorder)
    response = await client.get("/start")
    assert (response.status, response.error, response.ok) == (302, "redirect_refused", False)
    assert outside.connections == 0
    assert recorder.errors == ["redirect_refused"]


async def test_a_hop_on_the_list_is_followed(
    serve: Serve, make_pool: MakePool, recorder: ListRecorder
) -> None:
    landing = await serve(answering(ok))
    start = await serve(to(f"{landing.url}/landing"))
    patterns = [f"127.0.0.1:{start.port}", "127.0.0.0/8"]
    pool = make_pool(AllowList.parse(patterns))
    response = await HttpClient(base_url=start.url, pool=pool, recorder=recorder).get("/")
    assert (response.status, await response.read()) == (200, b"/landing")


async def test_a_name_off_the_list_is_refused_at_connect(
    serve: Serve, make_pool: MakePool, recorder: ListRecorder
) -> None:
    server = await serve(answering(ok))
    pool = make_pool(AllowList.parse([f"127.0.0.1:{server.port}"]))
    client = HttpClient(base_url=f"http://localhost:{server.port}", pool=pool, recorder=recorder)
    response = await client.get("/")
    assert (response.status, response.error) == (0, "target_refused")
    assert server.connections == 0


async def test_an_exactly_named_host_connects_to_what_it_resolves_to(
    serve: Serve, make_pool: MakePool, recorder: ListRecorder
) -> None:
    server = await serve(answering(ok))
    pool = make_pool(AllowList.parse([f"localhost:{server.port}"]))
    client = HttpClient(base_url=f"http://localhost:{server.port}", pool=pool, recorder=recorder)
    assert (await client.get("/x")).status == 200


async def test_an_address_the_policy_refuses_is_never_connected_to(
    serve: Serve, make_pool: MakePool, recorder: ListRecorder
) -> None:
    server = await serve(answering(ok))
    pool = make_pool(NoAddress())
    client = HttpClient(base_url=f"http://localhost:{server.port}", pool=pool, recorder=recorder)
    response = await client.get("/")
    assert response.error == "target_refused"
    assert server.connections == 0
    assert recorder.errors == ["target_refused"]
