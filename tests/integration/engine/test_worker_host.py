"""A hosted worker (a cluster actor's body) against a real target, steered from an offset clock.

The coordinator's clock here is 1000 s behind the worker's, as a
coordinator on another machine may be. Only the lead (seconds from now)
crosses over, so the worker numbers its seconds from its own time zero:
after about 1.3 s at half-second intervals it has shipped intervals 1 and 2,
not the two thousand a raw time zero from the coordinator's clock would
have made it ship at once.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path

from cli_harness import EXAMPLES, Target
from loadforge.dsl.feeders import bind_worker, on_feeder_exhausted
from loadforge.engine.messages import Finished, Pace, Ready, Report, Scale, Start, Stop
from loadforge.engine.worker import ScenarioSource, WorkerSpec
from loadforge.engine.worker_host import HostedWorker, lead_of, length_of
from loadforge.metrics.wire import IntervalDecoder, WorkerInterval
from loadforge.version import __version__

CLOCK_OFFSET = -1000.0
INTERVAL = 0.5


def spec_for(target: Target, *, open_model: bool = False) -> WorkerSpec:
    source = ScenarioSource(path=EXAMPLES / "basic_get.py", name=None, base_url=target.url)
    return WorkerSpec(
        worker_id=3,
        coordinator_pid=os.getpid(),
        source=source,
        max_connections=10,
        grace=1.0,
        rps=None,
        seed=1,
        open_model=open_model,
        max_users=10 if open_model else 0,
    )


def collect_until(
    worker: HostedWorker, done: Callable[[Report], bool], seconds: float
) -> tuple[list[Report], list[bytes]]:
    """Collect until a report `done` accepts arrives, for at most `seconds`."""
    reports: list[Report] = []
    payloads: list[bytes] = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not any(done(r) for r in reports):
        more, shipped = worker.collect(0.1)
        reports += more
        payloads += shipped
    return reports, payloads


def test_a_worker_on_an_offset_clock_numbers_its_intervals_from_its_own_time_zero(
    target: Target,
) -> None:
    worker = HostedWorker(spec_for(target), __version__)
    reports, _ = collect_until(worker, lambda r: isinstance(r, Ready), 20.0)
    assert Ready(3) in reports
    coordinator_now = time.monotonic() + CLOCK_OFFSET
    start = Start(coordinator_now + 0.2, INTERVAL)

    worker.begin(lead_of(start, coordinator_now), INTERVAL)
    worker.send(Scale(2))
    time.sleep(0.2 + 2 * INTERVAL + 0.1)
    _, early = worker.collect(0.0)
    worker.send(Stop())
    reports, late = collect_until(worker, lambda r: isinstance(r, Finished), 10.0)

    decoder = IntervalDecoder()
    intervals: list[WorkerInterval] = [decoder.decode(p) for p in early + late]
    assert [i.index for i in intervals[: len(early)]] == [1, 2]
    [finished] = [r for r in reports if isinstance(r, Finished)]
    assert [i.index for i in intervals] == list(range(1, finished.last_interval + 1))
    assert all(i.stats.endpoints["Anything"].requests > 0 for i in intervals[:2])
    deadline = time.monotonic() + 5.0
    while worker.running and time.monotonic() < deadline:
        time.sleep(0.02)
    assert not worker.running


def test_the_planned_end_crosses_as_a_length_and_a_late_stop_adds_no_start(
    target: Target,
) -> None:
    # 20 starts a second for a planned 0.5 s: exactly 10, though Stop comes a second late.
    target.reset()
    worker = HostedWorker(spec_for(target, open_model=True), __version__)
    collect_until(worker, lambda r: isinstance(r, Ready), 20.0)
    coordinator_now = time.monotonic() + CLOCK_OFFSET
    start = Start(coordinator_now + 0.2, INTERVAL, end=coordinator_now + 0.7)

    worker.begin(lead_of(start, coordinator_now), INTERVAL, length_of(start))
    worker.send(Pace(20.0, 10))
    time.sleep(0.2 + 0.5 + 1.0)
    worker.send(Stop())
    collect_until(worker, lambda r: isinstance(r, Finished), 10.0)

    assert length_of(start) == 0.5
    assert target.served() == 10


def test_a_node_with_another_loadforge_version_refuses_before_any_traffic(target: Target) -> None:
    target.reset()
    worker = HostedWorker(spec_for(target), "0.0.1")

    reports, _ = collect_until(worker, lambda _report: True, 10.0)

    [failed] = reports
    assert f"this node runs loadforge {__version__} and the coordinator 0.0.1" in str(failed)
    assert target.served() == 0


PLACES = """
import os

from loadforge import Feeder, HttpClient, current_user, scenario, setup, task

accounts = Feeder.rows([{{"n": n}} for n in range(6)], mode="unique")


@scenario(name="Places", base_url="{url}", think_time=0.05)
class Places:
    @setup
    async def note(self, client: HttpClient) -> None:
        me = current_user()
        row = accounts.next()
        with open({log!r}, "a") as log:
            log.write(f"{{me.index}} {{me.worker_index}} {{me.worker_count}} {{row['n']}}\\n")

    @task
    async def get(self, client: HttpClient) -> None:
        await client.get("/anything")
"""


def test_a_hosted_worker_numbers_its_users_and_splits_feeder_rows_as_one_of_the_whole_run(
    target: Target, tmp_path: Path
) -> None:
    log = tmp_path / "places.log"
    scenario_file = tmp_path / "places.py"
    scenario_file.write_text(PLACES.format(url=target.url, log=str(log)))
    source = ScenarioSource(path=scenario_file, name=None, base_url=target.url)
    spec = WorkerSpec(
        worker_id=1, coordinator_pid=os.getpid(), source=source, max_connections=4,
        grace=1.0, rps=None, seed=1, workers=3,
    )  # fmt: skip
    try:
        worker = HostedWorker(spec, __version__)
        reports, _ = collect_until(worker, lambda r: isinstance(r, Ready), 20.0)
        assert Ready(1) in reports
        coordinator_now = time.monotonic()
        start = Start(coordinator_now + 0.1, INTERVAL)
        worker.begin(lead_of(start, coordinator_now), INTERVAL)
        worker.send(Scale(2))
        deadline = time.monotonic() + 10
        while (
            time.monotonic() < deadline
            and len(log.read_text().splitlines() if log.exists() else []) < 2
        ):
            time.sleep(0.05)
        worker.send(Stop())
        collect_until(worker, lambda r: isinstance(r, Finished), 10.0)
    finally:
        bind_worker(0, 1)  # this test process's feeders are nobody's worker again
        on_feeder_exhausted(None)

    lines = sorted(tuple(map(int, line.split())) for line in log.read_text().splitlines())
    # Worker 1 of 3: users 0 and 1 of it are the run's users 1 and 4; its rows are 1 and 4.
    assert [line[:3] for line in lines] == [(1, 1, 3), (4, 1, 3)]
    assert sorted(line[3] for line in lines) == [1, 4]
