"""The run WebSocket: history first, then progress, log and status; unknown runs and tokens."""

from __future__ import annotations

import json

import pytest
from starlette.websockets import WebSocketDisconnect

from integration.server.harness import Serve, Served, sample_snapshots, spec_body
from loadforge.server.api.hub import QUEUE_MESSAGES, Kind, LiveMessage, RunHub


def _receive(socket: object) -> dict[str, object]:
    message: dict[str, object] = json.loads(socket.receive_text())  # type: ignore[attr-defined]
    return message


def test_history_then_live_messages(served: Served) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    run = client.post(f"/api/runs/{spec_id}").json()
    snapshots = sample_snapshots(3)
    served.call(served.executor.play, run["id"], snapshots[:2], ["first line"])
    with client.websocket_connect(f"/ws/runs/{run['id']}") as socket:
        history = _receive(socket)
        assert history["type"] == "history"
        data = history["data"]
        assert isinstance(data, dict)
        assert data["run"]["status"] == "running"
        assert data["snapshots"] == snapshots[:2]
        assert [log["line"] for log in data["logs"]] == ["first line"]

        served.call(served.executor.play, run["id"], snapshots[2:], ["second line"])
        log = _receive(socket)
        assert log["type"] == "log"
        assert log["data"] == {
            "seq": 1,
            "timestamp": log["data"]["timestamp"],  # type: ignore[index]
            "line": "second line",
        }
        progress = _receive(socket)
        assert progress == {"type": "progress", "data": snapshots[2]}
        served.call(served.executor.finish, run["id"])
        status = _receive(socket)
        assert status["type"] == "status"
        assert status["data"]["status"] == "completed"  # type: ignore[index]


def test_a_client_that_falls_behind_is_closed_with_1013(served: Served) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    run_id = client.post(f"/api/runs/{spec_id}").json()["id"]
    hub: RunHub = client.app.state.server.hub  # type: ignore[attr-defined]

    async def flood() -> None:
        # No await between the messages: the socket's sender cannot take any,
        # so the client's queue fills and the hub drops it.
        for seq in range(QUEUE_MESSAGES + 1):
            hub.publish(run_id, LiveMessage(Kind.LOG, seq, "{}"))

    with client.websocket_connect(f"/ws/runs/{run_id}") as socket:
        assert _receive(socket)["type"] == "history"
        served.call(flood)
        with pytest.raises(WebSocketDisconnect) as closed:
            socket.receive_text()
    assert closed.value.code == 1013
    assert hub.subscriber_count(run_id) == 0


def test_an_unknown_run_closes_with_4404(served: Served) -> None:
    with (
        served.client.websocket_connect("/ws/runs/999") as socket,
        pytest.raises(WebSocketDisconnect) as closed,
    ):
        socket.receive_text()
    assert closed.value.code == 4404


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_token_is_needed_on_the_socket(serve: Serve) -> None:
    served = serve(api_token="s3cret")
    headers = {"Authorization": "Bearer s3cret"}
    spec_id = served.client.post("/api/specs", json=spec_body(), headers=headers).json()["id"]
    run = served.client.post(f"/api/runs/{spec_id}", headers=headers).json()
    for suffix in ("", "?token=wrong"):
        with (
            served.client.websocket_connect(f"/ws/runs/{run['id']}{suffix}") as socket,
            pytest.raises(WebSocketDisconnect) as closed,
        ):
            socket.receive_text()
        assert closed.value.code == 4401
    with served.client.websocket_connect(f"/ws/runs/{run['id']}?token=s3cret") as socket:
        assert _receive(socket)["type"] == "history"
    with served.client.websocket_connect(f"/ws/runs/{run['id']}", headers=headers) as socket:
        assert _receive(socket)["type"] == "history"
