"""What dashboard tests share: a `loadforge` process with its dashboard, and WebSocket clients."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from loadforge.dashboard.app import StopRun, create_app
from loadforge.dashboard.hub import MessageHub
from loadforge.dashboard.schemas import (
    MESSAGE_ADAPTER,
    HistoryMessage,
    SnapshotMessage,
    TestStatusMessage,
)
from loadforge.dashboard.server import ServerThread, bind_socket, url_of
from loadforge.metrics.models import EndpointMetrics, MetricSnapshot

Message = SnapshotMessage | TestStatusMessage | HistoryMessage


@dataclass
class DashboardProcess:
    """A running `python -m loadforge run|dashboard ...` whose dashboard URL is known."""

    process: subprocess.Popen[str]
    url: str
    lines: list[str] = field(default_factory=list)

    @property
    def ws_url(self) -> str:
        return self.url.replace("http://", "ws://", 1) + "ws/metrics"

    def get_json(self, path: str) -> dict[str, object]:
        with urllib.request.urlopen(self.url + path, timeout=5) as response:
            body: dict[str, object] = json.loads(response.read())
        return body

    def post(self, path: str) -> int:
        request = urllib.request.Request(self.url + path, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return int(response.status)
        except urllib.error.HTTPError as exc:
            return exc.code

    def wait(self, timeout: float = 60) -> int:
        code = self.process.wait(timeout)
        if self.reader is not None:
            self.reader.join(5)
        return code

    @property
    def output(self) -> str:
        return "".join(self.lines)

    @property
    def results_dir(self) -> Path:
        last = self.output.strip().splitlines()[-1]
        assert last.startswith("Results: "), self.output
        return Path(last.removeprefix("Results: "))

    reader: threading.Thread | None = None


@contextmanager
def dashboard_process(args: Sequence[str], timeout: float = 30) -> Iterator[DashboardProcess]:
    """Start `loadforge ARGS` (which must print `Dashboard: URL`); kill it on the way out."""
    process = subprocess.Popen(
        [sys.executable, "-m", "loadforge", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    assert process.stdout is not None
    lines: list[str] = []
    deadline = time.monotonic() + timeout
    url = ""
    while not url:
        line = process.stdout.readline()
        if not line or time.monotonic() > deadline:
            process.kill()
            raise AssertionError("no dashboard URL printed:\n" + "".join(lines))
        lines.append(line)
        if line.startswith("Dashboard: "):
            url = line.split()[1]
    running = DashboardProcess(process, url, lines)
    reader = threading.Thread(target=lambda: lines.extend(process.stdout or ()), daemon=True)
    reader.start()
    running.reader = reader
    try:
        yield running
    finally:
        if process.poll() is None:
            process.terminate()  # SIGTERM: graceful, so coverage of the child is saved
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)
        reader.join(5)
        process.stdout.close()


class Recorder:
    """A WebSocket client on its own thread that validates and keeps every message."""

    def __init__(self, ws_url: str) -> None:
        self.texts: list[str] = []
        self.closed = threading.Event()
        self._opened = threading.Event()
        self._socket: ClientConnection | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._read, args=(ws_url,), daemon=True)
        self._thread.start()
        self._opened.wait(10)
        if self._error is not None:
            raise AssertionError(f"cannot connect to {ws_url}") from self._error

    def _read(self, ws_url: str) -> None:
        try:
            with connect(ws_url, open_timeout=10) as websocket:
                self._socket = websocket
                self._opened.set()
                for text in websocket:
                    assert isinstance(text, str)
                    self.texts.append(text)
        except ConnectionClosed:  # the server went away: what was received is kept
            pass
        except Exception as exc:
            self._error = exc
        finally:
            self._opened.set()
            self.closed.set()

    def messages(self) -> list[Message]:
        """Every message so far, validated against the schema (raises if one does not fit)."""
        return [MESSAGE_ADAPTER.validate_json(text) for text in self.texts]

    def wait_for(self, predicate: str, count: int = 1, timeout: float = 15) -> None:
        """Wait until `count` received messages contain `predicate` in their text."""
        deadline = time.monotonic() + timeout
        while sum(predicate in text for text in self.texts) < count:
            assert time.monotonic() < deadline, f"no message with {predicate!r}: {self.texts}"
            time.sleep(0.02)

    def close(self) -> None:
        if self._socket is not None:
            self._socket.close()
        self._thread.join(5)


@contextmanager
def idle_client(url: str) -> Iterator[socket.socket]:
    """A WebSocket client that completes the handshake and then never reads a byte."""
    host, port = url.removeprefix("http://").rstrip("/").rsplit(":", 1)
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting, to count
    sock.settimeout(5)
    sock.connect((host, int(port)))
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /ws/metrics HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    try:
        yield sock
    finally:
        sock.close()


def sample_snapshot(elapsed: float = 1.0, errors: int = 2) -> MetricSnapshot:
    """A one-second snapshot with one endpoint and a few 5xx errors."""
    endpoint = EndpointMetrics(
        name="List", method="GET", requests=100, rps=100.0, latency_p50=1.0, latency_p95=2.0,
        latency_p99=3.0, latency_avg=1.2, latency_max=4.0, errors=errors, error_rate=errors / 100,
        bytes_received=1000,
    )  # fmt: skip
    return MetricSnapshot(
        timestamp=1_700_000_000 + elapsed, elapsed_seconds=elapsed, active_users=5,
        target_users=6, requests=100, rps=100.0, latency_p50=1.0,
        latency_p75=1.5, latency_p90=1.8, latency_p95=2.0, latency_p99=3.0, latency_p999=3.9,
        latency_min=0.5, latency_max=4.0, latency_avg=1.2, errors=errors,
        error_rate=errors / 100, errors_by_status={503: errors},
        errors_by_type={"HTTP 503": errors}, endpoints={"List": endpoint}, bytes_received=1000,
        task_errors=0,
    )  # fmt: skip


@dataclass(frozen=True)
class Served:
    """A dashboard app on a thread, and its URL."""

    server: ServerThread
    url: str

    def get(self, path: str) -> tuple[int, str]:
        try:
            with urllib.request.urlopen(self.url + path, timeout=5) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()

    def post(self, path: str) -> tuple[int, str]:
        request = urllib.request.Request(self.url + path, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=5) as response:
                return int(response.status), response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode()


@contextmanager
def serve_hub(hub: MessageHub, stop_run: StopRun | None) -> Iterator[Served]:
    """Serve a hub's dashboard app on a free loopback port on a thread."""
    sock = bind_socket("127.0.0.1", 0)
    server = ServerThread(create_app(hub, stop_run), sock)
    server.start()
    try:
        yield Served(server, url_of(sock))
    finally:
        server.call(hub.close)  # as a live dashboard does: end every stream, then stop
        server.stop()
