"""Fixtures for the dashboard's route tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from dashboard_harness import sample_snapshot
from loadforge.metrics.models import MetricSnapshot


@pytest.fixture
def make_snapshot() -> Callable[..., MetricSnapshot]:
    """Builds sample snapshots: make_snapshot(elapsed=1.0, errors=2)."""
    return sample_snapshot
