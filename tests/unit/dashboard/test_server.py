"""Binding the dashboard's socket: clear errors, real URLs."""

from __future__ import annotations

import socket

import pytest

from loadforge.dashboard.server import bind_socket, url_for, url_of
from loadforge.errors import ConfigError


def test_port_zero_gives_a_url_with_the_real_port() -> None:
    sock = bind_socket("127.0.0.1", 0)
    try:
        port = sock.getsockname()[1]
        assert port > 0
        assert url_of(sock) == f"http://127.0.0.1:{port}/"
    finally:
        sock.close()


def test_a_port_in_use_is_a_config_error() -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError, match=f"Dashboard port {port} on 127.0.0.1 is already"):
            bind_socket("127.0.0.1", port)


def test_bad_ports_and_hosts_are_config_errors() -> None:
    with pytest.raises(ConfigError, match="between 0 and 65535"):
        bind_socket("127.0.0.1", 70000)
    with pytest.raises(ConfigError, match="cannot be resolved"):
        bind_socket("no-such-host.invalid", 0)
    with pytest.raises(ConfigError, match="cannot listen"):
        bind_socket("192.0.2.1", 0)  # TEST-NET-1: not an address of this machine


def test_wildcard_and_ipv6_addresses_make_usable_urls() -> None:
    assert url_for("0.0.0.0", 8089) == "http://127.0.0.1:8089/"
    assert url_for("::1", 9000) == "http://[::1]:9000/"
