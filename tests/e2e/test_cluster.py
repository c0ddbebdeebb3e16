"""`loadforge run --cluster` on a real three-node Ray cluster in a network namespace.

One cluster serves the module (`tests/ray_cluster.py`); each run is short.
The counting target's own counts are the truth the merged result must
equal, and a scenario that writes each request's latency to a file gives
the raw latencies the whole-run p99 must match exactly. The tests that end
processes (the coordinator, a node's merger, a node's raylet) come last: the node loss
leaves the cluster one node short.
"""

from __future__ import annotations

import csv
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.models import RunStatus, TestResult
from loadforge.results import load_result
from loadforge.server.csv_export import CSV_HEADER, csv_rows
from loadforge.server.execution.protocol import Finished, decode, job_to_json
from ray_cluster import RayCluster, started_cluster
from server_runs import request_job

pytestmark = pytest.mark.slow

SCENARIO = """
import os
from loadforge import HttpClient, scenario, task

LATENCIES = {latencies!r}


def keep(response) -> None:
    # The same figure the client records for the request, in microseconds.
    with open(os.path.join(LATENCIES, f"{{os.getpid()}}.txt"), "a") as out:
        out.write(f"{{round(response.elapsed_ms * 1000.0)}}\\n")


@scenario(name="cluster", base_url={url!r}, think_time=0.02)
class Counted:
    @task(3)
    async def anything(self, client: HttpClient) -> None:
        keep(await client.get("/anything", name="Anything"))

    @task(1)
    async def other(self, client: HttpClient) -> None:
        keep(await client.get("/anything/other", name="Other"))
"""


@pytest.fixture(scope="module")
def ray_cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RayCluster]:
    """The module's cluster: a two-CPU head, two one-CPU nodes and the counting target."""
    with started_cluster(tmp_path_factory.mktemp("ray-logs")) as cluster:
        yield cluster


def write_scenario(directory: Path, url: str) -> Path:
    """The counting scenario in a directory of its own (the job's working dir)."""
    latencies = directory / "latencies"
    latencies.mkdir(parents=True)
    path = directory / "scenario" / "counted.py"
    path.parent.mkdir()
    path.write_text(SCENARIO.format(latencies=str(latencies), url=url))
    return path


def result_of(output: str) -> TestResult:
    last = output.strip().splitlines()[-1]
    assert last.startswith("Results: "), output
    return load_result(Path(last.removeprefix("Results: ")))


def run_args(scenario: Path, cluster: RayCluster, *more: str) -> list[str]:
    return [
        "run", str(scenario), "--cluster", cluster.address, "-o", str(scenario.parent / "results"),
        "--format", "json", "--no-report", "-q", *more,
    ]  # fmt: skip


def test_counts_and_p99_equal_the_truth_with_workers_on_every_node(
    ray_cluster: RayCluster, tmp_path: Path
) -> None:
    scenario = write_scenario(tmp_path, ray_cluster.target_url)
    ray_cluster.reset_counts()

    completed = ray_cluster.loadforge(
        run_args(scenario, ray_cluster, "-u", "6", "-d", "4s"), tmp_path
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = result_of(completed.stdout)
    served = ray_cluster.served()
    summary = result.final_summary
    assert summary.requests == served.total > 0
    assert summary.endpoints["Anything"].requests == served.routes["GET /anything"]
    assert summary.endpoints["Other"].requests == served.routes["GET /anything/{rest:path}"]
    # The whole-run p99 is that of one histogram of every worker's raw latencies.
    files = list((tmp_path / "latencies").glob("*.txt"))
    raw = [int(line) for f in files for line in f.read_text().split()]
    exact = LatencyHistogram()
    for latency in raw:
        exact.record(latency)
    assert len(raw) == summary.requests
    assert summary.latency_p99 == exact.percentile_ms(99.0)
    # One worker per cluster CPU, on every node, each written down: the head's
    # two through their node's merger, the others' straight to the coordinator.
    assert result.workers == 4
    assert len(files) == 4
    assert result.cluster is not None
    assert result.cluster.address == ray_cluster.address
    assert sorted(node.workers for node in result.cluster.nodes) == [1, 1, 2]
    assert [node.dropped_intervals for node in result.cluster.nodes] == [0, 0, 0]
    assert {node.address for node in result.cluster.nodes} == {"127.0.0.1"}
    assert sorted(result.cluster.worker_nodes) == [0, 1, 2, 3]
    assert set(result.cluster.worker_nodes.values()) == {n.node_id for n in result.cluster.nodes}


OWN_PATTERNS = """
from loadforge import HttpClient, constant, scenario, task


class Steady:
    def __init__(self, rate: float) -> None:
        self.rate, self.duration = rate, "3s"

    def rate_at(self, t: float) -> float:
        return self.rate


@scenario(base_url={url!r}, think_time=0.05, pattern=constant(2))
class Browse:
    @task
    async def look(self, client: HttpClient) -> None:
        await client.get("/anything", name="list")


@scenario(base_url={url!r}, pattern=Steady(5))
class Admin:
    @task
    async def manage(self, client: HttpClient) -> None:
        await client.get("/anything/admin", name="manage")
"""


def test_users_beside_an_arrival_rate_run_side_by_side_on_the_nodes(
    ray_cluster: RayCluster, tmp_path: Path
) -> None:
    # Browse's 2 users split over the nodes' workers, Admin's 5/s evenly: the
    # two models of one run, each scenario's exact share on the cluster.
    scenario = tmp_path / "scenario" / "shop.py"
    scenario.parent.mkdir()
    scenario.write_text(OWN_PATTERNS.format(url=ray_cluster.target_url))
    ray_cluster.reset_counts()

    completed = ray_cluster.loadforge(
        run_args(scenario, ray_cluster, "--scenario", "all", "-d", "3s"), tmp_path
    )

    assert completed.returncode == 0, completed.stdout + completed.stderr
    result = result_of(completed.stdout)
    served = ray_cluster.served()
    by_name = {each.name: each for each in result.scenarios}
    assert by_name["Browse"].users == 2
    assert by_name["Admin"].users >= 1
    assert by_name["Browse"].requests == served.routes["GET /anything"] > 0
    # Every second holds its own counts: a node's late second waits for it
    # (the cluster's publish deadline) instead of joining the next one.
    whole = result.snapshots[:3]
    assert [round(s.elapsed_seconds, 3) for s in whole] == [1.0, 2.0, 3.0]
    assert all(s.requests > 0 for s in whole)
    assert all(4 <= s.started_iterations <= 6 for s in whole), [s.started_iterations for s in whole]
    # 5 iterations a second for 3 s: exactly 15, however the workers share them.
    assert by_name["Admin"].requests == served.routes["GET /anything/{rest:path}"] == 15
    summary = result.final_summary
    assert (summary.started_iterations, summary.dropped_iterations) == (15, 0)
    assert summary.requests == served.total
    assert result.pattern_description.startswith("Browse: constant 2 users; Admin: Steady")


def test_more_workers_than_cluster_cpus_is_refused_naming_both(
    ray_cluster: RayCluster, tmp_path: Path
) -> None:
    scenario = write_scenario(tmp_path, ray_cluster.target_url)
    args = run_args(scenario, ray_cluster, "-u", "5", "-d", "3s", "-w", "5")

    completed = ray_cluster.loadforge([*args, "--placement-timeout", "3s"], tmp_path)

    assert completed.returncode == 2, completed.stdout + completed.stderr
    said = " ".join(completed.stderr.split())  # the console wraps the message
    assert f"they ask for 5 CPUs and the cluster at {ray_cluster.address} has 4" in said
    assert "Traceback" not in completed.stderr


def test_a_server_run_with_cluster_in_its_profile_completes_with_its_attachment(
    ray_cluster: RayCluster, tmp_path: Path
) -> None:
    attachment = tmp_path / "attachments" / "payload.bin"
    attachment.parent.mkdir()
    attachment.write_bytes(b"x" * 2048)
    profile = {"users": 3, "duration": 3, "rps": 60, "cluster": ray_cluster.address}
    job = request_job(
        1, tmp_path / "runs", f"{ray_cluster.target_url}/anything", profile=profile,
        method="POST", body_file=attachment,
    )  # fmt: skip
    ray_cluster.reset_counts()

    completed = subprocess.run(
        ray_cluster.inside([sys.executable, "-m", "loadforge.server.execution.runner"]),
        input=job_to_json(job), capture_output=True, timeout=180, check=False, cwd=tmp_path,
    )  # fmt: skip

    messages = [decode(line) for line in completed.stdout.splitlines() if line.strip()]
    finished = messages[-1]
    assert isinstance(finished, Finished), completed.stderr.decode()[-3000:]
    assert finished.state == "completed", finished.error
    assert finished.results_dir is not None
    result = load_result(Path(finished.results_dir))
    assert result.cluster is not None
    assert result.cluster.address == ray_cluster.address
    assert result.workers == 4  # one per cluster CPU: the profile names no workers
    served = ray_cluster.served()
    assert result.final_summary.requests == served.total == served.routes["POST /anything"] > 0
    assert result.final_summary.errors == 0
    # The CSV the server serves has one whole row per snapshot, every request in them.
    rows = list(csv.reader(csv_rows(s.to_dict() for s in result.snapshots)))
    assert rows[0] == list(CSV_HEADER)
    assert len(rows) == len(result.snapshots) + 1
    requests = rows[0].index("requests")
    assert sum(int(row[requests]) for row in rows[1:]) == served.total


def test_a_killed_coordinator_leaves_no_worker_actor_after_10s(
    ray_cluster: RayCluster, tmp_path: Path
) -> None:
    run = _start_run(ray_cluster, tmp_path, users=3, duration="60s")
    try:
        assert len(ray_cluster.worker_actors()) == 4
        assert len(ray_cluster.merger_actors()) == 1  # the head's; a one-worker node has none
    finally:
        os.kill(run.coordinator.pid, signal.SIGKILL)
        run.coordinator.wait(timeout=10)

    deadline = time.monotonic() + 10.0
    while (ray_cluster.worker_actors() or ray_cluster.merger_actors()) and (
        time.monotonic() < deadline
    ):
        time.sleep(0.2)
    assert ray_cluster.worker_actors() == []
    assert ray_cluster.merger_actors() == []


def test_a_dead_node_merger_loses_its_nodes_workers_and_the_run_goes_on(
    ray_cluster: RayCluster, tmp_path: Path
) -> None:
    run = _start_run(ray_cluster, tmp_path, users=6, duration="8s")
    time.sleep(1.0)
    [merger] = ray_cluster.merger_actors()  # the head's, for its two workers

    os.kill(merger, signal.SIGKILL)

    result = run.result()
    assert result.status is RunStatus.COMPLETED
    assert [event.kind for event in result.events] == ["worker_lost", "worker_lost"]
    assert all("merger died" in event.cause for event in result.events)
    assert result.cluster is not None
    [head] = {result.cluster.worker_nodes[event.worker_id] for event in result.events}
    assert all(event.node == head for event in result.events)
    # Once the loss is known, the two one-worker nodes run all six users.
    event = result.events[-1]
    later = [s for s in result.snapshots if s.elapsed_seconds > event.elapsed_seconds + 1.0]
    assert later
    assert all(s.target_users == 6 for s in later[:-1])
    # The seconds the merger still held are lost with it, nothing is counted twice.
    assert 0 < result.final_summary.requests <= ray_cluster.served().total


def test_a_lost_node_is_recorded_and_the_survivors_carry_its_users(
    ray_cluster: RayCluster, tmp_path: Path
) -> None:
    run = _start_run(ray_cluster, tmp_path, users=6, duration="10s")
    time.sleep(1.0)
    node, raylet = sorted(ray_cluster.worker_raylets().items())[0]

    os.kill(raylet, signal.SIGKILL)

    result = run.result()
    assert result.status is RunStatus.COMPLETED
    [event] = result.events
    assert (event.kind, event.node) == ("worker_lost", node)
    assert result.cluster is not None
    assert result.cluster.worker_nodes[event.worker_id] == node
    # Once the loss is known, the two survivors run all six users.
    later = [s for s in result.snapshots if s.elapsed_seconds > event.elapsed_seconds + 1.0]
    assert later
    assert all(s.target_users == 6 for s in later[:-1])
    assert 0 < result.final_summary.requests <= ray_cluster.served().total


@dataclass(frozen=True)
class StartedRun:
    """A `loadforge run --cluster` started in the background, its output going to a file."""

    coordinator: subprocess.Popen[bytes]
    output: Path

    def result(self, timeout: float = 120.0) -> TestResult:
        """Wait for the run to end; its result, once it exited 0."""
        self.coordinator.wait(timeout=timeout)
        output = self.output.read_text(errors="replace")
        assert self.coordinator.returncode == 0, output
        return result_of(output)


def _start_run(cluster: RayCluster, tmp_path: Path, users: int, duration: str) -> StartedRun:
    """The counting scenario run on the cluster from a fresh count, once the target sees it."""
    scenario = write_scenario(tmp_path, cluster.target_url)
    cluster.reset_counts()
    output = tmp_path / "out.txt"
    args = run_args(scenario, cluster, "-u", str(users), "-d", duration)
    with output.open("wb") as out:  # the coordinator keeps its own copy of the file
        coordinator = cluster.popen(
            [sys.executable, "-m", "loadforge", *args],
            cwd=tmp_path, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        _wait_until_serving(cluster)
    except AssertionError:
        coordinator.kill()
        coordinator.wait(timeout=10)
        raise
    return StartedRun(coordinator, output)


def _wait_until_serving(cluster: RayCluster, seconds: float = 120.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if cluster.served().total > 0:
            return
        time.sleep(0.5)
    raise AssertionError(f"the run served nothing within {seconds:g}s")
