"""Fixtures for DSL tests: scenario files on disk, loaded without leaking into other tests."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

WriteScenario = Callable[..., Path]


@pytest.fixture(autouse=True)
def _restore_import_state(monkeypatch: pytest.MonkeyPatch) -> None:
    # The loader adds scenario directories to sys.path; undo that per test.
    monkeypatch.setattr(sys, "path", list(sys.path))


@pytest.fixture
def write_scenario(tmp_path: Path) -> WriteScenario:
    """Write a (dedented) scenario file into tmp_path and return its path."""

    def write(source: str, name: str = "scenario_file.py") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(source), encoding="utf-8")
        return path

    return write
