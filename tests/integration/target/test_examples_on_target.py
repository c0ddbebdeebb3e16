"""The example scenarios do what they claim against the real demo target.

Each example's setup, every task (in order, several rounds) and teardown run
as one virtual user on LoadForge's real `HttpClient`; the requests recorded
must all have succeeded and must equal what the target counted.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import httpx
import pytest

from loadforge.dsl import ResolvedScenario, load_scenarios, resolve_scenario
from loadforge.http import ConnectionPool, HttpClient

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SCENARIO_FILES = sorted(EXAMPLES.glob("*.py"))


class ListRecorder:
    """Keeps every recorded request and failure, for assertions."""

    def __init__(self) -> None:
        self.sent = 0
        self.failures: list[str] = []

    def record(
        self, name: str, method: str, status: int, latency_us: int, nbytes: int, error: str | None
    ) -> None:
        self.sent += 1
        if error is not None:
            self.failures.append(f"{name}: {error}")

    def mark_failed(self, name: str, status: int, error: str) -> None:
        self.failures.append(f"{name}: {error}")

    def count_iterations(self, count: int) -> None:
        """Calls are not counted here."""

    def record_task_error(self, task: str, exc: BaseException) -> None:
        self.failures.append(f"task {task}: {type(exc).__name__}: {exc}")

    def record_check(self, check: str, endpoint: str, passed: bool, error: str | None) -> None:
        if not passed:
            self.failures.append(f"check {check} on {endpoint}: {error}")

    def record_group(self, group: str, duration_us: int) -> None:
        """Groups are not failures."""

    def record_timings(self, name: str, waiting_us: int, receiving_us: int) -> None:
        """Timings are not failures."""

    def record_connecting(
        self, name: str, connecting_us: int, dns_us: int | None, tls_us: int | None
    ) -> None:
        """Timings are not failures."""


@pytest.fixture(autouse=True)
def _restore_sys_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # Loading a scenario puts its directory on sys.path; undo that per test.
    monkeypatch.setattr(sys, "path", list(sys.path))


async def server_stats(target_url: str) -> dict[str, object]:
    """The target's /stats body."""
    async with httpx.AsyncClient(base_url=target_url, trust_env=False) as http:
        body: dict[str, object] = (await http.get("/stats")).json()
    return body


async def run_every_task(resolved: ResolvedScenario, rounds: int) -> ListRecorder:
    """Setup, each task ``rounds`` times in order, then teardown, as one virtual user."""
    definition = resolved.definition
    recorder = ListRecorder()
    pool = ConnectionPool(max_connections=4)
    client = HttpClient(
        base_url=resolved.base_url,
        pool=pool,
        recorder=recorder,
        default_headers=resolved.default_headers,
    )
    instance = definition.cls()
    try:
        if definition.setup is not None:
            await definition.setup(instance, client)
        for _ in range(rounds):
            for each in definition.tasks:
                await each.func(instance, client)
        if definition.teardown is not None:
            await definition.teardown(instance, client)
    finally:
        await pool.aclose()
    return recorder


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
async def test_example_runs_cleanly_against_the_target(
    path: Path, client: httpx.Client, target_url: str
) -> None:
    environ = {**os.environ, "TOKEN": "placeholder"}
    sent = 0
    for definition in load_scenarios(path):
        resolved = resolve_scenario(definition, environ, base_url_override=target_url)

        user = await run_every_task(resolved, rounds=3)

        assert user.failures == []
        assert user.sent >= len(definition.tasks) * 3
        sent += user.sent
    # Every request the example sent reached the target, and nothing else did.
    assert (await server_stats(target_url))["total"] == sent


async def test_rest_api_example_hits_the_named_routes(
    client: httpx.Client, target_url: str
) -> None:
    (definition,) = load_scenarios(EXAMPLES / "rest_api.py")
    resolved = resolve_scenario(definition, {}, base_url_override=target_url)

    await run_every_task(resolved, rounds=2)

    assert (await server_stats(target_url))["routes"] == {
        "POST /auth/login": 1,
        "GET /items": 2,
        "GET /items/{item_id}": 2,
        "POST /items": 2,
        "POST /auth/logout": 1,
    }
