"""`current_user()`: which virtual user is running this code, in the whole run (k6's `exec.vu`).

    from loadforge import current_user

    @task
    async def order(self, client):
        me = current_user()              # UserInfo(index=7, worker_index=1, ...)
        await client.get(f"/accounts/{me.index}")

`index` is unique across the whole run: across worker processes and the
nodes of a `--cluster` run. User k of worker w (of W) has index k·W + w, and
workers start users in turn with the load split evenly (the remainder to the
lowest-numbered), so a run that holds N users (`-u N`, or a ramp that only
rises) numbers them exactly 0 … N−1. An index is never reused: a user
started after others stopped gets a new one, as k6's `idInTest` does.
`iteration` counts the tasks the user has finished (k6's
`exec.vu.iterationInScenario`): 0 in its setup and its first task.

The engine binds a user's `UserInfo` to its own asyncio context when the
user sets up, and again for its teardown, so reading it costs nothing on
the request path; outside a virtual user it raises `LoadForgeError`.
"""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass, field

from loadforge.errors import LoadForgeError

__all__ = ["TasksDone", "UserInfo", "bind_user", "current_user"]


class TasksDone:
    """How many tasks one user has finished: the one mutable part of its `UserInfo`.

    The user's loop adds one after each task, an attribute store on a slotted
    object: what `UserInfo.iteration` reads, without binding a new `UserInfo`
    per iteration.
    """

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A virtual user's place in the run; see the module docstring for the numbering."""

    index: int
    """Unique in the run, from 0: k6's `exec.vu.idInTest` (which starts at 1)."""
    index_in_worker: int
    """Unique in its worker process, from 0, in the order the worker started its users."""
    worker_index: int
    """The worker process it runs in, from 0 (`-w`, or the cluster's actors)."""
    worker_count: int
    """How many worker processes the run has."""
    tasks_done: TasksDone = field(default_factory=TasksDone, repr=False, compare=False)
    """The engine's counter behind `iteration`; scenario code reads `iteration`."""

    @property
    def iteration(self) -> int:
        """Tasks this user has finished, from 0: the number of the one running now."""
        return self.tasks_done.count


_current: ContextVar[UserInfo] = ContextVar("loadforge_current_user")


def current_user() -> UserInfo:
    """The virtual user running the calling setup, task or teardown."""
    try:
        return _current.get()
    except LookupError:
        raise LoadForgeError(
            "current_user() is only known inside a virtual user's setup, tasks and teardown;"
            " call it there, not at import time or from your own threads."
        ) from None


def bind_user(info: UserInfo) -> None:
    """Make `info` the current user of the calling asyncio task (the engine calls it)."""
    _current.set(info)
