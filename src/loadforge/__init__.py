"""LoadForge: load-test HTTP APIs with scenarios written in Python.

A scenario is a class decorated with `@scenario`, whose `async def` methods
are marked `@task(weight=...)`, `@setup` and `@teardown`; each virtual user
gets its own instance and its own `HttpClient`. A scenario may carry its
traffic pattern, built with `ramp`, `constant`, `step`, `spike`, `diurnal`
and `>>`.
"""

from loadforge.dsl import scenario, setup, task, teardown
from loadforge.errors import ConfigError, LoadForgeError, ScenarioError
from loadforge.http import HttpClient, Response
from loadforge.patterns import LoadPattern, constant, diurnal, ramp, spike, step
from loadforge.version import __version__

__all__ = [
    "ConfigError",
    "HttpClient",
    "LoadForgeError",
    "LoadPattern",
    "Response",
    "ScenarioError",
    "__version__",
    "constant",
    "diurnal",
    "ramp",
    "scenario",
    "setup",
    "spike",
    "step",
    "task",
    "teardown",
]
