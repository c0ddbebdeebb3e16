"""Who may use the server and what its runs may target.

- Off loopback the server refuses to start without LOADFORGE_API_TOKEN;
  with a token, /api/** and /ws/** need `Authorization: Bearer TOKEN` (the
  WebSocket also takes `?token=`, as browsers cannot set its headers), compared
  in constant time. The static pages and /docs hold no data and stay open, as
  a browser loading a page cannot send a bearer header.
- A load generator on a network is a weapon: off loopback (or whenever
  --allow-target is given), a run may only target hosts matching an
  --allow-target pattern: `host`, `host:port`, `*.example.com`, `[::1]:8080`.
- A spec with scenario code runs Python on the server: refused unless
  --allow-code-specs.
"""

from __future__ import annotations

import fnmatch
import hmac
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from fastapi import Request, WebSocket
from fastapi.security.utils import get_authorization_scheme_param

from loadforge.errors import ConfigError
from loadforge.server.api.errors import ApiError, Forbidden
from loadforge.server.settings import ServerSettings

TOKEN_VARIABLE = "LOADFORGE_API_TOKEN"  # noqa: S105 - the variable's name, not a token
WS_UNAUTHORIZED = 4401


class Unauthorized(ApiError):
    """A missing or wrong API token."""

    status_code = 401


def check_bind(settings: ServerSettings) -> None:
    """ConfigError when the server would listen off loopback without a token."""
    if not settings.on_loopback and not settings.api_token:
        raise ConfigError(
            f"--host {settings.host} makes the server reachable from other machines;"
            f" set {TOKEN_VARIABLE} to a secret token first (clients then send"
            " `Authorization: Bearer TOKEN`), or bind to 127.0.0.1."
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


@dataclass(frozen=True, slots=True)
class TargetPattern:
    """One --allow-target pattern: a host glob and an optional port."""

    host: str
    port: int | None

    @classmethod
    def parse(cls, text: str) -> TargetPattern:
        """`host`, `host:port`, `*.example.com`, `[::1]:8080`; ConfigError when malformed."""
        raw = text.strip().lower()
        host, port = raw, None
        if raw.startswith("["):
            end = raw.find("]")
            if end < 0:
                raise ConfigError(f"--allow-target {text!r}: unclosed '['.")
            host, rest = raw[1:end], raw[end + 1 :]
            port = _port(rest[1:], text) if rest.startswith(":") else None
        elif raw.count(":") == 1:
            host, port_text = raw.split(":")
            port = _port(port_text, text)
        if not host or "/" in host:
            raise ConfigError(f"--allow-target {text!r}: give a host or host:port.")
        return cls(host, port)

    def matches(self, host: str, port: int) -> bool:
        """True when host:port is covered by this pattern."""
        if self.port is not None and self.port != port:
            return False
        return fnmatch.fnmatchcase(host.lower(), self.host)


def _port(text: str, pattern: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ConfigError(f"--allow-target {pattern!r}: the port must be 1-65535.")
    return int(text)


def parse_patterns(patterns: Sequence[str]) -> tuple[TargetPattern, ...]:
    """Every --allow-target pattern, parsed (ConfigError on the first bad one)."""
    return tuple(TargetPattern.parse(pattern) for pattern in patterns)


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
    if settings.on_loopback and not settings.allow_targets:
        return
    url = request.get("url")
    host, port = target_of(url if isinstance(url, str) else "")
    patterns = parse_patterns(settings.allow_targets)
    if not any(pattern.matches(host, port) for pattern in patterns):
        allowed = ", ".join(settings.allow_targets) or "none"
        raise Forbidden(
            f"Target {host}:{port} is not allowed on this server (allowed: {allowed});"
            f" restart `loadforge serve` with --allow-target {host} (or {host}:{port})"
            " to allow it."
        )
