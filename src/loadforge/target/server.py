"""Running the demo API: in the foreground (``loadforge target``) or in the background.

The background form serves ``loadforge demo`` and the tests.

LoadForge binds the listening socket itself and hands it to uvicorn, so port 0
(any free port) works and the real URL is known before the server starts.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import uvicorn

from loadforge.errors import ConfigError, LoadForgeError
from loadforge.target.app import create_app

#: How long to wait for the background server to start or stop, in seconds.
START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
#: How long in-flight requests (a long ``/delay``) may take to finish at shutdown.
GRACEFUL_SHUTDOWN_SECONDS = 1


def serve(
    host: str = "127.0.0.1",
    port: int = 8080,
    *,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Run the demo API until Ctrl-C (or SIGTERM), then stop cleanly.

    ``on_ready`` receives the base URL once the port is bound, e.g. so the
    CLI can print where to send load.
    """
    sock, url = _listen(host, port)
    server = uvicorn.Server(_config())
    try:
        if on_ready is not None:
            on_ready(url)
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        # uvicorn has already shut down gracefully and re-raised Ctrl-C to
        # signal why it stopped; for this command, stopping is the success case.
        pass
    finally:
        sock.close()


@contextmanager
def running_target(host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run a fresh demo API in a background thread and yield its base URL.

    Port 0 picks a free port. The server is stopped, and its thread joined,
    when the ``with`` block ends.
    """
    sock, url = _listen(host, port)
    server = uvicorn.Server(_config())
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name=f"loadforge-target {url}", daemon=True
    )
    thread.start()
    try:
        _wait_until_started(server, thread, url)
        yield url
    finally:
        server.should_exit = True
        thread.join(STOP_TIMEOUT)
        if thread.is_alive():  # pragma: no cover - only when a handler ignores shutdown
            server.force_exit = True
            thread.join(STOP_TIMEOUT)
        sock.close()


def _config() -> uvicorn.Config:
    return uvicorn.Config(
        create_app(),
        loop="auto",
        http="httptools",
        lifespan="off",
        access_log=False,
        log_level="warning",
        timeout_graceful_shutdown=GRACEFUL_SHUTDOWN_SECONDS,
    )


def _listen(host: str, port: int) -> tuple[socket.socket, str]:
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise ConfigError(
            f"Cannot serve the demo target on host {host!r}: {exc.strerror}. Use an IP "
            "address such as 127.0.0.1."
        ) from None
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(2048)
    except OSError as exc:
        sock.close()
        raise ConfigError(
            f"Cannot listen on {host}:{port}: {exc.strerror or exc}. Pick another port "
            "with --port, or stop whatever is using this one."
        ) from None
    sock.setblocking(False)
    return sock, _url(family, host, sock.getsockname()[1])


def _url(family: socket.AddressFamily, host: str, port: int) -> str:
    # A wildcard address is fine to listen on but not to connect to.
    if host in ("", "0.0.0.0"):  # noqa: S104 - compares the address, binds nothing
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    if family == socket.AF_INET6 and ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def _wait_until_started(server: uvicorn.Server, thread: threading.Thread, url: str) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise LoadForgeError(f"The demo target at {url} did not start.")
        time.sleep(0.005)
