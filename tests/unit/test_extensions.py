"""Which request path runs, compiled or pure Python, and how `--version` names it.

`make test` runs the request path's tests twice, the second time with
LOADFORGE_NO_EXTENSIONS=1; the first test here fails the first run when the
compiled path is not the one running, so a build that silently fell back to
pure Python cannot pass for a compiled run.
"""

from __future__ import annotations

import os

import pytest

from cli_harness import run_process
from loadforge import extensions
from loadforge.http import _connection as connection
from loadforge.http._connection import HttpConnection
from loadforge.http._response import Response
from loadforge.metrics.collector import MetricsCollector

SWITCHED_OFF = os.environ.get(extensions.NO_EXTENSIONS_VARIABLE, "") not in ("", "0")


def test_the_path_running_is_the_one_this_run_asked_for() -> None:
    compiled_classes = [cls.__module__ for cls in (HttpConnection, Response, MetricsCollector)]

    if SWITCHED_OFF:
        assert not extensions.PATH.compiled
        assert extensions.NO_EXTENSIONS_VARIABLE in extensions.PATH.reason
        assert not any(name.startswith("loadforge._compiled.") for name in compiled_classes)
    else:
        assert extensions.PATH.compiled, extensions.PATH.reason
        assert all(name.startswith("loadforge._compiled.") for name in compiled_classes)


@pytest.mark.parametrize(
    ("setting", "compiled"), [("", True), ("0", True), ("1", False), ("yes", False)]
)
def test_the_variable_switches_the_compiled_path_off(setting: str, compiled: bool) -> None:
    path = extensions.decide({extensions.NO_EXTENSIONS_VARIABLE: setting})

    assert path.compiled is compiled
    assert path.reason == ("" if compiled else f"LOADFORGE_NO_EXTENSIONS={setting}")


def test_missing_compiled_modules_fall_back_to_pure_python(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(extensions.COMPILED_MODULES, "loadforge.nowhere", "loadforge._compiled.no")

    path = extensions.decide({})

    assert not path.compiled
    assert path.reason == "compiled modules not built: loadforge._compiled.no"
    assert path.describe() == (
        "request path: pure Python (compiled modules not built: loadforge._compiled.no)"
    )


def test_version_names_the_path() -> None:
    default = run_process(["--version"], without=[extensions.NO_EXTENSIONS_VARIABLE])
    pure = run_process(["--version"], env={extensions.NO_EXTENSIONS_VARIABLE: "1"})

    assert default.returncode == 0, default.stderr
    assert default.stdout.splitlines()[1] == "request path: compiled (Cython)"
    assert pure.stdout.splitlines()[1] == "request path: pure Python (LOADFORGE_NO_EXTENSIONS=1)"


def test_pure_names_are_the_pure_python_objects() -> None:
    pure = extensions.pure_names("loadforge.http._connection")

    assert pure["HttpConnection"].__module__ == "loadforge.http._connection"
    assert set(pure) == set(connection.__all__)
