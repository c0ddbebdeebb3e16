"""Every example scenario compiles, loads, and matches what its docstring promises."""

from __future__ import annotations

import ast
import tomllib
from pathlib import Path

import pytest

from loadforge.dsl import load_scenarios, resolve_scenario
from loadforge.durations import parse_duration
from loadforge.patterns import pattern_from_config

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
SCENARIO_FILES = sorted(EXAMPLES.glob("*.py"))
CONFIG_FILES = sorted(EXAMPLES.glob("*.toml"))


def test_the_expected_examples_exist() -> None:
    assert {path.name for path in SCENARIO_FILES} >= {
        "basic_get.py",
        "rest_api.py",
        "auth_flow.py",
        "spike_test.py",
        "diurnal_simulation.py",
        "composite_pattern.py",
        "seed_plan_example.py",
    }
    assert {path.name for path in CONFIG_FILES} == {
        "diurnal_simulation.toml",
        "composite_pattern.toml",
    }


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
def test_example_compiles(path: Path) -> None:
    code = compile(path.read_bytes(), str(path), "exec")
    assert code.co_filename == str(path)


@pytest.mark.parametrize(
    "path",
    [path for path in SCENARIO_FILES if path.name != "seed_plan_example.py"],
    ids=lambda path: path.name,
)
def test_example_docstring_shows_how_to_run_it(path: Path) -> None:
    docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8")))
    assert docstring is not None
    assert "loadforge target" in docstring
    assert f"loadforge run examples/{path.name} --base-url http://127.0.0.1:8080" in docstring


@pytest.mark.parametrize("path", SCENARIO_FILES, ids=lambda path: path.name)
def test_example_loads_and_resolves_against_the_target(path: Path) -> None:
    definitions = load_scenarios(path)
    assert len(definitions) == (3 if path.name == "several_scenarios.py" else 1)
    for definition in definitions:
        resolved = resolve_scenario(
            definition, {"TOKEN": "t"}, base_url_override="http://127.0.0.1:8080"
        )
        assert definition.tasks
        assert resolved.base_url == "http://127.0.0.1:8080"


def test_rest_api_example_has_the_documented_mix() -> None:
    (definition,) = load_scenarios(EXAMPLES / "rest_api.py")
    assert [(t.name, t.weight) for t in definition.tasks] == [
        ("list_items", 5),
        ("get_item", 3),
        ("create_item", 1),
    ]
    assert definition.setup is not None
    assert definition.teardown is not None


def test_seed_plan_example_is_the_plan_scenario() -> None:
    (definition,) = load_scenarios(EXAMPLES / "seed_plan_example.py")
    assert definition.name == "REST API Load Test"
    assert definition.base_url == "https://api.example.com"
    assert dict(definition.default_headers) == {"Authorization": "Bearer ${TOKEN}"}
    assert definition.think_time == (0.5, 1.5)
    assert [(t.name, t.weight) for t in definition.tasks] == [
        ("list_items", 5),
        ("get_item", 3),
        ("create_item", 1),
    ]


def test_python_pattern_example_carries_its_50_second_plan() -> None:
    (definition,) = load_scenarios(EXAMPLES / "python_pattern.py")
    assert definition.pattern is not None
    assert definition.pattern.natural_duration == 50
    assert definition.pattern.peak_users(50) == 60
    assert definition.pattern.users_at(45) == 30


def test_basic_get_has_no_think_time() -> None:
    (definition,) = load_scenarios(EXAMPLES / "basic_get.py")
    assert definition.think_time == (0.0, 0.0)


@pytest.mark.parametrize("path", CONFIG_FILES, ids=lambda path: path.name)
def test_config_files_describe_valid_patterns(path: Path) -> None:
    config = tomllib.loads(path.read_text(encoding="utf-8"))
    pattern = pattern_from_config(config["pattern"])
    assert isinstance(config["duration"], str)
    # The scenario file next to the config names the config in its docstring.
    scenario_file = path.with_suffix(".py")
    assert f"--config examples/{path.name}" in scenario_file.read_text(encoding="utf-8")
    assert pattern.to_config()["type"] == config["pattern"]["type"]


def test_composite_config_duration_covers_all_stages() -> None:
    config = tomllib.loads((EXAMPLES / "composite_pattern.toml").read_text(encoding="utf-8"))
    pattern = pattern_from_config(config["pattern"])
    assert pattern.natural_duration == parse_duration(config["duration"], where="duration")
