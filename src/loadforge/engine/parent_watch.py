"""Making a worker process die with its coordinator, however the coordinator ends.

Signal handlers cannot help when the coordinator is SIGKILLed, so a worker
watches for its parent's death itself, three ways: on Linux the kernel sends
it SIGKILL when its parent dies (`prctl(PR_SET_PDEATHSIG)`); a daemon thread
polls `os.getppid()` every quarter second (every platform); and the worker
exits when its control pipe reaches end-of-file (see `engine.worker`).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

_PR_SET_PDEATHSIG = 1
POLL_SECONDS = 0.25


def die_with_parent(parent_pid: int) -> None:
    """Exit this process at once when `parent_pid` is no longer its parent."""
    if sys.platform.startswith("linux"):
        _set_parent_death_signal()
    # The parent may have died before prctl took effect.
    if os.getppid() != parent_pid:
        os._exit(1)
    thread = threading.Thread(
        target=_poll_parent, args=(parent_pid,), name="loadforge-parent-watch", daemon=True
    )
    thread.start()


def _set_parent_death_signal() -> None:
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - the polling thread still works
        return


def _poll_parent(parent_pid: int) -> None:
    while True:
        time.sleep(POLL_SECONDS)
        if os.getppid() != parent_pid:
            os._exit(1)
