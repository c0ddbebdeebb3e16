"""The contract between whatever makes requests and whatever counts them.

The HTTP client and the virtual-user loop only ever see this protocol:
`MetricsCollector` in the closed model, `IntendedStartRecorder` in the open
one. How counts become per-second histograms and travel between processes
(`metrics.transport`) is decided behind it, away from the hot path's callers.
"""

from __future__ import annotations

from typing import Protocol


class RequestRecorder(Protocol):
    """Receives one call per finished request, failed task, check and group block."""

    def record(
        self,
        name: str,
        method: str,
        status: int,
        latency_us: int,
        nbytes: int,
        error: str | None,
    ) -> None:
        """Count one request.

        `name` is the endpoint name the user sees; `status` is 0 when no
        response arrived; `latency_us` is the whole request time in
        microseconds; `nbytes` the response body size; `error` is None on
        success, else the error type (``timeout``, ``connection_refused``,
        ``connection_reset``, ``dns_error``, ``http_404``...,
        a user's ``response.fail`` reason, an exception class name).
        """

    def mark_failed(self, name: str, status: int, error: str) -> None:
        """Turn a request already counted as a success into a failure.

        Called by ``response.fail(reason)`` after the request was recorded.
        """

    def count_iterations(self, count: int) -> None:
        """Count `count` calls of the scenario's code: tasks, setup, teardown (raised or not).

        The closed loop counts its tasks in batches; the open model's tasks
        are counted as they start (`MetricsCollector.count_started`).
        """

    def record_task_error(self, task: str, exc: BaseException) -> None:
        """Count `exc`, raised inside task `task` outside any request."""

    def record_check(self, check: str, endpoint: str, passed: bool, error: str | None) -> None:
        """Count one outcome of ``response.check(check, ...)`` on a response of `endpoint`.

        `error` is the exception class name when the check's condition raised.
        """

    def record_group(self, group: str, duration_us: int) -> None:
        """Count one pass through a ``client.group`` block, by its path ("a › b")."""

    def record_timings(self, name: str, waiting_us: int, receiving_us: int) -> None:
        """Count where one response's time went, for endpoint `name`.

        `waiting_us` is the time to first byte (request written → first
        response bytes), `receiving_us` first byte → last byte. Called once
        per response that arrived, before `record` for the same call.
        """

    def record_connecting(
        self, name: str, connecting_us: int, dns_us: int | None, tls_us: int | None
    ) -> None:
        """Count one connection opened for a request of `name`.

        `connecting_us` is the TCP connect, `dns_us` the name's resolution
        (None when the host is an address), `tls_us` the TLS handshake (None
        for http). Only requests that open a connection call it; a request
        on a kept-alive connection records nothing here.
        """
