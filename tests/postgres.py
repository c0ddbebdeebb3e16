"""A throwaway PostgreSQL server for the server's tests, started from Debian's binaries.

`make postgres` installs Debian's `postgresql` package; its binaries are found
under /usr/lib/postgresql/*/bin. The server is initialised in a temporary
directory, listens on a free loopback port (its unix socket in that
directory too), runs without fsync (the tests do not need durability), and
each test gets a fresh database. As root (CI), initdb and postgres refuse to
run, so they run as the `postgres` user. Missing binaries skip the tests on
a developer's machine and fail them under CI, where a skip would hide that
nothing was checked.
"""

from __future__ import annotations

import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import psycopg
import pytest

SEARCH = "/usr/lib/postgresql/*/bin"


def postgres_bin_dir() -> Path | None:
    """The newest installed PostgreSQL's bin directory, or None."""
    found = sorted(
        Path("/").glob(SEARCH.lstrip("/") + "/initdb"),
        key=lambda path: _version(path.parent.parent.name),
    )
    return found[-1].parent if found else None


def _version(name: str) -> float:
    try:
        return float(name)
    except ValueError:
        return 0.0


def require_postgres() -> Path:
    """The bin directory; skips the test (fails it under CI) when PostgreSQL is missing."""
    bin_dir = postgres_bin_dir()
    if bin_dir is None:
        message = f"PostgreSQL is not installed ({SEARCH}/initdb); `make postgres` installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return bin_dir


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class PostgresServer:
    """One PostgreSQL server in a temporary directory; `new_database` per test."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin_dir = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="loadforge-pg-"))
        self.data = self.root / "data"
        self.port = _free_port()
        self._names = itertools.count(1)
        self._as_user: list[str] = []
        if os.getuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
            self._as_user = ["runuser", "-u", "postgres", "--"]

    def start(self) -> None:
        """initdb, then start the server and wait until it accepts connections."""
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "-A", "trust", "--no-sync")
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
            " -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        log = self.root / "server.log"
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l", str(log), "-w", "start")

    def stop(self) -> None:
        """Stop the server at once and delete its directory."""
        try:
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)

    def new_database(self) -> str:
        """A fresh, empty database's SQLAlchemy URL."""
        name = f"loadforge_{next(self._names)}"
        with psycopg.connect(self._url("postgres"), autocommit=True) as connection:
            connection.execute(f'CREATE DATABASE "{name}"'.encode())
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{name}"

    def _url(self, database: str) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def _run(self, program: str, *args: str) -> None:
        command = [*self._as_user, str(self.bin_dir / program), *args]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(
                f"{program} failed ({done.returncode}): {done.stderr or done.stdout}"
            )
