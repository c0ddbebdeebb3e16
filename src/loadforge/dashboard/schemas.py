"""The dashboard's messages: pydantic envelopes around the snapshot's wire form.

Every WebSocket message is ``{"type": ..., "data": {...}}``. ``snapshot``
carries a `SnapshotData` (`loadforge.metrics.snapshot_schema`, shared with
the server); ``test_status`` the run's phase; ``history`` is sent once,
first, to every client, carrying the snapshots so far so a late joiner's
charts start at the run's first second. The web app's TypeScript types
(``web/src/schemas.ts``) are generated from these models by
``tests/typescript_schemas.py``.
"""

from __future__ import annotations

import enum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from loadforge.metrics.snapshot_schema import SnapshotData


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Phase(enum.StrEnum):
    """Where a run is, as the dashboard shows it."""

    RUNNING = "running"
    RAMPING_UP = "ramping_up"
    RAMPING_DOWN = "ramping_down"
    COMPLETED = "completed"
    INTERRUPTED = "interrupted"
    ERROR = "error"


FINISHED_PHASES = frozenset({Phase.COMPLETED, Phase.INTERRUPTED, Phase.ERROR})


class TestStatusData(_Model):
    """The run's phase and plan, sent whenever the phase changes."""

    __test__ = False  # not a pytest test class despite its name

    status: Phase
    scenario: str
    pattern: str
    target_users: int
    duration: float
    elapsed: float


class HistoryData(_Model):
    """What a client needs on connecting: every snapshot so far and the latest status."""

    mode: Literal["live", "replay"]
    snapshots: list[SnapshotData]
    status: TestStatusData | None


class SnapshotMessage(_Model):
    """Sent every second while the run goes."""

    type: Literal["snapshot"] = "snapshot"
    data: SnapshotData


class TestStatusMessage(_Model):
    """Sent on every phase change."""

    __test__ = False

    type: Literal["test_status"] = "test_status"
    data: TestStatusData


class HistoryMessage(_Model):
    """Sent once, first, to each client."""

    type: Literal["history"] = "history"
    data: HistoryData


DashboardMessage = Annotated[
    SnapshotMessage | TestStatusMessage | HistoryMessage, Field(discriminator="type")
]
MESSAGE_ADAPTER: TypeAdapter[SnapshotMessage | TestStatusMessage | HistoryMessage] = TypeAdapter(
    DashboardMessage
)


class RunInfo(_Model):
    """`GET /api/run`: what is being shown and its latest figures."""

    mode: Literal["live", "replay"]
    scenario: str
    status: TestStatusData | None
    latest: SnapshotData | None
    snapshots: int


class StopAccepted(_Model):
    """`POST /api/stop`: the stop was passed to the run."""

    stopping: bool
