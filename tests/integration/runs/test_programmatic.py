"""`loadforge.run` against the demo API: the figures of result.json, thresholds, any caller."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import loadforge
from cli_harness import EXAMPLES, Target
from loadforge import HttpClient, constant, scenario, task
from loadforge.errors import ConfigError
from loadforge.metrics.models import RunStatus
from loadforge.target.server import running_target


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    with running_target() as url:
        yield Target(url)


@scenario(base_url="http://127.0.0.1:1", think_time=0.05, pattern=constant(2, "1s"))
class Items:
    """Two users listing items for a second: the pattern travels with the class."""

    @task
    async def list_items(self, client: HttpClient) -> None:
        await client.get("/anything", name="Anything")


def test_a_run_from_a_path_has_result_jsons_figures_and_outcomes(
    target: Target, tmp_path: Path
) -> None:
    target.reset()
    result = loadforge.run(
        EXAMPLES / "basic_get.py",
        users=2,
        duration="1s",
        base_url=target.url,
        thresholds=["error_rate<1%", "p95<0.001ms"],
        output=tmp_path,
    )
    assert result.directory is not None
    assert result.directory.parent == tmp_path
    stored = json.loads((result.directory / "result.json").read_text())
    figures = {k: v for k, v in result.final_summary.items() if k != "thresholds"}
    assert figures == stored["final_summary"]
    assert result.final_summary["thresholds"] == stored["thresholds"]
    assert result.final_summary["requests"] == target.served() > 0
    first, second = result.outcomes
    assert first.passed
    assert not second.passed
    assert not result.passed
    table = result.threshold_table().splitlines()
    assert table[0].split() == ["threshold", "result", "details"]
    assert table[2].split()[:2] == ["p95<0.001ms", "FAIL"]
    assert (result.directory / "report.html").is_file()


def test_a_scenario_class_runs_its_own_pattern_and_keeps_nothing_without_output(
    target: Target,
) -> None:
    target.reset()
    result = loadforge.run(Items, base_url=target.url)
    assert result.status is RunStatus.COMPLETED
    assert result.directory is None
    assert result.result.pattern_description == "constant 2 users for 1s"
    assert result.final_summary["requests"] == target.served() > 0
    assert result.final_summary["errors"] == 0
    assert result.passed
    assert result.final_summary["thresholds"] == []


async def test_it_runs_inside_a_running_event_loop(target: Target) -> None:
    blocking = loadforge.run(Items, base_url=target.url, duration=0.5)
    awaited = await loadforge.run_async(Items, base_url=target.url, duration=0.5)
    assert asyncio.get_running_loop().is_running()  # the caller's loop, untouched
    assert blocking.status is awaited.status is RunStatus.COMPLETED
    assert blocking.result.final_summary.requests > 0
    assert awaited.result.final_summary.requests > 0


def test_a_pattern_argument_wins_over_the_scenarios(target: Target) -> None:
    result = loadforge.run(Items, base_url=target.url, pattern=constant(1, "0.5s"))
    assert result.result.pattern_description == "constant 1 user for 500ms"
    assert result.final_summary["target_users"] == 1


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"thresholds": ["p95<<3"]}, "p95<<3"),
        ({"thresholds": "p95<3ms"}, "thresholds is a list"),
        ({"users": 2, "pattern": constant(1, 1)}, "either users or pattern"),
        ({"duration": "soon"}, "duration"),
    ],
)
def test_bad_input_is_a_config_error_before_any_request(
    target: Target, kwargs: dict[str, object], message: str
) -> None:
    target.reset()
    with pytest.raises(ConfigError, match=message):
        loadforge.run(Items, base_url=target.url, **kwargs)  # type: ignore[arg-type]
    assert target.served() == 0


def test_a_run_from_python_runs_several_scenarios_of_a_file_together(target: Target) -> None:
    target.reset()

    result = loadforge.run(
        EXAMPLES / "several_scenarios.py",
        scenarios=["all"],
        users=5,
        duration="1s",
        base_url=target.url,
        thresholds=['"Browse": requests>0'],
    )

    shares = {each.name: each.users for each in result.result.scenarios}
    assert shares == {"Browse": 3, "Buy": 1, "Admin": 1}
    assert sum(each.requests for each in result.result.scenarios) == target.served()
    assert result.passed, result.threshold_table()


def test_scenarios_from_python_must_be_a_list_of_names() -> None:
    with pytest.raises(ConfigError, match=r"scenarios is a list of scenario names"):
        loadforge.run(EXAMPLES / "several_scenarios.py", scenarios="all")
