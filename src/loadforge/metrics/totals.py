"""The whole run so far, as counts an exporter can publish: counters and latency buckets.

`SnapshotBuilder.run_totals` fills these from the run's merged histograms
after each interval; they are frozen, so another thread (a scrape, a push)
may read the latest one while the run's loop builds the next.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class EndpointTotals:
    """One endpoint over the run so far.

    `latency_buckets[i]` counts the requests at or below `RunTotals.bounds_us[i]`
    (see `LatencyHistogram.counts_at_or_below`); `latency_count` counts them
    all. `latency_sum_seconds` adds up HDR's value for each request (the
    midpoint of its counter, as the mean uses), so it is exact to HDR's 3
    significant digits.
    """

    name: str
    method: str
    requests: int
    errors: int
    bytes_received: int
    errors_by_type: Mapping[str, int]
    errors_by_status: Mapping[int, int]
    latency_buckets: tuple[int, ...]
    latency_count: int
    latency_sum_seconds: float
    latency_min_seconds: float = 0.0
    latency_max_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class DurationTotals:
    """A custom trend's values or a group's block durations over the run, as latency buckets."""

    name: str
    buckets: tuple[int, ...]
    count: int
    sum_seconds: float


@dataclass(frozen=True, slots=True)
class RunTotals:
    """Every endpoint and the run-wide counts, from the start of the run to the last interval."""

    bounds_us: tuple[int, ...]
    endpoints: tuple[EndpointTotals, ...]
    task_errors_by_type: Mapping[str, int]
    dropped_iterations: int
    # What the scenario measured itself (issue 14's checks, custom metrics and
    # groups): checks as (passes, fails), rates as (trues, values), gauges
    # their last value; empty when the scenario uses none.
    checks: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    counters: Mapping[str, float] = field(default_factory=dict)
    gauges: Mapping[str, float] = field(default_factory=dict)
    rates: Mapping[str, tuple[int, int]] = field(default_factory=dict)
    trends: tuple[DurationTotals, ...] = ()
    groups: tuple[DurationTotals, ...] = ()

    @property
    def requests(self) -> int:
        """Requests over every endpoint."""
        return sum(endpoint.requests for endpoint in self.endpoints)
