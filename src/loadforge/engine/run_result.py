"""Building a run's `TestResult` from its snapshots, the same way for one process or many."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from loadforge.dsl.mix import ScenarioMix
from loadforge.metrics.models import MetricSnapshot, RunEvent, RunStatus, TestResult
from loadforge.metrics.per_scenario import ScenarioShare, scenario_metrics
from loadforge.metrics.placement import ClusterPlacement
from loadforge.metrics.snapshots import SnapshotBuilder
from loadforge.version import __version__

DRAIN_SLACK = 1e-6
"""An interval that begins this close to the run's stop begins at it (sums of floats).

Intervals that begin at the stop or later are the drain: users finishing
within the grace period, recorded second by second like the rest.
"""


@dataclass(frozen=True, slots=True)
class RunClock:
    """The run's start on the wall clock and on a monotonic clock."""

    wall: float
    start: float

    def wall_at(self, monotonic: float) -> float:
        """The wall-clock time of a monotonic instant of the run."""
        return self.wall + (monotonic - self.start)


@dataclass(frozen=True, slots=True)
class RunFacts:
    """What the result records about the run besides its metrics."""

    scenario_name: str
    pattern_description: str
    config: dict[str, object]
    workers: int = 1
    cluster: ClusterPlacement | None = None
    # The run's scenarios and their shares of users, when it ran several.
    mix: ScenarioMix | None = None
    # Whether the run started iterations at a rate (the open model).
    open_model: bool = False
    # Each scenario's most users when each followed its own pattern (`LoadSettings.lane_peaks`).
    lane_peaks: tuple[int, ...] = ()
    # Whether each scenario's own pattern is a rate (`LoadSettings.lane_rates`).
    lane_rates: tuple[bool, ...] = ()

    def shares(
        self, peak_users: int, set_up: Mapping[str, int] | None = None
    ) -> tuple[ScenarioShare, ...]:
        """What each scenario of the mix got of the run's users (none for one scenario).

        The closed model shares its `peak_users` by the weights and fixed
        counts (`ScenarioMix.users_of`), exactly; scenarios that follow
        patterns of their own hold the most users their pattern asked for
        (`lane_peaks`). The open model shares starts, not users: each
        scenario holds the users its starts set up, counted by the workers
        (`set_up`, `SnapshotBuilder.users_by_scenario`). A mixed run takes
        each scenario's figure from its own model.
        """
        if self.mix is None:
            return ()
        if self.open_model:
            users = dict(set_up or {})
            names = (each.definition.name for each in self.mix.scenarios)
            for name, peak, is_rate in zip(names, self.lane_peaks, self.lane_rates, strict=False):
                if not is_rate:
                    users[name] = peak
        elif self.lane_peaks:
            names = (each.definition.name for each in self.mix.scenarios)
            users = dict(zip(names, self.lane_peaks, strict=True))
        else:
            users = self.mix.users_of(peak_users)
        return tuple(
            ScenarioShare(
                name=each.definition.name,
                weight=each.definition.weight,
                fixed_users=each.definition.users,
                users=users.get(each.definition.name, 0),
            )
            for each in self.mix.scenarios
        )


def build_result(
    facts: RunFacts,
    status: RunStatus,
    clock: RunClock,
    end: float,
    builder: SnapshotBuilder,
    snapshots: Sequence[MetricSnapshot],
    events: Sequence[RunEvent] = (),
    *,
    target_rate: float = 0.0,
) -> TestResult:
    """The finished run: whole-run summary from merged histograms, snapshots, events.

    `target_rate` is the open model's mean rate asked for over the run (see
    `LoadSettings.target_rate_over`).
    """
    elapsed = end - clock.start
    # The summary's user counts are the run's peaks: the last snapshot,
    # taken after every user stopped, would always say 0.
    summary = builder.summary(
        timestamp=clock.wall_at(end),
        elapsed=elapsed,
        active_users=max((s.active_users for s in snapshots), default=0),
        target_users=max((s.target_users for s in snapshots), default=0),
        target_rate=target_rate,
    )
    endpoint_histograms = builder.endpoint_histograms()
    return TestResult(
        scenario_name=facts.scenario_name,
        status=status,
        start_time=datetime.fromtimestamp(clock.wall, tz=UTC),
        end_time=datetime.fromtimestamp(clock.wall_at(end), tz=UTC),
        duration_seconds=elapsed,
        pattern_description=facts.pattern_description,
        snapshots=list(snapshots),
        final_summary=summary,
        latency_histogram=builder.whole_run_histogram(),
        endpoint_histograms=endpoint_histograms,
        config=dict(facts.config),
        loadforge_version=__version__,
        events=list(events),
        workers=facts.workers,
        trend_histograms=builder.trend_histograms(),
        group_histograms=builder.group_histograms(),
        cluster=facts.cluster,
        timing_histograms=builder.timing_histograms(),
        scenarios=scenario_metrics(
            facts.shares(summary.active_users, builder.users_by_scenario()),
            summary.endpoints,
            endpoint_histograms,
        ),
    )
