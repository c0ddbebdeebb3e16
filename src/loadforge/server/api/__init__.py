"""The server's HTTP API: app factory, routers, WebSocket, security and pages."""

from loadforge.server.api.app import create_app
from loadforge.server.api.sink import DatabaseRunSink

__all__ = ["DatabaseRunSink", "create_app"]
