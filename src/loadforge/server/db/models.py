"""The server's tables as SQLAlchemy 2 typed models.

Specs, attachments, runs (with the spec frozen as it ran), a run's
per-second snapshots and console lines in tables of their own (charts and the
CSV read them in order; a run's row stays small), schedules and their
firings. The schema itself is created by the Alembic migrations next door;
these classes must match them.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend (SQLite stores them naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        """Store UTC."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        """Read back an aware UTC datetime."""
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_now() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base of the server's models."""


class SpecRow(Base):
    """A saved request spec (or scenario code) with its load profile and thresholds."""

    __tablename__ = "specs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    request: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    scenario_code: Mapped[str | None] = mapped_column(Text, nullable=True)
    load_profile: Mapped[dict[str, object]] = mapped_column(JSON)
    thresholds: Mapped[list[str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class AttachmentRow(Base):
    """An uploaded file; its bytes live in the content-addressed store under its sha256."""

    __tablename__ = "attachments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(String(255))
    content_type: Mapped[str] = mapped_column(String(255))
    size: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class RunRow(Base):
    """One run of a spec: its frozen spec, state, progress and final verdicts."""

    __tablename__ = "runs"
    __table_args__ = (
        Index("ix_runs_spec_id_id", "spec_id", "id"),
        Index("ix_runs_status", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spec_id: Mapped[int | None] = mapped_column(
        ForeignKey("specs.id", ondelete="SET NULL"), nullable=True
    )
    spec: Mapped[dict[str, object]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))
    schedule_id: Mapped[int | None] = mapped_column(
        ForeignKey("schedules.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    elapsed_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    duration_seconds: Mapped[float] = mapped_column(Float, default=0.0)
    summary: Mapped[dict[str, object] | None] = mapped_column(JSON, nullable=True)
    thresholds: Mapped[list[dict[str, object]]] = mapped_column(JSON, default=list)
    passed: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    error: Mapped[str | None] = mapped_column(Text, nullable=True)
    results_dir: Mapped[str | None] = mapped_column(Text, nullable=True)
    # The server instance that drives the run, and a stop another server asked of it.
    owner_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    stop_requested: Mapped[bool] = mapped_column(
        Boolean, default=False, server_default=false(), nullable=False
    )


class ServerInstanceRow(Base):
    """A running `loadforge serve`: its id and the last time it said it was alive."""

    __tablename__ = "server_instances"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    hostname: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    heartbeat_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class RunSnapshotRow(Base):
    """One second of a run, in SnapshotData JSON form (`loadforge.metrics.snapshot_schema`)."""

    __tablename__ = "run_snapshots"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    second: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    snapshot: Mapped[dict[str, object]] = mapped_column(JSON)


class RunLogRow(Base):
    """One console line of a run; only the last LOG_LINES_KEPT per run are kept."""

    __tablename__ = "run_logs"

    run_id: Mapped[int] = mapped_column(ForeignKey("runs.id", ondelete="CASCADE"), primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    timestamp: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    line: Mapped[str] = mapped_column(Text)


class ScheduleRow(Base):
    """A cron expression in a timezone that starts runs of a spec."""

    __tablename__ = "schedules"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    spec_id: Mapped[int] = mapped_column(ForeignKey("specs.id", ondelete="CASCADE"), index=True)
    cron: Mapped[str] = mapped_column(String(200))
    timezone: Mapped[str] = mapped_column(String(100))
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    next_fire_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    last_fire_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    # A plain integer, not a foreign key: runs already point at schedules, and a
    # cycle of foreign keys cannot be created on SQLite without table rebuilds.
    last_run_id: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class ScheduleFiringRow(Base):
    """One firing of a schedule; the unique key makes a firing start at most one run."""

    __tablename__ = "schedule_firings"
    __table_args__ = (UniqueConstraint("schedule_id", "fire_time", name="uq_schedule_firing"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    schedule_id: Mapped[int] = mapped_column(ForeignKey("schedules.id", ondelete="CASCADE"))
    fire_time: Mapped[datetime] = mapped_column(UtcDateTime)
    run_id: Mapped[int | None] = mapped_column(
        ForeignKey("runs.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
