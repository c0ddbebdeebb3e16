"""The wire format: conversion from the metrics models and strict validation."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from pydantic import ValidationError

from loadforge.dashboard.schemas import (
    MESSAGE_ADAPTER,
    HistoryData,
    HistoryMessage,
    Phase,
    SnapshotMessage,
    TestStatusData,
    TestStatusMessage,
)
from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.snapshot_schema import SnapshotData


def test_messages_round_trip_through_the_discriminated_union(
    make_snapshot: Callable[..., MetricSnapshot],
) -> None:
    snapshot = SnapshotData.from_snapshot(make_snapshot())
    status = TestStatusData(
        status=Phase.RUNNING, scenario="S", pattern="constant 5 users", target_users=5,
        duration=10.0, elapsed=0.0,
    )  # fmt: skip
    for message in (
        SnapshotMessage(data=snapshot),
        TestStatusMessage(data=status),
        HistoryMessage(data=HistoryData(mode="live", snapshots=[snapshot], status=status)),
    ):
        assert MESSAGE_ADAPTER.validate_json(message.model_dump_json()) == message


def test_unknown_types_and_fields_are_rejected() -> None:
    with pytest.raises(ValidationError):
        MESSAGE_ADAPTER.validate_json('{"type": "chat", "data": {}}')
    with pytest.raises(ValidationError):
        MESSAGE_ADAPTER.validate_json(
            '{"type": "test_status", "data": {"status": "running", "scenario": "S", "pattern": "p",'
            ' "target_users": 1, "duration": 1, "elapsed": 0, "extra": 1}}'
        )
    with pytest.raises(ValidationError):
        MESSAGE_ADAPTER.validate_json(
            '{"type": "test_status", "data": {"status": "paused", "scenario": "S", "pattern": "p",'
            ' "target_users": 1, "duration": 1, "elapsed": 0}}'
        )
