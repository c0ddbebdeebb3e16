"""The first schema: specs, attachments, runs with snapshots and logs, schedules and firings.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from loadforge.server.db.models import UtcDateTime

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Create every table."""
    op.create_table(
        "specs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("request", sa.JSON, nullable=True),
        sa.Column("scenario_code", sa.Text, nullable=True),
        sa.Column("load_profile", sa.JSON, nullable=False),
        sa.Column("thresholds", sa.JSON, nullable=False),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("filename", sa.String(255), nullable=False),
        sa.Column("content_type", sa.String(255), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False, index=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
    )
    _create_schedules()
    _create_runs()
    op.create_table(
        "schedule_firings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "schedule_id",
            sa.Integer,
            sa.ForeignKey("schedules.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("fire_time", UtcDateTime, nullable=False),
        sa.Column(
            "run_id", sa.Integer, sa.ForeignKey("runs.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.UniqueConstraint("schedule_id", "fire_time", name="uq_schedule_firing"),
    )


def _create_schedules() -> None:
    op.create_table(
        "schedules",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "spec_id",
            sa.Integer,
            sa.ForeignKey("specs.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("cron", sa.String(200), nullable=False),
        sa.Column("timezone", sa.String(100), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("next_fire_at", UtcDateTime, nullable=True),
        sa.Column("last_fire_at", UtcDateTime, nullable=True),
        sa.Column("last_run_id", sa.Integer, nullable=True),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("updated_at", UtcDateTime, nullable=False),
    )


def _create_runs() -> None:
    op.create_table(
        "runs",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column(
            "spec_id", sa.Integer, sa.ForeignKey("specs.id", ondelete="SET NULL"), nullable=True
        ),
        sa.Column("spec", sa.JSON, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column(
            "schedule_id",
            sa.Integer,
            sa.ForeignKey("schedules.id", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("created_at", UtcDateTime, nullable=False),
        sa.Column("started_at", UtcDateTime, nullable=True),
        sa.Column("finished_at", UtcDateTime, nullable=True),
        sa.Column("elapsed_seconds", sa.Float, nullable=False),
        sa.Column("duration_seconds", sa.Float, nullable=False),
        sa.Column("summary", sa.JSON, nullable=True),
        sa.Column("thresholds", sa.JSON, nullable=False),
        sa.Column("passed", sa.Boolean, nullable=True),
        sa.Column("error", sa.Text, nullable=True),
        sa.Column("results_dir", sa.Text, nullable=True),
    )
    op.create_index("ix_runs_spec_id_id", "runs", ["spec_id", "id"])
    op.create_index("ix_runs_status", "runs", ["status"])
    _create_run_series()


def _create_run_series() -> None:
    op.create_table(
        "run_snapshots",
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("runs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("second", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("snapshot", sa.JSON, nullable=False),
    )
    op.create_table(
        "run_logs",
        sa.Column(
            "run_id",
            sa.Integer,
            sa.ForeignKey("runs.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("timestamp", UtcDateTime, nullable=False),
        sa.Column("line", sa.Text, nullable=False),
    )


def downgrade() -> None:
    """Drop every table."""
    for table in ("schedule_firings", "run_logs", "run_snapshots", "runs", "schedules"):
        op.drop_table(table)
    op.drop_table("attachments")
    op.drop_table("specs")
