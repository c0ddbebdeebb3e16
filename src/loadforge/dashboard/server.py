"""Serving the dashboard app with uvicorn, on the calling thread or a thread of its own.

The listening socket is bound before anything else starts, so a port in use
is a ConfigError with a clear message before the run begins, and port 0
(any free port, for tests) gives a URL with the real port.
"""

from __future__ import annotations

import asyncio
import errno
import socket
import threading
from collections.abc import Callable, Coroutine

import uvicorn
from fastapi import FastAPI

from loadforge.errors import ConfigError

SHUTDOWN_SECONDS = 1.0
"""How long open WebSocket connections get to close when the server stops."""


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port; ConfigError when it cannot be had."""
    if not 0 <= port <= 65535:
        raise ConfigError(f"--dashboard-port must be between 0 and 65535, got {port}.")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise ConfigError(f"Dashboard host {host!r} cannot be resolved ({exc}).") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"Dashboard port {port} on {host} is already in use; pick another with"
                " --dashboard-port (or --port for `loadforge dashboard`)."
            ) from None
        raise ConfigError(f"The dashboard cannot listen on {host}:{port}: {exc}.") from None
    sock.set_inheritable(True)
    return sock


def url_of(sock: socket.socket) -> str:
    """The http:// URL a browser opens for a socket bound by `bind_socket`."""
    host, port = sock.getsockname()[:2]
    return url_for(host, port)


def url_for(host: str, port: int) -> str:
    """The http:// URL for a listening address; a wildcard address is shown as loopback."""
    if host in ("0.0.0.0", "::"):  # noqa: S104 - compares the address, binds nothing
        host = "127.0.0.1"
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/"


def _server(app: FastAPI) -> uvicorn.Server:
    config = uvicorn.Config(
        app,
        log_level="warning",
        lifespan="off",
        ws="websockets-sansio",
        timeout_graceful_shutdown=int(SHUTDOWN_SECONDS),
        access_log=False,
    )
    return uvicorn.Server(config)


def serve_forever(app: FastAPI, sock: socket.socket) -> None:
    """Serve on this thread until Ctrl-C (uvicorn handles the signals)."""
    _server(app).run(sockets=[sock])


class ServerThread:
    """uvicorn on a daemon thread with its own event loop, started and stopped from outside."""

    def __init__(self, app: FastAPI, sock: socket.socket) -> None:
        self._server = _server(app)
        self._sock = sock
        self._ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread = threading.Thread(target=self._main, name="loadforge-dashboard", daemon=True)

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The server's event loop: everything touching the hub runs there."""
        if self._loop is None:
            raise RuntimeError("the dashboard server has not started")
        return self._loop

    def start(self, timeout: float = 10.0) -> None:
        """Start serving; returns once the server accepts connections."""
        self._thread.start()
        if not self._ready.wait(timeout):  # pragma: no cover - uvicorn failed to start
            raise RuntimeError("the dashboard server did not start")

    def call(self, callback: Callable[[], None]) -> None:
        """Run `callback` on the server's loop soon; safe from any thread."""
        self.loop.call_soon_threadsafe(callback)

    def run(self, coroutine: Coroutine[object, None, None], timeout: float) -> None:
        """Run `coroutine` on the server's loop and wait for it (at most `timeout` s)."""
        future = asyncio.run_coroutine_threadsafe(coroutine, self.loop)
        future.result(timeout)

    def stop(self) -> None:
        """Stop serving and wait for the thread to end."""
        self._server.should_exit = True
        self._thread.join(SHUTDOWN_SECONDS + 5)
        self._sock.close()

    def _main(self) -> None:
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        self._loop = asyncio.get_running_loop()
        task = asyncio.create_task(self._server.serve(sockets=[self._sock]))
        # uvicorn exposes `started` as a flag, not an event, so poll it briefly.
        while not self._server.started and not task.done():  # noqa: ASYNC110
            await asyncio.sleep(0.01)
        self._ready.set()
        await task
