"""Writing one run's results directory while the run goes on and when it ends.

Snapshots are appended and flushed as they arrive so a killed run keeps what
it measured; the final result is written atomically so readers never see a
half-written result.json.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
from datetime import datetime
from pathlib import Path
from types import TracebackType
from typing import TextIO

from loadforge.metrics.models import EndpointMetrics, MetricSnapshot, TestResult
from loadforge.metrics.per_scenario import ScenarioMetrics
from loadforge.results.scenario_csv import scenario_tables

RESULT_FILE = "result.json"
SNAPSHOTS_JSONL = "snapshots.jsonl"
SNAPSHOTS_CSV = "snapshots.csv"
ENDPOINTS_CSV = "endpoints.csv"
SCENARIOS_CSV = "scenarios.csv"

SNAPSHOT_COLUMNS = (
    "timestamp",
    "elapsed_seconds",
    "active_users",
    "target_users",
    "requests",
    "rps",
    "latency_p50_ms",
    "latency_p75_ms",
    "latency_p90_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "latency_p999_ms",
    "latency_min_ms",
    "latency_max_ms",
    "latency_avg_ms",
    "errors",
    "error_rate",
    "bytes_received",
    "drain",
)
"""snapshots.csv's columns; `drain` is true for the seconds after the planned end (or a stop).

New columns are added at the end, so a reader that picks columns by
position keeps working.
"""
ENDPOINT_COLUMNS = (
    "name",
    "method",
    "requests",
    "rps",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "latency_avg_ms",
    "latency_max_ms",
    "errors",
    "error_rate",
    "bytes_received",
)

SCENARIO_COLUMNS = (
    "name",
    "weight",
    "fixed_users",
    "users",
    "requests",
    "rps",
    "errors",
    "error_rate",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "latency_avg_ms",
    "latency_max_ms",
)
"""scenarios.csv's columns: result.json's `scenarios` fields, latencies in ms as in endpoints.csv.

`fixed_users` is blank for a scenario that takes its users by weight.
"""


def scenario_slug(scenario_name: str) -> str:
    """A directory-safe form of a scenario name: lowercase ASCII letters, digits and dashes."""
    slug = re.sub(r"[^a-z0-9]+", "-", scenario_name.lower()).strip("-")
    return slug or "scenario"


def _snapshot_row(snapshot: MetricSnapshot) -> tuple[object, ...]:
    return (
        snapshot.timestamp,
        snapshot.elapsed_seconds,
        snapshot.active_users,
        snapshot.target_users,
        snapshot.requests,
        snapshot.rps,
        snapshot.latency_p50,
        snapshot.latency_p75,
        snapshot.latency_p90,
        snapshot.latency_p95,
        snapshot.latency_p99,
        snapshot.latency_p999,
        snapshot.latency_min,
        snapshot.latency_max,
        snapshot.latency_avg,
        snapshot.errors,
        snapshot.error_rate,
        snapshot.bytes_received,
        "true" if snapshot.drain else "false",
    )


def _endpoint_row(endpoint: EndpointMetrics) -> tuple[object, ...]:
    return (
        endpoint.name,
        endpoint.method,
        endpoint.requests,
        endpoint.rps,
        endpoint.latency_p50,
        endpoint.latency_p95,
        endpoint.latency_p99,
        endpoint.latency_avg,
        endpoint.latency_max,
        endpoint.errors,
        endpoint.error_rate,
        endpoint.bytes_received,
    )


def _scenario_row(scenario: ScenarioMetrics) -> tuple[object, ...]:
    return (
        scenario.name,
        scenario.weight,
        "" if scenario.fixed_users is None else scenario.fixed_users,
        scenario.users,
        scenario.requests,
        scenario.rps,
        scenario.errors,
        scenario.error_rate,
        scenario.latency_p50,
        scenario.latency_p95,
        scenario.latency_p99,
        scenario.latency_avg,
        scenario.latency_max,
    )


def _csv_text(header: tuple[str, ...], rows: list[tuple[object, ...]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()


def write_atomically(path: Path, text: str) -> None:
    """Replace `path` with `text` so that readers see the old file or the new one, never half."""
    # Named by hand rather than with mkstemp, whose 0600 mode would make
    # result files unreadable to the user's group.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def write_csv_files(directory: Path, result: TestResult) -> list[Path]:
    """Write snapshots.csv and endpoints.csv (atomically) and return their paths.

    scenarios.csv joins them for a run of several scenarios, a row per
    scenario; checks.csv, metrics.csv and groups.csv when the scenario used
    those features (`scenario_tables`).
    """
    snapshot_rows = [_snapshot_row(snapshot) for snapshot in result.snapshots]
    endpoint_rows = [_endpoint_row(row) for row in result.final_summary.endpoints.values()]
    paths = [directory / SNAPSHOTS_CSV, directory / ENDPOINTS_CSV]
    write_atomically(paths[0], _csv_text(SNAPSHOT_COLUMNS, snapshot_rows))
    write_atomically(paths[1], _csv_text(ENDPOINT_COLUMNS, endpoint_rows))
    if result.scenarios:
        paths.append(directory / SCENARIOS_CSV)
        scenario_rows = [_scenario_row(each) for each in result.scenarios]
        write_atomically(paths[-1], _csv_text(SCENARIO_COLUMNS, scenario_rows))
    for file_name, (header, rows) in scenario_tables(result.final_summary).items():
        paths.append(directory / file_name)
        write_atomically(paths[-1], _csv_text(header, rows))
    return paths


def _make_run_directory(output_root: Path, base_name: str) -> Path:
    output_root.mkdir(parents=True, exist_ok=True)
    suffix = 1
    while True:
        candidate = output_root / (base_name if suffix == 1 else f"{base_name}-{suffix}")
        try:
            # mkdir without exist_ok claims the name atomically, even against
            # another LoadForge process started in the same second.
            candidate.mkdir()
        except FileExistsError:
            suffix += 1
        else:
            return candidate


class ResultsWriter:
    """Writes one run's directory: snapshots as they come, the full result at the end.

    Layout: ``snapshots.jsonl`` (one snapshot per line, flushed at once),
    then at `finish` ``result.json``, however the run ended. The CSV files
    and the report are outputs asked for with ``--format``
    (`reports.write_outputs`, `write_csv_files`).
    """

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._snapshots: TextIO | None = (directory / SNAPSHOTS_JSONL).open(
            "a", encoding="utf-8", newline="\n"
        )

    @classmethod
    def create(cls, output_root: Path, scenario_name: str, started_at: datetime) -> ResultsWriter:
        """Make ``<output_root>/<scenario-slug>-<YYYYmmdd-HHMMSS>/`` (or -2, -3... if taken)."""
        base_name = f"{scenario_slug(scenario_name)}-{started_at:%Y%m%d-%H%M%S}"
        return cls(_make_run_directory(output_root, base_name))

    @property
    def directory(self) -> Path:
        """The run's results directory."""
        return self._directory

    def append_snapshot(self, snapshot: MetricSnapshot) -> None:
        """Add one snapshot to snapshots.jsonl and flush it, so a killed run keeps it."""
        if self._snapshots is None:
            raise ValueError(f"the results writer for {self._directory} is closed")
        line = json.dumps(snapshot.to_dict(), separators=(",", ":"))
        self._snapshots.write(line + "\n")
        self._snapshots.flush()

    def finish(self, result: TestResult) -> None:
        """Write result.json (atomically), then close."""
        self.close()
        write_atomically(
            self._directory / RESULT_FILE, json.dumps(result.to_dict(), indent=2) + "\n"
        )

    def close(self) -> None:
        """Close snapshots.jsonl; calling it again does nothing."""
        if self._snapshots is not None:
            self._snapshots.close()
            self._snapshots = None

    def __enter__(self) -> ResultsWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()
