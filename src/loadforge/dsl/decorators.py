"""The decorators users write scenarios with: ``@scenario``, ``@task``, ``@setup``, ``@teardown``.

The method decorators only attach a small typed marker and return the function
unchanged; ``@scenario`` then reads the markers of the class (base classes
included), validates everything and attaches one `ScenarioDefinition`. The
class itself is returned untouched, so scenarios need no base class.
"""

from __future__ import annotations

import enum
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar, overload

from loadforge.dsl import checks
from loadforge.dsl.definitions import ScenarioDefinition, ScenarioMethod, TaskDefinition
from loadforge.errors import ScenarioError

F = TypeVar("F", bound=Callable[..., object])
C = TypeVar("C", bound=type)

#: The attribute holding a method's `Marker`.
MARKER_ATTRIBUTE = "__loadforge_marker__"
#: The attribute holding a class's `ScenarioDefinition`.
SCENARIO_ATTRIBUTE = "__loadforge_scenario__"


class Role(enum.Enum):
    """What a marked method is for in a virtual user's life."""

    TASK = "task"
    SETUP = "setup"
    TEARDOWN = "teardown"


@dataclass(frozen=True, slots=True)
class Marker:
    """The metadata a decorator attaches to a method; ``weight`` matters for tasks only.

    The weight is stored as given and checked by ``@scenario``, so the error
    can name the scenario it breaks.
    """

    role: Role
    weight: object = 1


def _mark(func: F, marker: Marker) -> F:
    existing = getattr(func, MARKER_ATTRIBUTE, None)
    name = getattr(func, "__qualname__", repr(func))
    if isinstance(existing, Marker):
        roles = (
            f"@{marker.role.value} twice"
            if existing.role is marker.role
            else f"both @{existing.role.value} and @{marker.role.value}"
        )
        raise ScenarioError(
            f"{name}{checks.located(func)} is decorated with {roles}; a method can play only "
            "one part, so keep one decorator."
        )
    try:
        setattr(func, MARKER_ATTRIBUTE, marker)
    except (AttributeError, TypeError):
        raise ScenarioError(
            f"@{marker.role.value} can only decorate `async def` methods, not {func!r}."
        ) from None
    return func


@overload
def task(func: F, /) -> F: ...


@overload
def task(weight: int = 1, /) -> Callable[[F], F]: ...


@overload
def task(*, weight: int) -> Callable[[F], F]: ...


def task(
    target: Callable[..., object] | int | None = None, /, *, weight: int | None = None
) -> Callable[..., object]:
    """Mark an ``async def`` method as a task virtual users pick at random.

    Use it bare (``@task``, weight 1) or with a weight (``@task(3)``,
    ``@task(weight=3)``): a task with weight 3 is picked three times as often
    as one with weight 1.
    """
    if callable(target):
        if weight is not None:
            raise ScenarioError("Write either @task or @task(weight=N), not both forms at once.")
        return _mark(target, Marker(Role.TASK, 1))
    if target is not None and weight is not None:
        raise ScenarioError(f"@task got the weight twice ({target!r} and weight={weight!r}).")
    chosen: object = weight if weight is not None else (1 if target is None else target)

    def decorate(func: F) -> F:
        return _mark(func, Marker(Role.TASK, chosen))

    return decorate


def setup(func: F, /) -> F:
    """Mark the ``async def`` method each virtual user runs once before its first task.

    Typical use: log in and store a token in ``client.headers``.
    """
    return _mark(func, Marker(Role.SETUP))


def teardown(func: F, /) -> F:
    """Mark the ``async def`` method each virtual user runs once when it stops."""
    return _mark(func, Marker(Role.TEARDOWN))


def scenario(
    name: str | None = None,
    *,
    base_url: str,
    default_headers: Mapping[str, str] | None = None,
    think_time: float | tuple[float, float] = (0.5, 1.5),
    timeout: float = 30.0,
    verify: bool = True,
    pattern: object = None,
    record_timings: bool = False,
    weight: int = 1,
    users: int | None = None,
) -> Callable[[C], C]:
    """Declare a class as a load-test scenario and return the class unchanged.

    ``base_url`` and ``default_headers`` values may use ``${VAR}``, filled in
    from the environment when a run starts. ``think_time`` is the pause
    between two tasks of a virtual user: seconds, a random (min, max) range,
    or 0. ``timeout`` is the per-request timeout in seconds; ``verify`` says
    whether TLS certificates are checked. ``pattern`` is the scenario's
    traffic pattern (``ramp(0, 50, "30s") >> constant(50, "1m")``, or a
    class with ``users_at(t)`` or ``rate_at(t)`` and a ``duration``), used
    when no flag or config file gives one. ``record_timings`` turns on
    every user's ``client.record_timings`` (time to first byte and receiving
    time per response), which thresholds on ``ttfb`` or ``receiving`` need.
    when no flag or config file gives one. ``weight`` and ``users`` matter
    when several scenarios run together (``--scenario a --scenario b``): the
    scenario gets a share of the run's users in proportion to its weight,
    or a fixed count of them (Locust's ``weight`` and ``fixed_count``).
    """

    def decorate(cls: C) -> C:
        if not isinstance(cls, type):
            raise ScenarioError(
                f"@scenario must decorate a class, not {cls!r}; write `@scenario(...)` "
                "directly above `class MyScenario:`."
            )
        label = checks.check_scenario_name(cls.__name__ if name is None else name, cls)
        methods = _methods(label, cls)
        share = checks.check_scenario_weight(label, weight)
        definition = ScenarioDefinition(
            name=label,
            cls=cls,
            base_url=checks.check_base_url(label, base_url),
            default_headers=checks.check_headers(label, default_headers),
            think_time=checks.check_think_time(label, think_time),
            timeout=checks.check_timeout(label, timeout),
            verify=checks.check_verify(label, verify),
            record_timings=checks.check_record_timings(label, record_timings),
            source=_source_file(cls),
            pattern=checks.check_pattern(f"Scenario {label!r}", pattern),
            tasks=methods.tasks,
            setup=methods.setup,
            teardown=methods.teardown,
            weight=share,
            users=checks.check_scenario_users(label, users, share),
        )
        checks.check_instantiable(label, cls)
        setattr(cls, SCENARIO_ATTRIBUTE, definition)
        return cls

    return decorate


def scenario_of(cls: type) -> ScenarioDefinition | None:
    """The definition ``@scenario`` attached to this very class (not inherited), if any."""
    definition = vars(cls).get(SCENARIO_ATTRIBUTE)
    return definition if isinstance(definition, ScenarioDefinition) else None


def _source_file(cls: type) -> str:
    module = sys.modules.get(cls.__module__)
    source = getattr(module, "__file__", None)
    return source if isinstance(source, str) else ""


def _marked_members(cls: type) -> dict[str, tuple[object, Marker]]:
    # Walk base classes first so inherited tasks come first and a subclass's
    # attribute of the same name (marked or not) replaces the inherited one.
    members: dict[str, object] = {}
    for klass in reversed(cls.__mro__[:-1]):
        members.update(vars(klass))
    marked: dict[str, tuple[object, Marker]] = {}
    for attr, value in members.items():
        marker = getattr(value, MARKER_ATTRIBUTE, None)
        if isinstance(marker, Marker):
            marked[attr] = (value, marker)
    return marked


@dataclass(frozen=True, slots=True)
class _Methods:
    tasks: tuple[TaskDefinition, ...]
    setup: ScenarioMethod | None
    teardown: ScenarioMethod | None


def _methods(label: str, cls: type) -> _Methods:
    tasks: list[TaskDefinition] = []
    hooks: dict[Role, dict[str, ScenarioMethod]] = {Role.SETUP: {}, Role.TEARDOWN: {}}
    for attr, (value, marker) in _marked_members(cls).items():
        if marker.role is Role.TASK:
            func = checks.check_method(label, "task", attr, value)
            weight = checks.check_weight(label, attr, value, marker.weight)
            tasks.append(TaskDefinition(name=attr, func=func, weight=weight))
        else:
            hooks[marker.role][attr] = checks.check_method(label, marker.role.value, attr, value)
    if not tasks:
        raise ScenarioError(
            f"Scenario {label!r} (class {cls.__name__}) has no tasks. Mark at least one "
            "`async def` method with @task so virtual users have something to run, e.g. "
            "`@task` above `async def list_items(self, client): ...`."
        )
    return _Methods(
        tasks=tuple(tasks),
        setup=checks.check_single_hook(label, "setup", hooks[Role.SETUP]),
        teardown=checks.check_single_hook(label, "teardown", hooks[Role.TEARDOWN]),
    )
