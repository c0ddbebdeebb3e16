"""schemathesis against the served OpenAPI: no generated input gets a 5xx.

Each operation gets a bounded number of valid and invalid generated
requests, which keeps this to seconds. Valid inputs run on SQLite and
PostgreSQL (which refuses what SQLite lets through: NUL characters, ids past
its integer range); invalid ones on SQLite. schemathesis' pytest plugin
does not load under pytest 9, so the operations are driven with hypothesis
directly.
"""

from __future__ import annotations

from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.core.result import Ok
from schemathesis.generation import GenerationMode

from integration.server.harness import FakeExecutor
from loadforge.server.api import create_app
from loadforge.server.contract import RunSink
from loadforge.server.settings import ServerSettings

EXAMPLES = 10


def _schema(settings: ServerSettings) -> schemathesis.BaseSchema:
    def factory(sink: RunSink) -> FakeExecutor:
        return FakeExecutor(sink, max_concurrent=2)

    app = create_app(settings, executor_factory=factory)
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def test_valid_inputs(settings: ServerSettings) -> None:
    _check_every_operation(_schema(settings), GenerationMode.POSITIVE)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_invalid_inputs(settings: ServerSettings) -> None:
    _check_every_operation(_schema(settings), GenerationMode.NEGATIVE)


def _check_every_operation(schema: schemathesis.BaseSchema, mode: GenerationMode) -> None:
    operations = []
    for result in schema.get_all_operations():
        assert isinstance(result, Ok), result
        operations.append(result.ok())
    assert len(operations) >= 15
    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def check(case: schemathesis.Case[Any]) -> None:
            case.call_and_validate(checks=[not_a_server_error])

        check()
