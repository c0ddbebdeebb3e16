"""What a scenario file declares, as immutable values the engine can run.

The decorators turn a user's class into a `ScenarioDefinition`; from then on
the engine only reads these values, so scenario files are validated once at
load time and never re-inspected on the hot path.
"""

from __future__ import annotations

import itertools
import random
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from loadforge.patterns import LoadPattern

#: A scenario method: called as ``func(instance, client)`` and awaited.
#: The client is LoadForge's `HttpClient`; it is left open here so the DSL does
#: not depend on the HTTP package.
ScenarioMethod = Callable[..., Awaitable[object]]


@dataclass(frozen=True, slots=True)
class TaskDefinition:
    """One weighted task of a scenario: the unit a virtual user picks and runs."""

    name: str
    func: ScenarioMethod
    weight: int


@dataclass(frozen=True, slots=True)
class ScenarioDefinition:
    """Everything LoadForge needs to run one ``@scenario`` class.

    ``base_url`` and ``default_headers`` may still contain ``${VAR}``
    references; they are expanded by `resolve_scenario` when a run starts.
    ``source`` is the file the class was defined in ("" when unknown), so
    worker processes can load the same scenario again by path and name.
    ``pattern`` is the traffic pattern the scenario carries (``pattern=``,
    or the file's module-level ``pattern``), which flags override.
    ``record_timings`` starts every user's client recording response timings.
    ``weight`` and ``users`` say how many of a run's users it gets when
    several scenarios run together: a share by weight, or a fixed count.
    """

    name: str
    cls: type
    base_url: str
    default_headers: Mapping[str, str]
    tasks: tuple[TaskDefinition, ...]
    setup: ScenarioMethod | None
    teardown: ScenarioMethod | None
    think_time: tuple[float, float]
    timeout: float
    verify: bool
    source: str
    pattern: LoadPattern | None = None
    record_timings: bool = False
    weight: int = 1
    users: int | None = None
    cumulative_weights: tuple[int, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        # A read-only copy, so a definition cannot change under a running test.
        object.__setattr__(self, "default_headers", MappingProxyType(dict(self.default_headers)))
        weights = itertools.accumulate(task.weight for task in self.tasks)
        object.__setattr__(self, "cumulative_weights", tuple(weights))

    @property
    def task_names(self) -> tuple[str, ...]:
        """The task names in declaration order, for listings and reports."""
        return tuple(task.name for task in self.tasks)

    def pick_task(self, rng: random.Random) -> TaskDefinition:
        """Choose the next task at random, in proportion to the task weights."""
        if len(self.tasks) == 1:
            return self.tasks[0]
        return rng.choices(self.tasks, cum_weights=self.cumulative_weights)[0]

    def think_seconds(self, rng: random.Random) -> float:
        """Draw the pause a virtual user takes between two tasks."""
        low, high = self.think_time
        if low == high:
            return low
        return rng.uniform(low, high)
