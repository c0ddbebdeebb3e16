"""Data for each virtual user from a file: Gatling's feeders, k6's SharedArray.

    accounts = Feeder.csv("accounts.csv", mode="unique")   # at module level
    row = accounts.next()                                    # in a task: {"user": ..., ...}

Files are read relative to the scenario file. Every worker process keeps
only its share of the rows, those whose index modulo the number of workers
is the worker's index (as k6's execution segments partition), so a million
rows are never held whole by each worker, and in `unique` mode no row is
handed out twice across the run. Modes: `circular` walks the share in order
and wraps around (unless `wrap=False`), `random` draws with replacement
(with a seed, each virtual user draws its own stream, the same in every run
however users interleave), `shuffle` draws without replacement and reshuffles every pass,
`unique` hands each row out once. When rows run out, `on_exhausted="stop"`
stops the users of that worker, and the run ends cleanly with the reason in
its result once every worker's share has run out; `"raise"` raises
`FeederExhausted` in the task, counted as a task error.

A file is checked whole when the scenario is imported, so a missing file, a
bad header, an empty file or a row with the wrong field count fails before
any traffic (ScenarioError, exit 2), naming the file and line. The process
that only plans the run (the coordinator) checks and keeps nothing; a
worker keeps its share, bound by the engine with `bind_worker` before it
imports the scenario.
"""

from __future__ import annotations

import csv
import json
import random
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, cast

from loadforge.dsl.current_user import current_user
from loadforge.errors import LoadForgeError, ScenarioError

__all__ = ["Feeder", "FeederExhausted", "bind_worker", "on_feeder_exhausted"]

Mode = Literal["circular", "random", "shuffle", "unique"]
MODES: tuple[str, ...] = ("circular", "random", "shuffle", "unique")
Row = dict[str, object]
# Rows drawn at once in `random` mode: one draw costs about 0.1 µs this way.
_RANDOM_BATCH = 4096


class FeederExhausted(LoadForgeError):
    """A feeder has no row left to hand out (`unique`, or `circular` without wrap)."""

    stops_user = False
    """True when the run is ending because of it: the user stops instead of counting an error."""


@dataclass(frozen=True, slots=True)
class WorkerPosition:
    """Which worker this process is (0-based) and how many the run has."""

    index: int
    count: int


_position: list[WorkerPosition | None] = [None]
_stop_hook: list[Callable[[str], None] | None] = [None]


def bind_worker(index: int, count: int) -> None:
    """Tell feeders which share of the rows this process keeps (the engine calls it)."""
    _position[0] = WorkerPosition(index, max(count, 1))


def worker_position() -> WorkerPosition:
    """This process's worker index and the run's worker count (0 of 1 outside a worker)."""
    return _position[0] or WorkerPosition(0, 1)


def _user_index() -> int | None:
    """The calling virtual user's index in the run; None outside one."""
    try:
        return current_user().index
    except LoadForgeError:
        return None


def on_feeder_exhausted(hook: Callable[[str], None] | None) -> None:
    """Call `hook(reason)` when a feeder in `stop` mode runs out (the engine ends the run)."""
    _stop_hook[0] = hook


Reader = Callable[[], Iterator[tuple[int, Row | tuple[str, ...]]]]


@dataclass(slots=True)
class _Source:
    """Where rows come from; `read` yields (line, row) pairs, checking each.

    A CSV file's rows are tuples of its fields, named by `header` (filled as
    the file is read); JSON rows are the objects themselves.
    """

    where: str
    read: Reader
    header: list[str]


def _caller_directory() -> Path:
    """The directory of the scenario file calling `Feeder.csv` (two frames up)."""
    filename = sys._getframe(3).f_globals.get("__file__")
    return Path(filename).resolve().parent if isinstance(filename, str) else Path.cwd()


def _open(path: str | Path, kind: str) -> Path:
    resolved = Path(path)
    if not resolved.is_absolute():
        resolved = _caller_directory() / resolved
    if not resolved.is_file():
        raise ScenarioError(f"Feeder.{kind}: {resolved} does not exist (or is not a file).")
    return resolved


def _csv_source(path: Path) -> _Source:
    header: list[str] = []

    def read() -> Iterator[tuple[int, Row | tuple[str, ...]]]:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            reader = csv.reader(stream)
            first = next(reader, None)
            if first is None:
                raise ScenarioError(f"{path}:1: the CSV file is empty; it needs a header row.")
            names = [name.strip() for name in first]
            if not all(names) or len(set(names)) != len(names):
                raise ScenarioError(
                    f"{path}:1: bad header {first!r}: every column needs a name of its own."
                )
            header[:] = names
            for values in reader:
                if not values:
                    continue
                if len(values) != len(names):
                    raise ScenarioError(
                        f"{path}:{reader.line_num}: {len(values)} fields, but the header has"
                        f" {len(names)} ({', '.join(names)})."
                    )
                yield reader.line_num, tuple(values)

    return _Source(str(path), read, header)


def _object(value: object, where: str) -> Row:
    if not isinstance(value, dict):
        raise ScenarioError(f"{where}: a row must be a JSON object, not {type(value).__name__}.")
    return value


def _json_source(path: Path) -> _Source:
    def read() -> Iterator[tuple[int, Row | tuple[str, ...]]]:
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            line = getattr(exc, "lineno", 1)
            raise ScenarioError(f"{path}:{line}: not valid JSON ({exc}).") from exc
        if not isinstance(document, list):
            raise ScenarioError(f"{path}:1: a JSON feeder file holds an array of objects.")
        for number, item in enumerate(document, start=1):
            yield number, _object(item, f"{path}: item {number}")

    return _Source(str(path), read, [])


def _jsonl_source(path: Path) -> _Source:
    def read() -> Iterator[tuple[int, Row | tuple[str, ...]]]:
        with path.open(encoding="utf-8") as stream:
            for number, line in enumerate(stream, start=1):
                if not line.strip():
                    continue
                try:
                    value = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ScenarioError(f"{path}:{number}: not valid JSON ({exc}).") from exc
                yield number, _object(value, f"{path}:{number}")

    return _Source(str(path), read, [])


def _rows_source(rows: Sequence[Mapping[str, object]]) -> _Source:
    def read() -> Iterator[tuple[int, Row | tuple[str, ...]]]:
        for number, row in enumerate(rows, start=1):
            if not isinstance(row, Mapping):
                raise ScenarioError(f"Feeder.rows: item {number} is not a dict.")
            yield number, dict(row)

    return _Source("Feeder.rows", read, [])


class Feeder:
    """Rows handed to virtual users one `next()` at a time; see the module docstring."""

    __slots__ = (
        "_draws",
        "_exhausted",
        "_header",
        "_mode",
        "_on_exhausted",
        "_pass",
        "_passes",
        "_rng",
        "_rows",
        "_seed",
        "_source",
        "_wrap",
        "total_rows",
    )

    def __init__(
        self,
        source: _Source,
        *,
        mode: str = "circular",
        wrap: bool = True,
        on_exhausted: str = "stop",
        seed: int | None = None,
    ) -> None:
        if mode not in MODES:
            raise ScenarioError(
                f"{source.where}: unknown feeder mode {mode!r}; use one of {', '.join(MODES)}."
            )
        if on_exhausted not in ("stop", "raise"):
            raise ScenarioError(
                f"{source.where}: on_exhausted is 'stop' (end the run) or 'raise' (in the task),"
                f" not {on_exhausted!r}."
            )
        self._source = source
        self._mode = mode
        self._wrap = wrap
        self._on_exhausted = on_exhausted
        self._seed = seed
        self._rows: list[Row | tuple[str, ...]] | None = None
        self._header: tuple[str, ...] = ()
        # This pass's rows: empty until the first `next()` loads them.
        self._pass: Iterator[Row | tuple[str, ...]] = iter(())
        self._passes = 0
        self._exhausted = False
        self._rng = random.Random()  # noqa: S311 - replaced in `_load`
        # `random` with a seed: how many rows each virtual user (by run-wide index) has drawn.
        self._draws: dict[int, int] = {}
        self.total_rows = 0
        """How many rows the whole file has (every worker's share together)."""
        # Check the whole file now, so a bad one fails at import; keep this
        # worker's share when the engine has said which worker this is.
        self._load(keep=_position[0] is not None)

    def __repr__(self) -> str:
        return f"<Feeder {self._source.where} mode={self._mode} rows={self.total_rows}>"

    @classmethod
    def csv(
        cls, path: str | Path, *, mode: str = "circular", wrap: bool = True,
        on_exhausted: str = "stop", seed: int | None = None,
    ) -> Feeder:  # fmt: skip
        """Rows of a CSV file with a header row, each a dict of its fields (as text)."""
        return cls(
            _csv_source(_open(path, "csv")),
            mode=mode,
            wrap=wrap,
            on_exhausted=on_exhausted,
            seed=seed,
        )

    @classmethod
    def json(
        cls, path: str | Path, *, mode: str = "circular", wrap: bool = True,
        on_exhausted: str = "stop", seed: int | None = None,
    ) -> Feeder:  # fmt: skip
        """Rows of a JSON file holding an array of objects."""
        return cls(
            _json_source(_open(path, "json")),
            mode=mode,
            wrap=wrap,
            on_exhausted=on_exhausted,
            seed=seed,
        )

    @classmethod
    def jsonl(
        cls, path: str | Path, *, mode: str = "circular", wrap: bool = True,
        on_exhausted: str = "stop", seed: int | None = None,
    ) -> Feeder:  # fmt: skip
        """Rows of a JSON lines file: one object a line."""
        return cls(
            _jsonl_source(_open(path, "jsonl")),
            mode=mode,
            wrap=wrap,
            on_exhausted=on_exhausted,
            seed=seed,
        )

    @classmethod
    def rows(
        cls, rows: Sequence[Mapping[str, object]], *, mode: str = "circular", wrap: bool = True,
        on_exhausted: str = "stop", seed: int | None = None,
    ) -> Feeder:  # fmt: skip
        """Rows given inline, as a list of dicts."""
        return cls(_rows_source(rows), mode=mode, wrap=wrap, on_exhausted=on_exhausted, seed=seed)

    @property
    def share(self) -> int:
        """How many rows this worker holds (after the first `next()` in the coordinator)."""
        return len(self._rows) if self._rows is not None else 0

    def _load(self, *, keep: bool) -> None:
        position = worker_position()
        kept: list[Row | tuple[str, ...]] = []
        total = 0
        for _line, row in self._source.read():
            if keep and total % position.count == position.index:
                kept.append(row)
            total += 1
        if total == 0:
            raise ScenarioError(f"{self._source.where}: no rows to feed (the file is empty).")
        self.total_rows = total
        if keep:
            self._rows = kept
            self._header = tuple(self._source.header)
            seed = self._seed
            # Test data, not secrets: a seeded generator makes a run repeatable.
            worker_seed = None if seed is None else seed * 1009 + position.index
            self._rng = random.Random(worker_seed)  # noqa: S311

    def next(self) -> Row:
        """The next row, as a dict; raises FeederExhausted when none is left."""
        # One C-level step of an iterator over this pass's rows; everything
        # else (loading, wrapping, reshuffling, drawing) happens once a pass.
        row = next(self._pass, None)
        if row is None:
            row = self._next_pass()
        header = self._header
        if header:
            return dict(zip(header, cast("tuple[str, ...]", row), strict=False))
        return dict(cast("Row", row))

    def _next_pass(self) -> Row | tuple[str, ...]:
        """Start the next pass over the rows (loading them first) and return its first row."""
        if self._rows is None:
            self._load(keep=True)
        elif self._passes and (
            self._mode == "unique" or (self._mode == "circular" and not self._wrap)
        ):
            raise self._ran_out()
        self._passes += 1
        rows = self._rows
        assert rows is not None  # noqa: S101 - `_load(keep=True)` sets it
        if not rows:
            raise self._ran_out()
        if self._mode == "random" and self._seed is not None:
            user = _user_index()
            if user is not None:
                return self._user_draw(rows, user)
        if self._mode == "random":
            self._pass = iter(self._rng.choices(rows, k=_RANDOM_BATCH))
        elif self._mode == "shuffle":
            order = list(rows)
            self._rng.shuffle(order)
            self._pass = iter(order)
        else:
            self._pass = iter(rows)
        return next(self._pass)

    def _user_draw(self, rows: list[Row | tuple[str, ...]], user: int) -> Row | tuple[str, ...]:
        """Draw n of this user's seeded stream: the same rows in the same order every run.

        The pass stays empty, so each `next()` of a seeded `random` feeder
        draws here. A draw is the hash of (seed, user, n): ints hash the same
        in every process (PYTHONHASHSEED only changes str and bytes), and a
        counter per user is all it keeps.
        """
        drawn = self._draws.get(user, 0)
        self._draws[user] = drawn + 1
        return rows[hash((self._seed, user, drawn)) % len(rows)]

    def _ran_out(self) -> FeederExhausted:
        what = (
            f"{self._source.where} ran out of rows (mode {self._mode}, {self.share} in this worker)"
        )
        error = FeederExhausted(what)
        if self._on_exhausted == "stop":
            error.stops_user = True
            hook = _stop_hook[0]
            if hook is not None and not self._exhausted:
                hook(what)
        self._exhausted = True
        return error
