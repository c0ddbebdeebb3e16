"""Fixtures for multi-process runs against a real demo target on loopback."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from cli_harness import Target
from loadforge.target import running_target


@pytest.fixture(scope="module")
def target() -> Iterator[Target]:
    """One demo target per module, its counts reset by each test that needs them."""
    with running_target() as url:
        yield Target(url)
