"""Where a cluster run's workers ran: the cluster's address, its nodes, each worker's node.

Written to result.json as `cluster` by a run started with `--cluster`
(absent from a run on one machine), so that a reader can tell which node
a lost worker was on and how the load was spread. A node's
`dropped_intervals` counts the worker intervals whose counts were left out
because they could not be decoded (absent from older results: 0).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from loadforge.metrics.errors import ResultFormatError
from loadforge.metrics.fields import as_object, read_int, read_str


@dataclass(frozen=True, slots=True)
class ClusterNode:
    """One node of the cluster that ran workers of the run."""

    node_id: str
    address: str
    workers: int
    dropped_intervals: int = 0

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form."""
        return {
            "id": self.node_id,
            "address": self.address,
            "workers": self.workers,
            "dropped_intervals": self.dropped_intervals,
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object]) -> ClusterNode:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        where = "Cluster node"
        return cls(
            node_id=read_str(source, "id", where),
            address=read_str(source, "address", where),
            workers=read_int(source, "workers", where),
            dropped_intervals=(
                read_int(source, "dropped_intervals", where) if "dropped_intervals" in source else 0
            ),
        )


@dataclass(frozen=True, slots=True)
class ClusterPlacement:
    """The cluster a run used and where each of its workers was placed."""

    address: str
    nodes: tuple[ClusterNode, ...]
    worker_nodes: Mapping[int, str]  # worker id -> node id

    @classmethod
    def of(
        cls,
        address: str,
        worker_nodes: Mapping[int, str],
        addresses: Mapping[str, str],
        dropped: Mapping[str, int] | None = None,
    ) -> ClusterPlacement:
        """The placement of `worker_nodes`, with each node's address and dropped intervals."""
        dropped = dropped or {}
        counts: dict[str, int] = {}
        for node in worker_nodes.values():
            counts[node] = counts.get(node, 0) + 1
        nodes = tuple(
            ClusterNode(node, addresses.get(node, "unknown"), count, dropped.get(node, 0))
            for node, count in sorted(counts.items())
        )
        return cls(address, nodes, dict(sorted(worker_nodes.items())))

    def to_dict(self) -> dict[str, object]:
        """JSON-ready form, as stored under `cluster` in result.json."""
        return {
            "address": self.address,
            "nodes": [node.to_dict() for node in self.nodes],
            "workers": [
                {"worker_id": worker, "node_id": node} for worker, node in self.worker_nodes.items()
            ],
        }

    @classmethod
    def from_dict(cls, source: Mapping[str, object]) -> ClusterPlacement:
        """Rebuild from `to_dict` output; ResultFormatError on malformed input."""
        where = "Cluster"
        nodes = source.get("nodes")
        workers = source.get("workers")
        if not isinstance(nodes, list) or not isinstance(workers, list):
            raise ResultFormatError(f"{where} fields 'nodes' and 'workers' should be lists.")
        worker_nodes: dict[int, str] = {}
        for item in workers:
            entry = as_object(item, "Cluster worker")
            worker_nodes[read_int(entry, "worker_id", "Cluster worker")] = read_str(
                entry, "node_id", "Cluster worker"
            )
        return cls(
            address=read_str(source, "address", where),
            nodes=tuple(ClusterNode.from_dict(as_object(item, "Cluster node")) for item in nodes),
            worker_nodes=worker_nodes,
        )
