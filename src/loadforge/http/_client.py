"""The HTTP client scenario code calls: one per virtual user.

`HttpClient` is the API: it holds the user's headers and cookies and turns
each call into a `PreparedRequest`, encoded once per distinct (method, path)
and cached; `Sender` (see `_sending`) does the sending. Failed requests
come back as responses with `error` set rather than raising; only mistakes
in the scenario itself (a bad URL, a header value with a line break) raise,
as `ConfigError`, at the call.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Mapping, MutableMapping
from enum import Enum
from importlib import metadata
from typing import TYPE_CHECKING, TypedDict, Unpack

from loadforge.http._auth import Auth, AuthSpec, auth_fields, auth_from
from loadforge.http._bodies import Body, FileSpec, FormData, encode_body
from loadforge.http._cookies import UserCookieJar
from loadforge.http._groups import SEPARATOR, Group, GroupedSender, SendsRequests
from loadforge.http._headers import Headers, HeaderSource, merge_fields
from loadforge.http._pool import ConnectionPool
from loadforge.http._requests import PreparedRequest, build_request
from loadforge.http._response import Response
from loadforge.http._sending import Expect, RateGate, Sender
from loadforge.http._urls import BaseURL, Params, endpoint_name
from loadforge.metrics.recorder import RequestRecorder

if TYPE_CHECKING:
    from loadforge.http._websocket import WebSocket

__all__ = ["HttpClient", "RateGate", "RequestOptions"]


def _user_agent() -> str:
    try:
        return f"loadforge/{metadata.version('loadforge')}"
    except metadata.PackageNotFoundError:  # pragma: no cover - running from a bare checkout
        return "loadforge/dev"


USER_AGENT = _user_agent()

# Bounds each user's cache of encoded requests: paths with ids in them
# (/items/123) would otherwise grow it for the whole run.
_PREPARED_LIMIT = 256


class _Unset(Enum):
    """The default of a per-call ``auth=``: the client's own `auth` (None means none)."""

    UNSET = "the client's auth"


UNSET = _Unset.UNSET


class _PreparedCache(dict[tuple[str, str], PreparedRequest]):
    """Encoded requests by (method, path_or_url); looking up a missing one builds and keeps it.

    The one place a cached request is found or made: both of the client's
    fast paths read `cache[method, path_or_url]`. At `_PREPARED_LIMIT`
    entries the cache starts again from empty.
    """

    __slots__ = ("_build",)

    def __init__(self, build: Callable[[str, str], PreparedRequest]) -> None:
        super().__init__()
        self._build = build

    def __missing__(self, key: tuple[str, str]) -> PreparedRequest:
        prepared = self._build(*key)
        if len(self) >= _PREPARED_LIMIT:
            self.clear()
        self[key] = prepared
        return prepared


class RequestOptions(TypedDict, total=False):
    """The keyword arguments every request method takes; see `HttpClient.request`."""

    name: str | None
    params: Params | None
    json: object
    data: FormData | None
    files: Mapping[str, FileSpec] | None
    headers: Mapping[str, str] | None
    auth: AuthSpec | None
    timeout: float | None
    allow_redirects: bool
    expect: Expect | None


class HttpClient:
    """One per virtual user: its own headers and cookies; shares the pool of its worker process."""

    def __init__(
        self,
        *,
        base_url: str,
        pool: ConnectionPool,
        recorder: RequestRecorder,
        default_headers: Mapping[str, str] | None = None,
        auth: AuthSpec | None = None,
        timeout: float = 30.0,
        rate_gate: RateGate | None = None,
        scenario: str | None = None,
    ) -> None:
        """`scenario`, in a run of several scenarios, starts every endpoint and group name."""
        self._base = BaseURL(base_url)
        self._pool = pool
        self._recorder = recorder
        self._timeout = timeout
        self._builtin: HeaderSource = (
            ("User-Agent", USER_AGENT),
            ("Accept-Encoding", "gzip, deflate"),
        )
        self._headers = Headers(default_headers)
        self._auth: Auth | None = auth_from(auth)
        self._plain = Sender(pool, UserCookieJar(), recorder, rate_gate)
        # The plain sender, or inside `group` blocks one that names requests after them.
        self._sender: SendsRequests = self._plain
        self._groups: list[str] = []
        if scenario is not None:
            # The scenario's name is the outermost group's, with no duration of its own.
            self._groups.append(scenario)
            self._sender = GroupedSender(self._plain, scenario)
        # Encoded requests for calls without per-call options; dropped
        # whenever this user's headers change.
        self._prepared = _PreparedCache(self._prepare_plain)
        self._headers.subscribe(self._prepared.clear)

    @property
    def base_url(self) -> str:
        """The URL relative paths are joined to."""
        return self._base.url

    @property
    def cookies(self) -> UserCookieJar:
        """This user's cookies: filled from Set-Cookie, sent where domain and path match."""
        return self._sender.cookies

    @property
    def record_redirect_hops(self) -> bool:
        """Whether each redirect hop is recorded as a request of its own (default: one call)."""
        return self._plain.record_hops

    @record_redirect_hops.setter
    def record_redirect_hops(self, value: bool) -> None:
        """Record each hop under its own name ("GET /landing"), as k6 does, or one summed call."""
        self._plain.record_hops = value

    @property
    def record_timings(self) -> bool:
        """Whether each response's `ttfb` and `receiving` times are recorded (default: no)."""
        return self._plain.record_timings

    @record_timings.setter
    def record_timings(self, value: bool) -> None:
        """Record time to first byte and receiving time per response, run-wide trends."""
        self._plain.record_timings = value

    @property
    def headers(self) -> MutableMapping[str, str]:
        """This user's headers, sent with every request (per-call headers override them)."""
        return self._headers

    @headers.setter
    def headers(self, value: Mapping[str, str]) -> None:
        """Replace this user's headers."""
        self._headers = Headers(value)
        self._headers.subscribe(self._prepared.clear)
        self._prepared.clear()

    @property
    def auth(self) -> Auth | None:
        """This user's credentials, sent with each request whose ``auth=`` is not given."""
        return self._auth

    @auth.setter
    def auth(self, value: AuthSpec | None) -> None:
        """Set this user's credentials: a (user, password) pair, any `Auth`, or None."""
        self._auth = auth_from(value)
        self._prepared.clear()

    def group(self, name: str) -> Group:
        """A block timed as one: ``async with client.group("checkout"): ...``.

        The block's duration is counted as group `name` (inside another
        group, as "outer › name"); requests made in it are named
        "name › endpoint". Raises ConfigError for an empty name.
        """
        return Group(name, self._enter_group, self._leave_group)

    def _enter_group(self, name: str) -> str:
        self._groups.append(name)
        path = SEPARATOR.join(self._groups)
        self._sender = GroupedSender(self._plain, path)
        return path

    def _leave_group(self, path: str, duration_us: int | None) -> None:
        self._groups.pop()
        self._sender = (
            GroupedSender(self._plain, SEPARATOR.join(self._groups))
            if self._groups
            else self._plain
        )
        if duration_us is not None:  # None: the block was cancelled, its time cut short
            self._recorder.record_group(path, duration_us)

    # The request methods are plain functions returning the coroutine that
    # does the work: `await client.get(...)` behaves as with `async def`, and
    # each wrapper is a coroutine frame less per request, 0.3-0.4 µs
    # (`benchmarks/client_throughput.py --transport fake`).

    def request(
        self,
        method: str,
        path_or_url: str,
        *,
        name: str | None = None,
        params: Params | None = None,
        json: object = None,
        data: FormData | None = None,
        files: Mapping[str, FileSpec] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: AuthSpec | _Unset | None = UNSET,
        timeout: float | None = None,
        allow_redirects: bool = True,
        expect: Expect | None = None,
    ) -> Coroutine[object, object, Response]:
        """Send a request; await the result for its `Response` (status 0 on transport failure).

        `path_or_url` is joined to the base URL unless it is an absolute
        http(s) URL; `params` are added to its query. The body is one of
        `json`, `data` (form fields, or raw bytes/text) or `files` (multipart,
        with `data` fields alongside). `name` groups the call in the metrics
        (default "METHOD /path" without the query). `expect` lists the
        statuses that count as success; without it any status below 400
        does. `timeout` bounds each exchange in seconds (default: the
        client's). Redirects are followed unless `allow_redirects` is False.
        `auth` sends credentials as an Authorization header: a (user,
        password) pair for Basic, `BearerAuth(token)`, or any `Auth`; without
        it the client's `auth` is used, and None sends none. An Authorization
        header in `headers` or the client's headers wins over `auth`; either
        is dropped on a redirect to another origin.
        Raises ConfigError at once for a request that cannot be built.
        """
        if (
            params is None
            and json is None
            and data is None
            and files is None
            and headers is None
            and auth is UNSET
        ):
            prepared = self._prepared[method, path_or_url]
        else:
            body = encode_body(json=json, data=data, files=files)
            prepared = self._prepare(method, path_or_url, params, body, headers, auth)
        return self._sender.perform(
            prepared,
            prepared.name if name is None else name,
            self._timeout if timeout is None else timeout,
            allow_redirects,
            expect,
        )

    def prepare(
        self,
        method: str,
        path_or_url: str,
        *,
        params: Params | None = None,
        json: object = None,
        data: FormData | None = None,
        files: Mapping[str, FileSpec] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: AuthSpec | _Unset | None = UNSET,
    ) -> PreparedRequest:
        """Encode a request once, to `send` it many times (the arguments of `request`).

        For a big body sent again and again: `request(data=...)` encodes a
        copy of the body per call, which lives until the request is written,
        so every request in flight holds a copy; a shared prepared request is
        one copy for all of them (benchmarks/README.md has the figures). The
        message carries this client's headers and credentials (`auth`,
        default the client's) as they are now; it can be sent by any client
        of the process (each adds its own cookies).
        """
        body = encode_body(json=json, data=data, files=files)
        return self._prepare(method, path_or_url, params, body, headers, auth)

    def send(
        self,
        prepared: PreparedRequest,
        *,
        name: str | None = None,
        timeout: float | None = None,
        allow_redirects: bool = True,
        expect: Expect | None = None,
    ) -> Coroutine[object, object, Response]:
        """Send a request made by `prepare`; await it for its `Response`, as with `request`."""
        return self._sender.perform(
            prepared,
            prepared.name if name is None else name,
            self._timeout if timeout is None else timeout,
            allow_redirects,
            expect,
        )

    def get(
        self, path_or_url: str, **options: Unpack[RequestOptions]
    ) -> Coroutine[object, object, Response]:
        """Send a GET request; see `request`."""
        return self._dispatch("GET", path_or_url, options)

    def post(
        self, path_or_url: str, **options: Unpack[RequestOptions]
    ) -> Coroutine[object, object, Response]:
        """Send a POST request; see `request`."""
        return self._dispatch("POST", path_or_url, options)

    def put(
        self, path_or_url: str, **options: Unpack[RequestOptions]
    ) -> Coroutine[object, object, Response]:
        """Send a PUT request; see `request`."""
        return self._dispatch("PUT", path_or_url, options)

    def patch(
        self, path_or_url: str, **options: Unpack[RequestOptions]
    ) -> Coroutine[object, object, Response]:
        """Send a PATCH request; see `request`."""
        return self._dispatch("PATCH", path_or_url, options)

    def delete(
        self, path_or_url: str, **options: Unpack[RequestOptions]
    ) -> Coroutine[object, object, Response]:
        """Send a DELETE request; see `request`."""
        return self._dispatch("DELETE", path_or_url, options)

    def head(
        self, path_or_url: str, **options: Unpack[RequestOptions]
    ) -> Coroutine[object, object, Response]:
        """Send a HEAD request; see `request`."""
        return self._dispatch("HEAD", path_or_url, options)

    def options(
        self, path_or_url: str, **options: Unpack[RequestOptions]
    ) -> Coroutine[object, object, Response]:
        """Send an OPTIONS request; see `request`."""
        return self._dispatch("OPTIONS", path_or_url, options)

    def _dispatch(
        self, method: str, path_or_url: str, options: RequestOptions
    ) -> Coroutine[object, object, Response]:
        # `request` without options, or with only a name (the usual call in a
        # scenario), without binding its twelve parameters: about 0.3 µs less
        # per call (timeit).
        name = options.pop("name", None)
        if not options:
            prepared = self._prepared[method, path_or_url]
            return self._sender.perform(
                prepared, prepared.name if name is None else name, self._timeout, True, None
            )
        options["name"] = name
        return self.request(method, path_or_url, **options)

    def websocket(
        self,
        path_or_url: str,
        *,
        name: str | None = None,
        params: Params | None = None,
        headers: Mapping[str, str] | None = None,
        subprotocols: list[str] | None = None,
        timeout: float | None = None,
    ) -> WebSocket:
        """A WebSocket conversation, to use as ``async with client.websocket("/chat") as ws``.

        `path_or_url` is joined to the base URL (its scheme becomes ws or
        wss) unless it is an absolute ws(s) or http(s) URL. The handshake
        carries this user's headers (and `headers`), `auth` and cookies. `name`
        groups the conversation in the metrics (default "WS /path", after
        the group path inside a `group` block);
        `timeout` bounds the handshake and each wait for a message
        (default: the client's). See `WebSocket` for what is recorded.
        """
        # Imported here: a run that holds no WebSocket never loads the library.
        from loadforge.http._websocket import WebSocket

        scheme, sep, rest = path_or_url.partition("://")
        if sep and scheme.lower() in ("ws", "wss"):
            path_or_url = ("https" if scheme.lower() == "wss" else "http") + "://" + rest
        target = self._base.resolve(path_or_url, params)
        if name is None:
            name = endpoint_name("WS", path_or_url if not sep else target.url)
        if self._groups:
            name = SEPARATOR.join([*self._groups, name])
        return WebSocket(
            target,
            name,
            recorder=self._recorder,
            cookies=self._sender.cookies,
            headers=self._handshake_headers(headers),
            timeout=self._timeout if timeout is None else timeout,
            policy=self._pool.target_policy,
            tls=self._pool.tls_context() if target.origin.is_tls else None,
            subprotocols=subprotocols,
        )

    def _handshake_headers(self, headers: Mapping[str, str] | None) -> dict[str, str]:
        fields = {**dict(self._headers), **(headers or {})}
        credentials = auth_fields(self._auth)
        if credentials and not any(name.lower() == "authorization" for name in fields):
            fields.update(credentials)
        fields["User-Agent"] = USER_AGENT
        return fields

    # -- Building requests -----------------------------------------------------------

    def _prepare_plain(self, method: str, path_or_url: str) -> PreparedRequest:
        return self._prepare(method, path_or_url, None, None, None, UNSET)

    def _prepare(
        self,
        method: str,
        path_or_url: str,
        params: Params | None,
        body: Body | None,
        headers: Mapping[str, str] | None,
        auth: AuthSpec | _Unset | None,
    ) -> PreparedRequest:
        method = method.upper()
        target = self._base.resolve(path_or_url, params)
        credentials = auth_fields(self._auth if auth is UNSET else auth_from(auth))
        # Under the user's headers, so that an Authorization header they give wins.
        fields = merge_fields(self._builtin, credentials, self._headers, headers)
        return build_request(method, target, fields, body, endpoint_name(method, path_or_url))
