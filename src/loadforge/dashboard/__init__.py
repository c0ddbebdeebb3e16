"""The live web dashboard: a FastAPI app streaming snapshots over a WebSocket.

Imported only by `loadforge run --dashboard` and `loadforge dashboard`, so a
plain run never loads FastAPI, pydantic or uvicorn. The server runs on its
own thread and event loop; the run's loop only hands it each snapshot and
state change, so no browser can slow the test down.
"""

from loadforge.dashboard.live import LiveDashboard, open_live_dashboard
from loadforge.dashboard.replay import serve_replay

__all__ = ["LiveDashboard", "open_live_dashboard", "serve_replay"]
