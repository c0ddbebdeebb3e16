"""Checks on a spec's load profile and thresholds, with `loadforge run`'s own parsers.

A spec is accepted only if its run would accept the same settings, so the
executor's own readers decide (`loadforge.server.execution`: the very code the
run's process uses to turn a profile into settings), and the threshold parser
of `--threshold`. Their ConfigError messages become the 422's text. The server
never imports a spec's scenario code, so a threshold may name any custom
metric: one the run never records fails its threshold when the run ends.
"""

from __future__ import annotations

from collections.abc import Mapping

from loadforge.errors import ConfigError
from loadforge.server.execution import validate_load_profile
from loadforge.thresholds.parser import parse_threshold


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
