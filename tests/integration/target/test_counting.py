"""The request-counting middleware, driven directly as an ASGI app."""

from __future__ import annotations

import asyncio

import pytest
from starlette.types import Message, Receive, Scope, Send

from loadforge.target.counting import RequestCountingMiddleware
from loadforge.target.state import RequestCounts


class Route:
    """Stands in for the route object the router puts in the scope."""

    def __init__(self, path: str) -> None:
        self.path = path


async def receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def ignore(message: Message) -> None:
    """A `send` that drops what it is given."""


def http_scope(method: str = "GET") -> Scope:
    return {"type": "http", "method": method, "path": "/x"}


async def test_counts_once_when_the_response_starts() -> None:
    counts = RequestCounts()
    sent: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        scope["route"] = Route("/items/{item_id}")
        await send({"type": "http.response.start", "status": 200, "headers": []})
        # Counted before the first message went out.
        sent.append(f"after start: {counts.total}")
        await send({"type": "http.response.body", "body": b"{}"})

    await RequestCountingMiddleware(app, counts)(http_scope(), receive, ignore)

    assert sent == ["after start: 1"]
    assert counts.to_json() == {"total": 1, "routes": {"GET /items/{item_id}": 1}}


async def test_a_request_that_fails_before_responding_is_still_counted() -> None:
    counts = RequestCounts()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise RuntimeError("handler bug")

    with pytest.raises(RuntimeError, match="handler bug"):
        await RequestCountingMiddleware(app, counts)(http_scope("POST"), receive, ignore)

    assert counts.to_json() == {"total": 1, "routes": {"POST (no route)": 1}}


async def test_stats_routes_and_non_http_traffic_are_not_counted() -> None:
    counts = RequestCounts()
    seen: list[str] = []

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        seen.append(scope["type"])
        if scope["type"] == "http":
            scope["route"] = Route("/stats/reset")
            await send({"type": "http.response.start", "status": 200, "headers": []})

    middleware = RequestCountingMiddleware(app, counts)
    await middleware({"type": "lifespan"}, receive, ignore)
    await middleware(http_scope("POST"), receive, ignore)

    assert seen == ["lifespan", "http"]
    assert counts.to_json() == {"total": 0, "routes": {}}


def test_reset_clears_every_count() -> None:
    counts = RequestCounts()
    counts.add("GET /a")
    counts.add("GET /a")
    counts.add("GET /b")
    assert counts.to_json() == {"total": 3, "routes": {"GET /a": 2, "GET /b": 1}}
    counts.reset()
    assert counts.to_json() == {"total": 0, "routes": {}}


async def test_a_request_cancelled_at_shutdown_is_not_counted() -> None:
    counts = RequestCounts()

    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        raise asyncio.CancelledError

    with pytest.raises(asyncio.CancelledError):
        await RequestCountingMiddleware(app, counts)(http_scope(), receive, ignore)

    assert counts.total == 0
