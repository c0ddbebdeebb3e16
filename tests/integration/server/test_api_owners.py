"""Two servers on one database (SQLite and PostgreSQL): each run has one owner.

A starting server interrupts only the runs whose owner stopped beating; a
stop asked of the other server reaches the run's owner, which stops it.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from datetime import timedelta

from integration.server.harness import Serve, TestClient, spec_body
from loadforge.server.db.models import RunRow, ServerInstanceRow, utc_now


def _status(client: TestClient, run_id: int) -> str:
    status: str = client.get(f"/api/runs/{run_id}").json()["status"]
    return status


def test_a_second_server_leaves_a_live_servers_run_running(serve: Serve) -> None:
    first = serve()
    spec_id = first.client.post("/api/specs", json=spec_body()).json()["id"]
    run_id = first.client.post(f"/api/runs/{spec_id}").json()["id"]
    second = serve()
    assert _status(second.client, run_id) == "running"

    asked = second.client.post(f"/api/runs/{run_id}/stop")
    assert asked.status_code == 202
    assert asked.json()["status"] == "running"  # the first server carries the stop out
    deadline = time.monotonic() + 5
    while _status(second.client, run_id) != "stopped":
        assert time.monotonic() < deadline, "the owner did not stop its run"
        time.sleep(0.1)
    assert first.executor.running == {}


def test_a_starting_server_interrupts_only_runs_of_stale_owners(serve: Serve) -> None:
    first = serve()
    spec_id = first.client.post("/api/specs", json=spec_body()).json()["id"]
    live = first.client.post(f"/api/runs/{spec_id}").json()["id"]
    sessions = first.client.app.state.server.sessions  # type: ignore[attr-defined]
    long_ago = utc_now() - timedelta(hours=1)
    with sessions.begin() as session:
        session.add(ServerInstanceRow(id="killed", hostname="elsewhere", pid=1,
                                      started_at=long_ago, heartbeat_at=long_ago))  # fmt: skip
        orphan = session.get(RunRow, live)
        session.add(RunRow(spec_id=spec_id, spec=orphan.spec, status="running", owner_id="killed",
                           created_at=long_ago, elapsed_seconds=0.0, duration_seconds=4.0,
                           thresholds=[]))  # fmt: skip
        session.add(RunRow(spec_id=spec_id, spec=orphan.spec, status="queued", owner_id=None,
                           created_at=long_ago, elapsed_seconds=0.0, duration_seconds=4.0,
                           thresholds=[]))  # fmt: skip
    second = serve()
    statuses = {run["id"]: run["status"] for run in second.client.get("/api/runs").json()["items"]}
    assert statuses == {live: "running", live + 1: "interrupted", live + 2: "interrupted"}
    with sessions() as session:
        assert session.get(ServerInstanceRow, "killed") is None


def test_a_dead_server_on_this_machine_is_known_dead_at_once(serve: Serve) -> None:
    first = serve()
    spec_id = first.client.post("/api/specs", json=spec_body()).json()["id"]
    sessions = first.client.app.state.server.sessions  # type: ignore[attr-defined]
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    alive = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    now = utc_now()
    try:
        with sessions.begin() as session:
            for owner, pid in (("gone", gone.pid), ("alive", alive.pid)):
                session.add(ServerInstanceRow(id=owner, hostname=socket.gethostname(), pid=pid,
                                              started_at=now, heartbeat_at=now))  # fmt: skip
                session.add(RunRow(spec_id=spec_id, spec={"name": owner}, status="running",
                                   owner_id=owner, created_at=now, elapsed_seconds=0.0,
                                   duration_seconds=4.0, thresholds=[]))  # fmt: skip
        second = serve()
        runs = second.client.get("/api/runs").json()["items"]
        assert {run["spec"]["name"]: run["status"] for run in runs} == {
            "gone": "interrupted",
            "alive": "running",
        }
    finally:
        alive.kill()
        alive.wait()
