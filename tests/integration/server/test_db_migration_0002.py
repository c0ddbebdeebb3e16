"""Migration 0002: a database written with the old names reads through the API in the new ones.

The old rows are those a server of revision 0001 stored for the committed
format-1 run (tests/fixtures/server_v0001_rows.json, written by that code):
its per-second snapshots in the old nested form and its summary with
`total_requests`, `failed_requests` and `latency_ms`. Runs on SQLite and on
PostgreSQL, like the other API tests.
"""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Engine, MetaData, Table, insert, select
from sqlalchemy.orm import Session

from format1_run import FORMAT1_RUN, SERVER_ROWS
from integration.server.harness import Serve
from loadforge.metrics.snapshot_schema import SnapshotData
from loadforge.results import load_result
from loadforge.server.db import make_engine, migrate
from loadforge.server.db.engine import MIGRATIONS_DIR
from loadforge.server.db.models import RunRow, RunSnapshotRow
from loadforge.server.execution.endings import summary_of
from loadforge.server.settings import ServerSettings

MOMENT = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)


def old_rows() -> dict[str, Any]:
    rows = json.loads(SERVER_ROWS.read_text(encoding="utf-8"))
    assert isinstance(rows, dict)
    return rows


# Snapshot fields added after revision 0002: the rows it migrated lack them,
# and SnapshotData (and the web app) read them with their defaults.
ADDED_SINCE_0002 = ("task_errors", "task_exceptions", "drain", "checks", "metrics", "groups")
# The same for each endpoint's entry.
ENDPOINT_ADDED_SINCE_0002 = ("timings",)


def expected_snapshots() -> list[dict[str, object]]:
    """What today's server stores for the same seconds, less the fields added since."""
    expected = []
    for snapshot in load_result(FORMAT1_RUN).snapshots:
        data = SnapshotData.from_snapshot(snapshot).model_dump(mode="json")
        data["endpoints"] = [
            {k: v for k, v in endpoint.items() if k not in ENDPOINT_ADDED_SINCE_0002}
            for endpoint in data["endpoints"]
        ]
        expected.append({k: v for k, v in data.items() if k not in ADDED_SINCE_0002})
    return expected


def test_rows_without_the_later_fields_still_read() -> None:
    for row in expected_snapshots():
        data = SnapshotData.model_validate(row)
        assert (data.task_errors, data.task_exceptions, data.drain) == (0, [], False)
        assert [endpoint.timings for endpoint in data.endpoints] == [{}] * len(data.endpoints)


def database_at_0001(settings: ServerSettings) -> tuple[Engine, int, int]:
    """A database at revision 0001 holding a finished run with old rows, and a failed run."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    engine = make_engine(settings.effective_database_url)
    migrate(engine, "0001")
    rows = old_rows()
    # The runs table as revision 0001 made it (later revisions add columns the model has).
    runs = Table("runs", MetaData(), autoload_with=engine)
    with Session(engine) as session, session.begin():
        finished, failed = (
            session.execute(insert(runs).values(**values).returning(runs.c.id)).scalar_one()
            for values in (_run(summary=rows["summary"]), _run(summary=None, status="failed"))
        )
        session.add_all(
            RunSnapshotRow(run_id=finished, second=second, snapshot=snapshot)
            for second, snapshot in enumerate(rows["snapshots"])
        )
    return engine, finished, failed


def _run(summary: dict[str, object] | None, status: str = "completed") -> dict[str, object]:
    return {
        "spec_id": None, "spec": {"name": "old"}, "status": status, "created_at": MOMENT,
        "started_at": MOMENT, "finished_at": MOMENT, "elapsed_seconds": 3.0,
        "duration_seconds": 3.0, "summary": summary, "thresholds": [],
        "passed": None if summary is None else True,
        "error": "boom" if summary is None else None,
    }  # fmt: skip


def stored(engine: Engine, run_id: int) -> tuple[object, list[object]]:
    with Session(engine) as session:
        # Only the columns every revision has: the model's newer ones may not be there.
        summary = session.scalar(select(RunRow.summary).where(RunRow.id == run_id))
        snapshots = session.scalars(
            select(RunSnapshotRow.snapshot)
            .where(RunSnapshotRow.run_id == run_id)
            .order_by(RunSnapshotRow.second)
        )
        return summary, list(snapshots)


def downgrade(engine: Engine, revision: str) -> None:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, revision)


def test_old_rows_read_in_the_new_names_through_the_api(
    settings: ServerSettings, serve: Serve
) -> None:
    engine, finished, failed = database_at_0001(settings)
    engine.dispose()

    client = serve().client  # the server migrates to the newest revision as it starts

    run = client.get(f"/api/runs/{finished}").json()
    assert run["summary"] == summary_of(load_result(FORMAT1_RUN)).to_dict()
    assert run["summary"]["requests"] == old_rows()["summary"]["total_requests"]
    assert client.get(f"/api/runs/{failed}").json()["summary"] is None
    with client.websocket_connect(f"/ws/runs/{finished}") as socket:
        history = json.loads(socket.receive_text())
    assert history["data"]["snapshots"] == expected_snapshots()
    assert history["data"]["run"]["summary"] == run["summary"]
    lines = list(csv.DictReader(io.StringIO(client.get(f"/api/runs/{finished}/csv").text)))
    assert [int(line["requests"]) for line in lines] == [
        s["total_requests"] for s in old_rows()["snapshots"]
    ]
    assert [float(line["latency_p95_ms"]) for line in lines] == [
        s["latency"]["p95"] for s in old_rows()["snapshots"]
    ]


def test_the_migration_runs_once_and_goes_back(settings: ServerSettings) -> None:
    engine, finished, _ = database_at_0001(settings)
    try:
        migrate(engine)
        upgraded = stored(engine, finished)
        migrate(engine)
        assert stored(engine, finished) == upgraded
        assert upgraded == (summary_of(load_result(FORMAT1_RUN)).to_dict(), expected_snapshots())

        downgrade(engine, "0001")

        assert stored(engine, finished) == (old_rows()["summary"], old_rows()["snapshots"])
    finally:
        engine.dispose()
