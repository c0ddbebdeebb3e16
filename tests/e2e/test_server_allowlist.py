"""`loadforge serve --allow-target` end to end: a redirect cannot lead a run off the list."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from server_harness import JsonDict, ServeProcess, receive_json, serve_process

pytestmark = pytest.mark.slow


@contextmanager
def http_server(location: str | None = None) -> Iterator[tuple[int, list[str]]]:
    """A loopback server that counts its requests; with `location` each answer is a 302 there."""
    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            seen.append(self.path)
            self.send_response(302 if location else 200)
            if location:
                self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.server_address[1], seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def errors_by_type(snapshot: JsonDict) -> dict[str, int]:
    """A snapshot's error counts by type."""
    found = snapshot["errors_by_type"]
    assert isinstance(found, dict)
    return found


def run_spec(server: ServeProcess, name: str, url: str) -> tuple[JsonDict, list[JsonDict]]:
    """Save and run a one-user spec for 1 s; its ending and its snapshots."""
    spec = server.json("POST", "/api/specs", json={
        "name": name, "request": {"method": "GET", "url": url},
        "load_profile": {"users": 1, "duration": 1, "rps": 20}, "thresholds": [],
    })  # fmt: skip
    run = server.json("POST", f"/api/runs/{spec['id']}")
    ended = server.wait_for_run(int(str(run["id"])), ["completed", "failed", "stopped"])
    with server.websocket(f"/ws/runs/{run['id']}") as socket_:
        history = receive_json(socket_)
    data = history["data"]
    assert isinstance(data, dict)
    return ended, list(data["snapshots"])


def test_a_redirect_off_the_allowlist_is_refused_and_counted(tmp_path: Path) -> None:
    with http_server() as (outside, outside_seen):
        redirecting = http_server(f"http://127.0.0.1:{outside}/")
        with redirecting as (allowed, allowed_seen):
            args = ["--allow-target", f"127.0.0.1:{allowed}"]
            with serve_process(tmp_path / "data", args) as server:
                ended, snapshots = run_spec(server, "hop", f"http://127.0.0.1:{allowed}/start")
    assert ended["status"] == "completed", ended
    assert len(allowed_seen) >= 5
    assert outside_seen == []
    refused = sum(errors_by_type(snapshot).get("redirect_refused", 0) for snapshot in snapshots)
    assert refused == len(allowed_seen)
    summary = ended["summary"]
    assert isinstance(summary, dict)
    assert summary["errors"] == summary["requests"] == len(allowed_seen)


def test_a_name_off_the_allowlist_is_refused_at_connect(tmp_path: Path) -> None:
    """Code specs send what they like: the run's client still holds them to the list."""
    with http_server() as (port, seen):
        code = (
            "from loadforge import HttpClient, scenario, task\n\n"
            f"@scenario(name='code', base_url='http://127.0.0.1:{port}', think_time=0)\n"
            "class Code:\n"
            "    @task\n"
            "    async def go(self, client: HttpClient) -> None:\n"
            f"        await client.get('http://localhost:{port}/by-name')\n"
        )
        args = ["--allow-target", f"127.0.0.1:{port}", "--allow-code-specs"]
        with serve_process(tmp_path / "data", args) as server:
            spec = server.json("POST", "/api/specs", json={
                "name": "code", "scenario_code": code,
                "load_profile": {"users": 1, "duration": 1, "rps": 20}, "thresholds": [],
            })  # fmt: skip
            run = server.json("POST", f"/api/runs/{spec['id']}")
            server.wait_for_run(int(str(run["id"])), ["completed", "failed"])
            with server.websocket(f"/ws/runs/{run['id']}") as socket_:
                snapshots = receive_json(socket_)["data"]["snapshots"]  # type: ignore[index]
    assert seen == []
    refused = sum(errors_by_type(snapshot).get("target_refused", 0) for snapshot in snapshots)
    assert refused >= 5
