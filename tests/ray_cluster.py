"""A real three-node Ray cluster for the cluster tests, inside a network namespace of its own.

Outside a namespace Ray's processes bind this machine's non-loopback address
whatever `--node-ip-address` says. In a namespace whose only interface is
loopback, every node comes up at 127.0.0.1, and the demo target and the
`loadforge` CLI run there too (`ip netns exec`), so no traffic leaves
loopback. Each node is a `ray start --block` child of the test, and every
process in the namespace is the test's own, so the teardown ends exactly
those (never `ray stop`, which would end every Ray on the machine).
Missing `ip`, root or `ray` skips the tests on a developer's machine and
fails them under CI.
"""

from __future__ import annotations

import contextlib
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from cli_harness import child_pids

HEAD_PORT = 26379  # outside Ray's worker ports (10002-19999)
TARGET_PORT = 28080
NODES = 3
# The head has two CPUs, so its two workers share a node's merger; each other
# node's one worker has none (`ray_cluster.WorkerFeed`): both ways are tested.
HEAD_CPUS = 2
START_SECONDS = 120.0  # per node
NODE_ATTEMPTS = 4
IP = shutil.which("ip") or "/usr/sbin/ip"


def require_cluster_tools() -> None:
    """Skip (fail under CI) unless this machine can start a cluster in a namespace."""
    missing = []
    if not Path(IP).is_file():
        missing.append("the `ip` command (iproute2)")
    if os.geteuid() != 0:
        missing.append("root (to create a network namespace)")
    if importlib.util.find_spec("ray") is None:
        missing.append("ray (uv sync --all-extras)")
    if missing:
        message = f"The Ray cluster tests need {', '.join(missing)}."
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


def descendants(pid: int) -> list[int]:
    """Every process below `pid` in the process tree, nearest first."""
    found: list[int] = []
    frontier = [pid]
    while frontier:
        children = [child for parent in frontier for child in child_pids(parent)]
        found += children
        frontier = children
    return found


def command_line(pid: int) -> str:
    """The process's command line, '' once it is gone."""
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


@dataclass(frozen=True)
class Served:
    """What the target counted: every request, and each route's."""

    total: int
    routes: dict[str, int]


@dataclass
class RayCluster:
    """The namespace, its nodes (head first) and the demo target serving in it."""

    namespace: str
    nodes: list[subprocess.Popen[bytes]] = field(default_factory=list)
    target: subprocess.Popen[bytes] | None = None

    @property
    def address(self) -> str:
        return f"127.0.0.1:{HEAD_PORT}"

    @property
    def target_url(self) -> str:
        return f"http://127.0.0.1:{TARGET_PORT}"

    def inside(self, args: Sequence[str]) -> list[str]:
        """`args` as a command run inside the namespace."""
        return [IP, "netns", "exec", self.namespace, *args]

    def popen(self, args: Sequence[str], **kwargs: object) -> subprocess.Popen[bytes]:
        return subprocess.Popen(self.inside(args), **kwargs)  # type: ignore[call-overload, no-any-return]

    def loadforge(
        self, args: Sequence[str], cwd: Path, timeout: float = 180.0
    ) -> subprocess.CompletedProcess[str]:
        """Run `python -m loadforge ARGS` inside the namespace, as a user would."""
        return subprocess.run(
            self.inside([sys.executable, "-m", "loadforge", *args]),
            capture_output=True, text=True, timeout=timeout, cwd=cwd, check=False,
        )  # fmt: skip

    def served(self) -> Served:
        """The target's own counts (`/stats`), read from inside the namespace."""
        script = (
            "import urllib.request;"
            f"print(urllib.request.urlopen('{self.target_url}/stats').read().decode())"
        )
        out = subprocess.run(
            self.inside([sys.executable, "-c", script]), capture_output=True, text=True,
            timeout=30, check=True,
        )  # fmt: skip
        counts = json.loads(out.stdout)
        return Served(int(counts["total"]), {str(k): int(v) for k, v in counts["routes"].items()})

    def reset_counts(self) -> None:
        script = (
            "import urllib.request;urllib.request.urlopen(urllib.request.Request("
            f"'{self.target_url}/stats/reset', method='POST'))"
        )
        subprocess.run(self.inside([sys.executable, "-c", script]), timeout=30, check=True)

    def worker_raylets(self) -> dict[str, int]:
        """The worker nodes' raylet processes, by node id (the head's is left out)."""
        raylets: dict[str, int] = {}
        for node in self.nodes[1:]:
            for pid in descendants(node.pid):
                line = command_line(pid)
                if "/raylet/raylet " in line and "--node_id=" in line:
                    raylets[line.split("--node_id=", 1)[1].split()[0]] = pid
        return raylets

    def pids(self) -> list[int]:
        """Every process in the namespace: the cluster's, the target's, the runs'."""
        listed = subprocess.run(
            [IP, "netns", "pids", self.namespace], capture_output=True, text=True, check=False
        )
        return [int(pid) for pid in listed.stdout.split()]

    def worker_actors(self) -> list[int]:
        """Processes in the namespace that run a loadforge worker actor."""
        return [pid for pid in self.pids() if "WorkerActor" in command_line(pid)]

    def merger_actors(self) -> list[int]:
        """Processes in the namespace that run a node's interval merger actor."""
        return [pid for pid in self.pids() if "NodeMergerActor" in command_line(pid)]

    def stop(self) -> None:
        """End every process in the namespace (all of them started here), then the namespace."""
        for pid in self.pids():
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        for process in [*self.nodes, *([self.target] if self.target else [])]:
            process.wait(timeout=10)
        subprocess.run([IP, "netns", "del", self.namespace], check=False)


def _alive_nodes(cluster: RayCluster) -> int:
    script = (
        f"import ray,logging;ray.init(address='{cluster.address}',logging_level=logging.ERROR);"
        "print(sum(1 for n in ray.nodes() if n['Alive']))"
    )
    try:
        out = subprocess.run(
            cluster.inside([sys.executable, "-c", script]), capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip
    except subprocess.TimeoutExpired:
        return 0  # the GCS is too busy to answer yet
    last = out.stdout.strip().splitlines()[-1:]
    return int(last[0]) if last and last[0].isdigit() else 0


def _normal_priority() -> None:
    # Ray gives up on a node whose raylet has not registered within 30 s;
    # started from a niced pytest on a busy machine, it does, so the nodes
    # run at normal priority (the tests run as root, which may raise it).
    os.setpriority(os.PRIO_PROCESS, 0, 0)


def _start_node(cluster: RayCluster, args: list[str], log: Path, count: int) -> None:
    """Start one node and wait until the cluster has `count` live nodes.

    On a loaded machine Ray may give up on its own 30 s startup wait; a node
    that exits is started again, at most `NODE_ATTEMPTS` times.
    """
    for attempt in range(1, NODE_ATTEMPTS + 1):
        output = log.open("ab")
        node = cluster.popen(
            args, stdout=output, stderr=subprocess.STDOUT, preexec_fn=_normal_priority
        )
        output.close()
        deadline = time.monotonic() + START_SECONDS
        try:
            while node.poll() is None and time.monotonic() < deadline:
                if _alive_nodes(cluster) >= count:
                    cluster.nodes.append(node)
                    return
                time.sleep(2.0)
        finally:
            if node not in cluster.nodes:
                node.kill()
                node.wait(timeout=10)
        if attempt == NODE_ATTEMPTS:
            tail = log.read_text(errors="replace")[-2000:]
            raise AssertionError(f"a Ray node did not start ({attempt} tries):\n{tail}")


def _wait_for_target(cluster: RayCluster) -> None:
    deadline = time.monotonic() + 60.0
    while time.monotonic() < deadline:
        try:
            cluster.served()
            return
        except subprocess.CalledProcessError:
            time.sleep(0.5)
    raise AssertionError("the demo target did not start in the namespace")


@contextlib.contextmanager
def started_cluster(logs: Path) -> Iterator[RayCluster]:
    """A head of HEAD_CPUS CPUs, two worker nodes of one CPU, and the demo target, in a namespace.

    The nodes' output goes to files in `logs`.
    """
    require_cluster_tools()
    namespace = f"lf-ray-{os.getpid()}"
    subprocess.run([IP, "netns", "add", namespace], check=True)
    cluster = RayCluster(namespace)
    ray = [str(Path(sys.executable).with_name("ray"))]
    # Ray's socket paths must stay short (AF_UNIX), so its own files go under /tmp.
    temp = Path(tempfile.mkdtemp(prefix="lfray", dir="/tmp"))
    common = ["--block", "--disable-usage-stats", "--include-log-monitor=false"]
    try:
        subprocess.run(cluster.inside([IP, "link", "set", "lo", "up"]), check=True)
        head = [
            *ray, "start", "--head", "--port", str(HEAD_PORT), "--include-dashboard=false",
            f"--temp-dir={temp}", "--num-cpus", str(HEAD_CPUS), *common,
        ]  # fmt: skip
        _start_node(cluster, head, logs / "head.log", 1)
        for index in range(1, NODES):
            worker = [*ray, "start", "--address", cluster.address, "--num-cpus", "1", *common]
            _start_node(cluster, worker, logs / f"worker{index}.log", index + 1)
        target = [sys.executable, "-m", "loadforge", "target", "--port", str(TARGET_PORT)]
        cluster.target = cluster.popen(target, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for_target(cluster)
        yield cluster
    finally:
        cluster.stop()
        shutil.rmtree(temp, ignore_errors=True)
