"""Real runs in real child processes against loopback targets, reported to a recording sink.

Short runs with one user and one worker: the whole file takes about 30 s on
two cores.
"""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from loadforge.server.contract import RunJob, RunState
from loadforge.server.execution import ProcessRunExecutor, launch_child
from loadforge.server.execution.child import ChildProcess
from loadforge.target import running_target
from server_runs import RecordingSink, body_target, request_job, summary_of_ending

FIVE_MB = 5 * 1024 * 1024


@pytest.fixture(scope="module")
def target_url() -> Iterator[str]:
    """The built-in demo target on a free port."""
    with running_target() as url:
        yield url


async def test_a_request_spec_runs_to_completion(tmp_path: Path, target_url: str) -> None:
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink)
    job = request_job(
        1,
        tmp_path,
        f"{target_url}/anything?x=1",
        method="POST",
        body='{"a": 1}',
        headers={"Content-Type": "application/json"},
        thresholds=("p95<5s", "error_rate<=0.01", "rps>100000"),
    )

    assert await executor.submit(job) is RunState.RUNNING
    assert executor.is_active(1)
    ending = await sink.finished(1)

    assert ending.state is RunState.COMPLETED, ending.error
    kinds = sink.kinds(1)
    assert kinds[0] == "started"
    assert kinds[-1] == "finished"
    assert "progress" in kinds
    summary = summary_of_ending(ending)
    assert summary.requests > 0
    assert 0 < summary.latency_p50 <= summary.latency_p95 <= summary.latency_p99
    assert summary.latency_p99 <= summary.latency_max
    assert [v.passed for v in ending.thresholds] == [True, True, False]
    assert ending.passed is False
    assert ending.results_dir is not None
    assert (ending.results_dir / "result.json").is_file()
    assert (ending.results_dir / "report.html").is_file()
    logs = sink.logs(1)
    assert logs[0].startswith("Started spec 1")
    assert logs[-1].startswith("Ended completed")
    snapshot, _elapsed, duration = sink.progress(1)[0]
    assert duration == 1
    endpoints = snapshot["endpoints"]
    assert isinstance(endpoints, list)
    assert endpoints[0]["name"] == "POST /anything"
    assert not executor.is_active(1)


async def test_a_request_spec_that_records_timings_gates_on_its_ttfb(
    tmp_path: Path, target_url: str
) -> None:
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink)
    job = request_job(
        1,
        tmp_path,
        f"{target_url}/delay/30",
        thresholds=('"ttfb{GET /delay/30}": p50>25ms', "ttfb: p99<30s"),
    )
    request = job.spec["request"]
    assert isinstance(request, dict)
    spec = {**job.spec, "request": {**request, "record_timings": True}}
    job = dataclasses.replace(job, spec=spec)

    assert await executor.submit(job) is RunState.RUNNING
    ending = await sink.finished(1)

    assert ending.state is RunState.COMPLETED, ending.error
    assert [v.passed for v in ending.thresholds] == [True, True], ending.thresholds
    assert ending.results_dir is not None
    stored = json.loads((ending.results_dir / "result.json").read_text())
    assert "ttfb" in stored["timing_histograms"]["GET /delay/30"]


async def test_stopping_a_run_keeps_its_results(tmp_path: Path, target_url: str) -> None:
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink)
    await executor.submit(
        request_job(
            2, tmp_path, f"{target_url}/anything", profile={"users": 1, "duration": 60, "rps": 20}
        )
    )
    await sink.wait_for("progress", 2)

    assert await executor.stop(2) is True
    ending = await sink.finished(2)

    assert ending.state is RunState.STOPPED
    assert summary_of_ending(ending).requests > 0
    assert ending.results_dir is not None
    assert (ending.results_dir / "result.json").is_file()
    assert await executor.stop(2) is False


@pytest.mark.parametrize("mode", ["raw", "multipart"])
async def test_a_five_mb_attachment_is_sent_as_the_body(tmp_path: Path, mode: str) -> None:
    content = os.urandom(FIVE_MB)
    attachment = tmp_path / "upload.bin"
    attachment.write_bytes(content)
    digest = hashlib.sha256(content).hexdigest()
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink)
    with body_target() as (url, received):
        job = request_job(
            3,
            tmp_path,
            f"{url}/upload",
            method="POST",
            body_mode=mode,
            body_file=attachment,
            profile={"users": 1, "duration": 1, "rps": 3},
        )
        await executor.submit(job)
        ending = await sink.finished(3)

    assert ending.state is RunState.COMPLETED, ending.error
    assert summary_of_ending(ending).errors == 0
    assert received
    first = received[0]
    if mode == "raw":
        assert (first.size, first.sha256) == (FIVE_MB, digest)
        assert first.content_type == "application/octet-stream"
    else:
        assert first.content_type.startswith("multipart/form-data; boundary=")
        assert first.part_sha256 == digest
        assert b'name="file"; filename="upload.bin"' in first.part_head


async def test_a_second_job_waits_for_the_first(tmp_path: Path, target_url: str) -> None:
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink, max_concurrent=1)
    profile = {"users": 1, "duration": 0.5, "rps": 10}
    first = request_job(4, tmp_path, f"{target_url}/anything", profile=profile)
    second = request_job(5, tmp_path, f"{target_url}/anything", profile=profile)

    assert await executor.submit(first) is RunState.RUNNING
    assert await executor.submit(second) is RunState.QUEUED
    assert (await sink.finished(5)).state is RunState.COMPLETED

    order = [(kind, rid) for kind, rid, _ in sink.calls if kind in ("started", "finished")]
    assert order == [("started", 4), ("finished", 4), ("started", 5), ("finished", 5)]


async def test_shutdown_interrupts_running_and_queued_jobs(tmp_path: Path, target_url: str) -> None:
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink)
    profile = {"users": 1, "duration": 60, "rps": 10}
    await executor.submit(request_job(6, tmp_path, f"{target_url}/anything", profile=profile))
    await executor.submit(request_job(7, tmp_path, f"{target_url}/anything", profile=profile))
    await sink.wait_for("progress", 6)

    await asyncio.wait_for(executor.shutdown(), 20)

    running, queued = sink.ending(6), sink.ending(7)
    assert running is not None
    assert running.state is RunState.INTERRUPTED
    assert running.results_dir is not None
    assert (running.results_dir / "result.json").is_file()
    assert queued is not None
    assert queued.state is RunState.INTERRUPTED
    assert "started" not in sink.kinds(7)


SCENARIO_CODE = """
from loadforge import HttpClient, scenario, task

@scenario(name="From code", base_url="{url}", think_time=0)
class FromCode:
    @task
    async def items(self, client: HttpClient) -> None:
        print("a print must not break the protocol")
        await client.get("/anything/code")
"""


async def test_a_scenario_code_spec_runs_as_a_scenario_file(
    tmp_path: Path, target_url: str
) -> None:
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink)
    spec: dict[str, object] = {
        "name": "code",
        "request": None,
        "scenario_code": SCENARIO_CODE.format(url=target_url),
        "load_profile": {"ramp_up": 0.5, "users": 2, "steady": 0.5, "ramp_down": 0},
        "thresholds": [],
    }
    await executor.submit(RunJob(run_id=8, spec=spec, results_root=tmp_path))
    ending = await sink.finished(8)

    assert ending.state is RunState.COMPLETED, ending.error
    assert summary_of_ending(ending).requests > 0
    assert ending.passed is True
    assert (tmp_path / "run-8" / "scenario.py").is_file()
    assert ending.results_dir is not None
    result = json.loads((ending.results_dir / "result.json").read_text())
    assert result["scenario_name"] == "From code"


PATTERN_CODE = """
from loadforge import HttpClient, constant, scenario, task

@scenario(name="Own pattern", base_url="{url}", think_time=0.05, pattern=constant(3, "1s"))
class OwnPattern:
    @task
    async def items(self, client: HttpClient) -> None:
        await client.get("/anything/pattern")
"""


@pytest.mark.parametrize(
    ("profile", "users", "pattern"),
    [
        ({"rps": 200}, 3, "constant 3 users for 1s"),  # shapes no load: the scenario's pattern runs
        ({"users": 2, "duration": 1, "rps": 200}, 2, "constant 2 users"),  # the profile wins
    ],
)
async def test_a_scenario_code_spec_runs_its_own_pattern_unless_the_profile_gives_one(
    tmp_path: Path, target_url: str, profile: dict[str, object], users: int, pattern: str
) -> None:
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink)
    spec: dict[str, object] = {
        "name": "own pattern", "request": None,
        "scenario_code": PATTERN_CODE.format(url=target_url),
        "load_profile": profile, "thresholds": [],
    }  # fmt: skip
    await executor.submit(RunJob(run_id=11, spec=spec, results_root=tmp_path))
    ending = await sink.finished(11)

    assert ending.state is RunState.COMPLETED, ending.error
    assert ending.results_dir is not None
    result = json.loads((ending.results_dir / "result.json").read_text())
    assert result["pattern_description"] == pattern
    assert max(point["target_users"] for point in result["snapshots"]) == users
    assert 0.9 <= result["duration_seconds"] < 3


CUSTOM_METRICS_CODE = """
from loadforge import HttpClient, metrics, scenario, task

orders = metrics.counter("orders")
paid = metrics.rate("paid")

@scenario(name="Custom", base_url="{url}", think_time=0.05)
class Custom:
    @task
    async def order(self, client: HttpClient) -> None:
        await client.get("/anything/order")
        orders.add(1)
        paid.add(True)
"""


async def test_thresholds_on_custom_metrics_are_judged_on_what_the_run_recorded(
    tmp_path: Path, target_url: str
) -> None:
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink)
    spec: dict[str, object] = {
        "name": "custom",
        "request": None,
        "scenario_code": CUSTOM_METRICS_CODE.format(url=target_url),
        "load_profile": {"users": 1, "duration": 1},
        "thresholds": ["orders>=1", "paid>=99%", "orders>1000000", "never>1"],
    }
    await executor.submit(RunJob(run_id=10, spec=spec, results_root=tmp_path))
    ending = await sink.finished(10)

    assert ending.state is RunState.COMPLETED, ending.error
    assert [v.passed for v in ending.thresholds] == [True, True, False, False]
    assert ending.thresholds[1].actual == "100%"
    assert "custom metric 'never' was never recorded" in ending.thresholds[3].actual
    assert ending.results_dir is not None
    stored = json.loads((ending.results_dir / "result.json").read_text())
    assert [t["passed"] for t in stored["thresholds"]] == [True, True, False, False]


async def test_a_spec_the_engine_rejects_fails_with_the_reason(tmp_path: Path) -> None:
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink)
    spec: dict[str, object] = {
        "name": "bad",
        "request": None,
        "scenario_code": "x = 1\n",
        "load_profile": {"users": 1, "duration": 1},
        "thresholds": [],
    }
    await executor.submit(RunJob(run_id=9, spec=spec, results_root=tmp_path))
    ending = await sink.finished(9)

    assert ending.state is RunState.FAILED
    assert ending.error is not None
    assert "No scenario found" in ending.error
    assert ending.summary is None


async def test_a_run_whose_process_dies_fails_with_its_exit_code(
    tmp_path: Path, target_url: str
) -> None:
    children: list[ChildProcess] = []

    async def launcher(job: RunJob) -> ChildProcess:
        child = await launch_child(job)
        children.append(child)
        return child

    sink = RecordingSink()
    executor = ProcessRunExecutor(sink, launcher=launcher)
    profile = {"users": 1, "duration": 60, "rps": 10}
    await executor.submit(request_job(10, tmp_path, f"{target_url}/anything", profile=profile))
    await sink.wait_for("progress", 10)
    children[0].kill()
    ending = await sink.finished(10)

    assert ending.state is RunState.FAILED
    assert ending.error is not None
    assert "SIGKILL" in ending.error
    assert ending.results_dir is not None


DYING_WORKERS = """\
import multiprocessing
import os

from loadforge import HttpClient, scenario, task


@scenario(name="dying", base_url="{url}", think_time=0)
class Dying:
    @task
    async def get(self, client: HttpClient) -> None:
        await client.get("/anything")
        if multiprocessing.parent_process() is not None:
            os._exit(3)  # a worker process dies in the middle of the run
"""


async def test_a_run_whose_workers_all_die_fails_with_their_cause(
    tmp_path: Path, target_url: str
) -> None:
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink)
    spec: dict[str, object] = {
        "name": "dying", "request": None, "scenario_code": DYING_WORKERS.format(url=target_url),
        "load_profile": {"users": 2, "duration": 5, "workers": 2}, "thresholds": [],
    }  # fmt: skip
    await executor.submit(RunJob(run_id=9, spec=spec, results_root=tmp_path))
    ending = await sink.finished(9)

    assert ending.state is RunState.FAILED
    assert ending.error is not None
    assert "worker 0 lost" in ending.error, ending.error
    assert "worker 1 lost" in ending.error
