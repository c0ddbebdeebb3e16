"""Runs over the API on SQLite and PostgreSQL: start, queue, stop, list, CSV, report, restart."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from integration.server.harness import Serve, Served, sample_snapshots, spec_body
from loadforge.server.contract import RunState


def _spec(served: Served, **changes: object) -> int:
    answer = served.client.post("/api/specs", json=spec_body(**changes))
    assert answer.status_code == 201, answer.text
    spec_id: int = answer.json()["id"]
    return spec_id


def test_a_run_starts_reports_progress_and_ends(served: Served) -> None:
    client = served.client
    spec_id = _spec(served)
    started = client.post(f"/api/runs/{spec_id}")
    assert started.status_code == 202
    run = started.json()
    assert run["status"] == "running"
    assert run["spec"]["name"] == "checkout"
    # The plan's length (ramp 1 s + steady 2 s + ramp down 1 s) is known before any progress.
    assert run["progress"] == {"elapsed_seconds": 0.0, "duration_seconds": 4.0, "fraction": 0.0}
    assert "last_run" not in run["spec"]
    job = served.executor.jobs[0]
    assert job.run_id == run["id"]
    assert job.spec["request"] == run["spec"]["request"]

    served.call(served.executor.play, run["id"], sample_snapshots(3), ["hello"])
    progress = client.get(f"/api/runs/{run['id']}").json()["progress"]
    assert progress == {"elapsed_seconds": 3.0, "duration_seconds": 10.0, "fraction": 0.3}
    served.call(served.executor.finish, run["id"])
    ended = client.get(f"/api/runs/{run['id']}").json()
    assert ended["status"] == "completed"
    assert ended["passed"] is True
    assert ended["summary"]["latency_p95"] == 20.0
    assert ended["thresholds"] == [{"expression": "p95<500ms", "passed": True, "actual": "20ms"}]
    assert ended["finished_at"] is not None
    assert client.post(f"/api/runs/{run['id']}/stop").status_code == 409


def test_runs_queue_and_stop(served: Served) -> None:
    client = served.client
    spec_id = _spec(served)
    first = client.post(f"/api/runs/{spec_id}").json()
    second = client.post(f"/api/runs/{spec_id}").json()
    assert (first["status"], second["status"]) == ("running", "queued")
    stopped = client.post(f"/api/runs/{second['id']}/stop")
    assert stopped.status_code == 202
    assert stopped.json()["status"] == "stopped"
    assert client.post(f"/api/runs/{first['id']}/stop").json()["status"] == "stopped"
    assert client.post("/api/runs/999/stop").status_code == 404
    assert client.post("/api/runs/999").status_code == 404


def test_list_filters_and_pages(served: Served) -> None:
    client = served.client
    one, two = _spec(served), _spec(served, name="two")
    runs = [client.post(f"/api/runs/{spec}").json() for spec in (one, two, one)]
    page = client.get("/api/runs", params={"spec_id": one}).json()
    assert [item["id"] for item in page["items"]] == [runs[2]["id"], runs[0]["id"]]
    assert page["total"] == 2
    queued = client.get("/api/runs", params={"status": "queued", "limit": 1}).json()
    assert queued["total"] == 2
    assert [item["id"] for item in queued["items"]] == [runs[2]["id"]]
    assert client.get("/api/runs", params={"limit": 0}).status_code == 422
    assert client.get("/api/runs", params={"status": "bogus"}).status_code == 422


def test_csv_has_one_row_per_second(served: Served) -> None:
    client = served.client
    run = client.post(f"/api/runs/{_spec(served)}").json()
    served.call(served.executor.play, run["id"], sample_snapshots(3))
    answer = client.get(f"/api/runs/{run['id']}/csv")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(answer.text)))
    assert rows[0][:3] == ["elapsed_seconds", "timestamp", "active_users"]
    assert len(rows[0]) == 14
    assert rows[0][-1] == "drain"
    assert [row[-1] for row in rows[1:]] == ["false", "false", "false"]
    assert [row[0] for row in rows[1:]] == ["1.0", "2.0", "3.0"]
    assert rows[1][5] == "2"
    assert rows[1][1].endswith("Z")
    assert client.get("/api/runs/999/csv").status_code == 404


def test_report_is_served_once_the_run_ended(served: Served, tmp_path: Path) -> None:
    client = served.client
    run = client.post(f"/api/runs/{_spec(served)}").json()
    assert client.get(f"/api/runs/{run['id']}/report").status_code == 409
    results = tmp_path / "results"
    results.mkdir()
    (results / "report.html").write_text("<html>report</html>")
    served.call(served.executor.finish, run["id"], RunState.COMPLETED, results)
    answer = client.get(f"/api/runs/{run['id']}/report")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.text == "<html>report</html>"


def test_an_executor_refusal_fails_the_run(served: Served) -> None:
    served.executor.refuse = RuntimeError("no room")
    run = served.client.post(f"/api/runs/{_spec(served)}").json()
    assert run["status"] == "failed"
    assert run["error"] == "no room"
    assert run["passed"] is None


def test_a_restart_marks_active_runs_interrupted(serve: Serve) -> None:
    first = serve()
    spec_id = _spec(first)
    running = first.client.post(f"/api/runs/{spec_id}").json()
    queued = first.client.post(f"/api/runs/{spec_id}").json()
    first.call(first.executor.play, running["id"], sample_snapshots(2))
    first.executor.running.clear()  # the process died: shutdown reports nothing
    first.executor.queued.clear()
    first.client.__exit__(None, None, None)

    second = serve()
    for run in (running, queued):
        again = second.client.get(f"/api/runs/{run['id']}").json()
        assert again["status"] == "interrupted"
        assert again["finished_at"] is not None
    csv_text = second.client.get(f"/api/runs/{running['id']}/csv").text
    assert len(csv_text.strip().splitlines()) == 3


def test_shutdown_interrupts_active_runs(serve: Serve) -> None:
    first = serve()
    run = first.client.post(f"/api/runs/{_spec(first)}").json()
    first.client.__exit__(None, None, None)
    assert serve().client.get(f"/api/runs/{run['id']}").json()["status"] == "interrupted"
