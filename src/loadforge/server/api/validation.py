"""Checks on a spec's load profile and thresholds, with `loadforge run`'s own parsers.

A spec is accepted only if its run would accept the same settings, so the
executor's own readers decide (`loadforge.server.execution`: the very code the
run's process uses to turn a profile into settings), and the threshold parser
of `--threshold`. Their ConfigError messages become the 422's text. The server
never imports a spec's scenario code, so each threshold alone may name any
custom metric; the spec as a whole is then checked against what it can
record: a request spec records none, and a code spec the metrics its source
declares (read from its syntax tree, `loadforge.metrics.declared`). When
the source may declare metrics out of that reader's sight, a name it cannot
confirm passes, and one the run never records fails its threshold when the
run ends.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from loadforge.errors import ConfigError
from loadforge.metrics.declared import declared_in_source
from loadforge.server.execution import validate_load_profile
from loadforge.thresholds.parser import parse_threshold, response_timing


def check_load_profile(profile: Mapping[str, object]) -> None:
    """ConfigError naming the problem when a run would refuse this profile."""
    if not profile:
        raise ConfigError("load_profile is empty; give users and a duration or ramp phases.")
    validate_load_profile(profile)


def check_threshold(expression: str) -> str:
    """The expression unchanged; ConfigError when `--threshold`'s parser refuses it.

    A name that is no built-in metric is taken as a custom metric the scenario declares.
    """
    parse_threshold(expression, source="threshold", undeclared=True)
    return expression


def check_spec_thresholds(
    thresholds: Sequence[str], scenario_code: str | None, *, records_timings: bool | None = None
) -> None:
    """ConfigError when a threshold names a metric the spec can never record.

    A request spec records no custom metrics, and `ttfb` or `receiving`
    only with `request.record_timings` (`records_timings`; None for a code
    spec, whose scenario says so itself); a code spec records the custom
    metrics its source declares, when its source can be read for them
    (see the module docstring).
    """
    if records_timings is False:
        for index, expression in enumerate(thresholds):
            threshold = parse_threshold(expression, source=f"thresholds[{index}]", undeclared=True)
            timing = response_timing(threshold)
            if timing is not None:
                raise ConfigError(
                    f"thresholds[{index}] {expression!r} checks {timing}, which a request spec"
                    " records only with request.record_timings: true."
                )
    kinds = {} if scenario_code is None else declared_in_source(scenario_code)
    if kinds is None:
        return
    for index, expression in enumerate(thresholds):
        try:
            parse_threshold(expression, source=f"thresholds[{index}]", custom_kinds=kinds)
        except ConfigError as exc:
            if scenario_code is None:
                why = "a request spec records no custom metrics"
            elif kinds:
                why = f"its scenario code declares {', '.join(sorted(kinds))}"
            else:
                why = "its scenario code declares no custom metrics"
            raise ConfigError(f"{exc} ({why}.)") from None
