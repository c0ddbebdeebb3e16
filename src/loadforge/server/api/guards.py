"""Checks on every request before the app reads it: who may call, from where, with what body.

`RequestGuard` is a plain ASGI middleware, so it decides from the request
line and headers alone, before any byte of the body is read:

- with LOADFORGE_API_TOKEN set, `/api/**` without the right bearer token is a
  401 at once (a 300 MB body is never read, let alone parsed);
- without a token (loopback only), the `Host` must be a loopback name with the
  server's port (DNS rebinding), and a state-changing request or a WebSocket
  must come with no `Origin` or the server's own (cross-site requests);
- a JSON route takes `application/json` only (a form cannot be posted at it
  cross-site: 415), and at most MAX_JSON_BYTES, from Content-Length and while
  it streams (413). The guard buffers that body itself and hands it on whole.

A refusal, and any answer given before the request's body was read (the
upload's 413), keeps reading and discarding the rest of the body, up to
LINGER_BYTES or LINGER_SECONDS, before the exchange ends: a client that sends
its whole body before it reads (Python's urllib) then gets the answer instead
of a connection reset, as nginx's lingering close does.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loadforge.server.api.security import bearer_token, token_matches
from loadforge.server.settings import ServerSettings, is_loopback

MAX_JSON_BYTES = 8 * 1024 * 1024
"""The largest JSON body taken (8 MiB: room for a 1,000,000-character scenario)."""

LINGER_BYTES = 64 * 1024 * 1024
LINGER_SECONDS = 10.0

STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
UPLOAD_PATH = "/api/attachments"
WS_POLICY_VIOLATION = 1008


@dataclass(frozen=True, slots=True)
class Refusal:
    """An answer given instead of the app's."""

    status: int
    detail: str


class RequestGuard:
    """The ASGI middleware in front of the app (see the module docstring)."""

    def __init__(self, app: ASGIApp, settings: ServerSettings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse, or pass the request on with its body guarded."""
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._origin_refusal(scope, headers)
        if scope["type"] == "websocket":
            if refusal is not None:
                await send({"type": "websocket.close", "code": WS_POLICY_VIOLATION})
                return
            await self.app(scope, receive, send)
            return
        body = _Body(receive, _declares_body(headers))
        refusal = refusal or self._token_refusal(scope, headers) or _body_refusal(scope, headers)
        if refusal is None and _is_json_route(scope) and body.declared:
            refusal = await body.buffer(MAX_JSON_BYTES)
        if refusal is not None:
            await _answer(refusal, body, send)
            return
        await self.app(scope, body.receive, body.lingering(send))

    def _origin_refusal(self, scope: Scope, headers: Headers) -> Refusal | None:
        if self.settings.api_token:
            return None  # a token proves the caller; pages and sockets may live on any name
        host = headers.get("host", "")
        if not _is_loopback_host(host, _server_port(scope)):
            return Refusal(
                400,
                f"Host {host[:100]!r} is not this server's loopback address; without"
                " LOADFORGE_API_TOKEN the server answers only http://127.0.0.1, localhost or"
                " [::1] on its own port (behind a tunnel or a proxy, set a token).",
            )
        origin = headers.get("origin")
        changing = scope["type"] == "websocket" or scope["method"] in STATE_CHANGING
        if changing and origin is not None and not _same_origin(origin, host):
            return Refusal(403, f"Cross-origin request from {origin[:100]!r} refused.")
        return None

    def _token_refusal(self, scope: Scope, headers: Headers) -> Refusal | None:
        if not self.settings.api_token or not scope["path"].startswith("/api/"):
            return None
        given = bearer_token(headers.get("authorization"))
        if token_matches(self.settings.api_token, given):
            return None
        return Refusal(401, "A valid `Authorization: Bearer TOKEN` header is required.")


class _Body:
    """The request body as the app reads it: buffered (JSON routes) or passed through."""

    def __init__(self, receive: Receive, declared: bool) -> None:
        self._receive = receive
        self.declared = declared
        self.done = not declared
        self._buffered: bytes | None = None

    async def buffer(self, limit: int) -> Refusal | None:
        """Read the whole body into memory; a Refusal once it is past `limit` bytes."""
        chunks: list[bytes] = []
        size = 0
        while not self.done:
            message = await self.receive()
            if message["type"] == "http.disconnect":
                break
            size += len(message.get("body", b""))
            if size > limit:
                return _too_large(limit)
            chunks.append(message.get("body", b""))
        self._buffered = b"".join(chunks)
        return None

    async def receive(self) -> Message:
        """The next body message; the buffered body first, in one piece."""
        if self._buffered is not None:
            body, self._buffered = self._buffered, None
            return {"type": "http.request", "body": body, "more_body": False}
        message = await self._receive()
        if message["type"] == "http.disconnect" or not message.get("more_body", False):
            self.done = True
        return message

    def lingering(self, send: Send) -> Send:
        """`send` that discards the unread body before it ends the response."""

        async def guarded(message: Message) -> None:
            if _ends_response(message) and not self.done:
                await send({**message, "more_body": True})
                await self.discard()
                await send({"type": "http.response.body", "body": b"", "more_body": False})
                return
            await send(message)

        return guarded

    async def discard(self) -> None:
        """Read and drop the rest of the body, within LINGER_BYTES and LINGER_SECONDS."""
        read = 0
        try:
            async with asyncio.timeout(LINGER_SECONDS):
                while not self.done and read <= LINGER_BYTES:
                    message = await self.receive()
                    read += len(message.get("body", b""))
        except TimeoutError:
            return


async def _answer(refusal: Refusal, body: _Body, send: Send) -> None:
    content = json.dumps({"detail": refusal.detail}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": refusal.status,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode()),
            ],
        }
    )
    await body.lingering(send)({"type": "http.response.body", "body": content})


def _body_refusal(scope: Scope, headers: Headers) -> Refusal | None:
    if not _is_json_route(scope) or not _declares_body(headers):
        return None
    media = headers.get("content-type", "").split(";", 1)[0].strip().lower()
    if media != "application/json" and not (
        media.startswith("application/") and media.endswith("+json")
    ):
        return Refusal(415, "Send the body as application/json.")
    declared = headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_JSON_BYTES:
        return _too_large(MAX_JSON_BYTES)
    return None


def _too_large(limit: int) -> Refusal:
    return Refusal(413, f"The body is larger than {limit} bytes ({limit // 1024 // 1024} MiB).")


def _is_json_route(scope: Scope) -> bool:
    path: str = scope["path"]
    return (
        path.startswith("/api/")
        and scope["method"] in STATE_CHANGING
        and path.rstrip("/") != UPLOAD_PATH
    )


def _declares_body(headers: Headers) -> bool:
    length = headers.get("content-length")
    if length is not None:
        return length.strip() not in ("", "0")
    return "transfer-encoding" in headers


def _ends_response(message: Message) -> bool:
    return message["type"] == "http.response.body" and not message.get("more_body", False)


def _server_port(scope: Scope) -> int | None:
    server = scope.get("server")
    return None if not server or server[1] is None else int(server[1])


def _host_and_port(authority: str, default_port: int | None) -> tuple[str, int | None]:
    parts = urlsplit(f"//{authority}")
    try:
        port = parts.port
    except ValueError:
        return "", None
    return parts.hostname or "", default_port if port is None else port


def _is_loopback_host(host: str, server_port: int | None) -> bool:
    name, port = _host_and_port(host, 80)
    if not name or not is_loopback(name):
        return False
    return server_port is None or port == server_port


def _same_origin(origin: str, host: str) -> bool:
    parts = urlsplit(origin)
    if parts.scheme not in ("http", "https") or parts.path or parts.query:
        return False
    default = 443 if parts.scheme == "https" else 80
    return _host_and_port(parts.netloc, default) == _host_and_port(host, default)
