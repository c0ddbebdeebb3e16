"""Loading a results directory for `loadforge dashboard`."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import pytest

from loadforge.dashboard.replay import replay_hub
from loadforge.dashboard.schemas import Phase
from loadforge.errors import ConfigError
from loadforge.metrics.history import HISTORY_POINTS
from loadforge.metrics.models import MetricSnapshot
from loadforge.results import ResultsWriter


def test_a_killed_run_replays_its_snapshots_as_interrupted(
    tmp_path: Path, make_snapshot: Callable[..., MetricSnapshot]
) -> None:
    with ResultsWriter.create(tmp_path, "Shop", datetime(2026, 1, 1)) as writer:
        writer.append_snapshot(make_snapshot(1.0))
        writer.append_snapshot(make_snapshot(2.0))
    hub = replay_hub(writer.directory)
    assert hub.mode == "replay"
    assert [s.elapsed_seconds for s in hub.snapshots] == [1.0, 2.0]
    assert hub.status is not None
    assert hub.status.status is Phase.INTERRUPTED
    assert hub.status.elapsed == 2.0
    assert hub.scenario == writer.directory.name


def test_an_empty_results_directory_replays_nothing(tmp_path: Path) -> None:
    (tmp_path / "snapshots.jsonl").write_text("")
    hub = replay_hub(tmp_path)
    assert hub.snapshots == []
    assert hub.status is not None
    assert hub.status.elapsed == 0


def test_a_missing_or_broken_directory_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is not a directory"):
        replay_hub(tmp_path / "nope")
    with pytest.raises(ConfigError, match=r"snapshots\.jsonl does not exist"):
        replay_hub(tmp_path)
    (tmp_path / "snapshots.jsonl").write_text(json.dumps({"timestamp": 1}) + "\n")
    with pytest.raises(ConfigError, match="not a valid snapshot"):
        replay_hub(tmp_path)


def test_a_long_run_replays_a_bounded_history_with_every_request(
    tmp_path: Path, make_snapshot: Callable[..., MetricSnapshot]
) -> None:
    seconds = 3 * HISTORY_POINTS
    with ResultsWriter.create(tmp_path, "Shop", datetime(2026, 1, 1)) as writer:
        for second in range(1, seconds + 1):
            writer.append_snapshot(make_snapshot(float(second)))
    hub = replay_hub(writer.directory)
    assert len(hub.snapshots) <= HISTORY_POINTS
    assert hub.snapshots[-1].elapsed_seconds == float(seconds)
    assert sum(s.requests for s in hub.snapshots) == seconds * make_snapshot(1.0).requests
