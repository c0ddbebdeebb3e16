"""The snapshot's wire form: the domain model's names and values, as JSON."""

from __future__ import annotations

import dataclasses

import pytest
from pydantic import ValidationError

from dashboard_harness import sample_snapshot
from loadforge.metrics.models import EndpointMetrics, MetricSnapshot
from loadforge.metrics.snapshot_schema import EndpointData, SnapshotData
from loadforge.metrics.task_exceptions import TaskException
from sample_runs import normal_run, timed_run


def test_a_snapshot_keeps_its_figures_and_their_names() -> None:
    data = SnapshotData.from_snapshot(sample_snapshot(elapsed=2.0, errors=3))

    assert data.elapsed_seconds == 2.0
    assert (data.requests, data.rps, data.errors) == (100, 100.0, 3)
    assert data.latency_p99 == 3.0
    assert data.errors_by_status == {"503": 3}
    assert data.errors_by_type == {"HTTP 503": 3}
    (endpoint,) = data.endpoints
    assert (endpoint.name, endpoint.requests, endpoint.errors) == ("List", 100, 3)


@pytest.mark.parametrize(
    ("wire", "model"), [(SnapshotData, MetricSnapshot), (EndpointData, EndpointMetrics)]
)
def test_every_wire_field_is_a_field_of_the_domain_model(
    wire: type[SnapshotData | EndpointData], model: type
) -> None:
    names = {field.name for field in dataclasses.fields(model)}

    assert set(wire.model_fields) <= names


def test_each_field_has_the_value_of_its_namesake() -> None:
    for snapshot in [*normal_run().snapshots, normal_run().final_summary]:
        data = SnapshotData.from_snapshot(snapshot).model_dump(mode="json")
        for name, value in data.items():
            if name == "errors_by_status":
                assert value == {str(code): n for code, n in snapshot.errors_by_status.items()}
            elif name == "endpoints":
                assert [e["name"] for e in value] == list(snapshot.endpoints)
                for endpoint in value:
                    metrics = snapshot.endpoints[endpoint["name"]]
                    assert endpoint == {key: getattr(metrics, key) for key in endpoint}
            elif name == "task_exceptions":
                assert value == [e.to_dict() for e in snapshot.task_exceptions]
            elif name in {"checks", "metrics", "groups"}:
                # Lists on the wire, as endpoints are, in the snapshot's order.
                assert [item["name"] for item in value] == list(getattr(snapshot, name))
            else:
                assert value == getattr(snapshot, name), name


def test_the_json_is_flat_and_strict() -> None:
    data = SnapshotData.from_snapshot(sample_snapshot()).model_dump(mode="json")

    assert "latency" not in data
    assert "total_requests" not in data
    with pytest.raises(ValidationError):
        SnapshotData.model_validate({**data, "total_requests": 1})
    assert SnapshotData.model_validate(data) == SnapshotData.from_snapshot(sample_snapshot())


def test_task_exceptions_travel_with_their_messages() -> None:
    exception = TaskException("TypeError", "bad argument", "browse", "s.py:3 in browse", 4)
    snapshot = dataclasses.replace(sample_snapshot(), task_errors=4, task_exceptions=(exception,))

    data = SnapshotData.from_snapshot(snapshot)

    assert data.task_errors == 4
    assert [e.model_dump() for e in data.task_exceptions] == [exception.to_dict()]


def test_an_endpoint_carries_its_timings_only_where_it_recorded_them() -> None:
    run = timed_run()
    first, second = (SnapshotData.from_snapshot(s).model_dump(mode="json") for s in run.snapshots)

    listed, created = first["endpoints"]
    assert list(listed["timings"]) == ["connecting", "ttfb", "receiving"]
    metrics = run.snapshots[0].endpoints["List Items"]
    assert listed["timings"]["ttfb"] == metrics.timings["ttfb"].to_dict()
    assert created["timings"]["ttfb"]["p95"] == pytest.approx(8.0, rel=0.01)
    # No connection opened in the second second: only the response timings.
    assert list(second["endpoints"][0]["timings"]) == ["ttfb", "receiving"]


def test_a_run_without_timings_sends_none() -> None:
    for snapshot in normal_run().snapshots:
        data = SnapshotData.from_snapshot(snapshot).model_dump(mode="json")
        assert [e["timings"] for e in data["endpoints"]] == [{}] * len(data["endpoints"])


def test_timings_come_back_from_the_json_and_are_optional_in_old_rows() -> None:
    snapshot = timed_run().snapshots[0]
    data = SnapshotData.from_snapshot(snapshot).model_dump(mode="json")

    back = SnapshotData.model_validate(data).to_snapshot()
    assert back.endpoints["List Items"].timings == snapshot.endpoints["List Items"].timings
    for endpoint in data["endpoints"]:
        del endpoint["timings"]
    assert SnapshotData.model_validate(data).endpoints[0].timings == {}
