"""Security headers on every answer: what a browser may load, frame and sniff.

- `X-Content-Type-Options: nosniff`, `X-Frame-Options: DENY` and
  `Referrer-Policy: no-referrer` everywhere;
- the pages and /docs: a CSP that allows only this origin's scripts, styles
  (inline styles too, as the charts set them), images and connections;
- a run's HTML report: its own inline scripts and styles, but sandboxed (an
  opaque origin), so nothing in it can read the token the pages keep;
- everything else (JSON, CSV, attachment downloads): `default-src 'none'`
  and a sandbox, so a downloaded file opened in the browser runs nothing.
"""

from __future__ import annotations

import re

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline';"
    " img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self';"
    " object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
REPORT_POLICY = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline';"
    " img-src data: blob:; font-src data:; frame-ancestors 'none';"
    " sandbox allow-scripts allow-downloads allow-popups"
)
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"

_REPORT_PATH = re.compile(r"/api/runs/[^/]+/report")

_FIXED = (
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "no-referrer"),
)


def policy_for(path: str, content_type: str) -> str:
    """The Content-Security-Policy of an answer at `path` with this content type."""
    if _REPORT_PATH.fullmatch(path):
        return REPORT_POLICY
    if content_type.startswith("text/html"):
        return PAGE_POLICY
    return DATA_POLICY


class SecurityHeaders:
    """ASGI middleware adding the headers above to every HTTP answer."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on; add the headers to the answer's start."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in _FIXED:
                    headers.setdefault(name, value)
                policy = policy_for(path, headers.get("content-type", ""))
                headers.setdefault("content-security-policy", policy)
            await send(message)

        await self.app(scope, receive, send_with_headers)
