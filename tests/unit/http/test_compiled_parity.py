"""The compiled request path and the pure-Python one answer the same byte streams alike.

Hypothesis draws responses (1xx interim ones, chunked, length-framed and
close-delimited bodies, gzip, keep-alive closes, now and then garbage), splits them at random
points, and feeds them to both builds of the connection protocol and the
response object; every observable outcome must match. The compiled builds
are imported from `loadforge._compiled` directly, so both runs of
`make test` compare them, whichever path `loadforge.extensions` picked.
"""

from __future__ import annotations

import asyncio
import gzip
import importlib
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from loadforge import extensions
from loadforge.http._urls import Origin

MODULES = {
    "connection": "loadforge.http._connection",
    "response": "loadforge.http._response",
    "head": "loadforge.http._response_head",
    "set_cookie": "loadforge.http._set_cookie",
}


def _compiled_names(module: str) -> dict[str, Any]:
    return vars(importlib.import_module(extensions.COMPILED_MODULES[module]))


BUILDS = {
    "pure": {key: extensions.pure_names(module) for key, module in MODULES.items()},
    "compiled": {key: _compiled_names(module) for key, module in MODULES.items()},
}
"""Each build's public names, by module."""


@dataclass(frozen=True)
class Exchange:
    """One response as bytes on the wire, where it is split, and whether it ends by closing."""

    wire: bytes
    cuts: tuple[int, ...]
    closes: bool


class FakeTransport(asyncio.Transport):
    """Closing reports connection_lost on the next loop iteration, as a real transport does."""

    def __init__(self, protocol: Any) -> None:
        super().__init__()
        self.protocol = protocol
        self.lost = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        """Requests go nowhere: the responses are canned."""

    def close(self) -> None:
        """Report the close once."""
        self.abort()

    def abort(self) -> None:
        """Report the close once."""
        if not self.lost:
            self.lost = True
            asyncio.get_running_loop().call_soon(self.protocol.connection_lost, None)


def _chunked(body: bytes, sizes: list[int]) -> bytes:
    out, start = [], 0
    for size in [*sizes, len(body)]:
        piece = body[start : start + size]
        start += len(piece)
        if piece:
            out.append(b"%x\r\n%s\r\n" % (len(piece), piece))
    return b"".join(out) + b"0\r\n\r\n"


@st.composite
def responses(draw: st.DrawFn, last: bool) -> Exchange:
    """One response: maybe 1xx first, a status, a body framed one of three ways, maybe gzip."""
    interim = draw(st.lists(st.sampled_from([b"100 Continue", b"103 Early Hints"]), max_size=2))
    status = draw(st.sampled_from([b"200 OK", b"404 Not Found", b"500 Oops", b"204 No Content"]))
    body = b"" if status.startswith(b"204") else draw(st.binary(max_size=300))
    fields = [b"Server: test", b"Set-Cookie: a=1"] if draw(st.booleans()) else [b"Server: t"]
    if draw(st.booleans()) and body:
        body = gzip.compress(body, mtime=0)
        fields.append(b"Content-Encoding: gzip")
    framing = draw(st.sampled_from(["length", "chunked", "eof"] if last else ["length", "chunked"]))
    closes = framing == "eof" or draw(st.integers(0, 4)) == 0
    if closes:
        fields.append(b"Connection: close")
    if status.startswith(b"204"):
        payload = b""
    elif framing == "length":
        fields.append(b"Content-Length: %d" % len(body))
        payload = body
    elif framing == "chunked":
        fields.append(b"Transfer-Encoding: chunked")
        payload = _chunked(body, draw(st.lists(st.integers(1, 64), max_size=5)))
    else:
        payload = body
    heads = [b"HTTP/1.1 " + line + b"\r\n\r\n" for line in interim]
    head = b"\r\n".join([b"HTTP/1.1 " + status, *fields]) + b"\r\n\r\n"
    wire = b"".join(heads) + head + payload
    if draw(st.integers(0, 9)) == 0:  # now and then a stream the parser must reject
        wire = b"NOT HTTP " + wire
    cuts = draw(st.lists(st.integers(1, max(1, len(wire) - 1)), max_size=4, unique=True))
    return Exchange(wire, tuple(sorted(cuts)), framing == "eof")


@st.composite
def streams(draw: st.DrawFn) -> list[Exchange]:
    """A keep-alive connection's responses, the last one perhaps close-delimited."""
    count = draw(st.integers(1, 4))
    return [draw(responses(last=index == count - 1)) for index in range(count)]


def _pieces(exchange: Exchange) -> list[bytes]:
    bounds = [0, *exchange.cuts, len(exchange.wire)]
    return [exchange.wire[a:b] for a, b in itertools.pairwise(bounds) if b > a]


async def _response_view(
    build: str, status: int, head: list[bytes], interim: int, body: bytes
) -> tuple[object, ...]:
    """What scenario code can read of a response: ok, reason, header fields, decoded body."""
    response = BUILDS[build]["response"]["Response"](
        status, head, interim, body, "http://a.test/", "GET"
    )
    try:
        content: object = await response.read()
    except Exception as exc:  # a broken gzip body must fail alike on both paths
        content = type(exc).__name__
    return (response.ok, response.reason, response.headers.multi_items(), content)


async def _observe(build: str, stream: list[Exchange]) -> list[object]:
    """Everything the client and the pool can see of each exchange, in order."""
    connection_class = BUILDS[build]["connection"]["HttpConnection"]
    lost: list[object] = []
    connection = connection_class(
        Origin("http", "a.test", 80),
        ssl_context=lambda: pytest.fail("no TLS here"),
        keepalive_expiry=5.0,
        on_closed=lost.append,
    )
    transport = FakeTransport(connection)
    connection.connection_made(transport)
    seen: list[object] = []
    for exchange in stream:
        if not connection.is_available():
            break
        waiter = connection.send(b"GET / HTTP/1.1\r\n\r\n", 30.0, False)
        for piece in _pieces(exchange):
            connection.data_received(piece)
        if exchange.closes and not transport.lost:
            transport.close()
        await asyncio.sleep(0)
        failure = waiter.exception() if waiter.done() else None
        body = b"".join(connection.body_chunks)
        seen.append(
            (
                waiter.done(),
                None if failure is None else getattr(failure, "kind", repr(failure)),
                connection.state.name,
                connection.status,
                connection.interim,
                body,
                connection.nbytes,
                connection.head_tail,
                connection.requests_sent,
                await _response_view(
                    build, connection.status, list(connection.head_chunks), connection.interim, body
                ),
            )
        )
    await asyncio.sleep(0)
    return [*seen, len(lost)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(stream=streams())
def test_both_builds_see_the_same_exchanges(stream: list[Exchange]) -> None:
    def both() -> tuple[list[object], list[object]]:
        async def run() -> tuple[list[object], list[object]]:
            return await _observe("pure", stream), await _observe("compiled", stream)

        return asyncio.run(run())

    pure, compiled = both()

    assert compiled == pure


@settings(max_examples=150, deadline=None)
@given(stream=streams(), tail=st.integers(0, 40))
def test_both_builds_read_heads_alike(stream: list[Exchange], tail: int) -> None:
    chunks = _pieces(stream[0])
    interim = stream[0].wire.count(b"HTTP/1.1 1")
    views = []
    for build in ("pure", "compiled"):
        head = BUILDS[build]["head"]
        final = head["final_head"](chunks, interim)
        views.append(
            (
                final,
                head["parse_fields"](final),
                head["status_line"](final),
                BUILDS[build]["set_cookie"]["sets_cookies"](chunks, min(tail, len(stream[0].wire))),
            )
        )

    assert views[0] == views[1]


_NAME_BYTES = st.sampled_from([b"set-cookie:", b"SET-COOKIE:", b"Set-Cookie:", b"set\rcookie\x1a"])


@st.composite
def cookie_heads(draw: st.DrawFn) -> tuple[list[bytes], int]:
    """Bytes around Set-Cookie names in any case (or near misses), cut into chunks, and a tail."""
    parts = draw(
        st.lists(
            st.one_of(
                st.binary(max_size=20),
                _NAME_BYTES.map(lambda name: b"\n" + name),
                _NAME_BYTES.flatmap(
                    lambda name: st.integers(0, len(name)).map(
                        lambda cut: b"\n" + name[:cut].swapcase() + name[cut:]
                    )
                ),
            ),
            max_size=8,
        )
    )
    data = b"".join(parts)
    cuts = sorted(draw(st.lists(st.integers(1, max(1, len(data) - 1)), max_size=3, unique=True)))
    bounds = [0, *[cut for cut in cuts if cut < len(data)], len(data)]
    chunks = [data[a:b] for a, b in itertools.pairwise(bounds) if b > a] or [b""]
    return chunks, draw(st.integers(-5, len(data) + 5))


@settings(max_examples=400, deadline=None)
@given(case=cookie_heads())
def test_both_builds_find_set_cookie_alike(case: tuple[list[bytes], int]) -> None:
    chunks, tail = case
    answers = [BUILDS[build]["set_cookie"]["sets_cookies"](chunks, tail) for build in BUILDS]

    assert answers[0] == answers[1]
