"""The rules a ``@scenario`` must follow, each failing with a message for the user.

Scenario files are user code, so every rule here says which scenario and which
function broke it, where it is, and how to fix it. Checking everything at
import time means a bad file fails before any traffic is sent.
"""

from __future__ import annotations

import inspect
import math
import re
from collections.abc import Mapping
from typing import cast

from loadforge.dsl.definitions import ScenarioMethod
from loadforge.dsl.urls import base_url_problem
from loadforge.errors import ConfigError, ScenarioError
from loadforge.patterns import LoadPattern, as_pattern

# RFC 9110 "token" characters: anything else cannot appear in a header name.
_HEADER_NAME = re.compile(r"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")


def function_location(func: object) -> str:
    """Where a function was written, as ``file:line``, or "" when unknown."""
    code = getattr(func, "__code__", None)
    if code is None:
        return ""
    return f"{code.co_filename}:{code.co_firstlineno}"


def located(func: object) -> str:
    """`` (file:line)`` to append to a message about ``func``, or "" when unknown."""
    location = function_location(func)
    return f" ({location})" if location else ""


def check_scenario_name(name: object, cls: type) -> str:
    """Return the scenario's name after checking it is non-empty text."""
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(
            f"The @scenario on class {cls.__name__} has name={name!r}; a scenario name must be "
            "non-empty text. Leave it out to use the class name."
        )
    return name


def check_method(scenario: str, role: str, attr: str, func: object) -> ScenarioMethod:
    """Check a task/setup/teardown is an ``async def`` method taking ``(self, client)``."""
    if not inspect.iscoroutinefunction(func):
        raise ScenarioError(
            f"Scenario {scenario!r}: {role} {attr!r}{located(func)} must be declared with "
            f"`async def` because LoadForge awaits it on the event loop; write "
            f"`async def {attr}(self, client): ...`."
        )
    try:
        inspect.signature(func).bind(None, None)
    except (TypeError, ValueError):
        raise ScenarioError(
            f"Scenario {scenario!r}: {role} {attr!r}{located(func)} must accept exactly "
            f"(self, client), because LoadForge calls it with the HTTP client of each "
            f"virtual user; write `async def {attr}(self, client): ...`."
        ) from None
    return cast(ScenarioMethod, func)


def check_weight(scenario: str, attr: str, func: object, weight: object) -> int:
    """Check a task weight is a whole number of at least 1."""
    if isinstance(weight, bool) or not isinstance(weight, int) or weight < 1:
        raise ScenarioError(
            f"Scenario {scenario!r}: task {attr!r}{located(func)} has weight {weight!r}, but a "
            "weight must be a whole number of at least 1 (for example @task(weight=3)); it is "
            "the task's share of picks relative to the other tasks."
        )
    return weight


def check_scenario_weight(scenario: str, weight: object) -> int:
    """Check a scenario's weight (its share of a run's users) is a whole number, 0 or more."""
    if isinstance(weight, bool) or not isinstance(weight, int) or weight < 0:
        raise ScenarioError(
            f"Scenario {scenario!r} has weight={weight!r}, but a scenario's weight must be a "
            "whole number of 0 or more (for example @scenario(weight=3)); it is the scenario's "
            "share of the run's users when several scenarios run together."
        )
    return weight


def check_scenario_users(scenario: str, users: object, weight: int) -> int | None:
    """Check a scenario's fixed count of users: None, or a whole number of at least 1."""
    if users is None:
        return None
    if isinstance(users, bool) or not isinstance(users, int) or users < 1:
        raise ScenarioError(
            f"Scenario {scenario!r} has users={users!r}, but a scenario's fixed count of users "
            "must be a whole number of at least 1 (for example @scenario(users=2))."
        )
    if weight != 1:
        raise ScenarioError(
            f"Scenario {scenario!r} has both users={users} and weight={weight}; a scenario gets "
            "either a fixed count of users or a share by weight, so keep one of them."
        )
    return users


def check_base_url(scenario: str, base_url: object) -> str:
    """Check a literal base URL; ones with ``${VAR}`` are checked after expansion."""
    if not isinstance(base_url, str):
        raise ScenarioError(
            f"Scenario {scenario!r}: base_url must be text such as "
            f"'http://127.0.0.1:8080', not {base_url!r}."
        )
    problem = None if "${" in base_url else base_url_problem(base_url)
    if problem is not None:
        raise ScenarioError(
            f"Scenario {scenario!r}: base_url {base_url!r} cannot be used because {problem}. "
            "Write a full URL such as 'http://127.0.0.1:8080' (it can be overridden at run "
            "time with --base-url)."
        )
    return base_url


def check_headers(scenario: str, headers: object) -> dict[str, str]:
    """Check default headers map valid header names to single-line text values."""
    if headers is None:
        return {}
    if not isinstance(headers, Mapping):
        raise ScenarioError(
            f"Scenario {scenario!r}: default_headers must be a dict of header names to "
            f"values, not {type(headers).__name__}."
        )
    checked: dict[str, str] = {}
    for key, value in headers.items():
        if not isinstance(key, str) or not _HEADER_NAME.match(key):
            raise ScenarioError(
                f"Scenario {scenario!r}: default_headers has the invalid header name {key!r}; "
                "header names are text made of letters, digits and -!#$%&'*+.^_`|~."
            )
        if not isinstance(value, str) or any(c in value for c in "\r\n\0"):
            raise ScenarioError(
                f"Scenario {scenario!r}: default_headers[{key!r}] must be single-line text, "
                f"not {value!r}."
            )
        checked[key] = value
    return checked


def _seconds(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None


def check_think_time(scenario: str, think_time: object) -> tuple[float, float]:
    """Turn ``think_time`` (a number, 0, or a (min, max) pair) into a (min, max) pair."""
    pair: tuple[float | None, float | None] = (None, None)
    if isinstance(think_time, tuple | list) and len(think_time) == 2:
        pair = (_seconds(think_time[0]), _seconds(think_time[1]))
    elif not isinstance(think_time, tuple | list):
        fixed = _seconds(think_time)
        pair = (fixed, fixed)
    low, high = pair
    if low is None or high is None or low > high:
        raise ScenarioError(
            f"Scenario {scenario!r}: think_time {think_time!r} is invalid. Give a number of "
            "seconds (e.g. 1.0), a (min, max) pair with 0 <= min <= max for a random pause "
            "(e.g. (0.5, 1.5)), or 0 for no pause between tasks."
        )
    return (low, high)


def check_timeout(scenario: str, timeout: object) -> float:
    """Check the request timeout is a positive, finite number of seconds."""
    seconds = _seconds(timeout)
    if seconds is None or seconds == 0:
        raise ScenarioError(
            f"Scenario {scenario!r}: timeout {timeout!r} is invalid; give the request "
            "timeout as a positive number of seconds, e.g. timeout=10."
        )
    return seconds


def check_verify(scenario: str, verify: object) -> bool:
    """Check ``verify`` (TLS certificate checking) is a plain True/False."""
    if not isinstance(verify, bool):
        raise ScenarioError(
            f"Scenario {scenario!r}: verify must be True or False (whether to check TLS "
            f"certificates), not {verify!r}."
        )
    return verify


def check_record_timings(scenario: str, record_timings: object) -> bool:
    """Check ``record_timings`` (per-response timings for every user) is a plain True/False."""
    if not isinstance(record_timings, bool):
        raise ScenarioError(
            f"Scenario {scenario!r}: record_timings must be True or False (whether each"
            f" response's ttfb and receiving times are recorded), not {record_timings!r}."
        )
    return record_timings


def check_single_hook(
    scenario: str, role: str, found: Mapping[str, ScenarioMethod]
) -> ScenarioMethod | None:
    """Return the only ``@setup``/``@teardown`` method, refusing more than one."""
    if len(found) > 1:
        names = ", ".join(repr(attr) for attr in found)
        raise ScenarioError(
            f"Scenario {scenario!r} has {len(found)} @{role} methods ({names}), but a scenario "
            f"can have at most one. Merge them into one method, or override a base class's "
            f"@{role} method by giving yours the same name."
        )
    return next(iter(found.values()), None)


def check_instantiable(scenario: str, cls: type) -> None:
    """Check the class can be created without arguments, once per virtual user."""
    try:
        signature = inspect.signature(cls)
    except (TypeError, ValueError):
        # Classes whose signature cannot be read are given the benefit of the doubt.
        return
    try:
        signature.bind()
    except TypeError as exc:
        raise ScenarioError(
            f"Scenario {scenario!r}: class {cls.__name__} cannot be created without arguments "
            f"({exc}). LoadForge creates one instance per virtual user with "
            f"{cls.__name__}(), so its __init__ must not require arguments; set up state in "
            "a @setup method instead."
        ) from None


def check_pattern(where: str, pattern: object) -> LoadPattern | None:
    """A scenario's own pattern (`pattern=` or a module-level `pattern`), checked now.

    A user's shape is sampled over its duration here (see
    `patterns.custom`), so a shape that raises or returns a bad value stops
    the import, before any traffic is sent.
    """
    if pattern is None:
        return None
    try:
        return as_pattern(pattern)
    except ConfigError as exc:
        raise ScenarioError(f"{where}: {exc}.") from None
