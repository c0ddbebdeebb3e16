"""What server-mode end-to-end tests share: a real `loadforge serve` process and a client for it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from websockets.sync.client import ClientConnection, connect

JsonDict = dict[str, object]


def free_port() -> int:
    """A loopback port nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ServeProcess:
    """A running `python -m loadforge serve` and an HTTP client pointed at it."""

    process: subprocess.Popen[str]
    url: str
    client: httpx.Client
    lines: list[str] = field(default_factory=list)

    @property
    def output(self) -> str:
        return "".join(self.lines)

    def json(self, method: str, path: str, **kwargs: object) -> JsonDict:
        """Call the API and return its JSON body, asserting a 2xx answer."""
        response = self.client.request(method, path, **kwargs)  # type: ignore[arg-type]
        assert response.is_success, f"{method} {path}: {response.status_code} {response.text}"
        body: JsonDict = response.json()
        return body

    def websocket(self, path: str) -> ClientConnection:
        return connect(self.url.replace("http://", "ws://", 1) + path, open_timeout=10)

    def wait_for_run(self, run_id: int, statuses: Sequence[str], timeout: float = 60) -> JsonDict:
        """Poll a run until its status is one of `statuses`."""
        deadline = time.monotonic() + timeout
        while True:
            run = self.json("GET", f"/api/runs/{run_id}")
            if run["status"] in statuses:
                return run
            assert time.monotonic() < deadline, f"run {run_id} stayed {run['status']}"
            time.sleep(0.2)


def receive_json(socket_: ClientConnection, timeout: float = 15) -> JsonDict:
    """The next WebSocket message, decoded."""
    message: JsonDict = json.loads(socket_.recv(timeout=timeout))
    return message


@contextmanager
def serve_process(
    data_dir: Path, args: Sequence[str] = (), env: Mapping[str, str] | None = None
) -> Iterator[ServeProcess]:
    """`loadforge serve` on a free loopback port; killed at the end if still running.

    `env` adds to (or overrides) the environment; LOADFORGE_API_TOKEN is empty by default.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "loadforge", "serve", "--host", "127.0.0.1",
        "--port", str(port), "--data-dir", str(data_dir), *args,
    ]  # fmt: skip
    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env={**os.environ, "LOADFORGE_API_TOKEN": "", **(env or {})},
    )
    url = f"http://127.0.0.1:{port}"
    token = (env or {}).get("LOADFORGE_API_TOKEN")
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    served = ServeProcess(process, url, httpx.Client(base_url=url, timeout=30, headers=headers))
    assert process.stdout is not None
    stdout = process.stdout
    reader = threading.Thread(target=lambda: served.lines.extend(stdout), daemon=True)
    reader.start()
    try:
        _wait_until_up(served)
        yield served
    finally:
        served.client.close()
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(5)
        reader.join(5)
        stdout.close()


def _wait_until_up(served: ServeProcess) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if served.process.poll() is not None:
            raise AssertionError(f"loadforge serve exited early:\n{served.output}")
        try:
            if served.client.get("/api/specs").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.1)
    raise AssertionError(f"loadforge serve did not answer within 30 s:\n{served.output}")
