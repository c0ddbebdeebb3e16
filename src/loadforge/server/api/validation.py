"""Checks on a spec's load profile and thresholds, with the CLI's own parsers.

A spec is accepted only if `loadforge run` would accept the same settings,
so the same functions decide: `ramp_profile` for the short ramp form,
`options_from_mapping` + `load_settings` for run options, `parse_threshold`
for thresholds. Their ConfigError messages become the 422's text.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from loadforge.cli.options import options_from_mapping
from loadforge.cli.run_command import load_settings
from loadforge.errors import ConfigError
from loadforge.patterns.config import ramp_profile
from loadforge.thresholds.parser import parse_threshold

RAMP_KEYS = frozenset({"ramp_up", "users", "steady", "ramp_down"})
RAMP_PHASES = ("ramp_up", "steady", "ramp_down")

OPTION_KEYS = frozenset(
    {
        "users",
        "duration",
        "pattern",
        "ramp_to",
        "ramp_duration",
        "step_size",
        "step_duration",
        "steps",
        "spike_users",
        "spike_at",
        "spike_duration",
        "peak_users",
        "period",
        "rps",
        "grace",
        "max_connections",
        "seed",
        "workers",
        "metrics_transport",
        "arrival_rate",
        "max_users",
    }
)
"""The run options a profile may set: how much load and how shaped. Report and
output settings (paths on the server) are the server's business, not the spec's."""


def is_ramp_form(profile: Mapping[str, object]) -> bool:
    """True for the `{ramp_up, users, steady, ramp_down}` form."""
    return bool(profile) and set(profile) <= RAMP_KEYS and any(k in profile for k in RAMP_PHASES)


def check_load_profile(profile: Mapping[str, object]) -> None:
    """ConfigError naming the problem when `loadforge run` would refuse this profile."""
    if not profile:
        raise ConfigError("load_profile is empty; give users and a duration or ramp phases.")
    if is_ramp_form(profile):
        _check_ramp(profile)
        return
    unknown = sorted(set(profile) - OPTION_KEYS)
    if unknown:
        raise ConfigError(
            f"load_profile: unknown setting {unknown[0]!r}. Known settings:"
            f" {', '.join(sorted(OPTION_KEYS))}, or the ramp form"
            " {ramp_up, users, steady, ramp_down}."
        )
    load_settings(options_from_mapping(profile, where="load_profile"))


def _check_ramp(profile: Mapping[str, object]) -> None:
    users = profile.get("users")
    if not isinstance(users, int) or isinstance(users, bool):
        raise ConfigError(f"load_profile: 'users' must be a whole number, got {users!r}.")
    phases: list[float] = []
    for key in RAMP_PHASES:
        value = profile.get(key, 0)
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            raise ConfigError(f"load_profile: {key!r} must be a number of seconds, got {value!r}.")
        phases.append(float(value))
    ramp_profile(phases[0], users, phases[1], phases[2])


def check_threshold(expression: str) -> str:
    """The expression unchanged; ConfigError when the CLI's parser refuses it."""
    parse_threshold(expression, source="threshold")
    return expression
