# cython: annotation_typing=False
"""The recorder one worker's virtual users report every request to.

It only counts; turning counts into percentiles and rates happens once per
interval in `SnapshotBuilder`, off the request path.
"""

from __future__ import annotations

import time
from dataclasses import replace

from loadforge import extensions
from loadforge.metrics.histogram import LatencyHistogram
from loadforge.metrics.interval import EndpointInterval, IntervalStats
from loadforge.metrics.scenario_interval import CheckCounts, GaugeReading
from loadforge.metrics.task_exceptions import MAX_DISTINCT, describe, message_of

__all__ = ["MetricsCollector"]

_TTFB, _RECEIVING = "ttfb", "receiving"


class _Recording:
    """One endpoint's counts in the current interval, before `take_interval` folds them in.

    Its latencies are counted by value, one count per request, so they give
    its request count too, and its bytes are summed beside them: `record`
    touches the endpoint only for an error. In the compiled build this is an
    extension type, its fields C fields.
    """

    __slots__ = ("endpoint", "latencies", "nbytes")

    def __init__(self, endpoint: EndpointInterval) -> None:
        self.endpoint = endpoint
        self.latencies: dict[int, int] = {}
        self.nbytes = 0


class MetricsCollector:
    """Counts one worker's requests and task errors, interval by interval.

    Implements `RequestRecorder` and `MetricSink` (the custom metrics of
    `loadforge.metrics.counter` and kin). Meant for a single asyncio thread, so it
    takes no locks. Every request's latency goes into its endpoint's
    histogram whether it succeeded or failed (as k6 does), so timeouts weigh
    on the percentiles. An endpoint is identified by its name; the method
    seen first for a name is the one reported.
    """

    __slots__ = ("_connections", "_current", "_endpoints", "_methods", "_recording", "_responses")

    def __init__(self) -> None:
        self._current = IntervalStats()
        # The current interval's endpoint dict.
        self._endpoints = self._current.endpoints
        # Per endpoint of the current interval: what `record` counts (`_Recording`),
        # found with one dict lookup, so `record` calls no function
        # (`LatencyHistogram.record` per request costs about 400 instructions).
        self._recording: dict[str, _Recording] = {}
        self._methods: dict[str, str] = {}
        # Per endpoint: the time to first byte and the receiving time of its
        # responses, counted by value like the latencies and handed to the
        # endpoint's `timings` and to the run-wide trends in `take_interval`.
        self._responses: dict[str, tuple[dict[int, int], dict[int, int]]] = {}
        # Per endpoint: its connections' timings (dns, connecting, tls) by
        # name, counted by value the same way.
        self._connections: dict[str, dict[str, dict[int, int]]] = {}

    def _register(self, name: str, method: str) -> _Recording:
        method = self._methods.setdefault(name, method)
        endpoint = self._endpoints[name] = EndpointInterval(method)
        entry = self._recording[name] = _Recording(endpoint)
        return entry

    def record(
        self,
        name: str,
        method: str,
        status: int,
        latency_us: int,
        nbytes: int,
        error: str | None,
    ) -> None:
        """Count one finished request (see `RequestRecorder.record`)."""
        entry = self._recording.get(name)
        if entry is None:
            entry = self._register(name, method)
        entry.nbytes += nbytes
        latencies = entry.latencies
        latencies[latency_us] = latencies.get(latency_us, 0) + 1
        if error is not None:
            entry.endpoint.count_error(status, error)

    def mark_failed(self, name: str, status: int, error: str) -> None:
        """Turn a request already counted as a success into a failure, in the current interval.

        If the request was recorded just before the interval was taken, the
        failure lands in the new interval, which then has an error without
        its request; totals over the run stay right.
        """
        endpoint = self._endpoints.get(name)
        if endpoint is None:
            endpoint = self._register(name, self._methods.get(name, "")).endpoint
        endpoint.count_error(status, error)

    def record_task_error(self, task: str, exc: BaseException) -> None:
        """Count an exception raised inside a task outside any request.

        The first of each type and message in an interval keeps its traceback;
        the others only add to its count, so a failing task costs a traceback
        walk once a second, not once a call.
        """
        current = self._current
        error = type(exc).__name__
        by_type = current.task_errors_by_type
        by_type[error] = by_type.get(error, 0) + 1
        by_task = current.task_errors_by_task
        by_task[task] = by_task.get(task, 0) + 1
        exceptions = current.task_exceptions
        key = (error, message_of(exc))
        known = exceptions.get(key)
        if known is not None:
            exceptions[key] = replace(known, count=known.count + 1)
        elif len(exceptions) < MAX_DISTINCT:
            exceptions[key] = describe(task, exc)

    def record_corrected(self, name: str, latency_us: int) -> None:
        """Count one request of endpoint `name` timed from its iteration's intended start.

        Called right after `record` for the same request, so the endpoint exists.
        """
        endpoint = self._endpoints.get(name)
        if endpoint is None:
            endpoint = self._register(name, self._methods.get(name, "")).endpoint
        endpoint.corrected.record(latency_us)

    def count_iterations(self, count: int) -> None:
        """Count `count` calls of the scenario's code by users: tasks, setup or teardown."""
        self._current.iterations += count

    def record_check(self, check: str, endpoint: str, passed: bool, error: str | None) -> None:
        """Count one outcome of a named check on a response of `endpoint`."""
        checks = self._current.scenario.checks
        counts = checks.get(check)
        if counts is None:
            counts = checks[check] = CheckCounts()
        counts.count(endpoint, passed, error)

    def record_group(self, group: str, duration_us: int) -> None:
        """Count one pass through the group block `group` (its path) that took `duration_us`."""
        groups = self._current.scenario.groups
        histogram = groups.get(group)
        if histogram is None:
            histogram = groups[group] = LatencyHistogram()
        histogram.record(duration_us)

    def record_timings(self, name: str, waiting_us: int, receiving_us: int) -> None:
        """Count one response's time to first byte and receiving time, for endpoint `name`."""
        entry = self._responses.get(name)
        if entry is None:
            entry = self._responses[name] = ({}, {})
        waiting, receiving = entry
        waiting[waiting_us] = waiting.get(waiting_us, 0) + 1
        receiving[receiving_us] = receiving.get(receiving_us, 0) + 1

    def record_connecting(
        self, name: str, connecting_us: int, dns_us: int | None, tls_us: int | None
    ) -> None:
        """Count one connection opened for endpoint `name`: its TCP connect, DNS and TLS."""
        timings = self._connections.get(name)
        if timings is None:
            timings = self._connections[name] = {}
        for timing, value in (("dns", dns_us), ("connecting", connecting_us), ("tls", tls_us)):
            if value is not None:
                counts = timings.setdefault(timing, {})
                counts[value] = counts.get(value, 0) + 1

    def add_counter(self, name: str, amount: float) -> None:
        """Add `amount` to the custom counter `name`."""
        counters = self._current.scenario.counters
        counters[name] = counters.get(name, 0.0) + amount

    def set_gauge(self, name: str, value: float) -> None:
        """Set the custom gauge `name` to `value`, now."""
        gauges = self._current.scenario.gauges
        now = time.time()
        reading = gauges.get(name)
        if reading is None:
            gauges[name] = GaugeReading(value, now, value, value)
        else:
            reading.set(value, now)

    def add_rate(self, name: str, value: bool) -> None:
        """Count one true or false value of the custom rate `name`."""
        scenario = self._current.scenario
        scenario.rate_totals[name] = scenario.rate_totals.get(name, 0) + 1
        if value:
            scenario.rate_trues[name] = scenario.rate_trues.get(name, 0) + 1

    def record_trend(self, name: str, value_us: int) -> None:
        """Record one value (µs) of the custom trend `name`."""
        trends = self._current.scenario.trends
        histogram = trends.get(name)
        if histogram is None:
            histogram = trends[name] = LatencyHistogram()
        histogram.record(value_us)

    def count_dropped(self) -> None:
        """Count one iteration the open model could not start (every user was busy)."""
        self._current.dropped_iterations += 1

    def count_started(self) -> None:
        """Count one iteration the open model started (on an idle or a new user).

        It is one call of a task too, for `iterations`.
        """
        current = self._current
        current.started_iterations += 1
        current.iterations += 1

    def count_user(self, scenario: str) -> None:
        """Count one user of `scenario` set up by the open model in a run of several scenarios."""
        users = self._current.users_by_scenario
        users[scenario] = users.get(scenario, 0) + 1

    def close(self) -> None:
        """Release what the collector holds: nothing here (see `RawLogCollector`)."""

    def take_interval(self) -> IntervalStats:
        """Hand over everything counted since the last call and start a fresh interval."""
        if self._responses or self._connections:
            self._fold_timings()
        for entry in self._recording.values():
            endpoint = entry.endpoint
            endpoint.requests += sum(entry.latencies.values())
            endpoint.bytes_received += entry.nbytes
            endpoint.latency.record_counts(entry.latencies)
        self._recording = {}
        taken = self._current
        self._current = IntervalStats()
        self._endpoints = self._current.endpoints
        return taken

    def _fold_timings(self) -> None:
        """Hand the interval's timings to their endpoints and to the run-wide trends."""
        folded = [
            (name, {_TTFB: waiting, _RECEIVING: receiving})
            for name, (waiting, receiving) in self._responses.items()
        ]
        folded.extend(self._connections.items())
        trends = self._current.scenario.trends
        for name, timings in folded:
            endpoint = self._endpoints.get(name) or self._register(name, "").endpoint
            for timing, counts in timings.items():
                trend = trends.get(timing)
                if trend is None:
                    trend = trends[timing] = LatencyHistogram()
                # A histogram keeps the dict it is handed: each gets its own.
                trend.record_counts(dict(counts))
                endpoint.timing(timing).record_counts(counts)
        self._responses, self._connections = {}, {}


# The compiled build of this file replaces the names above when it is active.
extensions.adopt(globals())
