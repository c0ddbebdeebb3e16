"""The dashboard's routes on a real server thread on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from dashboard_harness import idle_client, serve_hub
from loadforge.dashboard.hub import MessageHub
from loadforge.dashboard.schemas import (
    MESSAGE_ADAPTER,
    HistoryMessage,
    Phase,
    RunInfo,
    SnapshotMessage,
    TestStatusData,
)
from loadforge.metrics.models import MetricSnapshot
from loadforge.metrics.snapshot_schema import SnapshotData


def _status(phase: Phase) -> TestStatusData:
    return TestStatusData(
        status=phase, scenario="S", pattern="p", target_users=1, duration=5, elapsed=1
    )


def test_run_info_describes_the_run_and_its_latest_snapshot(
    make_snapshot: Callable[..., MetricSnapshot],
) -> None:
    hub = MessageHub("live", "Shop")
    hub.publish_snapshot(SnapshotData.from_snapshot(make_snapshot(1.0)))
    hub.publish_snapshot(SnapshotData.from_snapshot(make_snapshot(2.0)))
    with serve_hub(hub, lambda: None) as served:
        status, body = served.get("api/run")
        page_status, page = served.get("")
    info = RunInfo.model_validate_json(body)
    assert status == 200
    assert (info.mode, info.scenario, info.snapshots) == ("live", "Shop", 2)
    assert info.latest is not None
    assert info.latest.elapsed_seconds == 2.0
    assert page_status == 200
    assert '<div id="root">' in page


def test_stop_calls_the_run_once_and_refuses_once_it_has_ended() -> None:
    stops: list[int] = []
    hub = MessageHub("live", "S")
    hub.publish_status(_status(Phase.RUNNING))
    done = threading.Event()

    def finish() -> None:
        hub.publish_status(_status(Phase.COMPLETED))
        done.set()

    with serve_hub(hub, lambda: stops.append(1)) as served:
        assert served.post("api/stop") == (202, '{"stopping":true}')
        served.server.call(finish)
        assert done.wait(5)
        code, body = served.post("api/stop")
    assert stops == [1]
    assert code == 409
    assert "already ended (completed)" in json.loads(body)["detail"]


def test_a_replay_cannot_be_stopped() -> None:
    with serve_hub(MessageHub("replay", "S"), None) as served:
        code, body = served.post("api/stop")
    assert code == 409
    assert "replay" in json.loads(body)["detail"]


def test_the_websocket_sends_the_history_then_live_messages_then_closes(
    make_snapshot: Callable[..., MetricSnapshot],
) -> None:
    hub = MessageHub("live", "S")
    hub.publish_snapshot(SnapshotData.from_snapshot(make_snapshot(1.0)))
    with (
        serve_hub(hub, None) as served,
        connect(served.url.replace("http", "ws", 1) + "ws/metrics", open_timeout=5) as ws,
    ):
        first = MESSAGE_ADAPTER.validate_json(ws.recv(timeout=5))
        served.server.call(
            lambda: hub.publish_snapshot(SnapshotData.from_snapshot(make_snapshot(2.0)))
        )
        second = MESSAGE_ADAPTER.validate_json(ws.recv(timeout=5))
        served.server.call(hub.close)
        with pytest.raises(ConnectionClosed):
            ws.recv(timeout=5)  # closing the hub ends the stream and the connection
    assert isinstance(first, HistoryMessage)
    assert [s.elapsed_seconds for s in first.data.snapshots] == [1.0]
    assert isinstance(second, SnapshotMessage)
    assert second.data.elapsed_seconds == 2.0


def test_a_client_that_never_reads_is_dropped_and_the_others_keep_up(
    make_snapshot: Callable[..., MetricSnapshot],
) -> None:
    hub = MessageHub("live", "S", queue_size=2)
    base = SnapshotData.from_snapshot(make_snapshot())
    # About 200 KB a message: a few fill the socket buffers of a client that never reads.
    big = base.model_copy(update={"endpoints": base.endpoints * 1000})
    with serve_hub(hub, None) as served, idle_client(served.url):
        deadline = time.monotonic() + 10
        while hub.subscribers < 1:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        with connect(served.url.replace("http", "ws", 1) + "ws/metrics", max_size=None) as reader:
            reader.recv(timeout=5)  # history
            while hub.subscribers < 2:
                assert time.monotonic() < deadline
                time.sleep(0.01)
            sent = 0
            while hub.dropped_clients == 0:
                assert sent < 200, "the idle client was never dropped"
                served.server.call(lambda: hub.publish_snapshot(big))
                assert MESSAGE_ADAPTER.validate_json(reader.recv(timeout=5)).type == "snapshot"
                sent += 1
            assert hub.dropped_clients == 1
            assert hub.subscribers == 1
