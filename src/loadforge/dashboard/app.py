"""The dashboard's HTTP and WebSocket routes, and the built front end.

`create_app` wires a `MessageHub` (what to show) and a stop callback (how to
stop the run; None when replaying a finished run) into a FastAPI app. The
single-page app is served from `static/`, built from `web/` and committed.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from pathlib import Path

from fastapi import FastAPI, HTTPException, WebSocket, WebSocketDisconnect
from fastapi.staticfiles import StaticFiles

from loadforge.dashboard.hub import MessageHub, Subscription
from loadforge.dashboard.schemas import FINISHED_PHASES, RunInfo, StopAccepted

STATIC_DIR = Path(__file__).parent / "static"

StopRun = Callable[[], None]


def create_app(hub: MessageHub, stop_run: StopRun | None) -> FastAPI:
    """The dashboard app over `hub`; `stop_run` is called (on this loop) by POST /api/stop."""
    app = FastAPI(title="LoadForge dashboard", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/api/run")
    async def run_info() -> RunInfo:
        return RunInfo(
            mode=hub.mode,
            scenario=hub.scenario,
            status=hub.status,
            latest=hub.snapshots[-1] if hub.snapshots else None,
            snapshots=len(hub.snapshots),
        )

    @app.post("/api/stop", status_code=202)
    async def stop() -> StopAccepted:
        if stop_run is None:
            raise HTTPException(
                409, "This is a replay of a finished run; there is nothing to stop."
            )
        if hub.status is not None and hub.status.status in FINISHED_PHASES:
            raise HTTPException(409, f"The run has already ended ({hub.status.status.value}).")
        stop_run()
        return StopAccepted(stopping=True)

    @app.websocket("/ws/metrics")
    async def metrics(websocket: WebSocket) -> None:
        await websocket.accept()
        subscription = hub.subscribe()
        sender = asyncio.create_task(_send_all(websocket, subscription))
        closed = asyncio.create_task(subscription.wait_closed())
        try:
            await asyncio.wait({sender, closed}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            # A dropped client may be stuck in a send it does not read; cancelling
            # the send and returning lets the server close the connection.
            sender.cancel()
            closed.cancel()
            hub.unsubscribe(subscription)
            with contextlib.suppress(asyncio.CancelledError, WebSocketDisconnect, RuntimeError):
                await sender

    if STATIC_DIR.is_dir():
        app.mount("/", StaticFiles(directory=STATIC_DIR, html=True), name="static")
    return app


async def _send_all(websocket: WebSocket, subscription: Subscription) -> None:
    """History first, then every message, until the client goes or is dropped."""
    try:
        await websocket.send_text(subscription.history)
        while (message := await subscription.next_message()) is not None:
            await websocket.send_text(message)
            subscription.sent()
    except (WebSocketDisconnect, RuntimeError, OSError):
        return
