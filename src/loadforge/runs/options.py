"""Run options from flags and from a TOML config file, merged into a run request.

Every flag of `loadforge run` has a key of the same name (dashes become
underscores) in the config file, so a team can commit its load test settings
and still override one on the command line: flags win over the file, the file
wins over the defaults.
"""

from __future__ import annotations

import dataclasses
import math
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TypeVar

from loadforge.durations import parse_duration
from loadforge.errors import ConfigError
from loadforge.patterns import (
    ITERATIONS_PER_SECOND,
    USERS,
    ConstantPattern,
    DiurnalPattern,
    LoadPattern,
    Quantity,
    RampPattern,
    SpikePattern,
    StepPattern,
    iterations_at,
    pattern_from_config,
)
from loadforge.runs.report_options import REPORT_KEYS, convert_report_setting

DEFAULT_USERS = 10
DEFAULT_DURATION = 30.0
PATTERN_NAMES = ("constant", "ramp", "step", "spike", "diurnal")

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class RunOptions:
    """The settings of `loadforge run`, each None when not given."""

    users: int | None = None
    duration: float | None = None
    pattern: str | None = None
    pattern_table: Mapping[str, object] | None = None
    ramp_to: int | None = None
    ramp_duration: float | None = None
    step_size: int | None = None
    step_duration: float | None = None
    steps: int | None = None
    spike_users: int | None = None
    spike_at: float | None = None
    spike_duration: float | None = None
    spike_sustain: int | None = None
    spike_decay: float | None = None
    peak_users: int | None = None
    period: float | None = None
    base_url: str | None = None
    scenario: str | None = None
    # Several `--scenario` names (or `all`) to run together; `scenario` names one.
    scenarios: tuple[str, ...] | None = None
    rps: float | None = None
    output: Path | None = None
    fail_on_error_rate: float | None = None
    grace: float | None = None
    max_connections: int | None = None
    seed: int | None = None
    thresholds: tuple[str, ...] | None = None
    threshold_table: Mapping[str, object] | None = None
    formats: tuple[str, ...] | None = None
    no_report: bool | None = None
    plotly: str | None = None
    junit: Path | None = None
    workers: int | None = None
    metrics_transport: str | None = None
    arrival_rate: float | None = None
    max_users: int | None = None
    dashboard: bool | None = None
    dashboard_port: int | None = None
    dashboard_host: str | None = None
    prometheus: str | None = None
    prometheus_linger: float | None = None
    prometheus_remote_write: str | None = None
    otlp_endpoint: str | None = None
    raw_log: Path | None = None
    cluster: str | None = None
    placement_timeout: float | None = None

    def over(self, base: RunOptions) -> RunOptions:
        """These options, with every unset one taken from `base`."""
        changes = {
            f.name: getattr(base, f.name) for f in fields(self) if getattr(self, f.name) is None
        }
        return dataclasses.replace(self, **changes)

    def effective_duration(self, pattern: LoadPattern | None = None) -> float:
        """--duration, else the pattern's own length (composite), else the default."""
        if self.duration is not None:
            return self.duration
        natural = pattern.natural_duration if pattern is not None else None
        return natural if natural is not None else DEFAULT_DURATION

    def to_config(self) -> dict[str, object]:
        """The options that were set, JSON-ready, for result.json."""
        config: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if value is not None:
                config[f.name] = str(value) if isinstance(value, Path) else value
        if self.pattern_table is not None:
            config["pattern_table"] = dict(self.pattern_table)
        if self.threshold_table is not None:
            config["threshold_table"] = dict(self.threshold_table)
        return config


_DURATION_KEYS = {
    "duration",
    "ramp_duration",
    "step_duration",
    "spike_at",
    "spike_duration",
    "spike_decay",
    "period",
    "grace",
    "prometheus_linger",
    "placement_timeout",
}
_INT_KEYS = {
    "users",
    "ramp_to",
    "step_size",
    "steps",
    "spike_users",
    "spike_sustain",
    "peak_users",
    "max_connections",
    "seed",
    "workers",
    "max_users",
    "dashboard_port",
}
_FLOAT_KEYS = {"rps", "fail_on_error_rate", "arrival_rate"}
_STR_KEYS = {
    "base_url",
    "metrics_transport",
    "dashboard_host",
    "prometheus_remote_write",
    "otlp_endpoint",
    "cluster",
}
_BOOL_KEYS = {"dashboard"}


def load_config_file(path: Path) -> RunOptions:
    """Read a TOML config file into options; any unknown key or bad value is a ConfigError."""
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"Config file {path} does not exist.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Config file {path} cannot be read: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"Config file {path} is not valid TOML: {exc}") from None
    return options_from_mapping(raw, where=str(path))


def options_from_mapping(raw: Mapping[str, object], *, where: str) -> RunOptions:
    """Validate and convert a config file's table into RunOptions."""
    values: dict[str, object] = {}
    for key, value in raw.items():
        values.update(_convert(key.replace("-", "_"), value, where))
    return RunOptions(**values)  # type: ignore[arg-type]  # keys and types checked by _convert


def _convert(key: str, value: object, where: str) -> dict[str, object]:
    if key in REPORT_KEYS:
        return convert_report_setting(key, value, where)
    if key == "pattern":
        if isinstance(value, Mapping):
            return {"pattern_table": value}
        if isinstance(value, str):
            return {"pattern": value}
        raise ConfigError(f"{where}: 'pattern' must be a name or a table, got {value!r}.")
    if key == "scenario":
        return _scenario_setting(value, where)
    if key in _DURATION_KEYS:
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise ConfigError(
                f"{where}: '{key}' must be a duration like 30 or \"5m\", got {value!r}."
            )
        return {key: parse_duration(value, where=f"{where}: {key}")}
    if key in _INT_KEYS:
        if not isinstance(value, int) or isinstance(value, bool):
            raise ConfigError(f"{where}: '{key}' must be a whole number, got {value!r}.")
        return {key: value}
    if key in _FLOAT_KEYS:
        if (
            not isinstance(value, int | float)
            or isinstance(value, bool)
            or not math.isfinite(value)
        ):
            raise ConfigError(f"{where}: '{key}' must be a number, got {value!r}.")
        return {key: float(value)}
    if key in _STR_KEYS:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: '{key}' must be a string, got {value!r}.")
        return {key: value}
    if key in _BOOL_KEYS:
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: '{key}' must be true or false, got {value!r}.")
        return {key: value}
    if key == "prometheus":
        # `prometheus = 9464` or `prometheus = "0.0.0.0:9464"`.
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ConfigError(
                f"{where}: 'prometheus' must be a port or \"HOST:PORT\", got {value!r}."
            )
        return {"prometheus": str(value)}
    if key == "raw_log":
        if not isinstance(value, str):
            raise ConfigError(f"{where}: 'raw_log' must be a file path, got {value!r}.")
        return {"raw_log": Path(value)}
    if key == "output":
        if not isinstance(value, str):
            raise ConfigError(f"{where}: 'output' must be a directory path, got {value!r}.")
        return {"output": Path(value)}
    known = sorted(
        _DURATION_KEYS
        | _INT_KEYS
        | _FLOAT_KEYS
        | _STR_KEYS
        | _BOOL_KEYS
        | REPORT_KEYS
        | {"pattern", "output", "prometheus", "raw_log", "scenario"}
    )
    raise ConfigError(f"{where}: unknown setting '{key}'. Known settings: {', '.join(known)}.")


def _scenario_setting(value: object, where: str) -> dict[str, object]:
    """`scenario = "Browse"`, or several to run together: `scenario = ["Browse", "Buy"]`."""
    if isinstance(value, str):
        return {"scenarios": (value,)} if value == "all" else {"scenario": value}
    if isinstance(value, list) and value and all(isinstance(each, str) for each in value):
        return {"scenarios": tuple(value)}
    raise ConfigError(
        f"{where}: 'scenario' must be a scenario's name, \"all\", or a list of names, "
        f"got {value!r}."
    )


def build_pattern(options: RunOptions, scenario_pattern: LoadPattern | None = None) -> LoadPattern:
    """The traffic pattern the options describe (a [pattern] table wins over flags).

    `scenario_pattern`, the pattern the scenario file carries, is used when
    the options shape none (no pattern, users or arrival rate): flags and
    the config file win over the file.
    """
    if scenario_pattern is not None and not shapes_pattern(options):
        return scenario_pattern
    quantity = pattern_quantity(options)
    if options.pattern_table is not None and options.pattern is None:
        return pattern_from_config(options.pattern_table, where="pattern", quantity=quantity)
    name = options.pattern or "constant"
    users = DEFAULT_USERS if options.users is None else options.users
    if options.arrival_rate is not None:
        # The open model: every pattern shapes the rate of iterations instead of users.
        if options.users is not None:
            raise ConfigError("Give either --users (closed model) or --arrival-rate (open model).")
        users = quantity.count_of(options.arrival_rate, "--arrival-rate")
        options = _counted_in(options, quantity)
    duration = options.effective_duration()
    if name == "constant":
        return ConstantPattern(users, quantity)
    if name == "ramp":
        end = _required(options.ramp_to, "--ramp-to", name)
        return RampPattern(users, end, options.ramp_duration or duration, quantity)
    if name == "step":
        size = _required(options.step_size, "--step-size", name)
        step_duration = _required(options.step_duration, "--step-duration", name)
        steps = options.steps if options.steps is not None else int(duration // step_duration)
        return StepPattern(users, size, step_duration, steps, quantity)
    if name == "spike":
        spike_users = _required(options.spike_users, "--spike-users", name)
        spike_at = options.spike_at if options.spike_at is not None else duration / 3
        spike_duration = options.spike_duration or max(duration / 6, 1.0)
        return SpikePattern(
            users,
            spike_users,
            spike_at,
            spike_duration,
            quantity,
            sustain=options.spike_sustain,
            decay=options.spike_decay or 0.0,
        )
    if name == "diurnal":
        peak = _required(options.peak_users, "--peak-users", name)
        return DiurnalPattern(users, peak, options.period or duration, quantity)
    raise ConfigError(f"Unknown pattern '{name}'. Choose one of: {', '.join(PATTERN_NAMES)}.")


def shapes_pattern(options: RunOptions) -> bool:
    """Whether the options say what load to send (a pattern, users or an arrival rate)."""
    return any(
        value is not None
        for value in (options.pattern, options.pattern_table, options.users, options.arrival_rate)
    )


def pattern_quantity(options: RunOptions) -> Quantity:
    """What the options' pattern counts: users, or (`--arrival-rate`) iterations per unit of time.

    A fractional `--arrival-rate` counts per 1000 s (see `patterns.quantity`);
    a [pattern] table's whole numbers are iterations per second.
    """
    if options.arrival_rate is None:
        return USERS
    if options.pattern_table is not None and not options.pattern:
        return ITERATIONS_PER_SECOND
    return iterations_at(options.arrival_rate)


def _counted_in(options: RunOptions, quantity: Quantity) -> RunOptions:
    """The pattern flags' rates (whole iterations/s) as counts of `quantity`."""
    if quantity == ITERATIONS_PER_SECOND:
        return options

    def counted(value: int | None, flag: str) -> int | None:
        return quantity.count_of(value, flag) if value else value

    return dataclasses.replace(
        options,
        ramp_to=counted(options.ramp_to, "--ramp-to"),
        step_size=counted(options.step_size, "--step-size"),
        spike_users=counted(options.spike_users, "--spike-users"),
        spike_sustain=counted(options.spike_sustain, "--spike-sustain"),
        peak_users=counted(options.peak_users, "--peak-users"),
    )


def _required(value: _T | None, flag: str, pattern: str) -> _T:
    if value is None:
        raise ConfigError(f"The {pattern} pattern needs {flag}.")
    return value
