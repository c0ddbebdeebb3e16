"""Helpers for the executor's tests: a recording RunSink, jobs, and a body-recording target.

The sink records every call in order, so a test can assert the sequence the
API would see (started → progress → finished) and that `run_finished` came
exactly once per job.
"""

from __future__ import annotations

import asyncio
import hashlib
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from loadforge.server.contract import JsonObject, RunEnding, RunJob, RunSummary

WAIT_SECONDS = 60.0


@dataclass
class RecordingSink:
    """A RunSink that keeps every call as (kind, run_id, payload)."""

    calls: list[tuple[str, int, object]] = field(default_factory=list)

    async def run_started(self, run_id: int, results_dir: Path) -> None:
        """Record."""
        self.calls.append(("started", run_id, results_dir))

    async def run_progress(
        self, run_id: int, snapshot: JsonObject, elapsed_seconds: float, duration_seconds: float
    ) -> None:
        """Record."""
        self.calls.append(("progress", run_id, (snapshot, elapsed_seconds, duration_seconds)))

    async def run_log(self, run_id: int, line: str) -> None:
        """Record."""
        self.calls.append(("log", run_id, line))

    async def run_finished(self, run_id: int, ending: RunEnding) -> None:
        """Record."""
        self.calls.append(("finished", run_id, ending))

    def kinds(self, run_id: int) -> list[str]:
        """The kinds of call about one run, in order."""
        return [kind for kind, rid, _ in self.calls if rid == run_id]

    def logs(self, run_id: int) -> list[str]:
        """The console lines of one run."""
        return [
            str(payload) for kind, rid, payload in self.calls if kind == "log" and rid == run_id
        ]

    def ending(self, run_id: int) -> RunEnding | None:
        """The run's ending, once reported (asserting it was reported only once)."""
        endings = [p for kind, rid, p in self.calls if kind == "finished" and rid == run_id]
        assert len(endings) <= 1, f"run {run_id} finished {len(endings)} times"
        if not endings:
            return None
        assert isinstance(endings[0], RunEnding)
        return endings[0]

    def progress(self, run_id: int) -> list[tuple[JsonObject, float, float]]:
        """The run's progress calls: (snapshot, elapsed, duration)."""
        found: list[tuple[JsonObject, float, float]] = []
        for kind, rid, payload in self.calls:
            if kind == "progress" and rid == run_id:
                assert isinstance(payload, tuple)
                found.append(payload)
        return found

    async def wait_for(self, kind: str, run_id: int) -> None:
        """Wait (at most WAIT_SECONDS) until a call of that kind about that run has come."""
        async with asyncio.timeout(WAIT_SECONDS):
            # Polling keeps the sink a plain recorder.
            while kind not in self.kinds(run_id):  # noqa: ASYNC110
                await asyncio.sleep(0.02)

    async def finished(self, run_id: int) -> RunEnding:
        """Wait for the run's ending and return it."""
        await self.wait_for("finished", run_id)
        ending = self.ending(run_id)
        assert ending is not None
        return ending


def summary_of_ending(ending: RunEnding) -> RunSummary:
    """The ending's summary, which must be there."""
    assert ending.summary is not None
    return ending.summary


def run_summary(requests: int = 10, errors: int = 0, rps: float = 2.0) -> RunSummary:
    """A summary with these counts and a few milliseconds of latency."""
    return RunSummary(
        requests=requests, errors=errors, error_rate=errors / requests if requests else 0.0,
        rps=rps, duration_seconds=requests / rps, latency_p50=1.5, latency_p95=3.0,
        latency_p99=4.0, latency_max=9.0, latency_avg=2.0,
    )  # fmt: skip


def request_job(
    run_id: int,
    results_root: Path,
    url: str,
    *,
    profile: Mapping[str, object] | None = None,
    thresholds: tuple[str, ...] = (),
    method: str = "GET",
    body: str | None = None,
    body_mode: str = "raw",
    headers: Mapping[str, str] | None = None,
    body_file: Path | None = None,
) -> RunJob:
    """A job for a request spec (one user, 1 s unless a profile is given)."""
    spec = {
        "name": f"spec {run_id}",
        "request": {
            "method": method,
            "url": url,
            "headers": dict(headers or {}),
            "body": body,
            "attachment_id": None,
            "body_mode": body_mode,
        },
        "scenario_code": None,
        "load_profile": dict(profile or {"users": 1, "duration": 1, "rps": 20}),
        "thresholds": list(thresholds),
    }
    return RunJob(
        run_id=run_id,
        spec=spec,
        results_root=results_root,
        body_file=body_file,
        body_filename=None if body_file is None else body_file.name,
        body_content_type=None if body_file is None else "application/octet-stream",
    )


@dataclass(frozen=True)
class ReceivedBody:
    """What the recording target saw of one request."""

    method: str
    content_type: str
    size: int
    sha256: str
    part_head: bytes = b""  # multipart: the file part's delimiter and headers
    part_sha256: str = ""  # multipart: the digest of the file part's content


def _received(method: str, content_type: str, body: bytes) -> ReceivedBody:
    seen = ReceivedBody(method, content_type, len(body), hashlib.sha256(body).hexdigest())
    if "boundary=" not in content_type:
        return seen
    # One part: --B CRLF headers CRLF CRLF content CRLF --B-- CRLF
    delimiter = b"--" + content_type.split("boundary=", 1)[1].encode()
    start = body.index(b"\r\n\r\n") + 4
    end = body.rindex(b"\r\n" + delimiter + b"--")
    part = hashlib.sha256(body[start:end]).hexdigest()
    return ReceivedBody(seen.method, content_type, seen.size, seen.sha256, body[:start], part)


@contextmanager
def body_target() -> Iterator[tuple[str, list[ReceivedBody]]]:
    """An HTTP/1.1 server on a free loopback port that records each request body's digest."""
    received: list[ReceivedBody] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            received.append(_received(self.command, self.headers.get("Content-Type", ""), body))
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        do_PUT = do_POST

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", received
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
