"""The server's run executor: one child process per run, a FIFO queue, spec → scenario.

The API hands `ProcessRunExecutor` a `RunJob` and hears back through its
`RunSink` (see `loadforge.server.contract`); it validates specs with
`validate_request`, `validate_load_profile` and `validate_thresholds`
before saving them (each raises ConfigError naming the field: a 422).
"""

from loadforge.server.execution.child import Launcher, RunProcess, launch_child
from loadforge.server.execution.executor import ProcessRunExecutor
from loadforge.server.execution.profile import validate_load_profile, validate_thresholds
from loadforge.server.execution.spec_scenario import validate_request

__all__ = [
    "Launcher",
    "ProcessRunExecutor",
    "RunProcess",
    "launch_child",
    "validate_load_profile",
    "validate_request",
    "validate_thresholds",
]
