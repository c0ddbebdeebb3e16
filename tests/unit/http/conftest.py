"""Fixtures for the HTTP client's unit tests."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest


@dataclass
class ListRecorder:
    """A RequestRecorder that keeps every call, for assertions."""

    records: list[tuple[str, str, int, int, int, str | None]] = field(default_factory=list)
    failures: list[tuple[str, int, str]] = field(default_factory=list)
    task_errors: list[tuple[str, str]] = field(default_factory=list)
    checks: list[tuple[str, str, bool, str | None]] = field(default_factory=list)
    groups: list[tuple[str, int]] = field(default_factory=list)
    timings: list[tuple[str, int, int]] = field(default_factory=list)
    connections: list[tuple[str, int]] = field(default_factory=list)
    handshakes: list[tuple[int | None, int | None]] = field(default_factory=list)

    def record(
        self, name: str, method: str, status: int, latency_us: int, nbytes: int, error: str | None
    ) -> None:
        """Keep one request."""
        self.records.append((name, method, status, latency_us, nbytes, error))

    def mark_failed(self, name: str, status: int, error: str) -> None:
        """Keep one success turned failure."""
        self.failures.append((name, status, error))

    def count_iterations(self, count: int) -> None:
        """Calls are not counted here."""

    def record_task_error(self, task: str, exc: BaseException) -> None:
        """Keep one task error."""
        self.task_errors.append((task, type(exc).__name__))

    def record_check(self, check: str, endpoint: str, passed: bool, error: str | None) -> None:
        """Keep one check's outcome."""
        self.checks.append((check, endpoint, passed, error))

    def record_group(self, group: str, duration_us: int) -> None:
        """Keep one group block's path and duration."""
        self.groups.append((group, duration_us))

    def record_timings(self, name: str, waiting_us: int, receiving_us: int) -> None:
        """Keep one response's time to first byte and receiving time."""
        self.timings.append((name, waiting_us, receiving_us))

    def record_connecting(
        self, name: str, connecting_us: int, dns_us: int | None, tls_us: int | None
    ) -> None:
        """Keep one connection's opening time, and its DNS and TLS times apart."""
        self.connections.append((name, connecting_us))
        self.handshakes.append((dns_us, tls_us))


@pytest.fixture
def recorder() -> ListRecorder:
    """A fresh recorder that lists what it was told."""
    return ListRecorder()
