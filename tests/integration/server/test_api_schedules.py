"""Schedules: CRUD, 422 for bad cron and timezone, and one run per firing."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from integration.server.harness import Serve, Served, TestClient, spec_body
from loadforge.server.api import create_app
from loadforge.server.api.schedule_store import DatabaseScheduleStore
from loadforge.server.api.state import ServerState
from loadforge.server.settings import ServerSettings


def _state(served: Served) -> ServerState:
    state: ServerState = served.client.app.state.server  # type: ignore[attr-defined]
    return state


def test_create_list_replace_delete(served: Served) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    body = {"spec_id": spec_id, "cron": "*/5 * * * *", "timezone": "Europe/Paris"}
    created = client.post("/api/schedules", json=body)
    assert created.status_code == 201
    schedule = created.json()
    assert schedule["enabled"] is True
    assert schedule["next_fire_at"].endswith(("0:00Z", "5:00Z"))
    assert client.get("/api/schedules").json()["total"] == 1
    replaced = client.put(f"/api/schedules/{schedule['id']}", json={**body, "enabled": False})
    assert replaced.json()["enabled"] is False
    assert replaced.json()["next_fire_at"] is None
    assert client.delete(f"/api/schedules/{schedule['id']}").status_code == 204
    assert client.get(f"/api/schedules/{schedule['id']}").status_code == 404
    assert client.put(f"/api/schedules/{schedule['id']}", json=body).status_code == 404


def test_bad_cron_timezone_or_spec_is_422(served: Served) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    cases = {
        "cron": {"spec_id": spec_id, "cron": "61 * * * *"},
        "timezone": {"spec_id": spec_id, "cron": "* * * * *", "timezone": "Mars/Olympus"},
        "spec_id": {"spec_id": 999, "cron": "* * * * *"},
    }
    for field, body in cases.items():
        answer = client.post("/api/schedules", json=body)
        assert answer.status_code == 422
        assert answer.json()["detail"][0]["loc"] == ["body", field]
    assert client.get("/api/schedules").json()["total"] == 0


def test_a_firing_starts_one_run(served: Served) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    body = {"spec_id": spec_id, "cron": "* * * * *"}
    schedule = client.post("/api/schedules", json=body).json()
    fire_time = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    runs = _state(served).runs
    run_id = served.call(runs.start_run_for_firing, schedule["id"], fire_time)
    assert isinstance(run_id, int)
    assert served.call(runs.start_run_for_firing, schedule["id"], fire_time) is None
    run = client.get(f"/api/runs/{run_id}").json()
    assert run["schedule_id"] == schedule["id"]
    assert run["status"] == "running"
    again = client.get(f"/api/schedules/{schedule['id']}").json()
    assert again["last_run_id"] == run_id
    assert again["last_fire_at"] == "2026-11-23T13:00:00Z"
    assert again["next_fire_at"] == "2026-11-23T13:01:00Z"
    assert client.get("/api/runs").json()["total"] == 1


def test_deleted_or_disabled_schedules_do_not_fire(served: Served) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    body = {"spec_id": spec_id, "cron": "* * * * *"}
    kept = client.post("/api/schedules", json=body).json()
    disabled = client.post("/api/schedules", json={**body, "enabled": False}).json()
    runs = _state(served).runs
    listed = runs.enabled_schedules()
    assert [(s.schedule_id, s.cron, s.timezone) for s in listed] == [
        (kept["id"], "* * * * *", "UTC")
    ]
    fire_time = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    assert served.call(runs.start_run_for_firing, disabled["id"], fire_time) is None
    assert served.call(runs.start_run_for_firing, 999, fire_time) is None
    run_id = served.call(runs.start_run_for_firing, kept["id"], fire_time)
    served.call(served.executor.finish, run_id)
    assert client.delete(f"/api/specs/{spec_id}").status_code == 204
    assert client.get("/api/schedules").json()["total"] == 0
    assert client.get(f"/api/runs/{run_id}").json()["schedule_id"] is None
    assert runs.enabled_schedules() == []


def test_a_refused_spec_records_a_failed_run(serve: Serve) -> None:
    served = serve(allow_targets=("api.internal",))
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    schedule = client.post("/api/schedules", json={"spec_id": spec_id, "cron": "* * * * *"}).json()
    fire_time = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    run_id = served.call(_state(served).runs.start_run_for_firing, schedule["id"], fire_time)
    run = client.get(f"/api/runs/{run_id}").json()
    assert run["status"] == "failed"
    assert "--allow-target" in run["error"]
    assert served.executor.jobs == []


def test_racing_firings_start_one_run(served: Served) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    schedule = client.post("/api/schedules", json={"spec_id": spec_id, "cron": "* * * * *"}).json()
    fire_time = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)
    runs = _state(served).runs

    async def race() -> list[int | None]:
        firings = [runs.start_run_for_firing(schedule["id"], fire_time) for _ in range(4)]
        return list(await asyncio.gather(*firings))

    started = served.call(race)
    assert isinstance(started, list)
    assert len([run_id for run_id in started if run_id is not None]) == 1
    assert client.get("/api/runs").json()["total"] == 1


def test_the_schedule_store_the_scheduler_uses(served: Served) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    body = {"spec_id": spec_id, "cron": "*/5 * * * *", "timezone": "Europe/Paris"}
    schedule = client.post("/api/schedules", json=body).json()
    client.post("/api/schedules", json={**body, "enabled": False})
    store = _state(served).schedules
    next_fire = datetime.fromisoformat(schedule["next_fire_at"])
    assert served.call(store.due_schedules, next_fire - timedelta(seconds=1)) == []
    due = served.call(store.due_schedules, next_fire)
    assert isinstance(due, list)
    assert [(d.schedule_id, d.fire_time, d.cron, d.timezone) for d in due] == [
        (schedule["id"], next_fire, "*/5 * * * *", "Europe/Paris")
    ]
    run_id = served.call(store.fire, schedule["id"], next_fire)
    assert isinstance(run_id, int)
    assert served.call(store.fire, schedule["id"], next_fire) is None
    served.call(store.set_next, schedule["id"], None)
    assert client.get(f"/api/schedules/{schedule['id']}").json()["next_fire_at"] is None
    assert served.call(store.due_schedules, next_fire + timedelta(days=1)) == []


class _Loop:
    """A stand-in scheduler that records its lifetime."""

    def __init__(self, store: DatabaseScheduleStore) -> None:
        self.store = store
        self.events: list[str] = []

    def start(self) -> None:
        self.events.append("start")

    async def stop(self) -> None:
        self.events.append("stop")


def test_the_scheduler_runs_while_the_app_serves(settings: ServerSettings) -> None:
    loops: list[_Loop] = []

    def factory(store: DatabaseScheduleStore) -> _Loop:
        loops.append(_Loop(store))
        return loops[-1]

    app = create_app(settings, scheduler_factory=factory)
    assert loops[0].events == []
    with TestClient(app):
        assert loops[0].events == ["start"]
    assert loops[0].events == ["start", "stop"]
    assert loops[0].store is app.state.server.schedules
