"""What a cluster run asks for, and how its address is checked, without importing Ray.

`--cluster ADDRESS` runs the workers as Ray actors. Everything that can be
said about the request before connecting lives here, so that a run without
`--cluster` never imports `ray` and a bad address is refused in words.
`engine/ray_cluster.py` does the connecting; it is imported only for a
cluster run.
"""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import dataclass, field

from loadforge.errors import ClusterError

DEFAULT_RAY_PORT = 6379
DEFAULT_CLIENT_PORT = 10001
DEFAULT_PLACEMENT_TIMEOUT = 30.0
REACH_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True, slots=True)
class ClusterTarget:
    """A Ray cluster to run on: its address, and how many workers in all (None: one per CPU).

    `env_vars` are set in every worker actor's process on the nodes (a
    server run's request description and target allowlist): a node does
    not inherit the coordinator's environment.
    """

    address: str
    workers: int | None = None
    placement_timeout: float = DEFAULT_PLACEMENT_TIMEOUT
    env_vars: Mapping[str, str] = field(default_factory=dict)


def endpoint(address: str) -> tuple[str, int] | None:
    """The host and port an address names; None for `auto` (Ray finds the local cluster).

    `HOST:PORT` is a cluster's GCS (port 6379 when omitted); `ray://HOST:PORT`
    is the Ray Client server (port 10001 when omitted).
    """
    if address == "auto":
        return None
    rest, port = address, DEFAULT_RAY_PORT
    if address.startswith("ray://"):
        rest, port = address.removeprefix("ray://"), DEFAULT_CLIENT_PORT
    host, colon, port_text = rest.rpartition(":")
    if not colon:
        host, port_text = rest, str(port)
    host = host.strip("[]")
    if not host or not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ClusterError(
            f"--cluster {address!r} is not a cluster address: give auto, HOST:PORT or"
            " ray://HOST:PORT."
        )
    return host, int(port_text)


def check_reachable(address: str, timeout: float = REACH_TIMEOUT_SECONDS) -> None:
    """Refuse an address nothing answers on (ClusterError naming it) before Ray retries for long."""
    found = endpoint(address)
    if found is None:
        return
    try:
        with socket.create_connection(found, timeout=timeout):
            pass
    except OSError as exc:
        raise ClusterError(
            f"Cannot reach the Ray cluster at {address}: {exc.strerror or exc}. Is `ray start"
            " --head` running there, and is the address its GCS (HOST:6379) or its Ray Client"
            " server (ray://HOST:10001)?"
        ) from None
