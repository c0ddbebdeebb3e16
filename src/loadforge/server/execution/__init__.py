"""The server's run executor: one child process per run, a FIFO queue, spec → scenario.

The API hands `ProcessRunExecutor` a `RunJob` and hears back through its
`RunSink` (see `loadforge.server.contract`); it validates specs with
`validate_load_profile` and `validate_thresholds` before saving them.
"""

from loadforge.server.execution.profile import validate_load_profile, validate_thresholds

__all__ = ["validate_load_profile", "validate_thresholds"]
