"""A run's WebSocket history: every stored second up to a limit, merged points past it."""

from __future__ import annotations

from dataclasses import replace

from loadforge.metrics.snapshot_schema import SnapshotData
from loadforge.server.api.live import bounded_snapshots
from sample_runs import EPOCH, normal_run


def _rows(count: int) -> list[tuple[int, dict[str, object]]]:
    second = normal_run().snapshots[0]
    return [
        (n, SnapshotData.from_snapshot(
            replace(second, elapsed_seconds=float(n + 1), timestamp=EPOCH + n + 1)
        ).model_dump(mode="json"))
        for n in range(count)
    ]  # fmt: skip


def test_a_short_run_is_sent_as_stored() -> None:
    rows = _rows(10)
    sent, last = bounded_snapshots(rows, limit=10)
    assert sent == [data for _, data in rows]
    assert last == 9


def test_a_long_run_is_merged_with_exact_totals_and_its_last_key() -> None:
    rows = _rows(1_000)
    sent, last = bounded_snapshots(rows, limit=16)
    assert len(sent) <= 16
    assert last == 999
    assert sum(int(str(s["requests"])) for s in sent) == sum(
        int(str(data["requests"])) for _, data in rows
    )
    assert sent[-1]["elapsed_seconds"] == 1_000.0


def test_no_stored_second_is_an_empty_history() -> None:
    assert bounded_snapshots([]) == ([], -1)
