"""Tests for ${VAR} expansion and resolving a scenario when a run starts."""

from __future__ import annotations

import pytest

from loadforge.dsl import ScenarioDefinition, expand_variables, resolve_scenario, scenario, task
from loadforge.dsl.decorators import scenario_of
from loadforge.errors import ConfigError


class TestExpandVariables:
    def test_replaces_references(self) -> None:
        text = expand_variables("Bearer ${TOKEN}-${N}", {"TOKEN": "abc", "N": "2"}, where="x")
        assert text == "Bearer abc-2"

    def test_double_dollar_is_a_literal_dollar(self) -> None:
        assert expand_variables("$${TOKEN} costs $$5", {}, where="x") == "${TOKEN} costs $5"

    def test_lone_dollars_are_kept(self) -> None:
        assert expand_variables("$5 and $HOME", {}, where="x") == "$5 and $HOME"

    def test_values_are_not_expanded_again(self) -> None:
        assert expand_variables("${A}", {"A": "${B}"}, where="x") == "${B}"

    def test_missing_variable_names_it_where_it_is_used_and_how_to_set_it(self) -> None:
        with pytest.raises(ConfigError) as caught:
            expand_variables("Bearer ${TOKEN}", {}, where="default_headers['Authorization']")
        message = str(caught.value)
        assert "Environment variable TOKEN is not set" in message
        assert "default_headers['Authorization'] uses it" in message
        assert "export TOKEN=" in message

    @pytest.mark.parametrize("text", ["${}", "${1A}", "${A", "${A-B}"])
    def test_malformed_references_are_refused(self, text: str) -> None:
        with pytest.raises(ConfigError, match=r"base_url contains a malformed variable reference"):
            expand_variables(text, {"A": "x"}, where="base_url")


def define(base_url: str, headers: dict[str, str] | None = None) -> ScenarioDefinition:
    @scenario(name="Api", base_url=base_url, default_headers=headers)
    class Api:
        @task
        async def work(self, client: object) -> None: ...

    found = scenario_of(Api)
    assert found is not None
    return found


class TestResolveScenario:
    def test_expands_base_url_and_headers(self) -> None:
        definition = define("${HOST}/v1/", {"Authorization": "Bearer ${TOKEN}", "X": "plain"})
        env = {"HOST": "http://127.0.0.1:9000", "TOKEN": "t0k"}

        resolved = resolve_scenario(definition, env)

        assert resolved.definition is definition
        assert resolved.base_url == "http://127.0.0.1:9000/v1"
        assert dict(resolved.default_headers) == {"Authorization": "Bearer t0k", "X": "plain"}

    def test_override_replaces_base_url_and_its_variables_are_not_needed(self) -> None:
        definition = define("${HOST}")
        resolved = resolve_scenario(definition, {}, base_url_override="http://127.0.0.1:8080/")
        assert resolved.base_url == "http://127.0.0.1:8080"

    def test_missing_header_variable_names_header_and_scenario(self) -> None:
        definition = define("http://127.0.0.1:1", {"Authorization": "Bearer ${TOKEN}"})
        with pytest.raises(ConfigError) as caught:
            resolve_scenario(definition, {})
        assert "default_headers['Authorization'] of scenario 'Api' uses it" in str(caught.value)

    def test_missing_base_url_variable_is_reported(self) -> None:
        with pytest.raises(ConfigError, match="base_url of scenario 'Api' uses it"):
            resolve_scenario(define("${HOST}"), {})

    def test_expanded_base_url_must_be_http(self) -> None:
        with pytest.raises(ConfigError) as caught:
            resolve_scenario(define("${HOST}"), {"HOST": "localhost:80"})
        message = str(caught.value)
        assert "The base_url of scenario 'Api' is 'localhost:80'" in message
        assert "http:// or https://" in message

    def test_bad_override_is_reported_as_the_override(self) -> None:
        with pytest.raises(ConfigError, match=r"override \(--base-url\) is 'nope'"):
            resolve_scenario(define("http://127.0.0.1:1"), {}, base_url_override="nope")

    def test_header_variables_cannot_inject_line_breaks(self) -> None:
        definition = define("http://127.0.0.1:1", {"X-Token": "${TOKEN}"})
        with pytest.raises(ConfigError, match="must be a single line"):
            resolve_scenario(definition, {"TOKEN": "a\r\nEvil: 1"})

    def test_resolved_headers_are_read_only(self) -> None:
        resolved = resolve_scenario(define("http://127.0.0.1:1", {"A": "1"}), {})
        with pytest.raises(TypeError):
            resolved.default_headers["A"] = "2"  # type: ignore[index]
