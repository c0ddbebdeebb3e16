"""A worker process: re-imports the scenario by path, runs its share of users, ships metrics.

The coordinator starts `worker_main` in a fresh interpreter (spawn), so
nothing about the scenario is pickled: the worker loads the file itself.
Commands arrive on the worker's end of its control pipe; heartbeats go back
up it twice a second. At every second of the run's clock the worker hands
its interval (HDR histograms and counters per endpoint) to the metrics
transport; per-request records never leave the process.
"""

from __future__ import annotations

import asyncio
import logging
import os
import queue
import signal
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import assert_never

from loadforge import eventloop
from loadforge.dsl import ResolvedScenario, load_scenarios, resolve_scenario, select_scenario
from loadforge.dsl.feeders import bind_worker, on_feeder_exhausted
from loadforge.dsl.loader import select_scenarios
from loadforge.dsl.mix import ScenarioMix, resolve_mix
from loadforge.engine.drivers import DriverSettings, LoadDriver, build_driver
from loadforge.engine.messages import (
    Command,
    DataExhausted,
    Finished,
    Heartbeat,
    Pace,
    Ready,
    Report,
    Scale,
    SetRate,
    Start,
    Stop,
    WorkerFailed,
)
from loadforge.engine.parent_watch import die_with_parent
from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.interval import IntervalStats
from loadforge.metrics.raw_log import collector_for
from loadforge.metrics.transport import IntervalSink, QueueSink, RingAddress, RingSink
from loadforge.metrics.wire import IntervalEncoder, WorkerInterval

log = logging.getLogger(__name__)

HEARTBEAT_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class ScenarioSource:
    """Where a worker finds its scenario: a file path and how to resolve it (picklable)."""

    path: Path
    name: str | None
    base_url: str | None
    environ: Mapping[str, str] = field(default_factory=dict)
    # In a run of several scenarios, their names (`name` is the first).
    names: tuple[str, ...] = ()
    # `--record-timings`: every scenario's users record response timings.
    record_timings: bool = False


@dataclass(frozen=True, slots=True)
class WorkerSpec:
    """Everything a worker process is started with."""

    worker_id: int
    coordinator_pid: int
    source: ScenarioSource
    max_connections: int
    grace: float
    rps: float | None
    seed: int | None
    open_model: bool = False
    max_users: int = 0
    # How many workers the run has: feeders keep the share of rows of worker
    # `worker_id` of `workers`.
    workers: int = 1
    # This worker's part of the raw per-request log, when the run keeps one.
    raw_log: Path | None = None
    # Each scenario's kind in a run of users beside arrival rates (True: a
    # rate); () otherwise (`DriverSettings.lane_rates`).
    lane_rates: tuple[bool, ...] = ()


def worker_main(
    spec: WorkerSpec, control: Connection, sink_address: RingAddress | queue.Queue[bytes]
) -> None:
    """Entry point of a worker process (the target of `multiprocessing.Process`)."""
    # Ctrl-C in a terminal reaches the whole process group; only the
    # coordinator decides how a run stops.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    die_with_parent(spec.coordinator_pid)
    bind_process(spec, control)
    try:
        scenario, mix = load_source(spec.source)
    except Exception as exc:  # reported to the coordinator, which shows it
        control.send(WorkerFailed(spec.worker_id, f"{type(exc).__name__}: {exc}"))
        return
    sink: IntervalSink = (
        RingSink(sink_address) if isinstance(sink_address, RingAddress) else QueueSink(sink_address)
    )
    collector = collector_for(spec.raw_log, header=False)
    try:
        users = scenario_pool(spec, scenario, collector, mix=mix)
        eventloop.run(WorkerRun(spec, users, control, sink).run())
    finally:
        collector.close()
        sink.close()


def bind_process(spec: WorkerSpec, control: Connection) -> None:
    """Tell this process's feeders which worker it is, and how a `stop` feeder ends the run.

    Every kind of worker calls it before importing the scenario: a local
    process and a cluster node's actor alike, so feeders split their rows
    over all the run's workers wherever they run.
    """
    bind_worker(spec.worker_id, spec.workers)
    on_feeder_exhausted(lambda reason: control.send(DataExhausted(spec.worker_id, reason)))


def load_source(source: ScenarioSource) -> tuple[ResolvedScenario, ScenarioMix | None]:
    """Import the scenario file and resolve the scenarios it names, as the coordinator did.

    The second value is the run's mix when it runs several scenarios, else None.
    """
    scenarios = load_scenarios(source.path)
    if source.names:
        definitions = [
            each.timed(source.record_timings)
            for each in select_scenarios(scenarios, source.names, source.path)
        ]
        mix = resolve_mix(definitions, source.environ, source.base_url)
        return mix.scenarios[0], mix
    definition = select_scenario(scenarios, source.name, source.path).timed(source.record_timings)
    return resolve_scenario(definition, source.environ, source.base_url), None


def scenario_pool(
    spec: WorkerSpec,
    scenario: ResolvedScenario,
    collector: MetricsCollector | None = None,
    *,
    mix: ScenarioMix | None = None,
) -> LoadDriver:
    """This worker's load driver; its users' places are unique across the run's workers."""
    settings = DriverSettings(
        open_model=spec.open_model,
        max_users=spec.max_users,
        max_connections=spec.max_connections,
        grace=spec.grace,
        rps=spec.rps,
        seed=None if spec.seed is None else spec.seed + spec.worker_id,
        worker_index=spec.worker_id,
        worker_count=spec.workers,
        mix=mix,
        lane_rates=spec.lane_rates,
    )
    return build_driver(scenario, collector or MetricsCollector(), settings)


class WorkerRun:
    """One worker's run on its event loop, driven by the coordinator's commands."""

    def __init__(
        self, spec: WorkerSpec, users: LoadDriver, control: Connection, sink: IntervalSink
    ) -> None:
        self._id = spec.worker_id
        self._users = users
        self._control = control
        self._sink = sink
        self._encoder = IntervalEncoder()
        self._unsent = IntervalStats()
        self._index = 0
        self._start: Start | None = None
        self._started = asyncio.Event()
        self._stop: Stop | None = None
        self._stopped = asyncio.Event()
        # Load commands that arrive before the run's time zero wait for it,
        # so that every worker's users start together with the run's clock.
        self._running = False
        self._deferred: Scale | Pace | None = None

    async def run(self) -> None:
        """Wait for Start, follow commands until Stop, ship the last interval, report Finished."""
        loop = asyncio.get_running_loop()
        loop.add_reader(self._control.fileno(), self._on_readable)
        self._send(Ready(self._id))
        try:
            await self._started.wait()
            beat = loop.create_task(self._beat())
            assert self._start is not None
            await asyncio.sleep(max(0.0, self._start.start - time.monotonic()))
            self._running = True
            if self._deferred is not None:
                self._follow(self._deferred)
            flush = loop.create_task(self._flush_every_interval())
            await self._stopped.wait()
            if self._stop is not None and self._stop.abort:
                self._users.cancel_all()
            else:
                await self._users.stop_all()  # the drain ships second by second too
            flush.cancel()
            self._users.cancel_all()
            await self._users.aclose()
            self._ship(final=True)
            beat.cancel()
            self._send(Finished(self._id, self._index))
        finally:
            loop.remove_reader(self._control.fileno())

    def _on_readable(self) -> None:
        try:
            while self._control.poll():
                self._on_command(self._control.recv())
        except (EOFError, OSError):
            # The coordinator is gone: nobody will read what this worker
            # measures, so it ends now rather than in the grace period.
            os._exit(1)

    def _on_command(self, command: Command) -> None:
        match command:
            case Start():
                self._start = command
                self._users.plan(command.start, command.end)
                self._started.set()
            case Scale() | Pace():
                self._follow(command)
            case SetRate():
                self._users.set_rate(command.rps)
            case Stop():
                if self._stop is None or command.abort:
                    self._stop = command
                if self._stop.abort:
                    self._users.cancel_all()
                self._stopped.set()
            case _:
                assert_never(command)

    def _follow(self, command: Scale | Pace) -> None:
        """Follow the coordinator's share of the load, once the run's time zero has come."""
        if not self._running:
            self._deferred = command
            return
        if self._stopped.is_set():
            return
        match command:
            case Scale(lanes=lanes) if lanes:
                self._users.follow_lanes(lanes)
            case Pace(lanes=lanes) if lanes:
                self._users.follow_lanes(lanes, max_users=command.max_users, phase=command.phase)
            case Scale():
                self._users.follow(command.users)
            case Pace():
                self._users.follow(command.rate, max_users=command.max_users, phase=command.phase)
            case _:
                assert_never(command)

    def _send(self, report: Report) -> None:
        try:
            self._control.send(report)
        except (BrokenPipeError, EOFError, OSError):
            os._exit(1)

    async def _beat(self) -> None:
        while True:
            self._send(Heartbeat(self._id))
            await asyncio.sleep(HEARTBEAT_SECONDS)

    async def _flush_every_interval(self) -> None:
        start = self._start
        assert start is not None
        while True:
            boundary = start.start + (self._index + 1) * start.interval
            await asyncio.sleep(max(0.0, boundary - time.monotonic()))
            self._index += 1
            self._ship(final=False)

    def _ship(self, *, final: bool) -> None:
        """Hand the interval just ended to the transport; keep it for later if the ring is full.

        Interval `k` covers the run's clock from `k - 1` to `k` intervals; the
        final one covers whatever ran after the last boundary.
        """
        if final:
            self._index += 1
        stats = self._users.collector.take_interval()
        self._unsent.merge(stats)
        interval = WorkerInterval(
            index=self._index,
            active_users=self._users.peak_active(),
            target_users=self._users.target,
            stats=self._unsent,
        )
        payload = self._encoder.encode(interval)
        while not self._sink.send(payload):
            if not final:
                self._encoder.rollback()
                return  # merged into the next interval instead
            time.sleep(0.005)  # the last interval must get through; the reader drains
        self._unsent = IntervalStats()
