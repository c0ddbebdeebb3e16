"""The server's caps on a run's size: users, worker processes, duration, arrival rate.

A load profile that `loadforge run` would accept may still be more than a
shared server should start: `users: 1e9` grew a worker to 3.2 GB before it
drove any load. Each cap has a default and a `loadforge serve` option
(ServerSettings `max_users`, `max_workers`, `max_duration`,
`max_arrival_rate`); a profile over one is a 422 naming the key, when the
spec is saved and again when a run starts (the caps may have changed since).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from loadforge.errors import ConfigError
from loadforge.server.api.errors import Unprocessable
from loadforge.server.execution.profile import run_settings
from loadforge.server.settings import ServerSettings


def check_limits(profile: Mapping[str, object], settings: ServerSettings) -> None:
    """Unprocessable (naming the key and the option that raises the cap) over any cap."""
    try:
        load = run_settings(profile)
    except ConfigError:
        return  # refused by the profile's own checks, with a better message
    ramp_form = "ramp_up" in profile or "steady" in profile or "ramp_down" in profile
    peak = load.pattern.peak_users(load.duration)
    if load.open_model:
        rate = load.pattern.quantity.level(peak)  # iterations per second
        _check(rate, settings.max_arrival_rate, "arrival_rate", "--max-arrival-rate", "/s")
        _check(load.pool_bound(), settings.max_users, "max_users", "--max-users")
    else:
        _check(peak, settings.max_users, "users", "--max-users")
    _check(load.workers, settings.max_workers, "workers", "--max-workers")
    key = "steady" if ramp_form else "duration"
    _check(load.duration, settings.max_duration, key, "--max-duration", " s")


def _check(value: float, cap: float, key: str, option: str, unit: str = "") -> None:
    if math.isfinite(value) and value <= cap:
        return
    raise Unprocessable(
        f"load_profile.{key}: {_number(value)}{unit} is more than this server allows"
        f" ({_number(cap)}{unit}); `loadforge serve {option}` sets the limit.",
        ("load_profile", key),
    )


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) and not value.is_integer() else f"{int(value)}"
