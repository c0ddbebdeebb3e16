"""A pure-ASGI middleware counting the requests the demo API serves, per route.

Pure ASGI (no BaseHTTPMiddleware) keeps the per-request cost to one closure
and a dict update, so counting does not slow the target down measurably.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from loadforge.target.state import RequestCounts

#: Requests to these routes are about the counts themselves and are not counted.
UNCOUNTED_PREFIX = "/stats"


class RequestCountingMiddleware:
    """Counts each HTTP request once, when its response starts or its handler fails."""

    def __init__(self, app: ASGIApp, counts: RequestCounts) -> None:
        self.app = app
        self.counts = counts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, counting it as its response begins."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        counted = False

        async def counting_send(message: Message) -> None:
            nonlocal counted
            # Counted before the response leaves, so a client holding a
            # response can rely on it being in /stats already.
            if not counted and message["type"] == "http.response.start":
                counted = True
                self._count(scope)
            await send(message)

        try:
            await self.app(scope, receive, counting_send)
        except Exception:
            # The server still answers (500), so the request counts as served.
            # Cancellation at shutdown is not an Exception and is not counted.
            if not counted:
                self._count(scope)
            raise

    def _count(self, scope: Scope) -> None:
        # The router stores the matched route in the scope; its path is the template.
        template = getattr(scope.get("route"), "path", None)
        if template is None:
            self.counts.add(f"{scope['method']} (no route)")
        elif not template.startswith(UNCOUNTED_PREFIX):
            self.counts.add(f"{scope['method']} {template}")
