"""LoadForge's HTTP/1.1 client: uvloop transports and the httptools parser.

Built directly on asyncio protocols rather than aiohttp or httpx so that the
load generator does not measure itself: on one pinned core against nginx,
wrk does 107.7k req/s, a minimal uvloop+httptools client 98.7k/s and aiohttp
9.3k/s. One `HttpClient` per virtual user (its headers, its cookies), one
`ConnectionPool` per worker process. `benchmarks/client_throughput.py`
measures this client against wrk.
"""

from typing import TYPE_CHECKING

from loadforge.http._allocation import PoolStats
from loadforge.http._auth import Auth, AuthSpec, BasicAuth, BearerAuth
from loadforge.http._bodies import FileSpec
from loadforge.http._client import USER_AGENT, HttpClient, RequestOptions
from loadforge.http._connection import ConnectionState
from loadforge.http._content import ContentDecodingError
from loadforge.http._cookies import UserCookieJar
from loadforge.http._errors import (
    InvalidJSONError,
    PoolClosedError,
    WebSocketClosed,
    WebSocketError,
)
from loadforge.http._headers import Headers
from loadforge.http._pool import ConnectionPool
from loadforge.http._requests import PreparedRequest
from loadforge.http._response import Response
from loadforge.http._sending import RateGate
from loadforge.http._target_policy import AllowList, TargetPolicy, policy_from_environ
from loadforge.http._websocket_metrics import MESSAGES_SENT as _DECLARED  # noqa: F401 - declares the ws_* metrics

__all__ = [
    "USER_AGENT",
    "AllowList",
    "Auth",
    "AuthSpec",
    "BasicAuth",
    "BearerAuth",
    "ConnectionPool",
    "ConnectionState",
    "ContentDecodingError",
    "FileSpec",
    "Headers",
    "HttpClient",
    "InvalidJSONError",
    "PoolClosedError",
    "PoolStats",
    "PreparedRequest",
    "RateGate",
    "RequestOptions",
    "Response",
    "TargetPolicy",
    "UserCookieJar",
    "WebSocket",
    "WebSocketClosed",
    "WebSocketError",
    "policy_from_environ",
]

if TYPE_CHECKING:
    from loadforge.http._websocket import WebSocket


def __getattr__(name: str) -> object:
    """`WebSocket`, imported when first asked for, so that `websockets` loads only then."""
    if name == "WebSocket":
        from loadforge.http._websocket import WebSocket

        return WebSocket
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
