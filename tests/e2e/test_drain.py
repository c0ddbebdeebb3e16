"""The grace period after the planned end: one-second intervals marked as drain, not one point."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from cli_harness import Target, invoke
from loadforge.reports.chart_data import interval_seconds

# Each iteration: a request, then 3.5 s of work, so the users still run at
# the planned end of 2 s and finish during the grace period.
SLOW = """
import asyncio

from loadforge import HttpClient, scenario, task


@scenario(name="Slow", base_url="http://127.0.0.1:1", think_time=0)
class Slow:
    @task
    async def work(self, client: HttpClient) -> None:
        await client.get("/anything", name="Anything")
        await asyncio.sleep(3.5)
        await client.get("/anything", name="Anything")
"""


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_drain_is_recorded_second_by_second(
    target: Target, tmp_path: Path, workers: str
) -> None:
    scenario = tmp_path / "slow.py"
    scenario.write_text(SLOW, encoding="utf-8")
    run = invoke(
        ["run", str(scenario), "--base-url", target.url, "-o", str(tmp_path / "out"),
         "-u", "2", "-d", "2s", "--grace", "5s", "-w", workers]
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    result = run.result()
    snapshots = result.snapshots
    seconds = interval_seconds(snapshots)

    # Every interval is at most a second long; only the last may be shorter.
    assert all(length <= 1.0 + 1e-6 for length in seconds), seconds
    assert all(length == pytest.approx(1.0, abs=1e-6) for length in seconds[:-1]), seconds
    planned = [s for s in snapshots if s.elapsed_seconds <= 2.0 + 1e-6]
    drained = [s for s in snapshots if s.elapsed_seconds > 2.0 + 1e-6]
    assert [s.elapsed_seconds for s in planned] == pytest.approx([1.0, 2.0])
    assert not any(s.drain for s in planned)
    assert drained, "the users finished after the planned end"
    assert all(s.drain for s in drained)
    assert len(drained) >= 2  # [2, 3] and [3, the end]: not one point
    assert sum(s.requests for s in drained) == 2  # each user's second request
    # Rates are per second of each interval's own length.
    for snapshot, length in zip(snapshots, seconds, strict=True):
        assert snapshot.rps == pytest.approx(snapshot.requests / length)
    assert result.final_summary.requests == sum(s.requests for s in snapshots) == 4
    assert "drain]" in run.output
    with (run.results_dir / "snapshots.csv").open(encoding="utf-8", newline="") as rows_file:
        rows = list(csv.DictReader(rows_file))
    assert [row["drain"] for row in rows] == ["true" if s.drain else "false" for s in snapshots]
