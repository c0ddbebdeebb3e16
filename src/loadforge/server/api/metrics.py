"""`GET /metrics`: the server itself for Prometheus, behind the same token rule as /api.

The server's own series are its runs by status, the queue's length and the
runs in progress; each run in progress also has its live series, from the
per-second snapshots its process sends (`LiveRuns`, fed by the run sink):
requests and errors by endpoint since the run started, and the last
second's users, rate and latency percentiles. A run's exact latency
histogram is the run's own export: a load profile may set `prometheus`
(or `prometheus_remote_write`, `otlp_endpoint`) like any `loadforge run` key.
prometheus-client renders the text format, or OpenMetrics on request.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Mapping

from fastapi import APIRouter, Depends, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from loadforge.exports.series import Family, Figures, Kind, Point
from loadforge.extras import install_line
from loadforge.server.api.errors import Unavailable
from loadforge.server.api.live_runs import LiveRuns
from loadforge.server.api.security import require_token
from loadforge.server.api.state import State
from loadforge.server.contract import RunState
from loadforge.server.db.models import RunRow

router = APIRouter(tags=["metrics"])


def runs_by_status(sessions: sessionmaker[Session]) -> dict[RunState, int]:
    """How many runs the database holds in each status (zeros included)."""
    with sessions() as session:
        rows = session.execute(select(RunRow.status, func.count()).group_by(RunRow.status))
        found = {str(status): int(count) for status, count in rows}
    return {state: found.get(state.value, 0) for state in RunState}


def server_families(by_status: Mapping[RunState, int], live: LiveRuns) -> list[Family]:
    """Every family `/metrics` serves."""
    return [
        Family(
            "loadforge_server_runs",
            Kind.GAUGE,
            "Runs the server holds, by status.",
            points=tuple(Point((("status", s.value),), n) for s, n in by_status.items()),
        ),
        Family(
            "loadforge_server_queue_length",
            Kind.GAUGE,
            "Runs waiting for a free slot (--max-concurrent-runs).",
            points=(Point((), by_status.get(RunState.QUEUED, 0)),),
        ),
        Family(
            "loadforge_server_runs_in_progress",
            Kind.GAUGE,
            "Runs driving load now.",
            points=(Point((), by_status.get(RunState.RUNNING, 0)),),
        ),
        *live.families(),
    ]


# Not in the OpenAPI document: it is Prometheus' format, not the JSON API (see the README).
@router.get("/metrics", dependencies=[Depends(require_token)], include_in_schema=False)
async def metrics(request: Request, state: State) -> Response:
    """The server's series in the Prometheus text format (OpenMetrics when asked for)."""
    try:
        from prometheus_client.exposition import choose_encoder
        from prometheus_client.registry import CollectorRegistry

        from loadforge.exports.scrape import FiguresCollector
    except ImportError:
        raise Unavailable(
            f"/metrics needs prometheus-client; install it with: {install_line('server')}"
        ) from None
    by_status = await asyncio.to_thread(runs_by_status, state.sessions)
    collector = FiguresCollector()
    collector.latest = Figures(time.time(), 0.0, tuple(server_families(by_status, state.live_runs)))
    registry = CollectorRegistry(auto_describe=False)
    registry.register(collector)
    encoder, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(encoder(registry), media_type=content_type)
