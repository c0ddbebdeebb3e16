"""`current_user()` through the CLI: six users over two worker processes are users 0 … 5."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_harness import Target, invoke

pytestmark = pytest.mark.slow

SCENARIO = """
from loadforge import HttpClient, current_user, scenario, setup, task, teardown


@scenario(name="Places", base_url="{url}", think_time=0.1)
class Places:
    @setup
    async def note(self, client: HttpClient) -> None:
        me = current_user()
        place = (me.index, me.index_in_worker, me.worker_index, me.worker_count)
        with open({log!r}, "a") as log:
            log.write(" ".join(map(str, place)) + "\\n")

    @task
    async def get(self, client: HttpClient) -> None:
        await client.get(f"/anything/{{current_user().index}}", name="Anything")

    @teardown
    async def count(self, client: HttpClient) -> None:
        with open({done!r}, "a") as done:
            done.write(f"{{current_user().iteration}}\\n")
"""


def test_six_users_over_two_workers_are_users_0_to_5_with_their_workers(
    target: Target, tmp_path: Path
) -> None:
    log, done = tmp_path / "places.log", tmp_path / "iterations.log"
    scenario_file = tmp_path / "places.py"
    scenario_file.write_text(SCENARIO.format(url=target.url, log=str(log), done=str(done)))

    run = invoke(
        ["run", str(scenario_file), "-u", "6", "-w", "2", "-d", "2s", "-o", str(tmp_path), "-q"]
    )

    assert run.exit_code == 0, run.output
    places = sorted(tuple(map(int, line.split())) for line in log.read_text().splitlines())
    assert places == [
        (0, 0, 0, 2), (1, 0, 1, 2), (2, 1, 0, 2), (3, 1, 1, 2), (4, 2, 0, 2), (5, 2, 1, 2),
    ]  # fmt: skip
    requests = run.result().final_summary.endpoints["Anything"].requests
    assert requests > 6
    iterations = [int(line) for line in done.read_text().splitlines()]
    assert len(iterations) == 6
    assert min(iterations) > 0, "each user's teardown sees the tasks it finished"
    assert sum(iterations) == requests
