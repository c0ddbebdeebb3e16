"""The scenario DSL: how users declare load tests, and how LoadForge loads them.

Users import the decorators from ``loadforge``; the CLI and the engine use
`load_scenarios`, `select_scenario` and `resolve_scenario` to go from a file
path to a scenario ready to run.
"""

from loadforge.dsl.current_user import UserInfo, current_user
from loadforge.dsl.decorators import scenario, setup, task, teardown
from loadforge.dsl.definitions import ScenarioDefinition, TaskDefinition
from loadforge.dsl.environment import ResolvedScenario, expand_variables, resolve_scenario
from loadforge.dsl.feeders import Feeder, FeederExhausted
from loadforge.dsl.loader import load_scenarios, select_scenario

__all__ = [
    "Feeder",
    "FeederExhausted",
    "ResolvedScenario",
    "ScenarioDefinition",
    "TaskDefinition",
    "UserInfo",
    "current_user",
    "expand_variables",
    "load_scenarios",
    "resolve_scenario",
    "scenario",
    "select_scenario",
    "setup",
    "task",
    "teardown",
]
