"""How `loadforge serve` is configured: one frozen object the CLI builds and the app reads.

Kept apart from the CLI so tests build an app without parsing flags, and
apart from the app so the security checks can be read against one list of
knobs.
"""

from __future__ import annotations

import ipaddress
import os
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_DATA_DIR = Path("loadforge-data")
DATABASE_FILE = "loadforge.db"

DEFAULT_MAX_USERS = 10_000
DEFAULT_MAX_WORKERS = os.cpu_count() or 1
DEFAULT_MAX_DURATION = 24 * 3600.0
DEFAULT_MAX_ARRIVAL_RATE = 100_000.0


@dataclass(frozen=True, slots=True)
class ServerSettings:
    """Everything the server needs to know at start-up.

    `database_url` None means the SQLite file `<data_dir>/loadforge.db`.
    `api_token` None means no token is checked (only allowed on loopback).
    """

    data_dir: Path = DEFAULT_DATA_DIR
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    database_url: str | None = None
    max_concurrent_runs: int = 1
    allow_targets: tuple[str, ...] = field(default_factory=tuple)
    allow_code_specs: bool = False
    api_token: str | None = None
    # Caps on one run (loadforge.server.api.limits): users (the open model's
    # pool too), worker processes, seconds, iterations started per second.
    max_users: int = DEFAULT_MAX_USERS
    max_workers: int = DEFAULT_MAX_WORKERS
    max_duration: float = DEFAULT_MAX_DURATION
    max_arrival_rate: float = DEFAULT_MAX_ARRIVAL_RATE
    # The Ray cluster runs go to when their profile names none (`--cluster`).
    cluster: str | None = None

    @property
    def effective_database_url(self) -> str:
        """The SQLAlchemy URL to connect to."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / DATABASE_FILE).resolve()}"

    @property
    def attachments_dir(self) -> Path:
        """Where uploaded files are stored, content-addressed."""
        return self.data_dir / "attachments"

    @property
    def results_root(self) -> Path:
        """Under which each run's results directory is created."""
        return self.data_dir / "runs"

    @property
    def on_loopback(self) -> bool:
        """True when the server only listens on this machine."""
        return is_loopback(self.host)


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
