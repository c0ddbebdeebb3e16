"""`loadforge run` with WebSocket conversations, end to end, against the demo API's echo."""

from __future__ import annotations

import json
import urllib.request
from pathlib import Path

from cli_harness import EXAMPLES, Target, invoke


def routes(target: Target) -> dict[str, int]:
    """The demo API's counts per route."""
    with urllib.request.urlopen(f"{target.url}/stats", timeout=5) as response:
        counts: dict[str, int] = json.loads(response.read())["routes"]
    return counts


def test_conversations_round_trips_and_pings_match_the_servers_counts(
    fresh_target: Target, tmp_path: Path
) -> None:
    run = invoke(
        ["run", str(EXAMPLES / "websocket_chat.py"), "--base-url", fresh_target.url,
         "-o", str(tmp_path), "-u", "4", "-d", "2s", "-w", "2",
         "--threshold", '"Chat round trip": p95<2s', "--threshold", '"Chat": errors<1']
    )  # fmt: skip
    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    served = routes(fresh_target)
    chat = summary.endpoints["Chat"]
    round_trips = summary.endpoints["Chat round trip"]
    pings = summary.endpoints["Chat ping"]
    assert chat.requests == served["WS /ws/echo"] > 0
    # A conversation cut short by the end of the run sent fewer messages than
    # a whole one: every message the server saw is a greeting or a round trip.
    assert chat.errors == 0
    assert round_trips.requests + chat.requests >= served["WS /ws/echo message"] - chat.requests
    assert round_trips.requests <= 3 * chat.requests
    assert pings.requests <= chat.requests
    assert round_trips.errors == pings.errors == 0
    assert "Chat round trip" in run.output
    # Message counts join the run's custom metrics when each conversation ends;
    # a conversation the end of the run cuts short may not get there.
    metrics = summary.metrics
    sent = metrics["ws_msgs_sent"].count
    assert served["WS /ws/echo message"] - 4 * 4 <= sent <= served["WS /ws/echo message"]
    assert metrics["ws_msgs_received"].count == sent
    assert metrics["ws_bytes_sent"].count == metrics["ws_bytes_received"].count > 0
    sessions = metrics["ws_session_duration"]
    assert chat.requests - 4 <= sessions.count <= chat.requests
    assert sessions.p50 > 0


def test_a_refused_handshake_and_a_close_by_the_peer_are_counted(
    fresh_target: Target, tmp_path: Path
) -> None:
    scenario = tmp_path / "closing.py"
    scenario.write_text(
        "from loadforge import HttpClient, scenario, task\n\n"
        '@scenario(name="Closing", base_url="http://127.0.0.1:1", think_time=0.05)\n'
        "class Closing:\n"
        "    @task\n"
        "    async def closed(self, client: HttpClient) -> None:\n"
        '        async with client.websocket("/ws/echo", name="Closed") as ws:\n'
        '            await ws.send("close:1011")\n'
        "            await ws.receive()\n\n"
        "    @task\n"
        "    async def missing(self, client: HttpClient) -> None:\n"
        '        async with client.websocket("/ws/missing", name="Missing"):\n'
        "            pass\n"
    )
    run = invoke(
        ["run", str(scenario), "--base-url", fresh_target.url, "-o", str(tmp_path / "out"),
         "-u", "2", "-d", "1s", "--threshold", '"Closed": errors<1']
    )  # fmt: skip
    summary = run.result().final_summary
    closed, missing = summary.endpoints["Closed"], summary.endpoints["Missing"]
    assert closed.requests > 0
    assert missing.requests > 0
    assert closed.errors == closed.requests
    assert missing.errors == missing.requests
    assert summary.errors_by_type["ws_closed_1011"] == closed.errors
    assert summary.errors_by_type["http_403"] == missing.errors
    # Each ended its iteration, which counts as a task exception too (documented).
    raised = {exception.type: exception.count for exception in summary.task_exceptions}
    assert raised == {"WebSocketClosed": closed.errors, "WebSocketError": missing.errors}
    assert run.exit_code == 1, run.output
    assert "Closed" in run.output
