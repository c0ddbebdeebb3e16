"""Without POSIX shared memory a run over workers falls back to queues by itself, and says so."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, Target, invoke
from loadforge.engine import process_worker
from loadforge.metrics.transport import MetricsTransport, QueueSource, RingSource


class _NoSharedMemory(RingSource):
    def __init__(self) -> None:
        raise FileNotFoundError(2, "No such file or directory", "/dev/shm/psm_x")


def test_a_run_without_shared_memory_uses_queues_and_warns(
    fresh_target: Target,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    monkeypatch.setattr(process_worker, "RingSource", _NoSharedMemory)
    flags = ["-o", str(tmp_path), "-u", "2", "-d", "1s", "-w", "2", "-q"]
    with caplog.at_level(logging.WARNING, logger="loadforge.engine.process_worker"):
        run = invoke(
            ["run", str(EXAMPLES / "basic_get.py"), "--base-url", fresh_target.url, *flags]
        )
    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    assert summary.requests == fresh_target.served() > 0
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1, warnings  # said once, not once per worker
    assert warnings[0].startswith("POSIX shared memory is unavailable (FileNotFoundError")
    assert "through queues instead" in warnings[0]


def test_the_launcher_remembers_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(process_worker, "RingSource", _NoSharedMemory)
    launcher = process_worker.ProcessLauncher()
    source = launcher._source()
    assert launcher.transport is MetricsTransport.QUEUE
    assert isinstance(source, QueueSource)
    source.close()
