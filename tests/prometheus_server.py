"""A throwaway Prometheus server for the export tests, started from Debian's binary.

`make prometheus` installs Debian's `prometheus` package (2.42 here). The
server listens on a free loopback port, keeps its data in a temporary
directory, scrapes the given targets every second and accepts remote write
(`--web.enable-remote-write-receiver`). A missing binary skips the tests on
a developer's machine and fails them under CI, where a skip would hide that
nothing was checked.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

BINARY = "/usr/bin/prometheus"
SCRAPE_JOB = "loadforge-scrape"


def free_port() -> int:
    """A loopback port nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def require_prometheus() -> str:
    """The binary; skips the test (fails it under CI) when Prometheus is missing."""
    binary = BINARY if os.access(BINARY, os.X_OK) else shutil.which("prometheus")
    if binary is None:
        message = f"Prometheus is not installed ({BINARY}); `make prometheus` installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return binary


@dataclass(frozen=True)
class Prometheus:
    """A running server and its HTTP API."""

    url: str

    @property
    def remote_write_url(self) -> str:
        return f"{self.url}/api/v1/write"

    def api(self, path: str, **params: str) -> object:
        """GET /api/v1/<path>; the `data` of a successful answer (AssertionError otherwise)."""
        query = urllib.parse.urlencode(params)
        with urllib.request.urlopen(f"{self.url}/api/v1/{path}?{query}", timeout=10) as answer:
            body = json.loads(answer.read())
        assert body["status"] == "success", body
        return body["data"]

    def query(self, expression: str) -> list[dict[str, object]]:
        """An instant query's result vector."""
        data = self.api("query", query=expression)
        assert isinstance(data, dict)
        result = data["result"]
        assert isinstance(result, list)
        return result

    def value(self, expression: str) -> float | None:
        """The single value of an instant query, or None when it has no result."""
        result = self.query(expression)
        if not result:
            return None
        assert len(result) == 1, result
        sample = result[0]["value"]
        assert isinstance(sample, list)
        return float(sample[1])

    def wait_for(self, expression: str, expected: float, timeout: float = 10.0) -> float | None:
        """Poll an instant query until it returns `expected` (bounded); its last value."""
        deadline = time.monotonic() + timeout
        value = self.value(expression)
        while value != expected and time.monotonic() < deadline:
            time.sleep(0.25)
            value = self.value(expression)
        return value


def _config(targets: Sequence[str]) -> str:
    return json.dumps(
        {
            "global": {"scrape_interval": "1s", "scrape_timeout": "900ms"},
            "scrape_configs": [
                {"job_name": SCRAPE_JOB, "static_configs": [{"targets": list(targets)}]}
            ],
        }
    )


@contextmanager
def running_prometheus(targets: Sequence[str] = ()) -> Iterator[Prometheus]:
    """Start Prometheus scraping `targets` (host:port) every second; stop it after."""
    binary = require_prometheus()
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="loadforge-prometheus-") as directory:
        config = Path(directory) / "prometheus.yml"
        config.write_text(_config(targets))  # JSON is YAML
        process = subprocess.Popen(
            [
                binary,
                f"--config.file={config}",
                f"--storage.tsdb.path={directory}/data",
                f"--web.listen-address=127.0.0.1:{port}",
                "--web.enable-remote-write-receiver",
                "--log.level=warn",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        try:
            url = f"http://127.0.0.1:{port}"
            _wait_ready(url, process)
            server = Prometheus(url)
            _wait_scraping(server, len(targets))
            yield server
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            if process.stderr is not None:
                process.stderr.close()


def _wait_ready(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            raise RuntimeError(f"Prometheus exited with {process.returncode}: {error}")
        try:
            with urllib.request.urlopen(f"{url}/-/ready", timeout=1) as answer:
                if answer.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.1)
    raise RuntimeError("Prometheus did not become ready within 30 s")


def _wait_scraping(server: Prometheus, targets: int) -> None:
    """Wait until Prometheus has tried every target once.

    Ready is not scraping: Prometheus hands new targets to its scrape loops
    a few seconds after it starts, so a run started at once could end before
    the first scrape. A target nothing listens on yet is tried too (its
    health is "down"), so this only waits for the loops to run.
    """
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        data = server.api("targets")
        assert isinstance(data, dict)
        active = data["activeTargets"]
        tried = [t for t in active if not str(t["lastScrape"]).startswith("0001-")]
        if len(tried) >= targets:
            return
        time.sleep(0.1)
    raise RuntimeError(f"Prometheus did not scrape its {targets} target(s) within 30 s")
