"""A run request from a scenario and options: the scenario's pattern, unless flags give one."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from loadforge.errors import ScenarioError
from loadforge.patterns import ConstantPattern, RampPattern, constant, ramp
from loadforge.runs.options import RunOptions
from loadforge.runs.request import find_scenario, run_request

SCENARIO = """
    from loadforge import constant, ramp, scenario, task

    @scenario(base_url="http://127.0.0.1:1", pattern=ramp(0, 4, "2s") >> constant(4, "3s"))
    class Api:
        @task
        async def get(self, client):
            await client.get("/")
"""


@pytest.fixture
def scenario_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr("sys.path", list(__import__("sys").path))
    path = tmp_path / "patterned.py"
    path.write_text(textwrap.dedent(SCENARIO), encoding="utf-8")
    return path


def test_the_scenarios_pattern_and_its_length_make_the_run(scenario_file: Path) -> None:
    request = run_request(scenario_file, RunOptions(workers=1))
    assert request.load.pattern == ramp(0, 4, 2) >> constant(4, 3)
    assert request.load.duration == 5
    assert request.definition is not None
    assert request.scenario_name == "Api"


def test_duration_from_the_flags_keeps_the_pattern(scenario_file: Path) -> None:
    request = run_request(scenario_file, RunOptions(duration=12.0, workers=1))
    assert request.load.pattern == ramp(0, 4, 2) >> constant(4, 3)
    assert request.load.duration == 12


@pytest.mark.parametrize(
    ("options", "pattern"),
    [
        (RunOptions(users=3, workers=1), ConstantPattern(3)),
        (RunOptions(pattern="ramp", ramp_to=9, duration=6.0, workers=1), RampPattern(10, 9, 6)),
        (
            RunOptions(pattern_table={"type": "constant", "users": 2}, workers=1),
            ConstantPattern(2),
        ),
    ],
)
def test_flags_and_the_config_file_win_over_the_scenario(
    scenario_file: Path, options: RunOptions, pattern: object
) -> None:
    assert run_request(scenario_file, options).load.pattern == pattern


def test_a_class_that_is_no_scenario_is_a_scenario_error() -> None:
    class Plain:
        pass

    with pytest.raises(ScenarioError, match="Plain is not a scenario"):
        find_scenario(Plain)
