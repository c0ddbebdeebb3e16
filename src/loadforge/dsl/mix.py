"""Several scenarios in one run: which scenario each virtual user runs.

    @scenario(base_url="http://127.0.0.1:8080", weight=3)
    class Browse: ...

    @scenario(base_url="http://127.0.0.1:8080", users=1)
    class Admin: ...

`loadforge run shop.py --scenario all -u 9` runs one `Admin` and eight users
split 3 : 1 between `Browse` and any other weighted scenario, as Locust's
``fixed_count`` and ``weight`` do. The choice is a pure function of the
user's run-wide index (`UserInfo.index`, unique across workers and cluster
nodes): the first indices go to the fixed counts, and the rest follow a
fixed sequence of the weights' period, in which each scenario falls as far
behind its share as the others before it gets its next user. So any N users
numbered 0 … N−1 hold each scenario's share within one user, exactly at
every multiple of the weights' sum, however many workers started them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from loadforge.dsl.definitions import ScenarioDefinition
from loadforge.dsl.environment import ResolvedScenario, resolve_scenario
from loadforge.errors import ScenarioError

#: Between a scenario's name and its endpoint's in a run of several scenarios,
#: as between a group and its requests (`loadforge.http._groups.SEPARATOR`,
#: which the DSL may not import).
SEPARATOR = " › "

#: The longest sequence of weighted picks kept (the weights' sum over their gcd).
MAX_PERIOD = 100_000


def interleave(weights: Sequence[int]) -> tuple[int, ...]:
    """The positions 0 … sum−1 dealt to the weights' indices, each as far behind as it can be.

    Position p goes to the index whose share of p + 1 picks is furthest
    ahead of the picks it has (ties to the lowest index), so every prefix
    gives each index its share within one pick and the whole sequence
    exactly ``weights[i]`` picks:

    >>> interleave([2, 1])
    (0, 1, 0)
    """
    period = sum(weights)
    picks = [0] * len(weights)
    order: list[int] = []
    for position in range(period):
        # The index whose share of position + 1 picks is furthest ahead of its picks.
        behind = [(position + 1) * w - period * picks[i] for i, w in enumerate(weights)]
        chosen = behind.index(max(behind))
        picks[chosen] += 1
        order.append(chosen)
    return tuple(order)


@dataclass(frozen=True, slots=True)
class ScenarioMix:
    """The scenarios of one run with their shares of its users; see the module docstring."""

    scenarios: tuple[ResolvedScenario, ...]
    _fixed: tuple[int, ...] = field(init=False, repr=False)
    _weighted: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        verifies = {each.definition.verify for each in self.scenarios}
        if len(verifies) > 1:
            raise ScenarioError(
                f"The scenarios {self.name} disagree on verify=; the users of one run share "
                "one connection pool, which checks TLS certificates one way, so give them "
                "the same verify=."
            )
        fixed = [i for i, each in enumerate(self.scenarios) if each.definition.users is not None]
        counts = [self.scenarios[i].definition.users or 0 for i in fixed]
        weighted = [i for i, each in enumerate(self.scenarios) if each.definition.users is None]
        weights = [self.scenarios[i].definition.weight for i in weighted]
        if weighted and sum(weights) == 0:
            raise ScenarioError(
                f"The weights of {_names(self.scenarios, weighted)} add up to 0, so no user "
                "would run them; give at least one of them a weight of 1 or more."
            )
        divisor = math.gcd(*weights) if weighted else 1
        reduced = [w // divisor for w in weights]
        if sum(reduced) > MAX_PERIOD:
            raise ScenarioError(
                f"The weights of {_names(self.scenarios, weighted)} are {weights}; keep their "
                f"sum (over their greatest common divisor) at most {MAX_PERIOD:,}."
            )
        object.__setattr__(self, "_fixed", tuple(fixed[i] for i in interleave(counts)))
        object.__setattr__(self, "_weighted", tuple(weighted[i] for i in interleave(reduced)))

    @property
    def name(self) -> str:
        """The run's name for its scenarios: theirs, joined by " + "."""
        return " + ".join(each.definition.name for each in self.scenarios)

    @property
    def fixed_users(self) -> int:
        """How many users the fixed counts (``users=``) hold together."""
        return len(self._fixed)

    def position_of(self, index: int) -> int:
        """The position in `scenarios` of the scenario user `index` of the run runs."""
        if index < len(self._fixed):
            return self._fixed[index]
        if not self._weighted:
            raise ScenarioError(
                f"User {index} has no scenario: the fixed counts (users=) of {self.name} hold "
                f"{self.fixed_users} users; give a scenario a weight to run more."
            )
        return self._weighted[(index - len(self._fixed)) % len(self._weighted)]

    def position_of_start(self, index: int) -> int:
        """The position in `scenarios` of the scenario start `index` of an open-model run runs.

        The open model shares iterations, not users, so starts follow the
        weights' sequence alone: any N starts numbered 0 … N−1 hold each
        scenario's share within one start. Fixed counts (``users=``) are
        counts of users and take no share of starts.
        """
        if not self._weighted:
            raise ScenarioError(
                f"Every scenario of {self.name} has a fixed count of users (users=), which an "
                "arrival rate cannot share; give the scenarios weight= instead."
            )
        return self._weighted[index % len(self._weighted)]

    def scenario_for(self, index: int) -> ResolvedScenario:
        """The scenario user `index` of the run runs."""
        return self.scenarios[self.position_of(index)]

    def users_of(self, users: int) -> dict[str, int]:
        """How many of users 0 … `users`−1 each scenario holds, by scenario name."""
        counts = dict.fromkeys((each.definition.name for each in self.scenarios), 0)
        if not self._weighted:
            users = min(users, self.fixed_users)
        for index in range(users):
            counts[self.scenario_for(index).definition.name] += 1
        return counts

    def check_users(self, peak: int) -> None:
        """ScenarioError unless a run of at most `peak` users at once fits the fixed counts."""
        if self.fixed_users > peak:
            raise ScenarioError(
                f"The fixed counts of users (users=) of {self.name} add up to "
                f"{self.fixed_users}, more than the {peak} users the run holds at its peak; "
                "raise -u or lower the counts."
            )
        if not self._weighted and peak > self.fixed_users:
            raise ScenarioError(
                f"The run asks for {peak} users, but every scenario of {self.name} has a "
                f"fixed count and they add up to {self.fixed_users}; give -u "
                f"{self.fixed_users}, or give one scenario a weight instead of users=."
            )


def resolve_mix(
    definitions: Sequence[ScenarioDefinition],
    environ: Mapping[str, str],
    base_url_override: str | None = None,
) -> ScenarioMix:
    """The scenarios of a run, each resolved as `resolve_scenario` does, with their shares."""
    return ScenarioMix(
        tuple(resolve_scenario(each, environ, base_url_override) for each in definitions)
    )


def _names(scenarios: Sequence[ResolvedScenario], positions: Sequence[int]) -> str:
    return ", ".join(repr(scenarios[i].definition.name) for i in positions)
