"""Who may use the server and what its runs may target.

- Off loopback the server refuses to start without LOADFORGE_API_TOKEN, or with
  one shorter than MIN_TOKEN_LENGTH characters;
  with a token, /api/** and /ws/** need `Authorization: Bearer TOKEN` (the
  WebSocket also takes `?token=`, as browsers cannot set its headers), compared
  in constant time. The static pages and /docs hold no data and stay open, as
  a browser loading a page cannot send a bearer header.
- A load generator on a network is a weapon: off loopback (or whenever
  --allow-target is given), a run may only target hosts matching an
  --allow-target pattern: `host`, `host:port`, `*.example.com`, `[::1]:8080`,
  `10.0.0.0/24` (`loadforge.http.AllowList`). The spec's URL is checked here,
  when a run starts; the run's process gets the same list, and its client
  checks every redirect hop and every address it connects to.
- A spec with scenario code runs Python on the server: refused unless
  --allow-code-specs.
"""

from __future__ import annotations

import hmac
from collections.abc import Mapping, Sequence
from urllib.parse import urlsplit

from fastapi import Request, WebSocket
from fastapi.security.utils import get_authorization_scheme_param

from loadforge.errors import ConfigError
from loadforge.http import AllowList
from loadforge.server.api.errors import ApiError, Forbidden
from loadforge.server.settings import ServerSettings

TOKEN_VARIABLE = "LOADFORGE_API_TOKEN"  # noqa: S105 - the variable's name, not a token
WS_UNAUTHORIZED = 4401
MIN_TOKEN_LENGTH = 16


class Unauthorized(ApiError):
    """A missing or wrong API token."""

    status_code = 401


def check_bind(settings: ServerSettings) -> None:
    """ConfigError when the server would listen off loopback without a strong enough token."""
    if settings.on_loopback:
        return
    if not settings.api_token:
        raise ConfigError(
            f"--host {settings.host} makes the server reachable from other machines;"
            f" set {TOKEN_VARIABLE} to a secret token first (clients then send"
            " `Authorization: Bearer TOKEN`), or bind to 127.0.0.1."
        )
    if len(settings.api_token) < MIN_TOKEN_LENGTH:
        raise ConfigError(
            f"{TOKEN_VARIABLE} is {len(settings.api_token)} characters long; off loopback it"
            f" must have at least {MIN_TOKEN_LENGTH} (`openssl rand -hex 32` makes a good one)."
        )


def token_matches(expected: str | None, given: str | None) -> bool:
    """True when no token is required or `given` equals it (constant time)."""
    if not expected:
        return True
    if given is None:
        return False
    return hmac.compare_digest(expected.encode(), given.encode())


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer TOKEN` header, or None."""
    scheme, token = get_authorization_scheme_param(authorization)
    if scheme.lower() != "bearer" or not token:
        return None
    return token


def require_token(request: Request) -> None:
    """FastAPI dependency on every /api route: 401 without the right bearer token."""
    settings: ServerSettings = request.app.state.server.settings
    if not token_matches(settings.api_token, bearer_token(request.headers.get("authorization"))):
        raise Unauthorized("A valid `Authorization: Bearer TOKEN` header is required.")


def websocket_token_ok(websocket: WebSocket, settings: ServerSettings) -> bool:
    """True when the WebSocket carries the right token (header or `?token=`)."""
    given = bearer_token(websocket.headers.get("authorization"))
    if given is None:
        given = websocket.query_params.get("token")
    return token_matches(settings.api_token, given)


def parse_patterns(patterns: Sequence[str]) -> AllowList:
    """Every --allow-target pattern, parsed (ConfigError on the first bad one)."""
    return AllowList.parse(patterns)


def target_policy(settings: ServerSettings) -> AllowList | None:
    """The allowlist the server's runs are held to; None on loopback without --allow-target."""
    if settings.on_loopback and not settings.allow_targets:
        return None
    return AllowList.parse(settings.allow_targets)


def target_of(url: str) -> tuple[str, int]:
    """The host and port a request URL reaches."""
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    return (parts.hostname or "").lower(), parts.port or default


def check_code_allowed(scenario_code: str | None, settings: ServerSettings) -> None:
    """Forbidden for a spec with scenario code unless --allow-code-specs."""
    if scenario_code is not None and not settings.allow_code_specs:
        raise Forbidden(
            "This spec holds Python scenario code, which would run on the server;"
            " restart `loadforge serve` with --allow-code-specs to accept such specs."
        )


def check_run_allowed(spec: Mapping[str, object], settings: ServerSettings) -> None:
    """Forbidden when the spec's target or its code is not allowed on this server."""
    code = spec.get("scenario_code")
    check_code_allowed(code if isinstance(code, str) else None, settings)
    request = spec.get("request")
    if not isinstance(request, Mapping):
        return
    policy = target_policy(settings)
    if policy is None:
        return
    url = request.get("url")
    host, port = target_of(url if isinstance(url, str) else "")
    if not policy.allows(host, port):
        allowed = ", ".join(settings.allow_targets) or "none"
        raise Forbidden(
            f"Target {host}:{port} is not allowed on this server (allowed: {allowed});"
            f" restart `loadforge serve` with --allow-target {host} (or {host}:{port})"
            " to allow it."
        )
