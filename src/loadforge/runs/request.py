"""A scenario (a file, or a `@scenario` class) and run options, made into a `RunRequest`.

The scenario is loaded here, once, before the load settings are built, so
that a pattern the scenario carries becomes the run's pattern unless the
options give one; `run_session` then runs the definition it is handed
instead of loading the file again.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from pathlib import Path

from loadforge.dsl import ScenarioDefinition, load_scenarios, select_scenario
from loadforge.dsl.decorators import scenario_of
from loadforge.dsl.loader import select_scenarios
from loadforge.dsl.mix import resolve_mix
from loadforge.engine.session import RunRequest
from loadforge.errors import ScenarioError
from loadforge.patterns import LoadPattern
from loadforge.patterns.parallel import ParallelPattern
from loadforge.runs.options import RunOptions, shapes_pattern
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
    options still win over either. Several `scenarios` in the options
    make a run of several scenarios (`run_several`).
    """
    if options.scenarios and not isinstance(scenario, type):
        path = Path(scenario)
        chosen = select_scenarios(load_scenarios(path), options.scenarios, path)
        if len(chosen) > 1:
            return run_several(chosen, options, pattern=pattern)
        options = dataclasses.replace(options, scenario=chosen[0].name, scenarios=None)
    definition = find_scenario(scenario, options.scenario)
    return RunRequest(
        scenario_path=Path(definition.source),
        load=load_settings(options, pattern or definition.pattern),
        output_root=options.output or DEFAULT_OUTPUT,
        scenario_name=definition.name,
        base_url=options.base_url,
        definition=definition.timed(bool(options.record_timings)),
        cluster=cluster_target(options),
        record_timings=bool(options.record_timings),
        timings_recorded=bool(options.record_timings) or definition.record_timings,
    )


def run_several(
    chosen: Sequence[ScenarioDefinition],
    options: RunOptions,
    *,
    pattern: LoadPattern | None = None,
) -> RunRequest:
    """A run of several scenarios, their users shared by weight or fixed count.

    They follow one pattern: the options', else the one they all carry,
    else each its own (`_carried_pattern`). A closed-model pattern shares
    its users by weight or fixed count; an arrival rate shares its starts by
    weight alone. A ScenarioError or ConfigError says what does not fit,
    before any load.
    """
    carried = pattern or _carried_pattern(chosen, options)
    load = load_settings(options, carried)
    mix = resolve_mix(chosen, os.environ, options.base_url)
    if load.open_model:
        _check_open_mix(chosen)
    elif not load.lanes:
        mix.check_users(load.pattern.peak_users(load.duration))
    first = chosen[0]
    return RunRequest(
        scenario_path=Path(first.source),
        load=load,
        output_root=options.output or DEFAULT_OUTPUT,
        scenario_name=first.name,
        base_url=options.base_url,
        definition=first,
        cluster=cluster_target(options),
        scenario_names=tuple(each.name for each in chosen),
        record_timings=bool(options.record_timings),
        timings_recorded=bool(options.record_timings)
        or all(each.record_timings for each in chosen),
    )


def _check_open_mix(chosen: Sequence[ScenarioDefinition]) -> None:
    """ScenarioError when a scenario of an open-model run has a fixed count of users."""
    fixed = [each for each in chosen if each.users is not None]
    if fixed:
        names = ", ".join(f"{each.name!r} (users={each.users})" for each in fixed)
        raise ScenarioError(
            f"An arrival rate shares its starts between scenarios by weight=, but {names} "
            "asks for a fixed count of users, which an open-model run has no place for; "
            "give it weight= instead, or run it with -u/--pattern (the closed model)."
        )


def _carried_pattern(
    chosen: Sequence[ScenarioDefinition], options: RunOptions
) -> LoadPattern | None:
    """The pattern the scenarios carry: one for all of them, each its own side by side, or none.

    Scenarios with patterns of their own run side by side, each following
    its own (`ParallelPattern`), as k6 runs each of its `scenarios` on its
    own executor: users, arrival rates, or some of each (a mixed run). Each
    must then carry one, and none have a fixed count (`users=`), which its
    own pattern replaces; anything else is a ScenarioError naming the
    scenarios.
    """
    patterns = [each.pattern for each in chosen]
    if shapes_pattern(options) or all(each is None for each in patterns):
        return None
    first = patterns[0]
    if all(each == first for each in patterns):
        return first
    listed = ", ".join(
        f"{each.name!r} ({'its own' if each.pattern is not None else 'none'})" for each in chosen
    )
    if any(each is None for each in patterns):
        raise ScenarioError(
            f"Some scenarios of this run carry a pattern and some do not: {listed}. Scenarios "
            "with patterns of their own run side by side, each following its own, so give "
            "each one a pattern=, or give the run one with -u/--pattern or a [pattern] table."
        )
    fixed = [f"{each.name!r} (users={each.users})" for each in chosen if each.users is not None]
    if fixed:
        raise ScenarioError(
            f"{', '.join(fixed)} has a fixed count of users and a pattern of its own; a "
            "scenario that follows its own pattern runs the users it gives, so drop users=."
        )
    return ParallelPattern(
        tuple((each.name, each.pattern) for each in chosen if each.pattern is not None)
    )
