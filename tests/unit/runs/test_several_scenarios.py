"""A run request of several scenarios: the names, the one pattern, and what does not fit."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from loadforge.errors import ConfigError, ScenarioError
from loadforge.patterns import constant, ramp
from loadforge.patterns.parallel import ParallelPattern
from loadforge.runs.options import RunOptions, options_from_mapping
from loadforge.runs.request import run_request

SHOP = """
    from loadforge import constant, ramp, scenario, task

    {module_pattern}

    @scenario(base_url="http://127.0.0.1:1", weight=3, {pattern_a})
    class Browse:
        @task
        async def get(self, client):
            await client.get("/")

    @scenario(base_url="http://127.0.0.1:1", users=2)
    class Admin:
        @task
        async def get(self, client):
            await client.get("/")
"""


def write_shop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, module_pattern: str = "", pattern_a: str = ""
) -> Path:
    monkeypatch.setattr("sys.path", list(__import__("sys").path))
    path = tmp_path / "shop.py"
    text = SHOP.format(module_pattern=module_pattern, pattern_a=pattern_a or "pattern=None")
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_all_names_every_scenario_of_the_file_in_its_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = write_shop(tmp_path, monkeypatch)

    request = run_request(shop, RunOptions(scenarios=("all",), users=4))

    assert request.scenario_names == ("Browse", "Admin")
    assert request.load.pattern == constant(4)


def test_one_name_given_as_a_list_is_a_run_of_that_scenario_alone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = write_shop(tmp_path, monkeypatch)

    request = run_request(shop, RunOptions(scenarios=("Admin",)))

    assert request.scenario_names == ()
    assert request.scenario_name == "Admin"


def test_a_module_level_pattern_is_the_one_pattern_all_of_them_carry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = write_shop(tmp_path, monkeypatch, module_pattern='pattern = ramp(0, 8, "2s")')

    request = run_request(shop, RunOptions(scenarios=("all",)))

    assert request.load.pattern == ramp(0, 8, 2)


def test_a_pattern_only_one_scenario_carries_is_refused_unless_flags_give_the_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = write_shop(tmp_path, monkeypatch, pattern_a='pattern=constant(5, "2s")')

    with pytest.raises(ScenarioError, match=r"'Browse' \(its own\), 'Admin' \(none\)"):
        run_request(shop, RunOptions(scenarios=("all",)))
    assert run_request(shop, RunOptions(scenarios=("all",), users=6)).load.pattern == constant(6)


def test_fixed_counts_beyond_the_peak_or_in_the_open_model_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = write_shop(tmp_path, monkeypatch)

    with pytest.raises(ScenarioError, match="add up to 2, more than the 1 users"):
        run_request(shop, RunOptions(scenarios=("all",), users=1))
    with pytest.raises(ScenarioError, match=r"'Admin' \(users=2\) asks for a fixed count"):
        run_request(shop, RunOptions(scenarios=("all",), arrival_rate=5.0))


def test_an_arrival_rate_runs_several_weighted_scenarios(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    shop = write_shop(tmp_path, monkeypatch)

    request = run_request(shop, RunOptions(scenarios=("Browse",), arrival_rate=5.0))
    assert request.scenario_names == ()
    several = tmp_path / "several.py"
    several.write_text(shop.read_text().replace("users=2", "weight=1"), encoding="utf-8")

    request = run_request(several, RunOptions(scenarios=("all",), arrival_rate=5.0))

    assert request.scenario_names == ("Browse", "Admin")
    assert request.load.open_model


@pytest.mark.parametrize(
    ("value", "options"),
    [
        ("Browse", RunOptions(scenario="Browse")),
        ("all", RunOptions(scenarios=("all",))),
        (["Browse", "Admin"], RunOptions(scenarios=("Browse", "Admin"))),
    ],
)
def test_the_config_key_scenario_names_one_all_or_a_list(
    value: object, options: RunOptions
) -> None:
    assert options_from_mapping({"scenario": value}, where="load.toml") == options


@pytest.mark.parametrize("value", [3, [], ["Browse", 3]])
def test_a_config_scenario_of_another_kind_is_refused(value: object) -> None:
    with pytest.raises(ConfigError, match="'scenario' must be a scenario's name"):
        options_from_mapping({"scenario": value}, where="load.toml")


OWN_PATTERNS = """
    from loadforge import constant, ramp, scenario, task
    from loadforge.patterns import ITERATIONS_PER_SECOND, ConstantPattern

    @scenario(base_url="http://127.0.0.1:1", {browse})
    class Browse:
        @task
        async def get(self, client):
            await client.get("/")

    @scenario(base_url="http://127.0.0.1:1", {admin})
    class Admin:
        @task
        async def get(self, client):
            await client.get("/")
"""


def own_patterns(tmp_path: Path, browse: str, admin: str) -> Path:
    path = tmp_path / "own.py"
    path.write_text(textwrap.dedent(OWN_PATTERNS.format(browse=browse, admin=admin)))
    return path


def test_scenarios_with_patterns_of_their_own_run_side_by_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.path", list(__import__("sys").path))
    shop = own_patterns(tmp_path, 'pattern=ramp(0, 6, "4s")', "pattern=constant(1)")

    request = run_request(shop, RunOptions(scenarios=("all",)))

    assert request.load.pattern == ParallelPattern(
        (("Browse", ramp(0, 6, 4)), ("Admin", constant(1)))
    )
    assert request.load.lanes == (ramp(0, 6, 4), constant(1))
    assert request.load.lanes_at(2.0) == (3, 1)
    # The flags' load still wins over the scenarios' own patterns.
    assert run_request(shop, RunOptions(scenarios=("all",), users=4)).load.lanes == ()


@pytest.mark.parametrize(
    ("browse", "admin", "message"),
    [
        ("pattern=constant(2)", "pattern=constant(1), users=1", r"'Admin' \(users=1\) has a fixed"),
    ],
)
def test_own_patterns_that_cannot_run_side_by_side_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, browse: str, admin: str, message: str
) -> None:
    monkeypatch.setattr("sys.path", list(__import__("sys").path))
    shop = own_patterns(tmp_path, browse, admin)

    with pytest.raises(ScenarioError, match=message):
        run_request(shop, RunOptions(scenarios=("all",)))


def test_scenarios_with_arrival_rates_of_their_own_run_side_by_side(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.path", list(__import__("sys").path))
    browse, admin = (
        "ConstantPattern(30, ITERATIONS_PER_SECOND)",
        "ConstantPattern(10, ITERATIONS_PER_SECOND)",
    )
    shop = own_patterns(tmp_path, f"pattern={browse}", f"pattern={admin}")

    request = run_request(shop, RunOptions(scenarios=("all",)))

    assert request.load.open_model
    assert request.load.lanes_at(1.0) == (30.0, 10.0)
    assert request.load.rate_at(1.0) == 40.0
    assert request.load.lane_peaks(1.0) == ()


def test_users_beside_an_arrival_rate_run_side_by_side_each_in_its_own_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.path", list(__import__("sys").path))
    shop = own_patterns(
        tmp_path, 'pattern=ramp(0, 6, "4s")', "pattern=ConstantPattern(5, ITERATIONS_PER_SECOND)"
    )

    load = run_request(shop, RunOptions(scenarios=("all",), duration=4.0)).load

    assert load.mixed
    assert load.open_model
    assert load.lane_rates == (False, True)
    assert load.lanes_at(2.0) == (3.0, 5.0)
    # The run's rate is the rate lanes' alone; its users bound is theirs too.
    assert load.rate_at(2.0) == 5.0
    assert load.target_rate_over(0.0, 1.0) == pytest.approx(5.0)
    assert load.pool_bound() == 100
    # Each user lane's most users; none for the rate lane, whose users are counted.
    assert load.lane_peaks(4.0) == (6, 0)
    assert load.closed_peak() == 6
    assert load.connection_peak() == 106
    # --max-users bounds the rate lanes' users, as it bounds an --arrival-rate's.
    bounded = RunOptions(scenarios=("all",), duration=4.0, max_users=7)
    assert run_request(shop, bounded).load.pool_bound() == 7
