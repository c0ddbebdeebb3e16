"""Starting and stopping the demo target: background (running_target) and foreground (serve)."""

from __future__ import annotations

import signal
import socket
import threading

import httpx
import pytest
import uvicorn

from loadforge.errors import ConfigError, LoadForgeError
from loadforge.target import running_target, serve
from loadforge.target import server as target_server


def get(url: str) -> httpx.Response:
    return httpx.get(url, trust_env=False, timeout=5)


def target_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("loadforge-target")]


@pytest.fixture
def free_port() -> int:
    """A port that was free a moment ago."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


class TestRunningTarget:
    def test_picks_a_free_port_answers_and_stops_cleanly(self) -> None:
        # Other tests may hold a session-wide target; only this one's thread counts.
        before = set(target_threads())
        with running_target() as url:
            port = int(url.rsplit(":", 1)[1])
            assert url == f"http://127.0.0.1:{port}"
            assert port > 0
            assert get(f"{url}/stats").json() == {"total": 0, "routes": {}}
            started = set(target_threads()) - before
            assert [thread.name for thread in started] == [f"loadforge-target {url}"]
        assert set(target_threads()) - before == set()
        with pytest.raises(httpx.ConnectError):
            get(f"{url}/stats")

    def test_uses_the_port_asked_for(self, free_port: int) -> None:
        with running_target(port=free_port) as url:
            assert url == f"http://127.0.0.1:{free_port}"
            assert get(f"{url}/anything").status_code == 200

    def test_each_target_starts_with_fresh_state(self) -> None:
        with running_target() as first:
            get(f"{first}/anything")
        with running_target() as second:
            assert get(f"{second}/stats").json()["total"] == 0

    def test_port_in_use_is_a_config_error(self) -> None:
        with running_target() as url:
            port = int(url.rsplit(":", 1)[1])
            expected = rf"Cannot listen on 127.0.0.1:{port}.*--port"
            with pytest.raises(ConfigError, match=expected), running_target(port=port):
                pass  # pragma: no cover - never reached

    def test_unknown_host_is_a_config_error(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def no_such_host(*args: object, **kwargs: object) -> object:
            raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

        # Patched, so the test makes no DNS query.
        monkeypatch.setattr(socket, "getaddrinfo", no_such_host)
        expected = "Cannot serve the demo target on host 'nowhere'"
        with pytest.raises(ConfigError, match=expected), running_target(host="nowhere"):
            pass  # pragma: no cover - never reached

    def test_a_server_that_never_starts_is_reported(self, monkeypatch: pytest.MonkeyPatch) -> None:
        def give_up(self: uvicorn.Server, sockets: object = None) -> None:
            """Return at once, as a server failing at startup would."""

        before = set(target_threads())
        monkeypatch.setattr(uvicorn.Server, "run", give_up)
        expected = r"demo target at http://127.0.0.1:\d+ did not start"
        with pytest.raises(LoadForgeError, match=expected), running_target():
            pass  # pragma: no cover - never reached
        assert set(target_threads()) - before == set()

    def test_ipv6_loopback(self) -> None:
        if not socket.has_ipv6 or not _can_bind_ipv6():
            pytest.skip("no IPv6 loopback on this machine")
        with running_target(host="::1") as url:
            assert url.startswith("http://[::1]:")
            assert get(f"{url}/anything").status_code == 200


def _can_bind_ipv6() -> bool:
    try:
        with socket.socket(socket.AF_INET6) as probe:
            probe.bind(("::1", 0))
    except OSError:
        return False
    return True


@pytest.mark.parametrize(
    ("family", "host", "expected"),
    [
        (socket.AF_INET, "127.0.0.1", "http://127.0.0.1:80"),
        (socket.AF_INET, "0.0.0.0", "http://127.0.0.1:80"),
        (socket.AF_INET, "", "http://127.0.0.1:80"),
        (socket.AF_INET6, "::", "http://[::1]:80"),
        (socket.AF_INET6, "::1", "http://[::1]:80"),
        (socket.AF_INET, "localhost", "http://localhost:80"),
    ],
)
def test_urls_name_an_address_clients_can_connect_to(
    family: socket.AddressFamily, host: str, expected: str
) -> None:
    assert target_server._url(family, host, 80) == expected


def test_serve_runs_until_ctrl_c_then_returns(free_port: int) -> None:
    ready: list[str] = []
    answered: list[int] = []

    def press_ctrl_c_once_serving() -> None:
        # Wait until the server answers, so uvicorn's signal handler is in place.
        for _ in range(500):
            try:
                answered.append(get(f"{ready[0]}/anything").status_code)
                break
            except (httpx.TransportError, IndexError):
                threading.Event().wait(0.01)
        signal.pthread_kill(threading.main_thread().ident or 0, signal.SIGINT)

    presser = threading.Thread(target=press_ctrl_c_once_serving)
    presser.start()
    try:
        serve(port=free_port, on_ready=ready.append)
    finally:
        presser.join()

    assert ready == [f"http://127.0.0.1:{free_port}"]
    assert answered == [200]
    # The port is released: it can be bound again.
    with socket.socket() as again:
        again.bind(("127.0.0.1", free_port))


def test_serve_reports_a_busy_port() -> None:
    with running_target() as url:
        port = int(url.rsplit(":", 1)[1])
        with pytest.raises(ConfigError, match="Cannot listen on"):
            serve(port=port)
