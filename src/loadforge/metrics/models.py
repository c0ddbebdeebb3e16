"""What a run measured, as plain values every view renders the same way.

The terminal view, the HTML report, the WebSocket stream and the server all
read these objects; none of them computes figures of its own. This module
holds the whole run, `TestResult`, and how it ended; one interval's figures
live in `loadforge.metrics.snapshot` and the run's events in
`loadforge.metrics.run_events`, both re-exported here so that the domain
model is imported from one place. `to_dict`/`from_dict` give the JSON form
stored in result files and round-trip exactly.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.fields import as_object, read_float, read_int, read_object, read_str
from loadforge.metrics.format1 import result_from_format1
from loadforge.metrics.per_scenario import ScenarioMetrics
from loadforge.metrics.placement import ClusterPlacement
from loadforge.metrics.run_events import RunEvent, RunEventKind, read_events
from loadforge.metrics.snapshot import EndpointMetrics, MetricSnapshot
from loadforge.metrics.timings import read_timing_histograms

__all__ = [
    "RESULT_FORMAT",
    "EndpointMetrics",
    "MetricSnapshot",
    "RunEvent",
    "RunEventKind",
    "RunStatus",
    "TestResult",
]

RESULT_FORMAT = 2
"""Version of the result.json layout, bumped when a change breaks old readers.

Format 2 names the snapshot figures `requests`, `rps` and `errors`; format 1
(and a file without `result_format`, written before the field existed) is
still read, through `loadforge.metrics.format1`.
"""


class RunStatus(enum.Enum):
    """How a run ended."""

    COMPLETED = "completed"
    INTERRUPTED = "interrupted"
    FAILED = "failed"


def _read_time(source: Mapping[str, object], key: str, where: str) -> datetime:
    text = read_str(source, key, where)
    try:
        return datetime.fromisoformat(text)
    except ValueError as exc:
        raise ResultFormatError(
            f"{where} field '{key}' should be an ISO 8601 time, but it is {text!r:.80}."
        ) from exc


def _read_status(source: Mapping[str, object], where: str) -> RunStatus:
    text = read_str(source, "status", where)
    try:
        return RunStatus(text)
    except ValueError as exc:
        known = ", ".join(status.value for status in RunStatus)
        raise ResultFormatError(
            f"{where} field 'status' is {text!r:.80}; expected one of {known}."
        ) from exc


def _read_histograms(
    source: Mapping[str, object], where: str, key: str = "endpoint_histograms"
) -> dict[str, str]:
    if key != "endpoint_histograms" and key not in source:
        return {}
    histograms = read_object(source, key, where)
    inner = f"{where} field '{key}'"
    return {name: read_str(histograms, name, inner) for name in histograms}


@dataclass(frozen=True, slots=True)
class TestResult:
    """Everything kept about one finished (or interrupted) run.

    The histograms are HDR-encoded so reports and comparisons can recompute
    any percentile exactly later; `config` holds the run's settings as JSON
    values so a run can be described and repeated.
    """

    __test__: ClassVar[bool] = False  # not a pytest test class despite its name

    scenario_name: str
    status: RunStatus
    start_time: datetime
    end_time: datetime
    duration_seconds: float
    pattern_description: str
    snapshots: list[MetricSnapshot]
    final_summary: MetricSnapshot
    latency_histogram: str
    endpoint_histograms: dict[str, str]
    config: dict[str, object]
    loadforge_version: str
    events: list[RunEvent] = field(default_factory=list)
    workers: int = 1
    # What each live export did (`--prometheus-remote-write`: batches sent,
    # dropped...), by export name; absent from result.json when none ran.
    exports: dict[str, object] = field(default_factory=dict)
    # Custom trends' values and groups' durations over the run, HDR-encoded
    # as `endpoint_histograms` are; absent from result.json when empty.
    trend_histograms: dict[str, str] = field(default_factory=dict)
    group_histograms: dict[str, str] = field(default_factory=dict)
    # Where the workers ran (`--cluster`); absent from result.json for a local run.
    cluster: ClusterPlacement | None = None
    # Each endpoint's request timings over the run, endpoint -> timing ->
    # HDR-encoded (`loadforge.metrics.timings`); absent when none was recorded.
    timing_histograms: dict[str, dict[str, str]] = field(default_factory=dict)
    # Each scenario's figures in a run of several; absent from result.json for one.
    scenarios: tuple[ScenarioMetrics, ...] = ()

    @property
    def open_model(self) -> bool:
        """Whether the run started iterations at a rate: `--arrival-rate`, or scenarios' own rates.

        A run whose scenarios carry arrival rates of their own (some beside
        scenarios on users) has no `arrival_rate` in its config; its target
        rate, or the iterations it started on schedule, say it.
        """
        summary = self.final_summary
        return (
            self.config.get("arrival_rate") is not None
            or summary.target_rate > 0
            or summary.started_iterations > 0
        )

    @property
    def mixed_models(self) -> bool:
        """Whether scenarios on users ran beside scenarios on arrival rates.

        Their endpoints have requests but no corrected latency (they start
        on no schedule), so the run's corrected figures cover the rate
        scenarios' requests alone.
        """
        endpoints = self.final_summary.endpoints.values()
        return (
            self.open_model
            and bool(self.scenarios)
            and any(e.requests and not e.latency_corrected_max for e in endpoints)
        )

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form, as stored in result.json."""
        optional: dict[str, object] = {"exports": dict(self.exports)} if self.exports else {}
        for key in ("trend_histograms", "group_histograms"):
            histograms: dict[str, str] = getattr(self, key)
            if histograms:
                optional[key] = dict(histograms)
        if self.cluster is not None:
            optional["cluster"] = self.cluster.to_dict()
        if self.timing_histograms:
            optional["timing_histograms"] = {
                name: dict(timings) for name, timings in self.timing_histograms.items()
            }
        if self.scenarios:
            optional["scenarios"] = [each.to_dict() for each in self.scenarios]
        return {
            "result_format": RESULT_FORMAT,
            "scenario_name": self.scenario_name,
            "status": self.status.value,
            "start_time": self.start_time.isoformat(),
            "end_time": self.end_time.isoformat(),
            "duration_seconds": self.duration_seconds,
            "pattern_description": self.pattern_description,
            "snapshots": [snapshot.to_dict() for snapshot in self.snapshots],
            "final_summary": self.final_summary.to_dict(),
            "latency_histogram": self.latency_histogram,
            "endpoint_histograms": dict(self.endpoint_histograms),
            "config": dict(self.config),
            "loadforge_version": self.loadforge_version,
            "events": [event.to_dict() for event in self.events],
            "workers": self.workers,
            **optional,
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object]) -> TestResult:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        where = "Result"
        written = source.get("result_format", 1)
        if written == 1 and not isinstance(written, bool):
            source = result_from_format1(source)
        elif written != RESULT_FORMAT:
            raise ResultFormatError(
                f"{where} uses format {written!r:.20}, but this LoadForge reads formats 1 to"
                f" {RESULT_FORMAT}; open it with the LoadForge version that wrote it."
            )
        snapshots = source.get("snapshots")
        if not isinstance(snapshots, list):
            raise ResultFormatError(f"{where} field 'snapshots' should be a list of snapshots.")
        return cls(
            scenario_name=read_str(source, "scenario_name", where),
            status=_read_status(source, where),
            start_time=_read_time(source, "start_time", where),
            end_time=_read_time(source, "end_time", where),
            duration_seconds=read_float(source, "duration_seconds", where),
            pattern_description=read_str(source, "pattern_description", where),
            snapshots=[MetricSnapshot.from_dict(as_object(item, "Snapshot")) for item in snapshots],
            final_summary=MetricSnapshot.from_dict(read_object(source, "final_summary", where)),
            latency_histogram=read_str(source, "latency_histogram", where),
            endpoint_histograms=_read_histograms(source, where),
            config=dict(read_object(source, "config", where)),
            loadforge_version=read_str(source, "loadforge_version", where),
            events=read_events(source, where),
            workers=read_int(source, "workers", where) if "workers" in source else 1,
            exports=dict(read_object(source, "exports", where)) if "exports" in source else {},
            trend_histograms=_read_histograms(source, where, "trend_histograms"),
            group_histograms=_read_histograms(source, where, "group_histograms"),
            cluster=(
                ClusterPlacement.from_dict(read_object(source, "cluster", where))
                if "cluster" in source
                else None
            ),
            timing_histograms=read_timing_histograms(source, where),
            scenarios=_read_scenarios(source, where),
        )


def _read_scenarios(source: Mapping[str, object], where: str) -> tuple[ScenarioMetrics, ...]:
    scenarios = source.get("scenarios", [])
    if not isinstance(scenarios, list):
        raise ResultFormatError(f"{where} field 'scenarios' should be a list of scenarios.")
    return tuple(
        ScenarioMetrics.from_dict(as_object(item, "Scenario metrics")) for item in scenarios
    )
