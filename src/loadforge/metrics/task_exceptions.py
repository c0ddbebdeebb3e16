"""Distinct exceptions raised by tasks: type, first message, a short traceback and a count.

A task's exception is kept once per type and message (`TaskException.key`)
with the traceback of its first occurrence, trimmed to the frames of the
user's own code (file:line), and a count. Intervals merge them exactly like
their other counters, so workers' exceptions reach the coordinator's summary,
`result.json`, the report and the live views. At most `MAX_DISTINCT` are kept
per interval and per run: a message that varies with each call (an id in
it) could otherwise grow without bound; beyond the cap an exception still
counts in `task_errors_by_type`.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.fields import as_object, read_int, read_str

MAX_DISTINCT = 20
MAX_MESSAGE = 300
MAX_FRAMES = 4

_PACKAGE = str(Path(__file__).resolve().parents[1])


@dataclass(frozen=True, slots=True)
class TaskException:
    """One distinct exception raised in tasks: `count` of them, the first one's traceback.

    `traceback` lists the innermost frames outside LoadForge itself (the
    scenario's), one ``path:line in function: source`` line each.
    """

    type: str
    message: str
    task: str
    traceback: str
    count: int = 1

    @property
    def key(self) -> tuple[str, str]:
        """What makes two exceptions the same one: their type and message."""
        return (self.type, self.message)

    @property
    def headline(self) -> str:
        """``TypeError: get() got an unexpected keyword argument 'auth'``."""
        return f"{self.type}: {self.message}" if self.message else self.type

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "type": self.type,
            "message": self.message,
            "task": self.task,
            "traceback": self.traceback,
            "count": self.count,
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object]) -> TaskException:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        where = "Task exception"
        return cls(
            type=read_str(source, "type", where),
            message=read_str(source, "message", where),
            task=read_str(source, "task", where),
            traceback=read_str(source, "traceback", where),
            count=read_int(source, "count", where),
        )


def message_of(exc: BaseException) -> str:
    """`str(exc)` cut to `MAX_MESSAGE` characters; a stand-in when `__str__` itself raises."""
    try:
        message = str(exc)
    except Exception:
        message = "(the exception's message could not be read)"
    if len(message) > MAX_MESSAGE:
        message = message[: MAX_MESSAGE - 1] + "…"
    return message


def describe(task: str, exc: BaseException) -> TaskException:
    """The record of one exception raised by `task` (message trimmed, frames of the scenario)."""
    return TaskException(type(exc).__name__, message_of(exc), task, short_traceback(exc))


def short_traceback(exc: BaseException) -> str:
    """The innermost `MAX_FRAMES` frames outside LoadForge's own package, innermost last.

    A TypeError from calling the client with a wrong argument is raised in
    the scenario's line that made the call, so that line is what shows.
    When every frame is LoadForge's, the innermost one shows.
    """
    frames = traceback.extract_tb(exc.__traceback__)
    own = [frame for frame in frames if not frame.filename.startswith(_PACKAGE)]
    shown = own[-MAX_FRAMES:] or frames[-1:]
    return "\n".join(_frame_line(frame) for frame in shown)


def _frame_line(frame: traceback.FrameSummary) -> str:
    place = f"{frame.filename}:{frame.lineno} in {frame.name}"
    source = (frame.line or "").strip()
    return f"{place}: {source}" if source else place


def add_exceptions(
    into: dict[tuple[str, str], TaskException], other: Iterable[TaskException]
) -> None:
    """Add `other`'s counts into `into`; a new key keeps its own traceback, up to the cap."""
    for exception in other:
        mine = into.get(exception.key)
        if mine is not None:
            into[exception.key] = replace(mine, count=mine.count + exception.count)
        elif len(into) < MAX_DISTINCT:
            into[exception.key] = exception


def read_exceptions(source: Mapping[str, object], key: str, where: str) -> list[TaskException]:
    """The list under `key` (absent from files and payloads written before it: empty)."""
    value = source.get(key, [])
    if not isinstance(value, list):
        raise ResultFormatError(f"{where} field '{key}' should be a list of task exceptions.")
    return [TaskException.from_dict(as_object(item, "Task exception")) for item in value]


def by_count(exceptions: Iterable[TaskException]) -> list[TaskException]:
    """Most frequent first, then by type and message."""
    return sorted(exceptions, key=lambda e: (-e.count, e.type, e.message))
