"""A scenario (a file, or a `@scenario` class) and run options, made into a `RunRequest`.

The scenario is loaded here, once, before the load settings are built, so
that a pattern the scenario carries becomes the run's pattern unless the
options give one; `run_session` then runs the definition it is handed
instead of loading the file again.
"""

from __future__ import annotations

from pathlib import Path

from loadforge.dsl import ScenarioDefinition, load_scenarios, select_scenario
from loadforge.dsl.decorators import scenario_of
from loadforge.engine.session import RunRequest
from loadforge.errors import ScenarioError
from loadforge.patterns import LoadPattern
from loadforge.runs.options import RunOptions
from loadforge.runs.settings import cluster_target, load_settings

DEFAULT_OUTPUT = Path("results")


def find_scenario(scenario: Path | str | type, name: str | None = None) -> ScenarioDefinition:
    """The scenario to run: from a file (the only one, or the one `name` picks), or a class."""
    if isinstance(scenario, type):
        definition = scenario_of(scenario)
        if definition is None:
            raise ScenarioError(
                f"{scenario.__name__} is not a scenario: decorate it with @scenario(base_url=...)."
            )
        if not definition.source:
            raise ScenarioError(
                f"Scenario {definition.name!r} has no source file to run it from; "
                "define it in a .py file."
            )
        return definition
    path = Path(scenario)
    return select_scenario(load_scenarios(path), name, path)


def run_request(
    scenario: Path | str | type, options: RunOptions, *, pattern: LoadPattern | None = None
) -> RunRequest:
    """The run the options describe, of the scenario given; ConfigError before any load is sent.

    `pattern` (from Python) stands in for the scenario's own pattern; the
    options still win over either.
    """
    definition = find_scenario(scenario, options.scenario)
    return RunRequest(
        scenario_path=Path(definition.source),
        load=load_settings(options, pattern or definition.pattern),
        output_root=options.output or DEFAULT_OUTPUT,
        scenario_name=definition.name,
        base_url=options.base_url,
        definition=definition,
        cluster=cluster_target(options),
    )
