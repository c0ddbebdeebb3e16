"""Who hears about a run while it goes: observer types, and telling each of them.

`LoadTest` and `Coordinator` publish the same things the same way: every
snapshot, every state change and (with workers) every lost worker. An
observer that raises is logged and skipped, so a broken view never ends a run.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from typing import TypeVar

from loadforge.engine.lifecycle import RunPhase
from loadforge.metrics.models import MetricSnapshot, RunEvent, RunStatus

log = logging.getLogger(__name__)

SnapshotObserver = Callable[[MetricSnapshot], None]
StateObserver = Callable[[RunPhase], None]
EventObserver = Callable[[RunEvent], None]

_Published = TypeVar("_Published")

# The run state each way of ending leads to: what state observers hear last.
FINAL_STATES = {
    RunStatus.COMPLETED: RunPhase.COMPLETED,
    RunStatus.INTERRUPTED: RunPhase.INTERRUPTED,
    RunStatus.FAILED: RunPhase.FAILED,
}


def notify(
    observers: Sequence[Callable[[_Published], None]], published: _Published, kind: str
) -> None:
    """Call each observer with `published`; one that raises is logged as a `kind` observer."""
    for observer in observers:
        try:
            observer(published)
        except Exception:  # a broken view must not end the run
            log.exception("%s observer %r failed", kind, observer)
