"""Cluster addresses checked before Ray is imported: their forms, and an address nobody answers."""

from __future__ import annotations

import socket

import pytest

from loadforge.engine.cluster import check_reachable, endpoint
from loadforge.errors import ClusterError


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("auto", None),
        ("10.0.0.1:6379", ("10.0.0.1", 6379)),
        ("head", ("head", 6379)),
        ("ray://head", ("head", 10001)),
        ("ray://head:20001", ("head", 20001)),
        ("[::1]:26379", ("::1", 26379)),
    ],
)
def test_an_address_names_a_host_and_a_port(address: str, expected: object) -> None:
    assert endpoint(address) == expected


@pytest.mark.parametrize("address", ["", "head:port", "head:0", ":6379", "head:70000"])
def test_a_malformed_address_is_refused_in_words(address: str) -> None:
    with pytest.raises(ClusterError, match="is not a cluster address: give auto, HOST:PORT"):
        endpoint(address)


def test_an_address_nothing_listens_on_is_refused_naming_it() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: connections are refused

        with pytest.raises(ClusterError, match=f"Cannot reach the Ray cluster at 127.0.0.1:{port}"):
            check_reachable(f"127.0.0.1:{port}", timeout=2.0)
