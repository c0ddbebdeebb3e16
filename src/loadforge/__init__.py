"""LoadForge: load-test HTTP APIs with scenarios written in Python.

A scenario is a class decorated with `@scenario`, whose `async def` methods
are marked `@task(weight=...)`, `@setup` and `@teardown`; each virtual user
gets its own instance and its own `HttpClient`. A scenario may carry its
traffic pattern, built with `ramp`, `constant`, `step`, `spike`, `diurnal`
and `>>`. `loadforge.run(...)` (and `run_async`) runs a test from Python
and returns a `RunResult`; they are imported on first use, so a scenario
file's `from loadforge import task` does not load the whole run machinery.
"""

from typing import TYPE_CHECKING

from loadforge import metrics
from loadforge.dsl import (
    Feeder,
    FeederExhausted,
    UserInfo,
    current_user,
    scenario,
    setup,
    task,
    teardown,
)
from loadforge.errors import ConfigError, LoadForgeError, ScenarioError
from loadforge.http import (
    Auth,
    BasicAuth,
    BearerAuth,
    HttpClient,
    Response,
    WebSocketClosed,
    WebSocketError,
)
from loadforge.patterns import LoadPattern, constant, diurnal, ramp, spike, step
from loadforge.version import __version__

if TYPE_CHECKING:
    from loadforge.http import WebSocket
    from loadforge.runs.programmatic import RunResult, run, run_async

_RUN_API = frozenset({"RunResult", "run", "run_async"})

__all__ = [
    "Auth",
    "BasicAuth",
    "BearerAuth",
    "ConfigError",
    "Feeder",
    "FeederExhausted",
    "HttpClient",
    "LoadForgeError",
    "LoadPattern",
    "Response",
    "RunResult",
    "ScenarioError",
    "UserInfo",
    "WebSocket",
    "WebSocketClosed",
    "WebSocketError",
    "__version__",
    "constant",
    "current_user",
    "diurnal",
    "metrics",
    "ramp",
    "run",
    "run_async",
    "scenario",
    "setup",
    "spike",
    "step",
    "task",
    "teardown",
]


def __getattr__(name: str) -> object:
    """`run`, `run_async` and `RunResult`, imported when first asked for."""
    if name == "WebSocket":
        from loadforge.http import WebSocket

        return WebSocket
    if name in _RUN_API:
        from loadforge.runs import programmatic

        return getattr(programmatic, name)
    raise AttributeError(f"module 'loadforge' has no attribute {name!r}")
