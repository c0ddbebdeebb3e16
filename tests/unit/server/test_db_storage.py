"""The database layer on SQLite: pragmas, migrations, bounded logs, interrupted runs."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from loadforge.errors import ConfigError
from loadforge.server.api import sink as sink_module
from loadforge.server.api.hub import RunHub
from loadforge.server.api.sink import DatabaseRunSink
from loadforge.server.api.state import mark_interrupted
from loadforge.server.contract import RunState
from loadforge.server.db import make_engine, migrate, session_factory
from loadforge.server.db.models import RunLogRow, RunRow, utc_now


def _sessions(tmp_path: Path) -> tuple[Engine, sessionmaker[Session]]:
    engine = make_engine(f"sqlite:///{tmp_path / 'sub' / 'x.db'}")
    migrate(engine)
    migrate(engine)  # idempotent
    return engine, session_factory(engine)


def _run(sessions: sessionmaker[Session], status: RunState = RunState.RUNNING) -> int:
    with sessions.begin() as session:
        row = RunRow(
            spec={}, status=status.value, created_at=utc_now(), thresholds=[],
            elapsed_seconds=0.0, duration_seconds=0.0,
        )  # fmt: skip
        session.add(row)
        session.flush()
        run_id: int = row.id
        return run_id


def test_sqlite_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    engine, _ = _sessions(tmp_path)
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    engine.dispose()


def test_bad_urls_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="not a database URL"):
        make_engine("::nonsense::")
    with pytest.raises(ConfigError, match="sqlite"):
        make_engine("mysql://localhost/db")


def test_unreachable_postgres_is_a_config_error() -> None:
    engine = make_engine("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2")
    with pytest.raises(ConfigError, match="cannot be reached"):
        migrate(engine)


async def test_logs_keep_the_last_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sink_module, "LOG_LINES_KEPT", 3)
    engine, sessions = _sessions(tmp_path)
    run_id = _run(sessions)
    sink = DatabaseRunSink(sessions, RunHub())
    for index in range(5):
        await sink.run_log(run_id, f"line {index}")
    with sessions() as session:
        lines = session.scalars(select(RunLogRow.line).order_by(RunLogRow.seq)).all()
    assert lines == ["line 2", "line 3", "line 4"]
    engine.dispose()


def test_active_runs_become_interrupted(tmp_path: Path) -> None:
    engine, sessions = _sessions(tmp_path)
    ids = [_run(sessions, state) for state in RunState]
    assert mark_interrupted(sessions) == 2
    with sessions() as session:
        states = {row.id: row.status for row in session.execute(select(RunRow.id, RunRow.status))}
        count = session.scalar(select(func.count()).select_from(RunRow))
    assert count == len(ids)
    assert [states[i] for i in ids] == [
        "interrupted", "interrupted", "completed", "stopped", "failed", "interrupted",
    ]  # fmt: skip
    engine.dispose()


async def test_a_failed_write_is_logged_not_raised(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    engine, sessions = _sessions(tmp_path)
    run_id = _run(sessions)
    with engine.begin() as connection:
        connection.execute(text("DROP TABLE run_logs"))
    sink = DatabaseRunSink(sessions, RunHub())
    await sink.run_log(run_id, "lost")
    assert "storing a report of the run executor failed" in caplog.text
    engine.dispose()
