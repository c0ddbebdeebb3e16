"""Workers as Ray actors on a cluster's nodes (`--cluster ADDRESS`): a `WorkerLauncher` over Ray.

Imported only for a cluster run; `engine/cluster.py` says what may be said
without Ray. `open_cluster` connects as a driver, reserves one CPU per
worker in a placement group spread over the nodes, and hands back a
`RayLauncher`. Each worker is a `WorkerActor` owned by this driver (never
detached), so Ray ends every one of them when the coordinator ends, however
it ends. The scenario's directory reaches every node as the actors'
runtime environment (`working_dir`); nothing of the scenario is pickled.

A `RayWorker` handle sends the same typed commands a worker process gets,
as actor calls, and keeps one `collect` call outstanding: a long poll that
returns the worker's reports as soon as there are any. Ray's own signal
that an actor died (its node lost, its process killed) reaches the
coordinator as the handle's `exit_cause`.

Intervals take another way: each node of several workers runs a
`NodeMergerActor` (no CPU of its own) that merges its workers' seconds
(`engine/node_merger.py`), and the node's `NodeFeed` long-polls it for the
coordinator, so the coordinator decodes one interval per node per second
instead of one per worker. A node of one worker has nothing to merge: its
worker's intervals come back with its reports (`WorkerFeed`), which spares
the node an actor process and each second two Ray calls.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
import time
from collections.abc import Mapping
from concurrent.futures import Future
from pathlib import Path
from typing import Any

import ray
from ray.exceptions import GetTimeoutError, RayActorError, RayError
from ray.util.placement_group import (
    PlacementGroup,
    placement_group,
    placement_group_table,
    remove_placement_group,
)
from ray.util.scheduling_strategies import (
    NodeAffinitySchedulingStrategy,
    PlacementGroupSchedulingStrategy,
)

from loadforge.engine.cluster import ClusterTarget, check_reachable
from loadforge.engine.messages import Command, Report, Start
from loadforge.engine.node_merger import Dropped, NodeBatch, NodeIntervals, NodeMerger
from loadforge.engine.worker import WorkerSpec
from loadforge.engine.worker_host import HostedWorker, lead_of, length_of
from loadforge.errors import ClusterError
from loadforge.metrics.placement import ClusterPlacement
from loadforge.metrics.wire import WorkerInterval
from loadforge.version import __version__

log = logging.getLogger(__name__)

# The longest a `collect` call waits for news: a worker's heartbeat comes
# every 0.5 s, so a call rarely waits this long.
COLLECT_WAIT_SECONDS = 0.25
# How long a node's merger waits for the rest of its workers' second once
# the first has shipped it: well inside the coordinator's publish
# deadline (CLUSTER_PUBLISH_DEADLINE_SECONDS).
MERGE_WAIT_SECONDS = 0.02
# How long after a second's end the coordinator waits for a node's
# intervals: a node's second ends later than the coordinator's by the Start
# call's transit (only the lead crosses, see `lead_of`), then goes through
# a `put` to the node's merger, its MERGE_WAIT_SECONDS and a `collect`
# reply. The local 50 ms left the first second of a three-node run empty
# here, its counts in the second (tests/e2e/test_cluster.py).
CLUSTER_PUBLISH_DEADLINE_SECONDS = 0.5
# What the runtime environment leaves out of the scenario's directory.
EXCLUDES = [".git", ".venv", "venv", "node_modules", "__pycache__", "results", "*.pyc"]


class WorkerActor:
    """One worker on a cluster node: a `HostedWorker` behind actor methods.

    Commands and the long-polling `collect` run in separate concurrency
    groups of one thread each: commands keep their order, and a waiting
    `collect` never holds one up.
    """

    def __init__(self, spec: WorkerSpec, coordinator_version: str, merger: Any | None) -> None:
        """`merger` is the node's `NodeMergerActor`, or None on a node of this worker alone."""
        worker_id = spec.worker_id
        ship = None if merger is None else lambda payload: merger.put.remote(worker_id, payload)
        self._worker = HostedWorker(spec, coordinator_version, ship)

    @ray.method(concurrency_group="control")
    def begin(self, lead: float, interval: float, length: float) -> None:
        """Start the run `lead` seconds from now on this node's clock, planned to last `length`."""
        self._worker.begin(lead, interval, length)

    @ray.method(concurrency_group="control")
    def send(self, command: Command) -> None:
        """Pass a command to the worker."""
        self._worker.send(command)

    @ray.method(concurrency_group="collect")
    def collect(self, wait: float) -> tuple[list[Report], list[bytes]]:
        """The worker's reports since the last call, and its intervals where it has no merger."""
        return self._worker.collect(wait)


# Ray's stubs type neither concurrency groups nor a class made remote, hence Any.
_REMOTE_ACTOR: Any = ray.remote(
    num_cpus=1, max_restarts=0, concurrency_groups={"control": 1, "collect": 1}
)(  # type: ignore[call-overload]
    WorkerActor
)


class NodeMergerActor:
    """One node's `NodeMerger`: its workers `put` their intervals, the coordinator `collect`s.

    `put` and `collect` run in separate concurrency groups of one thread
    each (puts keep their order per worker), so a condition guards the
    merger: a waiting `collect` wakes when an interval arrives or the oldest
    second in merging comes due, never to look in between.
    """

    def __init__(self, worker_ids: list[int]) -> None:
        self._merger = NodeMerger(worker_ids, MERGE_WAIT_SECONDS)
        self._changed = threading.Condition()

    @ray.method(concurrency_group="put")
    def put(self, worker_id: int, payload: bytes) -> None:
        """Take one encoded interval of one of this node's workers."""
        with self._changed:
            self._merger.put(worker_id, payload, time.monotonic())
            self._changed.notify()

    @ray.method(concurrency_group="collect")
    def collect(self, wait: float) -> tuple[list[NodeBatch], Dropped]:
        """The merged seconds due, waiting up to `wait` seconds for the first, and the drops."""
        deadline = time.monotonic() + wait
        with self._changed:
            while True:
                now = time.monotonic()
                batches = self._merger.take(now)
                if batches or now >= deadline:
                    return batches, self._merger.dropped
                due = self._merger.due_in(now)
                self._changed.wait(deadline - now if due is None else min(deadline - now, due))


_REMOTE_MERGER: Any = ray.remote(
    num_cpus=0, max_restarts=0, concurrency_groups={"put": 1, "collect": 1}
)(  # type: ignore[call-overload]
    NodeMergerActor
)


class NodeFeed:
    """One node's merged intervals as the coordinator receives them, per worker."""

    def __init__(self, actor: Any, node: str) -> None:
        self._actor = actor
        self.received = NodeIntervals(node)
        self._pending: Future[Any] | None = None
        self._intervals: dict[int, list[WorkerInterval]] = {}
        self.cause: str | None = None

    def intervals(self, worker_id: int) -> list[WorkerInterval]:
        """Worker `worker_id`'s part of every merged second received since the last call."""
        self._pull()
        return self._intervals.pop(worker_id, [])

    def kill(self) -> None:
        """End the merger actor."""
        ray.kill(self._actor, no_restart=True)

    def _pull(self) -> None:
        if self.cause is not None:
            return
        if self._pending is not None:
            # Each outstanding call is a future: a poll is a flag read, where a
            # `ray.wait` per handle and poll cost the coordinator two fifths of its CPU.
            if not self._pending.done():
                return
            try:
                batches, dropped = self._pending.result()
            except RayError as exc:
                self.cause = f"its node's interval merger died: {_first_line(exc)}"
                return
            self.received.merger_dropped(dropped)
            for batch in batches:
                for worker_id, interval in self.received.intervals(batch).items():
                    self._intervals.setdefault(worker_id, []).append(interval)
        self._pending = self._actor.collect.remote(COLLECT_WAIT_SECONDS).future()


class WorkerFeed:
    """A node of one worker: its intervals as they come back with the worker's reports."""

    cause: str | None = None  # the worker's handle says when its actor died

    def __init__(self, node: str) -> None:
        self.received = NodeIntervals(node)
        self._intervals: list[WorkerInterval] = []

    def add(self, payloads: list[bytes]) -> None:
        """Decode the worker's encoded intervals, in order (one that cannot be is counted)."""
        for payload in payloads:
            interval = self.received.worker_interval(payload)
            if interval is not None:
                self._intervals.append(interval)

    def intervals(self, worker_id: int) -> list[WorkerInterval]:
        """Every interval added since the last call (the node's only worker is `worker_id`)."""
        taken, self._intervals = self._intervals, []
        return taken

    def kill(self) -> None:
        """Nothing to end: the feed is the worker's own actor."""


class RayWorker:
    """One worker actor as the coordinator reaches it (implements `WorkerHandle`)."""

    def __init__(
        self, worker_id: int, actor: Any, node: str, address: str, feed: NodeFeed | WorkerFeed
    ) -> None:
        self.worker_id = worker_id
        self._actor = actor
        self._node = node
        self._address = address
        self._feed = feed
        self._pending: Future[Any] | None = None
        self._reports: list[Report] = []
        self._cause: str | None = None
        self._ended = False

    def __repr__(self) -> str:
        return f"<RayWorker {self.worker_id} {self.location}>"

    @property
    def node(self) -> str | None:
        """The id of the node the actor was placed on."""
        return self._node

    @property
    def location(self) -> str:
        """'node ID at ADDRESS'."""
        return f"node {self._node[:12]} at {self._address}"

    @property
    def pid(self) -> int | None:
        """None: the actor's process is on a cluster node."""
        return None

    def send(self, command: Command) -> bool:
        """Send a command as an actor call; Start's time zero travels as seconds from now.

        Its planned end travels as the run's length from that zero.
        """
        if self._cause is not None or self._ended:
            return False
        if isinstance(command, Start):
            lead = lead_of(command, time.monotonic())
            self._actor.begin.remote(lead, command.interval, length_of(command))
        else:
            self._actor.send.remote(command)
        return True

    def reports(self) -> list[Report]:
        """Every report collected since the last call."""
        self._pull()
        received, self._reports = self._reports, []
        return received

    def intervals(self) -> list[WorkerInterval]:
        """Every interval collected since the last call, decoded, in order.

        On a node of several workers they come merged with the others'
        (`NodeFeed`): an interval of this worker may hold their counts, or
        none of its own. On a node of its own they come with its reports.
        """
        self._pull()
        return self._feed.intervals(self.worker_id)

    def dropped_intervals(self) -> list[str]:
        """[]: the node counts what it cannot decode (`cluster.nodes[].dropped_intervals`)."""
        return []

    def exit_cause(self) -> str | None:
        """Why the actor (or its node's merger) died, in Ray's words, or None while they live."""
        return self._cause or self._feed.cause

    def kill(self) -> None:
        """End the actor at once."""
        if not self._ended:
            self._ended = True
            ray.kill(self._actor, no_restart=True)

    def join(self, timeout: float) -> None:
        """The worker finished (or is given up on): end its actor."""
        self.kill()

    def close(self) -> None:
        """Drop the outstanding call."""
        self._pending = None

    def _pull(self) -> None:
        """Take the outstanding `collect` if it returned, and send the next one."""
        if self._cause is not None or self._ended:
            return
        if self._pending is not None:
            if not self._pending.done():
                return
            try:
                reports, payloads = self._pending.result()
            except RayActorError as exc:
                self._cause = f"its actor died: {_first_line(exc)}"
                return
            except RayError as exc:
                self._cause = f"Ray failed: {_first_line(exc)}"
                return
            self._reports.extend(reports)
            if isinstance(self._feed, WorkerFeed):
                self._feed.add(payloads)
        self._pending = self._actor.collect.remote(COLLECT_WAIT_SECONDS).future()


class RayLauncher:
    """Starts worker actors in the bundles of a ready placement group (a `WorkerLauncher`)."""

    publish_deadline = CLUSTER_PUBLISH_DEADLINE_SECONDS

    def __init__(
        self,
        address: str,
        group: PlacementGroup,
        bundle_nodes: Mapping[int, str],
        node_addresses: Mapping[str, str],
        working_dir: Path,
    ) -> None:
        self.address = address
        self.workers = len(bundle_nodes)
        self._group = group
        self._bundle_nodes = dict(bundle_nodes)
        self._node_addresses = dict(node_addresses)
        self._working_dir = working_dir
        self._started: list[RayWorker] = []
        self._feeds: dict[str, tuple[Any | None, NodeFeed | WorkerFeed]] = {}

    def start(self, spec: WorkerSpec) -> RayWorker:
        """Start worker `spec.worker_id` in its bundle; it finds the scenario in its working dir."""
        source = dataclasses.replace(
            spec.source, path=spec.source.path.relative_to(self._working_dir)
        )
        strategy = PlacementGroupSchedulingStrategy(
            self._group, placement_group_bundle_index=spec.worker_id
        )
        node = self._bundle_nodes[spec.worker_id]
        merger, feed = self._feed(node)
        actor = _REMOTE_ACTOR.options(scheduling_strategy=strategy).remote(
            dataclasses.replace(spec, source=source), __version__, merger
        )
        address = self._node_addresses.get(node, "unknown")
        worker = RayWorker(spec.worker_id, actor, node, address, feed)
        self._started.append(worker)
        return worker

    def _feed(self, node: str) -> tuple[Any | None, NodeFeed | WorkerFeed]:
        """The node's merger actor and feed, started with the node's first worker.

        A node of one worker gets no merger (None) and a `WorkerFeed`.
        """
        if node not in self._feeds:
            workers = [worker for worker, on in self._bundle_nodes.items() if on == node]
            if len(workers) == 1:
                self._feeds[node] = (None, WorkerFeed(node))
                return self._feeds[node]
            strategy = NodeAffinitySchedulingStrategy(node_id=node, soft=False)
            merger = _REMOTE_MERGER.options(scheduling_strategy=strategy).remote(workers)
            self._feeds[node] = (merger, NodeFeed(merger, node))
        return self._feeds[node]

    def placement(self) -> ClusterPlacement:
        """The cluster's address, each worker's node and each node's dropped intervals."""
        nodes = {worker.worker_id: worker.node or "" for worker in self._started}
        dropped = {node: feed.received.dropped for node, (_, feed) in self._feeds.items()}
        return ClusterPlacement.of(self.address, nodes, self._node_addresses, dropped)

    def close(self) -> None:
        """End every actor still running and give the CPUs back."""
        for worker in self._started:
            worker.kill()
        for _, feed in self._feeds.values():
            feed.kill()
        try:
            remove_placement_group(self._group)
        except RayError:  # the cluster went away first: nothing left to give back
            log.debug("could not remove the placement group", exc_info=True)
        ray.shutdown()


def open_cluster(target: ClusterTarget, working_dir: Path) -> RayLauncher:
    """Connect to the cluster and reserve one CPU per worker over its nodes; ClusterError if not."""
    check_reachable(target.address)
    _connect(
        target.address,
        {"working_dir": str(working_dir), "excludes": EXCLUDES, "env_vars": dict(target.env_vars)},
    )
    cpus = int(ray.cluster_resources().get("CPU", 0))  # type: ignore[no-untyped-call]
    workers = target.workers if target.workers is not None else cpus
    if workers < 1:
        raise ClusterError(f"The Ray cluster at {target.address} offers no CPUs for workers.")
    group = placement_group([{"CPU": 1}] * workers, strategy="SPREAD")
    try:
        ray.get(group.ready(), timeout=target.placement_timeout)
    except GetTimeoutError:
        remove_placement_group(group)
        ray.shutdown()
        raise ClusterError(
            f"Ray could not place {workers} workers within {target.placement_timeout:g}s:"
            f" they ask for {workers} CPUs and the cluster at {target.address} has {cpus}."
            " Ask for fewer with --workers, or add nodes."
        ) from None
    table = placement_group_table(group)
    bundle_nodes = {int(index): str(node) for index, node in table["bundles_to_node_id"].items()}
    addresses = {str(n["NodeID"]): str(n["NodeManagerAddress"]) for n in ray.nodes()}  # type: ignore[no-untyped-call]
    log.info("placed %d workers on %d nodes", workers, len(set(bundle_nodes.values())))
    return RayLauncher(target.address, group, bundle_nodes, addresses, working_dir)


def _connect(address: str, runtime_env: dict[str, object]) -> None:
    """Connect as this run's driver; the scenario's directory is the job's working dir.

    Ray uploads a local directory only as the job's runtime environment (an
    actor's must be a URI), so each cluster run is one Ray job.
    """
    if ray.is_initialized():
        ray.shutdown()
    try:
        ray.init(
            address=address,
            runtime_env=runtime_env,
            logging_level=logging.ERROR,
            log_to_driver=False,
            configure_logging=True,
        )
    except (ConnectionError, RuntimeError, ValueError) as exc:
        said = _first_line(exc)
        if _UV_HOOK_REFUSAL in str(exc):
            raise ClusterError(
                f"Ray refused this run's job on the cluster at {address}: {said} LoadForge"
                " ships the scenario's directory as the job's working_dir, and Ray's `uv run`"
                " support needs the project's pyproject.toml inside it: start loadforge from"
                " a directory under the scenario's, or set RAY_ENABLE_UV_RUN_RUNTIME_ENV=0"
                " when the cluster's nodes have loadforge installed."
            ) from None
        raise ClusterError(f"Cannot connect to the Ray cluster at {address}: {said}") from None


# What Ray's `uv run` runtime-environment hook says when the driver's
# pyproject.toml lies outside the job's working_dir (ray/_private/runtime_env/
# uv_runtime_env_hook.py); the cluster itself was reachable.
_UV_HOOK_REFUSAL = "so the workers will not have access to the file"


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:300] if text else type(exc).__name__
