"""A spec's load profile and thresholds: validated for the API, turned into run settings.

The API calls `validate_load_profile` and `validate_thresholds` when a spec is
saved, so that a bad profile is a 422 naming the field before any process
starts; the run's child process calls `run_options` to get the very same
reading. Both go through the parsers `loadforge run` uses (`loadforge.runs`:
`options_from_mapping`, `load_settings`, `plan_outputs`; and `ramp_profile`),
so a profile means on the server exactly what the same keys mean in a
`loadforge run` config file.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping, Sequence

from loadforge.engine.cluster import ClusterTarget
from loadforge.engine.settings import LoadSettings
from loadforge.errors import ConfigError
from loadforge.exports import ExportSettings
from loadforge.metrics.custom import declared_kinds
from loadforge.metrics.models import TestResult
from loadforge.patterns import LoadPattern, ramp_profile
from loadforge.runs.options import RunOptions, options_from_mapping
from loadforge.runs.outputs import OutputPlan, plan_outputs
from loadforge.runs.settings import cluster_target, load_settings, run_exports
from loadforge.thresholds import recorded_kinds

__all__ = [
    "RAMP_KEYS",
    "SERVER_DEFAULT_WORKERS",
    "export_settings",
    "output_plan",
    "run_cluster",
    "run_options",
    "run_settings",
    "validate_load_profile",
    "validate_thresholds",
]

WHERE = "load_profile"
RAMP_KEYS = frozenset({"ramp_up", "users", "steady", "ramp_down"})
_PHASE_KEYS = ("ramp_up", "steady", "ramp_down")
_FLAG = re.compile(r"--([a-z][a-z-]*)")
_OPTION_NAMES = frozenset(field.name for field in dataclasses.fields(RunOptions)) | {"pattern"}

# The server picks where results go and which scenario runs; thresholds are
# the spec's own field. These `loadforge run` keys have no meaning in a profile.
_SERVER_OWNED = frozenset(
    {
        "output",
        "scenario",
        "base_url",
        "junit",
        "thresholds",
        "format",
        "plotly",
        "no_report",
        "dashboard",
        "dashboard_port",
        "dashboard_host",
    }
)

SERVER_DEFAULT_WORKERS = 1
"""Worker processes per run unless the profile sets `workers`.

The run already has a process of its own (see `runner`), which drives the
load itself with one worker; `loadforge run`'s default of one worker per CPU
would make every server run take every core of a machine it shares with the
API and with the other runs (`--max-concurrent-runs`). A profile that needs
more than one core of load (10 000 requests/s) says `"workers": N`.
"""


def validate_load_profile(profile: object) -> None:
    """Raise ConfigError naming the key (`load_profile.users ...`) when the profile is invalid."""
    run_settings(profile)
    export_settings(profile)


def validate_thresholds(thresholds: object) -> None:
    """Raise ConfigError naming the expression when a threshold is malformed."""
    output_plan(thresholds)


def run_options(profile: object) -> RunOptions:
    """The `loadforge run` options a load profile stands for (ConfigError when invalid)."""
    if not isinstance(profile, Mapping) or not all(isinstance(key, str) for key in profile):
        raise ConfigError(f"{WHERE} must be an object of settings, got {profile!r:.80}.")
    if _is_ramp_form(profile):
        return _ramp_options(profile)
    owned = sorted(key for key in profile if key.replace("-", "_") in _SERVER_OWNED)
    if owned:
        raise ConfigError(
            f"{WHERE}.{owned[0]} cannot be set in a server load profile: the server chooses "
            "the output and the scenario, and thresholds are the spec's own field."
        )
    options = options_from_mapping(profile, where=WHERE)
    if options.workers is None and options.cluster is None:
        options = RunOptions(workers=SERVER_DEFAULT_WORKERS).over(options)
    return options


def run_cluster(profile: object, default: str | None = None) -> ClusterTarget | None:
    """The Ray cluster a profile's run goes to: its `cluster` key, else the server's `default`.

    Without `workers` in the profile, a cluster run has one worker per
    cluster CPU, as `loadforge run --cluster` has.
    """
    options = run_options(profile)
    if options.cluster is None and default is not None:
        given = isinstance(profile, Mapping) and "workers" in profile
        workers = options.workers if given else None
        options = dataclasses.replace(options, cluster=default, workers=workers)
    try:
        return cluster_target(options, "a load profile's cluster")
    except ConfigError as error:
        raise ConfigError(_name_the_key(str(error))) from error


def run_settings(profile: object, scenario_pattern: LoadPattern | None = None) -> LoadSettings:
    """The engine settings of a load profile, checked as `loadforge run` checks its flags.

    `scenario_pattern`, the pattern a `scenario_code` spec's scenario
    carries, is the run's pattern unless the profile shapes one (a pattern,
    users or an arrival rate), as the flags win over the file in `loadforge run`.
    """
    options = run_options(profile)
    try:
        return load_settings(options, scenario_pattern)
    except ConfigError as error:
        # load_settings speaks of flags (--duration); name the profile's key instead.
        raise ConfigError(_name_the_key(str(error))) from error


def export_settings(profile: object) -> ExportSettings:
    """The run's live exports a profile turns on (`prometheus`, `otlp_endpoint`...), checked."""
    options = run_options(profile)
    try:
        return run_exports(options)
    except ConfigError as error:
        raise ConfigError(_name_the_key(str(error))) from error


def output_plan(thresholds: object, result: TestResult | None = None) -> OutputPlan:
    """The output plan for a spec's thresholds: result.json, the HTML report, the checks.

    The server never imports a spec's scenario code, so before the run a name
    that is no built-in metric passes as a custom metric the scenario will
    declare; given the run's `result`, the custom metrics it recorded (and any
    declared in this process) take their own kinds, and a name it never
    recorded fails its threshold as `loadforge run`'s does.
    """
    if isinstance(thresholds, str) or not isinstance(thresholds, Sequence):
        raise ConfigError(f"thresholds must be a list of expressions, got {thresholds!r:.80}.")
    for index, text in enumerate(thresholds):
        if not isinstance(text, str):
            raise ConfigError(f"thresholds[{index}] must be a text such as 'p95<500ms'.")
    try:
        kinds = None if result is None else {**declared_kinds(), **recorded_kinds(result)}
        return plan_outputs(
            RunOptions(thresholds=tuple(thresholds)), custom_kinds=kinds, undeclared=True
        )
    except ConfigError as error:
        raise ConfigError(f"thresholds: {error}") from error


def _name_the_key(message: str) -> str:
    """`--max-connections must ...` or `pattern.start is missing` → `load_profile.<key> ...`."""
    text = _FLAG.sub(lambda match: f"{WHERE}." + match[1].replace("-", "_"), message)
    if text != message:
        return text
    first = re.match(r"[a-z_]+", message)
    if first is not None and first[0] in _OPTION_NAMES:
        return f"{WHERE}.{message}"
    return f"{WHERE}: {message}"


def _is_ramp_form(profile: Mapping[str, object]) -> bool:
    """Only ramp keys, at least one phase: `{"users": 10}` alone stays a constant load."""
    return set(profile) <= RAMP_KEYS and any(key in profile for key in _PHASE_KEYS)


def _ramp_options(profile: Mapping[str, object]) -> RunOptions:
    if "users" not in profile:
        raise ConfigError(f"{WHERE}.users is missing: the ramp form needs the peak user count.")
    phases = {key: profile.get(key, 0) for key in _PHASE_KEYS}
    try:
        pattern = ramp_profile(
            phases["ramp_up"],  # type: ignore[arg-type]  # checked by ramp_profile
            profile["users"],  # type: ignore[arg-type]
            phases["steady"],  # type: ignore[arg-type]
            phases["ramp_down"],  # type: ignore[arg-type]
        )
    except ConfigError as error:
        raise ConfigError(f"{WHERE}.{error}") from error
    duration = pattern.natural_duration
    if duration is None or not math.isfinite(duration):  # pragma: no cover - composite has one
        raise ConfigError(f"{WHERE}: the ramp form has no length.")
    return RunOptions(
        pattern_table=pattern.to_config(), duration=duration, workers=SERVER_DEFAULT_WORKERS
    )
