"""The benchmarks' target: nginx from benchmarks/nginx.conf, started and stopped around a run.

One `return 200 "ok"` location on 127.0.0.1:8080, one worker, no access
log. The config listens with `reuseport`, so a second nginx started while
one is still running binds the same port and silently takes half the
connections (earlier figures in README.md were skewed that way by a stray
instance); `running_nginx` refuses to start when the port already answers.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HERE = Path(__file__).resolve().parent
HOST, PORT = "127.0.0.1", 8080


def _port_answers() -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex((HOST, PORT)) == 0


@contextmanager
def running_nginx(target_cpu: str | None = None) -> Iterator[None]:
    """nginx up for the body of the `with`, pinned to `target_cpu` (taskset -c) if given."""
    if _port_answers():
        raise SystemExit(
            f"something already listens on {HOST}:{PORT}; stop it (a stray nginx: "
            "`pkill -f benchmarks/nginx.conf`) or leave out --nginx to use it as the target"
        )
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    Path("/tmp/loadforge-nginx").mkdir(exist_ok=True)
    pin = ["taskset", "-c", target_cpu] if target_cpu else []
    base = [*pin, nginx, "-c", str(HERE / "nginx.conf"), "-p", "/tmp"]
    subprocess.run(base, check=True)
    time.sleep(0.5)
    try:
        yield
    finally:
        subprocess.run([*base, "-s", "stop"], check=False, stderr=subprocess.DEVNULL)
