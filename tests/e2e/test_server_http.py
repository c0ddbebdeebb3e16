"""`loadforge serve` end to end over HTTP: specs, a 25 MB body, live runs, stop, CSV, restart."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import signal
import threading
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from cli_harness import Target, is_running
from server_harness import JsonDict, ServeProcess, receive_json, serve_process

pytestmark = pytest.mark.slow

CSV_HEADER = (
    "elapsed_seconds,timestamp,active_users,target_users,rps,requests,errors,error_rate,"
    "latency_p50_ms,latency_p95_ms,latency_p99_ms,latency_max_ms,latency_avg_ms,drain"
)


@dataclass
class ReceivedBody:
    content_type: str
    size: int
    sha256: str
    multipart_holds: bool


@dataclass
class BodyRecorder:
    """A loopback target that remembers a digest of every request body it received."""

    url: str
    expected: bytes = b""
    bodies: list[ReceivedBody] = field(default_factory=list)


@pytest.fixture
def recorder() -> Iterator[BodyRecorder]:
    state = BodyRecorder(url="")

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            state.bodies.append(
                ReceivedBody(
                    content_type=self.headers.get("Content-Type", ""),
                    size=len(body),
                    sha256=hashlib.sha256(body).hexdigest(),
                    multipart_holds=bool(state.expected) and state.expected in body,
                )
            )
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    state.url = f"http://127.0.0.1:{server.server_address[1]}/upload"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()


def _spec(name: str, request: Mapping[str, object], profile: Mapping[str, object]) -> JsonDict:
    return {"name": name, "request": dict(request), "load_profile": dict(profile), "thresholds": []}


def _csv_rows(server: ServeProcess, run_id: int) -> list[dict[str, str]]:
    response = server.client.get(f"/api/runs/{run_id}/csv")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert response.text.splitlines()[0] == CSV_HEADER
    return list(csv.DictReader(io.StringIO(response.text)))


def test_a_25_mb_attachment_is_the_body_of_a_watched_run(
    tmp_path: Path, recorder: BodyRecorder
) -> None:
    payload = os.urandom(25_000_000)
    digest = hashlib.sha256(payload).hexdigest()
    with serve_process(tmp_path / "data") as server:
        upload = server.json(
            "POST", "/api/attachments", files={"file": ("big.bin", payload, "application/x-big")}
        )
        assert (upload["size"], upload["sha256"]) == (25_000_000, digest)
        assert server.client.get(f"/api/attachments/{upload['id']}").content == payload
        request = {"method": "POST", "url": recorder.url, "headers": {}, "body": None,
                   "attachment_id": upload["id"], "body_mode": "raw"}  # fmt: skip
        spec = server.json("POST", "/api/specs", json=_spec("big body", request, {
            "users": 2, "duration": 3, "rps": 2,
        }))  # fmt: skip
        run = server.json("POST", f"/api/runs/{spec['id']}")
        with server.websocket(f"/ws/runs/{run['id']}") as socket_:
            history = receive_json(socket_)
            assert history["type"] == "history"
            seen: list[str] = []
            while "completed" not in seen:
                message = receive_json(socket_, timeout=30)
                data = message["data"]
                assert isinstance(data, dict)
                if message["type"] == "status":
                    seen.append(str(data["status"]))
                elif message["type"] == "progress":
                    seen.append("progress")
        assert "progress" in seen
        finished = server.wait_for_run(int(str(run["id"])), ["completed"])
        summary = finished["summary"]
        assert isinstance(summary, dict)
        assert int(summary["requests"]) >= 1
        assert recorder.bodies
        assert {(body.size, body.sha256) for body in recorder.bodies} == {(25_000_000, digest)}
        assert len(_csv_rows(server, int(str(run["id"])))) >= 2
        report = server.client.get(f"/api/runs/{run['id']}/report")
        assert report.status_code == 200
        assert "<html" in report.text[:2000].lower()


def test_a_multipart_body_carries_the_attachment(tmp_path: Path, recorder: BodyRecorder) -> None:
    payload = os.urandom(1_000_000)
    recorder.expected = payload
    with serve_process(tmp_path / "data") as server:
        upload = server.json(
            "POST", "/api/attachments", files={"file": ("photo.jpg", payload, "image/jpeg")}
        )
        request = {"method": "POST", "url": recorder.url, "headers": {}, "body": None,
                   "attachment_id": upload["id"], "body_mode": "multipart"}  # fmt: skip
        spec = server.json("POST", "/api/specs", json=_spec("multipart", request, {
            "users": 1, "duration": 2, "rps": 2,
        }))  # fmt: skip
        run = server.json("POST", f"/api/runs/{spec['id']}")
        server.wait_for_run(int(str(run["id"])), ["completed"])
    assert recorder.bodies
    body = recorder.bodies[0]
    assert body.content_type.startswith("multipart/form-data; boundary=")
    assert body.multipart_holds


def test_500_users_run_and_stop_gracefully(tmp_path: Path, target: Target) -> None:
    request: JsonDict = {"method": "GET", "url": f"{target.url}/anything", "headers": {},
               "body": None, "attachment_id": None, "body_mode": "raw"}  # fmt: skip
    profile = {"ramp_up": 2, "users": 500, "steady": 60, "ramp_down": 0}
    with serve_process(tmp_path / "data") as server:
        spec = server.json("POST", "/api/specs", json=_spec("five hundred", request, profile))
        run = server.json("POST", f"/api/runs/{spec['id']}")
        run_id = int(str(run["id"]))
        with server.websocket(f"/ws/runs/{run_id}") as socket_:
            users = 0
            while users < 500:
                message = receive_json(socket_, timeout=30)
                if message["type"] == "progress":
                    data = message["data"]
                    assert isinstance(data, dict)
                    users = int(data["active_users"])
        stopping = server.client.post(f"/api/runs/{run_id}/stop")
        assert stopping.status_code == 202
        stopped = server.wait_for_run(run_id, ["stopped"], timeout=30)
        summary = stopped["summary"]
        assert isinstance(summary, dict)
        assert int(summary["requests"]) > 0
        assert server.client.post(f"/api/runs/{run_id}/stop").status_code == 409
        rows = _csv_rows(server, run_id)
        assert len(rows) >= 2
        assert max(int(row["active_users"]) for row in rows) == 500


def test_a_server_killed_mid_run_leaves_it_interrupted_with_a_summary_and_report(
    tmp_path: Path, target: Target
) -> None:
    request: JsonDict = {"method": "GET", "url": f"{target.url}/anything", "headers": {},
               "body": None, "attachment_id": None, "body_mode": "raw"}  # fmt: skip
    data_dir = tmp_path / "data"
    with serve_process(data_dir) as server:
        spec = server.json("POST", "/api/specs", json=_spec("long", request, {
            "users": 5, "duration": 120, "rps": 50,
        }))  # fmt: skip
        run = server.json("POST", f"/api/runs/{spec['id']}")
        run_id = int(str(run["id"]))
        server.wait_for_run(run_id, ["running"])
        with server.websocket(f"/ws/runs/{run_id}") as socket_:
            seconds = 0
            while seconds < 3:  # a few stored seconds to add up
                seconds += receive_json(socket_)["type"] == "progress"
        children = _descendants(server.process.pid)
        server.process.send_signal(signal.SIGKILL)
        server.process.wait(10)
    killed_at = time.time()
    _wait_gone(children)
    time.sleep(1.5)  # a restart's own time is well apart from the run's last second
    with serve_process(data_dir) as server:
        run = server.json("GET", f"/api/runs/{run_id}")
        assert (run["status"], run["error"]) == ("interrupted", "server stopped")
        rows = _csv_rows(server, run_id)
        assert len(rows) >= 3
        summary = run["summary"]
        assert isinstance(summary, dict), run
        assert summary["requests"] == sum(int(row["requests"]) for row in rows) > 0
        assert summary["errors"] == 0
        assert summary["duration_seconds"] == float(rows[-1]["elapsed_seconds"])
        finished = _moment(str(run["finished_at"]))
        assert finished == pytest.approx(_moment(rows[-1]["timestamp"]), abs=0.01)
        assert finished <= killed_at
        report = server.client.get(f"/api/runs/{run_id}/report")
        assert report.status_code == 200, report.text
        assert "interrupted" in report.text
        assert "The run was interrupted before its planned end" in report.text


def _moment(iso: str) -> float:
    """An ISO 8601 time of the API (UTC, `Z`) as Unix seconds."""
    return datetime.fromisoformat(iso.replace("Z", "+00:00")).timestamp()


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    frontier = [pid]
    while frontier:
        parent = frontier.pop()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == parent:
                child = int(stat.parent.name)
                found.append(child)
                frontier.append(child)
    return found


def _wait_gone(pids: list[int], timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while any(is_running(pid) for pid in pids):
        assert time.monotonic() < deadline, "a run process outlived the server"
        time.sleep(0.1)


def test_a_schedule_fires_a_run_by_itself(tmp_path: Path, target: Target) -> None:
    request: JsonDict = {"method": "GET", "url": f"{target.url}/anything", "headers": {},
                         "body": None, "attachment_id": None, "body_mode": "raw"}  # fmt: skip
    with serve_process(tmp_path / "data") as server:
        spec = server.json("POST", "/api/specs", json=_spec("cron", request, {
            "users": 1, "duration": 1, "rps": 5,
        }))  # fmt: skip
        # Six fields: the last is seconds, so the real clock fires within two seconds.
        schedule = server.json("POST", "/api/schedules", json={
            "spec_id": spec["id"], "cron": "* * * * * */2", "timezone": "Europe/Paris",
            "enabled": True,
        })  # fmt: skip
        deadline = time.monotonic() + 30
        while True:
            page = server.json("GET", f"/api/runs?spec_id={spec['id']}")
            items = page["items"]
            assert isinstance(items, list)
            if items:
                break
            assert time.monotonic() < deadline, "the schedule never fired"
            time.sleep(0.2)
        first = items[-1]
        assert first["schedule_id"] == schedule["id"]
        server.json("PUT", f"/api/schedules/{schedule['id']}", json={
            "spec_id": spec["id"], "cron": "* * * * * */2", "timezone": "Europe/Paris",
            "enabled": False,
        })  # fmt: skip
        ended = server.wait_for_run(int(first["id"]), ["completed"])
        summary = ended["summary"]
        assert isinstance(summary, dict)
        assert int(summary["requests"]) >= 1
        fired = server.json("GET", f"/api/schedules/{schedule['id']}")
        assert fired["last_fire_at"] is not None
        assert fired["last_run_id"] is not None
        runs = server.json("GET", f"/api/runs?spec_id={spec['id']}")["items"]
        assert isinstance(runs, list)
        # Every run of the spec came from the schedule (one per firing: see test_api_schedules).
        assert all(run["schedule_id"] == schedule["id"] for run in runs)


CUSTOM_METRICS = """
from loadforge import HttpClient, metrics, scenario, task

orders = metrics.counter("orders")

@scenario(name="Orders", base_url="{url}", think_time=0.05)
class Orders:
    @task
    async def order(self, client: HttpClient) -> None:
        await client.get("/anything/order")
        orders.add(1)
"""


def test_a_code_spec_is_gated_on_its_custom_metrics(tmp_path: Path, target: Target) -> None:
    with serve_process(tmp_path / "data", ["--allow-code-specs"]) as server:
        spec = server.json("POST", "/api/specs", json={
            "name": "orders", "scenario_code": CUSTOM_METRICS.format(url=target.url),
            "load_profile": {"users": 1, "duration": 1},
            "thresholds": ["orders>=1", "orders>1000000"],
        })  # fmt: skip
        run_id = int(str(server.json("POST", f"/api/runs/{spec['id']}")["id"]))
        run = server.wait_for_run(run_id, ["completed", "failed"])

    assert run["status"] == "completed", run
    verdicts = run["thresholds"]
    assert isinstance(verdicts, list)
    assert [(v["expression"], v["passed"]) for v in verdicts] == [
        ("orders>=1", True),
        ("orders>1000000", False),
    ]
    assert run["passed"] is False
