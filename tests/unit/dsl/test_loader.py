"""Tests for loading scenario files by path and choosing the scenario to run."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from loadforge.dsl import load_scenarios, select_scenario
from loadforge.errors import ScenarioError

WriteScenario = Callable[..., Path]

GOOD = """
    from dataclasses import dataclass

    from loadforge.dsl import scenario, setup, task


    @dataclass
    class Payload:
        name: str = "x"


    @scenario(name="Shop", base_url="http://127.0.0.1:8080")
    class Shop:
        @setup
        async def begin(self, client):
            self.payload = Payload()

        @task(weight=2)
        async def browse(self, client): ...


    @scenario(base_url="http://127.0.0.1:8080")
    class Admin:
        @task
        async def audit(self, client): ...


    AlsoAdmin = Admin
"""


def names(path: Path) -> list[str]:
    return [each.name for each in load_scenarios(path)]


class TestLoadScenarios:
    def test_finds_every_scenario_in_order_once(self, write_scenario: WriteScenario) -> None:
        path = write_scenario(GOOD)

        found = load_scenarios(path)

        assert [each.name for each in found] == ["Shop", "Admin"]
        assert found[0].task_names == ("browse",)
        assert found[0].source == str(path.resolve())
        assert found[0].cls.__module__ in sys.modules

    def test_each_load_is_a_fresh_module(self, write_scenario: WriteScenario) -> None:
        path = write_scenario(GOOD)
        first, second = load_scenarios(path)[0], load_scenarios(path)[0]
        assert first.cls is not second.cls
        assert first.cls.__module__ != second.cls.__module__

    def test_files_can_import_their_siblings(self, write_scenario: WriteScenario) -> None:
        write_scenario("PATH = '/items'\n", name="lf_sibling_paths.py")
        path = write_scenario(
            """
            from lf_sibling_paths import PATH
            from loadforge.dsl import scenario, task

            @scenario(name=PATH, base_url="http://127.0.0.1:8080")
            class Api:
                @task
                async def work(self, client): ...
            """
        )
        assert names(path) == ["/items"]

    def test_scenarios_imported_from_elsewhere_are_skipped(
        self, write_scenario: WriteScenario
    ) -> None:
        write_scenario(GOOD, name="lf_shared_scenarios.py")
        path = write_scenario(
            """
            from lf_shared_scenarios import Shop
            from loadforge.dsl import scenario, task

            @scenario(name="Local", base_url="http://127.0.0.1:8080")
            class Local(Shop):
                @task
                async def extra(self, client): ...
            """
        )
        found = load_scenarios(path)
        assert [each.name for each in found] == ["Local"]
        assert found[0].task_names == ("browse", "extra")

    def test_missing_file(self, tmp_path: Path) -> None:
        with pytest.raises(ScenarioError, match=r"Scenario file .*nope\.py does not exist"):
            load_scenarios(tmp_path / "nope.py")

    def test_directory_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(ScenarioError, match="is not a file"):
            load_scenarios(tmp_path)

    def test_non_python_file_is_refused(self, write_scenario: WriteScenario) -> None:
        path = write_scenario("[pattern]\n", name="load.toml")
        with pytest.raises(ScenarioError, match=r"load\.toml is not a Python file"):
            load_scenarios(path)

    def test_syntax_error_shows_file_line_and_code(self, write_scenario: WriteScenario) -> None:
        path = write_scenario("x = 1\ndef broken(:\n    pass\n")
        with pytest.raises(ScenarioError) as caught:
            load_scenarios(path)
        message = str(caught.value)
        assert f"Syntax error in scenario file {path.resolve()}:2: " in message
        assert message.endswith("\n    def broken(:")
        assert caught.value.__cause__ is None

    def test_null_bytes_are_reported(self, write_scenario: WriteScenario) -> None:
        path = write_scenario("x = 1\n")
        path.write_bytes(b"x = 1\0\n")
        with pytest.raises(ScenarioError, match=r"scenario_file\.py"):
            load_scenarios(path)

    def test_unreadable_file_is_reported(
        self, write_scenario: WriteScenario, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        path = write_scenario("x = 1\n")

        def refuse(self: Path) -> bytes:
            raise PermissionError(13, "Permission denied")

        monkeypatch.setattr(Path, "read_bytes", refuse)
        with pytest.raises(ScenarioError, match=r"Cannot read scenario file .*: Permission denied"):
            load_scenarios(path)

    def test_exception_at_import_names_type_message_and_line(
        self, write_scenario: WriteScenario
    ) -> None:
        path = write_scenario(
            """
            def compute():
                return {}["missing"]

            VALUE = compute()
            """
        )
        before = set(sys.modules)
        with pytest.raises(ScenarioError) as caught:
            load_scenarios(path)
        # A failed file leaves no half-imported module behind.
        assert set(sys.modules) == before
        message = str(caught.value)
        assert (
            f"Importing scenario file {path.resolve()} failed with KeyError: 'missing'" in message
        )
        # The innermost frame in the user's file, with its code.
        assert f'at {path.resolve()}:3 (`return {{}}["missing"]`)' in message

    def test_exception_raised_in_other_code_points_at_both(
        self, write_scenario: WriteScenario
    ) -> None:
        write_scenario("def fail():\n    raise RuntimeError\n", name="lf_sibling_failing.py")
        path = write_scenario("import lf_sibling_failing\n\nlf_sibling_failing.fail()\n")
        with pytest.raises(ScenarioError) as caught:
            load_scenarios(path)
        message = str(caught.value)
        assert "failed with RuntimeError at " in message
        assert ":3 (`lf_sibling_failing.fail()`)" in message
        assert "raised in " in message
        assert "lf_sibling_failing.py:2" in message

    def test_sys_exit_at_import_is_reported_not_obeyed(self, write_scenario: WriteScenario) -> None:
        path = write_scenario("import sys\nsys.exit(3)\n")
        with pytest.raises(ScenarioError, match="failed with SystemExit: 3"):
            load_scenarios(path)

    def test_invalid_scenario_errors_pass_through(self, write_scenario: WriteScenario) -> None:
        path = write_scenario(
            """
            from loadforge.dsl import scenario, task

            @scenario(name="Sync", base_url="http://127.0.0.1:8080")
            class Sync:
                @task
                def work(self, client): ...
            """
        )
        with pytest.raises(
            ScenarioError, match=r"Scenario 'Sync': task 'work' \(.*scenario_file\.py:6\)"
        ):
            load_scenarios(path)

    def test_file_without_scenarios_says_how_to_declare_one(
        self, write_scenario: WriteScenario
    ) -> None:
        path = write_scenario("class NotAScenario:\n    pass\n")
        with pytest.raises(ScenarioError) as caught:
            load_scenarios(path)
        assert "No scenario found in" in str(caught.value)
        assert "@scenario(" in str(caught.value)
        assert "loadforge init" in str(caught.value)

    def test_duplicate_scenario_names_are_refused(self, write_scenario: WriteScenario) -> None:
        path = write_scenario(
            """
            from loadforge.dsl import scenario, task

            @scenario(name="Same", base_url="http://127.0.0.1:8080")
            class One:
                @task
                async def work(self, client): ...

            @scenario(name="Same", base_url="http://127.0.0.1:8080")
            class Two:
                @task
                async def work(self, client): ...
            """
        )
        with pytest.raises(
            ScenarioError, match=r"two scenarios named 'Same' \(classes One and Two\)"
        ):
            load_scenarios(path)


class TestSelectScenario:
    def test_the_only_scenario_is_picked_without_a_name(
        self, write_scenario: WriteScenario
    ) -> None:
        path = write_scenario(
            """
            from loadforge.dsl import scenario, task

            @scenario(base_url="http://127.0.0.1:8080")
            class Only:
                @task
                async def work(self, client): ...
            """
        )
        assert select_scenario(load_scenarios(path), None, path).name == "Only"

    def test_several_without_a_name_lists_them_and_suggests_the_flag(
        self, write_scenario: WriteScenario
    ) -> None:
        path = write_scenario(GOOD)
        with pytest.raises(ScenarioError) as caught:
            select_scenario(load_scenarios(path), None, path)
        message = str(caught.value)
        assert "defines 2 scenarios ('Shop', 'Admin')" in message
        assert "--scenario Shop" in message
        assert "or run them together with --scenario all" in message

    def test_suggestion_quotes_names_with_spaces(self, write_scenario: WriteScenario) -> None:
        path = write_scenario(GOOD.replace('name="Shop"', 'name="Bob\'s Shop"'))
        with pytest.raises(ScenarioError, match=r"--scenario 'Bob'\\''s Shop'"):
            select_scenario(load_scenarios(path), None, path)

    @pytest.mark.parametrize(("name", "expected"), [("Admin", "Admin"), ("Shop", "Shop")])
    def test_picks_by_scenario_name(
        self, write_scenario: WriteScenario, name: str, expected: str
    ) -> None:
        path = write_scenario(GOOD)
        assert select_scenario(load_scenarios(path), name, path).name == expected

    def test_picks_by_class_name_too(self, write_scenario: WriteScenario) -> None:
        path = write_scenario(GOOD.replace('name="Shop"', 'name="Web Shop"'))
        assert select_scenario(load_scenarios(path), "Shop", path).name == "Web Shop"

    def test_unknown_name_lists_the_choices(self, write_scenario: WriteScenario) -> None:
        path = write_scenario(GOOD)
        with pytest.raises(ScenarioError) as caught:
            select_scenario(load_scenarios(path), "Checkout", path)
        assert "no scenario named 'Checkout'" in str(caught.value)
        assert "'Shop', 'Admin'" in str(caught.value)

    def test_empty_list_is_refused(self, tmp_path: Path) -> None:
        with pytest.raises(ScenarioError, match="No scenario found"):
            select_scenario([], None, tmp_path / "x.py")
