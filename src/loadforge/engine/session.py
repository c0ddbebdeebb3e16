"""A whole `loadforge run`, minus presentation: load, resolve, drive, write results.

This is the one place that ties a scenario file, a run (`LoadTest`, or
`Coordinator` over workers) and a results directory together, so that the
CLI and the server start runs the same way, and so that results are written
however the run ends: at its planned end, on Ctrl-C or SIGTERM, or after an
internal failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Protocol

from loadforge import eventloop
from loadforge.dsl import (
    ResolvedScenario,
    ScenarioDefinition,
    load_scenarios,
    resolve_scenario,
    select_scenario,
)
from loadforge.dsl.loader import select_scenarios
from loadforge.dsl.mix import ScenarioMix, resolve_mix
from loadforge.engine.cluster import ClusterTarget
from loadforge.engine.coordinator import READY_TIMEOUT_SECONDS, Coordinator
from loadforge.engine.lifecycle import StopReason
from loadforge.engine.load_test import LoadTest
from loadforge.engine.observers import EventObserver, SnapshotObserver, StateObserver
from loadforge.engine.settings import LoadSettings
from loadforge.engine.worker import ScenarioSource
from loadforge.engine.worker_handle import WorkerLauncher
from loadforge.metrics.models import TestResult
from loadforge.metrics.totals import RunTotals
from loadforge.results import ResultsWriter

CLUSTER_READY_TIMEOUT_SECONDS = 180.0


@dataclass(frozen=True, slots=True)
class RunRequest:
    """Everything a run needs: which scenario, against what, how hard, where to write."""

    scenario_path: Path
    load: LoadSettings
    output_root: Path = Path("results")
    scenario_name: str | None = None
    base_url: str | None = None
    environ: Mapping[str, str] = field(default_factory=lambda: dict(os.environ))
    # The scenario, when whoever made the request loaded it already (to read its pattern).
    definition: ScenarioDefinition | None = None
    # The Ray cluster whose nodes run the workers; None runs them on this machine.
    cluster: ClusterTarget | None = None
    # A run of several scenarios: their names, in the file's order (none for one).
    scenario_names: tuple[str, ...] = ()
    # Whether every scenario of the run records response timings (`record_timings=True`),
    # which thresholds on `ttfb` or `receiving` need.
    timings_recorded: bool = False


@dataclass(frozen=True, slots=True)
class RunOutcome:
    """A finished run: its result and the directory its files were written to."""

    result: TestResult
    directory: Path


@dataclass(frozen=True, slots=True)
class RunObservers:
    """Who is told about the run while it goes."""

    on_snapshot: Sequence[SnapshotObserver] = ()
    on_state: Sequence[StateObserver] = ()
    on_started: Callable[[RunningTest, Path], None] | None = None
    on_notice: Callable[[str], None] | None = None
    on_event: Sequence[EventObserver] = ()


class RunningTest(Protocol):
    """A run in progress: `LoadTest` in one process (`--workers 1`), or `Coordinator` over workers.

    Both publish the same way and stop the same way, so whoever started the
    run (the CLI, the dashboard, the server) never asks which one it holds.
    """

    @property
    def scenario(self) -> ResolvedScenario:
        """The scenario being run."""

    @property
    def run_name(self) -> str:
        """The scenario's name, or a run of several's names joined by " + "."""

    @property
    def settings(self) -> LoadSettings:
        """How hard and how long."""

    @property
    def result(self) -> TestResult | None:
        """The finished result (set however the run ended), None while it runs."""

    def run_totals(self, bounds_us: tuple[int, ...]) -> RunTotals:
        """The run's counts and latency buckets so far (for live exports); on the run's loop."""

    def request_stop(self, reason: StopReason = StopReason.REQUESTED) -> None:
        """End the run gracefully: users finish within the grace period."""

    def abort(self) -> None:
        """End the run now; results are still built."""

    async def run(self) -> TestResult:
        """Drive the run to its end and return its result."""


def run_session(request: RunRequest, observers: RunObservers | None = None) -> RunOutcome:
    """Run one load test to its end and write its results; bad input raises ConfigError."""
    resolved, mix = _resolve(request)
    name = resolved.definition.name if mix is None else mix.name
    observers = observers or RunObservers()

    async def main() -> RunOutcome:
        writer = ResultsWriter.create(request.output_root, name, datetime.now())
        on_snapshot = (writer.append_snapshot, *observers.on_snapshot)
        with contextlib.ExitStack() as stack:
            launcher = _cluster_launcher(request, stack)
            test = _new_test(request, (resolved, mix), launcher, observers, on_snapshot)
            if observers.on_started is not None:
                observers.on_started(test, writer.directory)
            with writer, _StopSignals(test, observers.on_notice):
                try:
                    result = await test.run()
                finally:
                    if test.result is not None:
                        writer.finish(test.result)
        return RunOutcome(result=result, directory=writer.directory)

    return eventloop.run(main())


def _resolve(request: RunRequest) -> tuple[ResolvedScenario, ScenarioMix | None]:
    """The scenario to run, and the run's mix when it runs several (`scenario_names`)."""
    if request.scenario_names:
        scenarios = load_scenarios(request.scenario_path)
        chosen = select_scenarios(scenarios, request.scenario_names, request.scenario_path)
        mix = resolve_mix(chosen, request.environ, request.base_url)
        return mix.scenarios[0], mix
    definition = request.definition
    if definition is None:
        scenarios = load_scenarios(request.scenario_path)
        definition = select_scenario(scenarios, request.scenario_name, request.scenario_path)
    return resolve_scenario(definition, request.environ, request.base_url), None


def _new_test(
    request: RunRequest,
    scenarios: tuple[ResolvedScenario, ScenarioMix | None],
    cluster: tuple[WorkerLauncher, int] | None,
    observers: RunObservers,
    on_snapshot: Sequence[SnapshotObserver],
) -> RunningTest:
    """The run: one process, or a coordinator over local workers or a cluster's (`cluster`)."""
    resolved, mix = scenarios
    if cluster is None and request.load.workers <= 1:
        return LoadTest(
            resolved,
            request.load,
            on_snapshot=on_snapshot,
            on_state=observers.on_state,
            mix=mix,
        )
    source = ScenarioSource(
        path=request.scenario_path.resolve(),
        name=resolved.definition.name,
        base_url=request.base_url,
        environ=dict(request.environ),
        names=() if mix is None else tuple(each.definition.name for each in mix.scenarios),
    )
    load, launcher, ready_timeout = request.load, None, READY_TIMEOUT_SECONDS
    if cluster is not None:
        launcher, workers = cluster
        load = dataclasses.replace(load, workers=workers)
        # An actor's start includes its node setting up the job's working dir.
        ready_timeout = CLUSTER_READY_TIMEOUT_SECONDS
    return Coordinator(
        resolved,
        source,
        load,
        launcher=launcher,
        ready_timeout=ready_timeout,
        on_snapshot=on_snapshot,
        on_state=observers.on_state,
        on_event=observers.on_event,
        mix=mix,
    )


def _cluster_launcher(
    request: RunRequest, stack: contextlib.ExitStack
) -> tuple[WorkerLauncher, int] | None:
    """The cluster's launcher and worker count when the run goes to one, else None.

    The launcher is closed with `stack`. Ray is imported here and only here,
    so a run without `--cluster` never imports it.
    """
    if request.cluster is None:
        return None
    from loadforge.engine.ray_cluster import open_cluster

    launcher = open_cluster(request.cluster, request.scenario_path.resolve().parent)
    stack.callback(launcher.close)
    return launcher, launcher.workers


class _StopSignals:
    """SIGINT/SIGTERM stop the run gracefully; a second signal stops it at once."""

    def __init__(self, test: RunningTest, notice: Callable[[str], None] | None) -> None:
        self._test = test
        self._notice = notice or (lambda _message: None)
        self._interrupts = 0
        self._installed: list[signal.Signals] = []

    def __enter__(self) -> _StopSignals:
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, self._on_signal, sig)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread
                continue
            self._installed.append(sig)
        return self

    def __exit__(self, *exc_info: object) -> None:
        loop = asyncio.get_running_loop()
        for sig in self._installed:
            loop.remove_signal_handler(sig)

    def _on_signal(self, sig: signal.Signals) -> None:
        self._interrupts += 1
        if self._interrupts > 1:
            self._notice("Second interrupt: stopping now; writing the results collected so far.")
            self._test.abort()
            return
        grace = self._test.settings.grace
        self._notice(
            f"{sig.name}: stopping gracefully (users finish within {grace:g}s); "
            "press Ctrl-C again to stop at once."
        )
        self._test.request_stop(StopReason.SIGNAL)
