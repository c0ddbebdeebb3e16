"""`client.group("checkout")`: a block of a task timed as one, its requests named after it.

Inside a group every request's endpoint name starts with the group's path,
``checkout › Add to cart``, so it is counted apart from an "Add to cart"
made elsewhere; groups nest (``checkout › pay › Card``). The block's own
duration goes to the recorder under the path when the block ends, raised or
not, except when the run's end cut it off (cancelled, or `RunCutOff` from a
request that waited for its `--rps` slot): a duration cut short is not one
the group took. Outside any group the client
sends through its plain `Sender`: the group costs nothing on the request
path of a scenario that uses none.
"""

from __future__ import annotations

from asyncio import CancelledError
from collections.abc import Callable, Collection, Coroutine
from time import perf_counter_ns
from types import TracebackType
from typing import Any, Protocol

from loadforge.errors import ConfigError, RunCutOff
from loadforge.http._cookies import UserCookieJar
from loadforge.http._requests import PreparedRequest
from loadforge.http._response import Response

SEPARATOR = " › "
"""Between a group and what it holds, in endpoint names and group paths."""


class SendsRequests(Protocol):
    """What `HttpClient` sends through: its `Sender`, or that sender inside a group."""

    cookies: UserCookieJar

    def perform(
        self,
        prepared: PreparedRequest,
        name: str,
        time_limit: float,
        allow_redirects: bool,
        expect: int | Collection[int] | None,
    ) -> Coroutine[Any, Any, Response]:
        """One user-visible call, recorded under `name`."""
        ...


class GroupedSender:
    """A sender that puts a group's path in front of every endpoint name."""

    __slots__ = ("_inner", "_prefix", "cookies")

    def __init__(self, inner: SendsRequests, path: str) -> None:
        self._inner = inner
        self._prefix = path + SEPARATOR
        self.cookies = inner.cookies

    def perform(
        self,
        prepared: PreparedRequest,
        name: str,
        time_limit: float,
        allow_redirects: bool,
        expect: int | Collection[int] | None,
    ) -> Coroutine[Any, Any, Response]:
        """Send as the inner sender does, under ``PATH › name``."""
        return self._inner.perform(
            prepared, self._prefix + name, time_limit, allow_redirects, expect
        )


def group_name(name: object) -> str:
    """`name` after checking it can name a group; ConfigError otherwise."""
    if not isinstance(name, str) or not name.strip():
        raise ConfigError(f"client.group({name!r}): a group's name is non-empty text.")
    if SEPARATOR.strip() in name:
        raise ConfigError(
            f"client.group({name!r}): {SEPARATOR.strip()!r} separates nested groups;"
            " nest `async with client.group(...)` blocks instead."
        )
    return name


class Group:
    """The `async with` block of `client.group(name)`; see the module docstring."""

    __slots__ = ("_enter", "_leave", "_name", "_path", "_started")

    def __init__(
        self, name: str, enter: Callable[[str], str], leave: Callable[[str, int | None], None]
    ) -> None:
        self._name = group_name(name)
        self._enter = enter
        self._leave = leave
        self._path = ""
        self._started = 0

    @property
    def path(self) -> str:
        """The group's full path, enclosing groups first ("" before the block starts)."""
        return self._path

    async def __aenter__(self) -> Group:
        self._path = self._enter(self._name)
        self._started = perf_counter_ns()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if exc_type is not None and issubclass(exc_type, (CancelledError, RunCutOff)):
            self._leave(self._path, None)
        else:
            self._leave(self._path, (perf_counter_ns() - self._started) // 1000)
