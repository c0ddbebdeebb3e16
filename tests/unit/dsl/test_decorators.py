"""Tests for the @scenario/@task/@setup/@teardown decorators and their validation."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import cast

import pytest

from loadforge.dsl import ScenarioDefinition, scenario, setup, task, teardown
from loadforge.dsl.decorators import MARKER_ATTRIBUTE, Marker, Role, scenario_of
from loadforge.errors import ScenarioError

URL = "http://127.0.0.1:8080"


def definition_of(cls: type) -> ScenarioDefinition:
    found = scenario_of(cls)
    assert found is not None
    return found


class TestTaskMarker:
    def test_bare_task_has_weight_one_and_returns_the_function(self) -> None:
        async def work(self: object, client: object) -> None: ...

        marked = task(work)

        assert marked is work
        assert getattr(work, MARKER_ATTRIBUTE) == Marker(Role.TASK, 1)

    @pytest.mark.parametrize("decorator", [task(3), task(weight=3)])
    def test_weight_can_be_positional_or_keyword(self, decorator: object) -> None:
        async def work(self: object, client: object) -> None: ...

        assert callable(decorator)
        decorator(work)

        assert getattr(work, MARKER_ATTRIBUTE) == Marker(Role.TASK, 3)

    def test_called_without_arguments_means_weight_one(self) -> None:
        @task()
        async def work(self: object, client: object) -> None: ...

        assert getattr(work, MARKER_ATTRIBUTE) == Marker(Role.TASK, 1)

    def test_weight_given_twice_is_refused(self) -> None:
        with pytest.raises(ScenarioError, match="weight twice"):
            task(2, weight=3)  # type: ignore[call-overload]

    def test_bare_form_with_a_weight_is_refused(self) -> None:
        async def work(self: object, client: object) -> None: ...

        with pytest.raises(ScenarioError, match="not both forms"):
            task(work, weight=3)  # type: ignore[call-overload]

    def test_setup_and_teardown_markers(self) -> None:
        async def begin(self: object, client: object) -> None: ...

        async def end(self: object, client: object) -> None: ...

        assert setup(begin) is begin
        assert teardown(end) is end
        assert getattr(begin, MARKER_ATTRIBUTE) == Marker(Role.SETUP)
        assert getattr(end, MARKER_ATTRIBUTE) == Marker(Role.TEARDOWN)

    def test_a_method_can_play_only_one_part(self) -> None:
        async def work(self: object, client: object) -> None: ...

        task(work)
        with pytest.raises(ScenarioError) as caught:
            setup(work)
        assert re.search(
            r"work \(.*test_decorators\.py:\d+\) is decorated with both @task and @setup",
            str(caught.value),
        )
        with pytest.raises(ScenarioError, match="decorated with @task twice"):
            task(3)(work)

    def test_objects_that_cannot_carry_a_marker_are_refused(self) -> None:
        with pytest.raises(ScenarioError, match="can only decorate `async def` methods"):
            task(len)


class TestScenarioDefinition:
    def test_collects_everything_in_definition_order(self) -> None:
        @scenario(
            name="Shop",
            base_url=URL,
            default_headers={"X-Test": "1"},
            think_time=(1, 2),
            timeout=5,
            verify=False,
        )
        class Shop:
            @setup
            async def begin(self, client: object) -> None: ...

            @task(weight=5)
            async def browse(self, client: object) -> None: ...

            @task
            async def buy(self, client: object) -> None: ...

            @teardown
            async def end(self, client: object) -> None: ...

            async def not_a_task(self, client: object) -> None: ...

        found = definition_of(Shop)
        assert found.name == "Shop"
        assert found.cls is Shop
        assert found.base_url == URL
        assert dict(found.default_headers) == {"X-Test": "1"}
        assert [(t.name, t.weight) for t in found.tasks] == [("browse", 5), ("buy", 1)]
        assert found.tasks[0].func is vars(Shop)["browse"]
        assert found.setup is vars(Shop)["begin"]
        assert found.teardown is vars(Shop)["end"]
        assert found.think_time == (1.0, 2.0)
        assert found.timeout == 5.0
        assert found.verify is False
        assert found.source == __file__

    def test_returns_the_class_unchanged_with_defaults(self) -> None:
        class Plain:
            @task
            async def work(self, client: object) -> None: ...

        decorated = scenario(base_url=URL)(Plain)

        assert decorated is Plain
        found = definition_of(Plain)
        assert found.name == "Plain"
        assert found.think_time == (0.5, 1.5)
        assert found.timeout == 30.0
        assert found.verify is True
        assert found.setup is None
        assert found.teardown is None
        assert dict(found.default_headers) == {}

    @pytest.mark.parametrize(
        ("think_time", "expected"),
        [(0, (0.0, 0.0)), (2, (2.0, 2.0)), (0.25, (0.25, 0.25)), ([1, 3], (1.0, 3.0))],
    )
    def test_think_time_forms(self, think_time: float, expected: tuple[float, float]) -> None:
        @scenario(base_url=URL, think_time=think_time)
        class Api:
            @task
            async def work(self, client: object) -> None: ...

        assert definition_of(Api).think_time == expected

    def test_inherits_tasks_and_hooks_from_base_classes(self) -> None:
        class Base:
            @setup
            async def begin(self, client: object) -> None: ...

            @task(weight=2)
            async def shared(self, client: object) -> None: ...

            @task
            async def replaced(self, client: object) -> None: ...

            @task
            async def dropped(self, client: object) -> None: ...

        @scenario(base_url=URL)
        class Child(Base):
            @task(weight=7)
            async def replaced(self, client: object) -> None: ...

            async def dropped(self, client: object) -> None: ...

            @task
            async def own(self, client: object) -> None: ...

        found = definition_of(Child)
        assert [(t.name, t.weight) for t in found.tasks] == [
            ("shared", 2),
            ("replaced", 7),
            ("own", 1),
        ]
        assert found.tasks[1].func is vars(Child)["replaced"]
        assert found.setup is vars(Base)["begin"]

    def test_subclass_of_a_scenario_does_not_inherit_its_definition(self) -> None:
        @scenario(base_url=URL)
        class Parent:
            @task
            async def work(self, client: object) -> None: ...

        class Child(Parent):
            pass

        assert scenario_of(Child) is None
        assert definition_of(Parent).cls is Parent

    def test_variables_in_base_url_are_not_checked_at_import(self) -> None:
        @scenario(base_url="${API_URL}")
        class Api:
            @task
            async def work(self, client: object) -> None: ...

        assert definition_of(Api).base_url == "${API_URL}"

    def test_dataclass_scenarios_with_defaults_are_accepted(self) -> None:
        @scenario(base_url=URL)
        @dataclass
        class WithState:
            count: int = 0

            @task
            async def work(self, client: object) -> None: ...

        assert definition_of(WithState).cls is WithState


def build(**options: object) -> None:
    """Declare a one-task scenario called 'Broken' with these @scenario options."""
    settings: dict[str, object] = {"name": "Broken", "base_url": URL, **options}

    class Broken:
        @task
        async def work(self, client: object) -> None: ...

    scenario(**settings)(Broken)  # type: ignore[arg-type]


class TestScenarioValidation:
    def test_sync_task_is_refused_naming_scenario_function_and_place(self) -> None:
        with pytest.raises(ScenarioError) as caught:

            @scenario(name="Shop", base_url=URL)
            class Shop:
                @task
                def browse(self, client: object) -> None: ...

        message = str(caught.value)
        assert "Scenario 'Shop'" in message
        assert "task 'browse'" in message
        assert "async def" in message
        assert re.search(r"test_decorators\.py:\d+", message)

    @pytest.mark.parametrize("role", ["setup", "teardown"])
    def test_sync_hooks_are_refused(self, role: str) -> None:
        marker = setup if role == "setup" else teardown

        class Api:
            @task
            async def work(self, client: object) -> None: ...

            def hook(self, client: object) -> None: ...

            hook = marker(hook)

        with pytest.raises(
            ScenarioError, match=rf"{role} 'hook'.*must be declared with `async def`"
        ):
            scenario(name="Api", base_url=URL)(Api)

    def test_task_with_wrong_parameters_is_refused(self) -> None:
        with pytest.raises(
            ScenarioError, match=r"task 'browse'.*must accept exactly \(self, client\)"
        ):

            @scenario(base_url=URL)
            class Shop:
                @task
                async def browse(self) -> None: ...

    @pytest.mark.parametrize("weight", [0, -1, 2.5, True, "3"])
    def test_bad_weights_are_refused(self, weight: object) -> None:
        with pytest.raises(ScenarioError) as caught:

            @scenario(name="Shop", base_url=URL)
            class Shop:
                @task(cast(int, weight))
                async def browse(self, client: object) -> None: ...

        message = str(caught.value)
        assert "Scenario 'Shop': task 'browse'" in message
        assert f"has weight {weight!r}" in message
        assert "whole number of at least 1" in message

    def test_no_tasks_is_refused_with_how_to(self) -> None:
        with pytest.raises(
            ScenarioError, match=r"Scenario 'Empty' \(class Empty\) has no tasks.*@task"
        ):

            @scenario(base_url=URL)
            class Empty:
                async def not_marked(self, client: object) -> None: ...

    @pytest.mark.parametrize(
        ("base_url", "problem"),
        [
            ("api.example.com", "must start with http:// or https://"),
            ("ftp://example.com", "must start with http:// or https://"),
            ("http://", "has no host name"),
            ("", "it is empty"),
            ("http://host:99999", "not a valid URL"),
            ("http://host:0", "port 0"),
            ("http://host/?q=1", "query string or fragment"),
        ],
    )
    def test_bad_literal_base_urls_are_refused(self, base_url: str, problem: str) -> None:
        with pytest.raises(ScenarioError) as caught:
            build(base_url=base_url)
        assert "Scenario 'Broken': base_url" in str(caught.value)
        assert problem in str(caught.value)

    def test_base_url_must_be_text(self) -> None:
        with pytest.raises(ScenarioError, match="base_url must be text"):
            build(base_url=8080)

    @pytest.mark.parametrize("think_time", [-1, (2, 1), (-1, 1), (1, 2, 3), "1", None, True])
    def test_bad_think_times_are_refused(self, think_time: object) -> None:
        with pytest.raises(ScenarioError, match=r"Scenario 'Broken': think_time .* is invalid"):
            build(think_time=think_time)

    @pytest.mark.parametrize("timeout", [0, -5, float("inf"), float("nan"), "30"])
    def test_bad_timeouts_are_refused(self, timeout: object) -> None:
        with pytest.raises(ScenarioError, match=r"Scenario 'Broken': timeout .* positive number"):
            build(timeout=timeout)

    def test_verify_must_be_a_bool(self) -> None:
        with pytest.raises(ScenarioError, match="verify must be True or False"):
            build(verify="yes")

    @pytest.mark.parametrize("name", ["", "  ", 42])
    def test_bad_names_are_refused(self, name: object) -> None:
        with pytest.raises(ScenarioError, match="a scenario name must be non-empty text"):
            build(name=name)

    @pytest.mark.parametrize(
        ("headers", "problem"),
        [
            (["Authorization"], "must be a dict"),
            ({"Bad Name": "x"}, "invalid header name 'Bad Name'"),
            ({1: "x"}, "invalid header name 1"),
            ({"X-A": "a\r\nInjected: 1"}, "default_headers['X-A'] must be single-line text"),
            ({"X-A": 1}, "default_headers['X-A'] must be single-line text"),
        ],
    )
    def test_bad_default_headers_are_refused(self, headers: object, problem: str) -> None:
        with pytest.raises(ScenarioError, match=re.escape(problem)):
            build(default_headers=headers)

    @pytest.mark.parametrize("role", ["setup", "teardown"])
    def test_more_than_one_hook_is_refused(self, role: str) -> None:
        marker = setup if role == "setup" else teardown

        class Api:
            @task
            async def work(self, client: object) -> None: ...

            async def first(self, client: object) -> None: ...

            async def second(self, client: object) -> None: ...

            first = marker(first)
            second = marker(second)

        with pytest.raises(ScenarioError) as caught:
            scenario(name="Api", base_url=URL)(Api)
        assert f"Scenario 'Api' has 2 @{role} methods ('first', 'second')" in str(caught.value)

    def test_class_needing_constructor_arguments_is_refused(self) -> None:
        with pytest.raises(ScenarioError) as caught:

            @scenario(name="Needy", base_url=URL)
            class Needy:
                def __init__(self, token: str) -> None:
                    self.token = token

                @task
                async def work(self, client: object) -> None: ...

        message = str(caught.value)
        assert "Scenario 'Needy': class Needy cannot be created without arguments" in message
        assert "'token'" in message

    def test_decorating_a_function_is_refused(self) -> None:
        async def not_a_class(self: object, client: object) -> None: ...

        with pytest.raises(ScenarioError, match="@scenario must decorate a class"):
            scenario(base_url=URL)(not_a_class)  # type: ignore[type-var]
