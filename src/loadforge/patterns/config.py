"""Build patterns from plain data: the `[pattern]` table of the TOML config and CLI flags.

Users describe load in config files; this module turns those dicts into
pattern objects and turns every mistake into a ConfigError that names the key
path (e.g. `pattern.stages[1].duration`) and, where it helps, the valid choices.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import ParamSpec, TypeVar

from loadforge.durations import parse_duration
from loadforge.errors import ConfigError
from loadforge.patterns._validation import seconds, user_count
from loadforge.patterns.base import LoadPattern
from loadforge.patterns.composite import CompositePattern
from loadforge.patterns.constant import ConstantPattern
from loadforge.patterns.diurnal import DiurnalPattern
from loadforge.patterns.quantity import USERS, Quantity
from loadforge.patterns.ramp import RampPattern
from loadforge.patterns.spike import SpikePattern
from loadforge.patterns.step import StepPattern

__all__ = ["PATTERN_TYPES", "pattern_from_config", "ramp_profile"]

_Params = ParamSpec("_Params")
_Built = TypeVar("_Built", bound=LoadPattern)


@dataclass(frozen=True, slots=True)
class _Settings:
    """One pattern's table, read key by key with errors that name the full key path."""

    values: Mapping[str, object]
    where: str
    quantity: Quantity = USERS

    def path(self, key: str) -> str:
        return f"{self.where}.{key}"

    def get(self, key: str) -> object:
        if key not in self.values:
            raise ConfigError(f"{self.path(key)} is missing")
        return self.values[key]

    def whole(self, key: str) -> int:
        value = self.get(key)
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"{self.path(key)} must be a whole number, got {value!r}")
        return value

    def duration(self, key: str) -> float:
        value = self.get(key)
        if not isinstance(value, str | int | float):
            raise ConfigError(
                f"{self.path(key)} must be a number of seconds or a duration text such as "
                f"'30s', got {value!r}"
            )
        return parse_duration(value, where=self.path(key))

    def build(
        self,
        factory: Callable[_Params, _Built],
        *args: _Params.args,
        **kwargs: _Params.kwargs,
    ) -> _Built:
        """Call a pattern constructor, prefixing its parameter-named errors with our path."""
        try:
            return factory(*args, **kwargs)
        except ConfigError as error:
            raise ConfigError(f"{self.where}.{error}") from error


def _constant(settings: _Settings) -> LoadPattern:
    return settings.build(ConstantPattern, settings.whole("users"), settings.quantity)


def _ramp(settings: _Settings) -> LoadPattern:
    start, end = settings.whole("start"), settings.whole("end")
    ramp_duration = settings.duration("ramp_duration")
    return settings.build(RampPattern, start, end, ramp_duration, settings.quantity)


def _step(settings: _Settings) -> LoadPattern:
    start, step_size = settings.whole("start"), settings.whole("step_size")
    step_duration, steps = settings.duration("step_duration"), settings.whole("steps")
    return settings.build(StepPattern, start, step_size, step_duration, steps, settings.quantity)


def _spike(settings: _Settings) -> LoadPattern:
    base, spike_users = settings.whole("base"), settings.whole("spike_users")
    spike_at, spike_duration = settings.duration("spike_at"), settings.duration("spike_duration")
    # sustain and decay are optional: the load settles back to base at once by default.
    sustain = settings.whole("sustain") if "sustain" in settings.values else None
    decay = settings.duration("decay") if "decay" in settings.values else 0.0
    return settings.build(
        SpikePattern,
        base,
        spike_users,
        spike_at,
        spike_duration,
        settings.quantity,
        sustain=sustain,
        decay=decay,
    )


def _diurnal(settings: _Settings) -> LoadPattern:
    min_users, max_users = settings.whole("min_users"), settings.whole("max_users")
    period = settings.duration("period")
    return settings.build(DiurnalPattern, min_users, max_users, period, settings.quantity)


def _composite(settings: _Settings) -> LoadPattern:
    raw = settings.get("stages")
    if isinstance(raw, str | bytes) or not isinstance(raw, Sequence):
        raise ConfigError(f"{settings.path('stages')} must be a list of stage tables, got {raw!r}")
    stages = [
        _stage(item, f"{settings.path('stages')}[{index}]", settings.quantity)
        for index, item in enumerate(raw)
    ]
    return settings.build(CompositePattern, stages)


def _stage(item: object, where: str, quantity: Quantity) -> tuple[LoadPattern, float]:
    table = _table(item, where)
    pattern = _build(table, where, extra_keys=("duration",), quantity=quantity)
    return pattern, _Settings(table, where).duration("duration")


# Each type's keys (besides "type") and the function that reads them.
_TYPES: dict[str, tuple[tuple[str, ...], Callable[[_Settings], LoadPattern]]] = {
    "constant": (("users",), _constant),
    "ramp": (("start", "end", "ramp_duration"), _ramp),
    "step": (("start", "step_size", "step_duration", "steps"), _step),
    "spike": (("base", "spike_users", "spike_at", "spike_duration", "sustain", "decay"), _spike),
    "diurnal": (("min_users", "max_users", "period"), _diurnal),
    "composite": (("stages",), _composite),
}

PATTERN_TYPES: tuple[str, ...] = tuple(_TYPES)
"""The values the "type" key accepts, in documentation order."""


def pattern_from_config(
    config: Mapping[str, object], *, where: str = "pattern", quantity: Quantity = USERS
) -> LoadPattern:
    """Build a pattern from its plain-dict form, e.g. {"type": "ramp", "start": 0, ...}.

    The inverse of LoadPattern.to_config, and what the config file and CLI
    flags go through. Durations may be numbers of seconds or texts such as
    "30s" (see durations.parse_duration); the numbers count `quantity`
    (users unless the run shapes an arrival rate). `where` is the key path
    used in error messages. Raises ConfigError for an unknown type, unknown
    or missing keys, wrongly typed values and values the pattern itself
    rejects.
    """
    return _build(_table(config, where), where, extra_keys=(), quantity=quantity)


def _build(
    table: Mapping[str, object],
    where: str,
    *,
    extra_keys: tuple[str, ...],
    quantity: Quantity,
) -> LoadPattern:
    kind = table.get("type")
    choices = ", ".join(PATTERN_TYPES)
    if kind is None:
        raise ConfigError(f"{where}.type is missing; choose one of: {choices}")
    if not isinstance(kind, str) or kind not in _TYPES:
        raise ConfigError(f"{where}.type {kind!r} is not a pattern type; choose one of: {choices}")
    keys, read = _TYPES[kind]
    valid = ("type", *keys, *extra_keys)
    unknown = [key for key in table if key not in valid]
    if unknown:
        raise ConfigError(
            f"{where} has unknown key(s) {', '.join(map(repr, unknown))} for a {kind} pattern; "
            f"valid keys: {', '.join(valid)}"
        )
    return read(_Settings(table, where, quantity))


def _table(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise ConfigError(f"{where} must be a table of settings, got {value!r}")
    if not all(isinstance(key, str) for key in value):
        raise ConfigError(f"{where} keys must be strings, got {list(value)!r}")
    return value


def ramp_profile(ramp_up: float, users: int, steady: float, ramp_down: float) -> CompositePattern:
    """The classic test shape: ramp 0 → users, hold, ramp users → 0 (all in seconds).

    Backs the short `{ramp_up, users, steady, ramp_down}` form of the config
    and CLI. Phases of 0 seconds are left out; if all three are 0 there is no
    run to describe and ConfigError is raised. After the last phase the load
    holds where it ended (0 after a ramp down).
    """
    up = seconds("ramp_up", ramp_up, allow_zero=True)
    count = user_count("users", users)
    hold = seconds("steady", steady, allow_zero=True)
    down = seconds("ramp_down", ramp_down, allow_zero=True)
    stages: list[tuple[LoadPattern, float]] = []
    if up > 0:
        stages.append((RampPattern(0, count, up), up))
    if hold > 0:
        stages.append((ConstantPattern(count), hold))
    if down > 0:
        stages.append((RampPattern(count, 0, down), down))
    if not stages:
        raise ConfigError(
            "ramp_up, steady and ramp_down are all 0 seconds: the profile has no duration; "
            "give at least one of them a positive length"
        )
    return CompositePattern(stages)
