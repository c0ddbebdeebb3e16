"""A run of several scenarios, figure by figure for each scenario.

In such a run every endpoint's name starts with its scenario's
(``Browse › GET /items``), so each scenario's figures are its endpoints'
added up: counts and rates add, and its latency percentiles come from its
endpoints' HDR histograms merged, exactly as the run's own do. The run's
figures stay what they are; these are a view of them by scenario.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from loadforge.metrics.fields import read_float, read_int, read_str
from loadforge.metrics.histogram import LatencyHistogram

#: Between a scenario's name and its endpoint's (`loadforge.dsl.mix.SEPARATOR`,
#: which metrics, a peer of the DSL, may not import).
SEPARATOR = " › "

_PERCENTILES = (50.0, 95.0, 99.0)


class EndpointFigures(Protocol):
    """What `scenario_metrics` reads of an endpoint (`EndpointMetrics` has it)."""

    @property
    def requests(self) -> int:
        """Requests sent."""

    @property
    def rps(self) -> float:
        """Requests per second."""

    @property
    def errors(self) -> int:
        """Requests that failed."""


@dataclass(frozen=True, slots=True)
class ScenarioMetrics:
    """One scenario's share of a run: its users, requests, rate, errors and latency."""

    name: str
    weight: int
    fixed_users: int | None
    users: int
    requests: int
    rps: float
    errors: int
    error_rate: float
    latency_p50: float
    latency_p95: float
    latency_p99: float
    latency_avg: float
    latency_max: float

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form, under the names the run's own figures have."""
        return {
            "name": self.name,
            "weight": self.weight,
            "fixed_users": self.fixed_users,
            "users": self.users,
            "requests": self.requests,
            "rps": self.rps,
            "errors": self.errors,
            "error_rate": self.error_rate,
            "latency_p50": self.latency_p50,
            "latency_p95": self.latency_p95,
            "latency_p99": self.latency_p99,
            "latency_avg": self.latency_avg,
            "latency_max": self.latency_max,
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object]) -> ScenarioMetrics:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        where = "Scenario metrics"
        fixed = source.get("fixed_users")
        return cls(
            name=read_str(source, "name", where),
            weight=read_int(source, "weight", where),
            fixed_users=None if fixed is None else read_int(source, "fixed_users", where),
            users=read_int(source, "users", where),
            requests=read_int(source, "requests", where),
            rps=read_float(source, "rps", where),
            errors=read_int(source, "errors", where),
            error_rate=read_float(source, "error_rate", where),
            latency_p50=read_float(source, "latency_p50", where),
            latency_p95=read_float(source, "latency_p95", where),
            latency_p99=read_float(source, "latency_p99", where),
            latency_avg=read_float(source, "latency_avg", where),
            latency_max=read_float(source, "latency_max", where),
        )


@dataclass(frozen=True, slots=True)
class ScenarioShare:
    """What the run gave one scenario: its weight or fixed count, and its users at the peak."""

    name: str
    weight: int
    fixed_users: int | None
    users: int


def scenario_of(endpoint: str) -> str:
    """The scenario part of an endpoint name in a run of several scenarios."""
    return endpoint.split(SEPARATOR, 1)[0]


def scenario_latency(histograms: Mapping[str, str], scenario: str) -> LatencyHistogram:
    """The latencies of every request of `scenario`: its endpoints' histograms merged."""
    latency = LatencyHistogram()
    for key, encoded in histograms.items():
        if scenario_of(key) == scenario:
            latency.merge(LatencyHistogram.decode(encoded))
    return latency


def scenario_metrics(
    shares: Sequence[ScenarioShare],
    endpoints: Mapping[str, EndpointFigures],
    histograms: Mapping[str, str],
) -> tuple[ScenarioMetrics, ...]:
    """Each scenario's figures from the run's endpoints and their encoded histograms."""
    found: list[ScenarioMetrics] = []
    for share in shares:
        own = [each for key, each in endpoints.items() if scenario_of(key) == share.name]
        latency = scenario_latency(histograms, share.name)
        requests = sum(each.requests for each in own)
        errors = sum(each.errors for each in own)
        p50, p95, p99 = latency.percentiles_ms(_PERCENTILES)
        found.append(
            ScenarioMetrics(
                name=share.name,
                weight=share.weight,
                fixed_users=share.fixed_users,
                users=share.users,
                requests=requests,
                rps=sum(each.rps for each in own),
                errors=errors,
                error_rate=errors / requests if requests else 0.0,
                latency_p50=p50,
                latency_p95=p95,
                latency_p99=p99,
                latency_avg=latency.mean_ms,
                latency_max=latency.max_ms,
            )
        )
    return tuple(found)
