"""`WS /ws/runs/{id}`: a run's history, then its progress, log lines and status changes.

The history holds every stored second of a run up to HISTORY_POINTS of them;
a longer run's seconds are read a page at a time and merged into at most
that many points (`loadforge.metrics.history`), so a 24-hour run's history
stays a few MB and its totals exact.

The client is subscribed before the history is read, so nothing published
in between is lost; what the history already holds (snapshots up to its last
second, logs up to its last seq) is skipped from the queue. A client that
falls behind is dropped by the hub and its socket closed (1013), never slowing
the run.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass

from fastapi import APIRouter, WebSocket, WebSocketDisconnect
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from loadforge.metrics.history import HISTORY_POINTS, SnapshotHistory
from loadforge.metrics.snapshot_schema import SnapshotData
from loadforge.server.api.hub import Kind, Subscriber
from loadforge.server.api.parameters import MAX_ID
from loadforge.server.api.security import WS_UNAUTHORIZED, websocket_token_ok
from loadforge.server.api.state import ServerState
from loadforge.server.api.views import run_view
from loadforge.server.db.models import RunLogRow, RunRow, RunSnapshotRow

router = APIRouter()

WS_NOT_FOUND = 4404
WS_TOO_SLOW = 1013


@dataclass(frozen=True, slots=True)
class History:
    """The history message and the keys of the last snapshot and log line it holds."""

    text: str
    last_second: int
    last_seq: int


@router.websocket("/ws/runs/{run_id}")
async def run_socket(websocket: WebSocket, run_id: int) -> None:
    """History first, then live messages until the client leaves."""
    state: ServerState = websocket.app.state.server
    await websocket.accept()
    if not websocket_token_ok(websocket, state.settings):
        await websocket.close(WS_UNAUTHORIZED, "a valid token is required")
        return
    if not 1 <= run_id <= MAX_ID:
        await websocket.close(WS_NOT_FOUND, f"run {run_id} does not exist")
        return
    subscriber = state.hub.subscribe(run_id)
    try:
        history = await asyncio.to_thread(read_history, state.sessions, run_id)
        if history is None:
            await websocket.close(WS_NOT_FOUND, f"run {run_id} does not exist")
            return
        sender = asyncio.create_task(_send(websocket, subscriber, history))
        receiver = asyncio.create_task(_drain(websocket))
        try:
            await asyncio.wait({sender, receiver}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for task in (sender, receiver):
                task.cancel()
            for task in (sender, receiver):
                with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                    await task
    finally:
        state.hub.unsubscribe(run_id, subscriber)


async def _send(websocket: WebSocket, subscriber: Subscriber, history: History) -> None:
    try:
        await websocket.send_text(history.text)
        while (message := await subscriber.next_message()) is not None:
            if message.kind is Kind.PROGRESS and message.key <= history.last_second:
                continue
            if message.kind is Kind.LOG and message.key <= history.last_seq:
                continue
            await websocket.send_text(message.text)
        await websocket.close(WS_TOO_SLOW, "the client fell too far behind")
    except (WebSocketDisconnect, RuntimeError, OSError):
        return


async def _drain(websocket: WebSocket) -> None:
    """Read (and ignore) what the client sends, to notice when it leaves."""
    with contextlib.suppress(WebSocketDisconnect, RuntimeError):
        while True:
            await websocket.receive_text()


def read_history(sessions: sessionmaker[Session], run_id: int) -> History | None:
    """The history message of a run; None for an unknown run."""
    with sessions() as session:
        row = session.get(RunRow, run_id)
        if row is None:
            return None
        stored = session.execute(
            select(RunSnapshotRow.second, RunSnapshotRow.snapshot)
            .where(RunSnapshotRow.run_id == run_id)
            .order_by(RunSnapshotRow.second)
            .execution_options(yield_per=500)
        )
        snapshots, last_second = bounded_snapshots((second, data) for second, data in stored)
        logs = list(
            session.scalars(
                select(RunLogRow).where(RunLogRow.run_id == run_id).order_by(RunLogRow.seq)
            )
        )
        data = {
            "run": run_view(row).model_dump(mode="json"),
            "snapshots": snapshots,
            "logs": [
                {
                    "seq": log.seq,
                    "timestamp": log.timestamp.isoformat().replace("+00:00", "Z"),
                    "line": log.line,
                }
                for log in logs
            ],
        }
        return History(
            text=json.dumps({"type": "history", "data": data}),
            last_second=last_second,
            last_seq=logs[-1].seq if logs else -1,
        )


def bounded_snapshots(
    rows: Iterable[tuple[int, dict[str, object]]], limit: int = HISTORY_POINTS
) -> tuple[list[dict[str, object]], int]:
    """A run's stored seconds as sent, at most `limit` of them, and the last second's key.

    Up to `limit` rows go out as stored; past that, every row is merged into
    a `SnapshotHistory` instead and its points go out (a row that does not
    read as a snapshot is left out of those).
    """
    kept: list[dict[str, object]] = []
    history: SnapshotHistory | None = None
    last = -1
    for second, data in rows:
        last = second
        if history is None:
            kept.append(data)
            if len(kept) <= limit:
                continue
            history = SnapshotHistory(limit)
            pending, kept = kept, []
        else:
            pending = [data]
        for each in pending:
            with contextlib.suppress(ValidationError, ValueError):
                history.append(SnapshotData.model_validate(each).to_snapshot())
    if history is None:
        return kept, last
    points = [SnapshotData.from_snapshot(p).model_dump(mode="json") for p in history.snapshots()]
    return points, last
