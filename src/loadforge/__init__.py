"""LoadForge: load-test HTTP APIs with scenarios written in Python.

A scenario is a class decorated with `@scenario`, whose `async def` methods
are marked `@task(weight=...)`, `@setup` and `@teardown`; each virtual user
gets its own instance and its own `HttpClient`.
"""

from loadforge import metrics
from loadforge.dsl import Feeder, FeederExhausted, scenario, setup, task, teardown
from loadforge.errors import ConfigError, LoadForgeError, ScenarioError
from loadforge.http import HttpClient, Response, WebSocket, WebSocketClosed, WebSocketError
from loadforge.version import __version__

__all__ = [
    "ConfigError",
    "Feeder",
    "FeederExhausted",
    "HttpClient",
    "LoadForgeError",
    "Response",
    "ScenarioError",
    "WebSocket",
    "WebSocketClosed",
    "WebSocketError",
    "__version__",
    "metrics",
    "scenario",
    "setup",
    "task",
    "teardown",
]
