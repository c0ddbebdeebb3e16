"""A Ray cluster of one-CPU nodes at 127.0.0.1, in a network namespace, for the cluster benchmarks.

Outside a namespace Ray's processes bind this machine's non-loopback address
whatever `--node-ip-address` says; in a namespace whose only interface is
`lo`, every node comes up at 127.0.0.1 (as in tests/ray_cluster.py). A
benchmark runs itself inside the namespace (`in_namespace`): the target, the
nodes and `loadforge` are all there, so no traffic leaves loopback. Each node
is a `ray start --block` child of the benchmark, and the teardown ends every
process of the namespace, then the namespace, also on failure (never
`ray stop`, which would end every Ray on the machine). Needs root and `ip`.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

HEAD_PORT = 26380  # outside Ray's worker ports (10002-19999); the tests use 26379
ADDRESS = f"127.0.0.1:{HEAD_PORT}"
IP = shutil.which("ip") or "/usr/sbin/ip"
INSIDE = "--inside-namespace"
NODE_START_SECONDS = 120.0

COUNTING_TARGET = """
import asyncio, sys

ANSWER = b"HTTP/1.1 200 OK\\r\\nContent-Length: 2\\r\\n\\r\\nok"
served = 0

async def answer(reader, writer):
    global served
    try:
        while True:
            head = await reader.readuntil(b"\\r\\n\\r\\n")
            if head.startswith(b"GET /count "):
                body = str(served).encode()
                head = b"HTTP/1.1 200 OK\\r\\nContent-Length: %d\\r\\n\\r\\n" % len(body)
                writer.write(head + body)
            else:
                served += 1
                writer.write(ANSWER)
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()

async def main():
    server = await asyncio.start_server(answer, "127.0.0.1", int(sys.argv[1]), backlog=1024)
    async with server:
        await server.serve_forever()

asyncio.run(main())
"""


def in_namespace(argv: Sequence[str]) -> bool:
    """Run this script again inside a new namespace, unless it already is there (then True).

    The namespace and every process in it are gone when this returns.
    """
    if INSIDE in argv:
        return True
    if os.geteuid() != 0 or not Path(IP).is_file():
        raise SystemExit("the cluster benchmarks need root and `ip` (iproute2) for a namespace")
    namespace = f"lf-bench-{os.getpid()}"
    subprocess.run([IP, "netns", "add", namespace], check=True)
    try:
        subprocess.run([IP, "netns", "exec", namespace, IP, "link", "set", "lo", "up"], check=True)
        inner = [IP, "netns", "exec", namespace, sys.executable, *argv, INSIDE]
        completed = subprocess.run(inner, check=False)
        if completed.returncode:
            print(f"the benchmark exited with {completed.returncode}", file=sys.stderr)
    finally:
        listed = subprocess.run(
            [IP, "netns", "pids", namespace], capture_output=True, text=True, check=False
        )
        for pid in listed.stdout.split():
            with contextlib.suppress(ProcessLookupError):
                os.kill(int(pid), signal.SIGKILL)
        time.sleep(0.5)
        subprocess.run([IP, "netns", "del", namespace], check=False)
    return False


def descendants(pid: int) -> list[int]:
    """`pid` and every process below it, from /proc."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(parent, []).append(int(stat.parent.name))
    found, frontier = [pid], [pid]
    while frontier:
        frontier = [child for parent in frontier for child in children.get(parent, [])]
        found += frontier
    return found


def cpu_seconds(roots: Sequence[int]) -> float:
    """User and system CPU seconds of `roots` and their descendants alive now."""
    return sum(cpu_by_process(roots).values())


def cpu_by_process(roots: Sequence[int]) -> dict[int, float]:
    """User and system CPU seconds of each of `roots` and their descendants alive now, by pid."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds: dict[int, float] = {}
    for root in roots:
        for pid in descendants(root):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            seconds[pid] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def cpu_by_thread(pid: int) -> dict[int, float]:
    """User and system CPU seconds of each thread of process `pid` alive now, by thread id."""
    ticks = os.sysconf("SC_CLK_TCK")
    seconds: dict[int, float] = {}
    for stat in Path(f"/proc/{pid}/task").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        seconds[int(stat.parent.name)] = (int(fields[11]) + int(fields[12])) / ticks
    return seconds


def process_kind(pid: int, coordinator: int) -> str:
    """What a process of a run is, for a CPU breakdown: its Ray title, else its program's name."""
    if pid == coordinator:
        return "coordinator"
    try:
        title = (
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        )
    except OSError:
        return "gone"
    for marker, kind in (
        ("WorkerActor", "worker actor"), ("NodeMergerActor", "node merger"),
        ("raylet", "raylet"), ("gcs_server", "gcs"), ("spawn_main", "local worker"),
    ):  # fmt: skip
        if marker in title:
            return kind
    return "other ray" if "ray" in title else "other"


def _alive_nodes() -> int:
    script = (
        f"import ray,logging;ray.init(address='{ADDRESS}',logging_level=logging.ERROR);"
        "print(sum(1 for n in ray.nodes() if n['Alive']))"
    )
    try:
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=False
        )
    except subprocess.TimeoutExpired:
        return 0
    last = out.stdout.strip().splitlines()[-1:]
    return int(last[0]) if last and last[0].isdigit() else 0


@contextlib.contextmanager
def ray_nodes(
    count: int, pin: str | None = None, cpus: int = 1
) -> Iterator[list[subprocess.Popen[bytes]]]:
    """A head and `count - 1` worker nodes of `cpus` CPUs each, pinned to CPUs `pin` if given."""
    ray = str(Path(sys.executable).with_name("ray"))
    temp = Path(tempfile.mkdtemp(prefix="lfb", dir="/tmp"))  # AF_UNIX paths must stay short
    common = [
        "--num-cpus", str(cpus), "--block", "--disable-usage-stats", "--include-log-monitor=false",
    ]  # fmt: skip
    taskset = ["taskset", "-c", pin] if pin else []
    nodes: list[subprocess.Popen[bytes]] = []
    try:
        for index in range(count):
            if index == 0:
                args = ["--head", "--port", str(HEAD_PORT), "--include-dashboard=false",
                        f"--temp-dir={temp}"]  # fmt: skip
            else:
                args = ["--address", ADDRESS]
            log = (temp / f"node{index}.log").open("wb")
            nodes.append(
                subprocess.Popen([*taskset, ray, "start", *args, *common], stdout=log, stderr=log)
            )
            deadline = time.monotonic() + NODE_START_SECONDS
            while _alive_nodes() < index + 1:
                if time.monotonic() > deadline or nodes[-1].poll() is not None:
                    raise SystemExit(f"Ray node {index} did not start; see {temp}")
                time.sleep(1.0)
        yield nodes
    finally:
        for node in nodes:
            for pid in reversed(descendants(node.pid)):
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            node.wait(timeout=10)
        shutil.rmtree(temp, ignore_errors=True)


@contextlib.contextmanager
def counting_target(port: int, pin: str | None = None) -> Iterator[subprocess.Popen[bytes]]:
    """A `200 ok` keep-alive target on 127.0.0.1:`port` that answers `GET /count` with its count."""
    taskset = ["taskset", "-c", pin] if pin else []
    server = subprocess.Popen([*taskset, sys.executable, "-c", COUNTING_TARGET, str(port)])
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                served(port)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("the counting target did not start") from None
                time.sleep(0.1)
        yield server
    finally:
        server.kill()
        server.wait(10)


def served(port: int) -> int:
    """How many requests the counting target has answered (its /count)."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(b"GET /count HTTP/1.1\r\nHost: x\r\n\r\n")
        answer = b""
        while b"\r\n\r\n" not in answer or not answer.split(b"\r\n\r\n", 1)[1]:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
    return int(answer.split(b"\r\n\r\n", 1)[1])
