"""End-to-end fixtures: the built-in demo API on a free port for the whole session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cli_harness import Target
from loadforge.target.server import running_target


@pytest.fixture(scope="session")
def target() -> Iterator[Target]:
    """The demo API, shared by every end-to-end test."""
    with running_target() as url:
        yield Target(url)


@pytest.fixture
def fresh_target(target: Target) -> Target:
    """The demo API with its request counts reset."""
    target.reset()
    return target
