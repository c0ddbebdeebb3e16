"""Runs get an owning server: server instances with a heartbeat, a run's owner and stop request.

Several servers may share one database; each registers itself in
`server_instances` and beats every few seconds. A server starting up
interrupts only the runs whose owner's heartbeat is stale, and a stop asked
of a server that does not drive the run is left in `runs.stop_requested`
for the owner to carry out.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from loadforge.server.db.models import UtcDateTime

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    """Add server_instances, runs.owner_id and runs.stop_requested."""
    op.create_table(
        "server_instances",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("hostname", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer, nullable=False),
        sa.Column("started_at", UtcDateTime, nullable=False),
        sa.Column("heartbeat_at", UtcDateTime, nullable=False),
    )
    # Plain ALTER TABLE ... ADD COLUMN, not a batch: on SQLite a batch copies the
    # table and drops the old one, and the drop would cascade to every run's
    # snapshots and console lines.
    op.add_column("runs", sa.Column("owner_id", sa.String(36), nullable=True))
    op.add_column(
        "runs", sa.Column("stop_requested", sa.Boolean, nullable=False, server_default=sa.false())
    )
    op.create_index("ix_runs_owner_id", "runs", ["owner_id"])


def downgrade() -> None:
    """Drop them again (ALTER TABLE ... DROP COLUMN, SQLite 3.35 and later)."""
    op.drop_index("ix_runs_owner_id", table_name="runs")
    op.drop_column("runs", "stop_requested")
    op.drop_column("runs", "owner_id")
    op.drop_table("server_instances")
