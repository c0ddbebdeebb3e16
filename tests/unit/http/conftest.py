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


@pytest.fixture
def recorder() -> ListRecorder:
    """A fresh recorder that lists what it was told."""
    return ListRecorder()
