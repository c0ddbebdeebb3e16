"""The raw per-request log (`--raw-log FILE`): one record per request, to chase outliers.

`RawLogCollector` is a `MetricsCollector` that also keeps each request's
record, and writes them out in batches: every `FLUSH_ROWS` records and at
every interval the engine takes, so the file grows once a second at most
by what that second measured, never one write per request. A run without
`--raw-log` uses the plain `MetricsCollector` and pays nothing for it.

A record is: `start_time` (Unix seconds, to the microsecond: the request's
end on the wall clock less its latency), `name`, `method`, `status` (0 when
no response came), `latency_us`, `bytes` (the response body) and `error`
(empty, or the error type the metrics count). The file's suffix picks the
format: `.jsonl`, `.ndjson` or `.json` give JSON lines, anything else CSV
with a header. Several workers each write a part of their own
(`part_path`), which `merge_parts` joins once the run is over.
"""

from __future__ import annotations

import enum
import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.interval import IntervalStats

__all__ = [
    "FIELDS",
    "RawLogCollector",
    "RawLogFormat",
    "collector_for",
    "merge_parts",
    "part_path",
]

FIELDS = ("start_time", "name", "method", "status", "latency_us", "bytes", "error")
FLUSH_ROWS = 4096
# How far back `mark_failed` looks for the request it turns into a failure:
# `response.fail` comes right after its request, so it is among the last few.
_MARK_LOOKBACK = 256


class RawLogFormat(enum.Enum):
    """How records are written: CSV with a header, or one JSON object per line."""

    CSV = "csv"
    JSON_LINES = "jsonl"

    @classmethod
    def of(cls, path: Path) -> RawLogFormat:
        """The format the file's suffix asks for."""
        if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
            return cls.JSON_LINES
        return cls.CSV


def part_path(path: Path, worker_id: int) -> Path:
    """Where worker `worker_id` writes its share of the log at `path` (same suffix, same format)."""
    return path.with_name(f"{path.stem}.worker{worker_id}{path.suffix}")


class RawLogCollector(MetricsCollector):
    """Counts like `MetricsCollector`, and logs each request to `path`.

    With `header=False` a CSV file gets no header (a worker's part, joined
    under one header by `merge_parts`).
    """

    __slots__ = ("_file", "_format", "_rows")

    def __init__(self, path: Path, *, header: bool = True) -> None:
        super().__init__()
        self._format = RawLogFormat.of(path)
        self._file = path.open("w", encoding="utf-8", newline="")
        # Rows are lists, not tuples, so that mark_failed can set a kept row's error.
        self._rows: list[list[Any]] = []
        if header and self._format is RawLogFormat.CSV:
            self._file.write(",".join(FIELDS) + "\r\n")

    def record(
        self,
        name: str,
        method: str,
        status: int,
        latency_us: int,
        nbytes: int,
        error: str | None,
    ) -> None:
        """Count the request, and keep its record for the next write."""
        MetricsCollector.record(self, name, method, status, latency_us, nbytes, error)
        start = time.time() - latency_us / 1_000_000
        self._rows.append([start, name, method, status, latency_us, nbytes, error])
        if len(self._rows) >= FLUSH_ROWS:
            self.flush()

    def mark_failed(self, name: str, status: int, error: str) -> None:
        """Count the failure, and put it on the request's record if that is not written yet."""
        MetricsCollector.mark_failed(self, name, status, error)
        for row in reversed(self._rows[-_MARK_LOOKBACK:]):
            if row[1] == name and row[6] is None:
                row[6] = error
                return

    def take_interval(self) -> IntervalStats:
        """Hand over the interval (see `MetricsCollector`), and write the records kept."""
        self.flush()
        return MetricsCollector.take_interval(self)

    def flush(self) -> None:
        """Write the records kept so far."""
        if not self._rows:
            return
        self._file.write(_encode(self._rows, self._format))
        self._file.flush()
        self._rows = []

    def close(self) -> None:
        """Write what is left and close the file."""
        if not self._file.closed:
            self.flush()
            self._file.close()


def _encode(rows: Sequence[Sequence[Any]], kind: RawLogFormat) -> str:
    """The rows as CSV or JSON lines text.

    Written with f-strings and each text quoted once per batch (names and
    error types repeat), not with `csv.writer` and `json.dumps` per row:
    timeit on the shared test machine gave 12.4 µs (CSV) and 27.1 µs (JSON)
    a row with those, 7.5 µs and 7.7 µs with these; the instruction counts
    are in benchmarks/README.md.
    """
    quote = _csv_text if kind is RawLogFormat.CSV else json.dumps
    quoted: dict[str | None, str] = {None: "" if kind is RawLogFormat.CSV else "null"}
    lines = []
    for start, name, method, status, latency_us, nbytes, error in rows:
        for text in (name, method, error):
            if text not in quoted:
                quoted[text] = quote(text)
        if kind is RawLogFormat.CSV:
            lines.append(
                f"{start:.6f},{quoted[name]},{quoted[method]},{status},{latency_us},{nbytes},"
                f"{quoted[error]}\r\n"
            )
        else:
            lines.append(
                f'{{"start_time": {start:.6f}, "name": {quoted[name]}, "method": {quoted[method]},'
                f' "status": {status}, "latency_us": {latency_us}, "bytes": {nbytes},'
                f' "error": {quoted[error]}}}\n'
            )
    return "".join(lines)


def _csv_text(text: str) -> str:
    """`text` as a CSV field: as is, or quoted when it holds a comma, a quote or a line break."""
    if any(special in text for special in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def collector_for(path: Path | None, *, header: bool = True) -> MetricsCollector:
    """The collector a run records into: the plain one, or (with a path) one that also logs."""
    return MetricsCollector() if path is None else RawLogCollector(path, header=header)


def merge_parts(path: Path, workers: int) -> None:
    """Join the workers' parts into `path` (under one CSV header) and remove them.

    Each worker's records stay together, in the order they finished.
    """
    kind = RawLogFormat.of(path)
    with path.open("w", encoding="utf-8", newline="") as out:
        if kind is RawLogFormat.CSV:
            out.write(",".join(FIELDS) + "\r\n")
        for worker_id in range(workers):
            part = part_path(path, worker_id)
            if not part.exists():
                continue
            with part.open(encoding="utf-8", newline="") as source:
                while chunk := source.read(1 << 20):
                    out.write(chunk)
            part.unlink()
