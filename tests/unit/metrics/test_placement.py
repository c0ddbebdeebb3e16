"""A cluster run's placement: counted per node, and round-tripped through result.json's form."""

from __future__ import annotations

import pytest

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.models import RunEvent, RunEventKind
from loadforge.metrics.placement import ClusterNode, ClusterPlacement


def test_the_placement_counts_each_nodes_workers_and_round_trips() -> None:
    placement = ClusterPlacement.of(
        "10.0.0.1:6379", {2: "b", 0: "a", 1: "b"}, {"a": "10.0.0.1", "b": "10.0.0.2"}
    )

    assert placement.nodes == (ClusterNode("a", "10.0.0.1", 1), ClusterNode("b", "10.0.0.2", 2))
    assert list(placement.worker_nodes.items()) == [(0, "a"), (1, "b"), (2, "b")]
    assert placement.to_dict()["nodes"] == [
        {"id": "a", "address": "10.0.0.1", "workers": 1, "dropped_intervals": 0},
        {"id": "b", "address": "10.0.0.2", "workers": 2, "dropped_intervals": 0},
    ]
    assert ClusterPlacement.from_dict(placement.to_dict()) == placement


def test_each_nodes_dropped_intervals_round_trip_and_older_results_read_as_none() -> None:
    placement = ClusterPlacement.of("h:6379", {0: "a", 1: "b"}, {}, dropped={"b": 3})
    written = placement.to_dict()
    older = {**written, "nodes": [{"id": "a", "address": "x", "workers": 1}]}

    assert [node.dropped_intervals for node in placement.nodes] == [0, 3]
    assert ClusterPlacement.from_dict(written) == placement
    assert ClusterPlacement.from_dict(older).nodes == (ClusterNode("a", "x", 1, 0),)


def test_a_malformed_placement_is_a_format_error() -> None:
    with pytest.raises(ResultFormatError, match="'nodes' and 'workers' should be lists"):
        ClusterPlacement.from_dict({"address": "x", "nodes": {}, "workers": []})


def test_a_loss_event_keeps_its_node_and_a_local_one_writes_none() -> None:
    remote = RunEvent(1.0, 0.5, RunEventKind.WORKER_LOST, 2, "its actor died", node="b")
    local = RunEvent(1.0, 0.5, RunEventKind.WORKER_LOST, 2, "killed by signal 9")

    assert RunEvent.from_dict(remote.to_dict()) == remote
    assert "node" not in local.to_dict()
    assert RunEvent.from_dict(local.to_dict()) == local
