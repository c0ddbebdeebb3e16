"""Which request path runs: the compiled one that Cython builds, or the pure-Python reference.

Decided once, at import, the way aiohttp decides (``AIOHTTP_NO_EXTENSIONS``):
the compiled path is active unless ``LOADFORGE_NO_EXTENSIONS`` is set to a
non-empty value other than ``0``, or the compiled modules are not there (a
source tree that was never built, an install from a platform without a
compiler).

Each module of `COMPILED_MODULES` is compiled from its own `.py` file into
`loadforge._compiled`, under another name, since Python prefers an
extension module to a source file of the same name. Its `.pxd`, where it
has one (C types for Cython's pure-Python mode), sits in `loadforge/_compiled/`
under that name too, as Cython finds a module's `.pxd` by its full name.
Where the pure module's work cannot be typed into C in pure-Python mode
without slowing the reference down (a byte scan), the compiled build is a
`.pyx` of that name in `loadforge/_compiled/` instead, held to the same
answers by the tests of both paths and a property test. The
pure module's last line is ``extensions.adopt(globals())``: when the
compiled path is active, that swaps its public names (``__all__``) for the
compiled module's, so every importer, tests included, gets the compiled
classes from the usual import, and the pure ones stay readable in
`pure_names`. The compiled build runs the same line and, under its own
name, changes nothing.
"""

from __future__ import annotations

import importlib
import importlib.util
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "COMPILED_MODULES",
    "NO_EXTENSIONS_VARIABLE",
    "PATH",
    "RequestPath",
    "adopt",
    "decide",
    "pure_names",
]

NO_EXTENSIONS_VARIABLE = "LOADFORGE_NO_EXTENSIONS"

COMPILED_MODULES: dict[str, str] = {
    "loadforge.http._response_head": "loadforge._compiled.http_response_head",
    "loadforge.http._response": "loadforge._compiled.http_response",
    "loadforge.http._connection": "loadforge._compiled.http_connection",
    "loadforge.metrics.collector": "loadforge._compiled.metrics_collector",
    "loadforge.http._sending": "loadforge._compiled.http_sending",
    "loadforge.http._allocation": "loadforge._compiled.http_allocation",
    "loadforge.http._set_cookie": "loadforge._compiled.http_set_cookie",
}
"""Each module of the compiled request path (pure name) and its compiled build's name."""


@dataclass(frozen=True, slots=True)
class RequestPath:
    """The request path this process runs, and why."""

    compiled: bool
    reason: str  # why the pure-Python path runs; "" when the compiled one does

    def describe(self) -> str:
        """One line for `loadforge --version`."""
        if self.compiled:
            return "request path: compiled (Cython)"
        return f"request path: pure Python ({self.reason})"


def _found(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:  # its package is missing too (setup.py reads this file alone)
        return False


def decide(environ: Mapping[str, str] = os.environ) -> RequestPath:
    """The request path for environment `environ`: compiled, unless switched off or not built."""
    setting = environ.get(NO_EXTENSIONS_VARIABLE, "")
    if setting not in ("", "0"):
        return RequestPath(False, f"{NO_EXTENSIONS_VARIABLE}={setting}")
    missing = [name for name in COMPILED_MODULES.values() if not _found(name)]
    if missing:
        return RequestPath(False, f"compiled modules not built: {', '.join(sorted(missing))}")
    return RequestPath(True, "")


PATH = decide()
"""The path of this process, fixed at import."""

_pure: dict[str, dict[str, Any]] = {}


def adopt(namespace: dict[str, Any]) -> None:
    """Give the module whose globals are `namespace` its compiled build's public names.

    Only when the compiled path is active and `namespace` is the pure module
    of one of `COMPILED_MODULES`; the names replaced are its ``__all__``.
    """
    compiled_name = COMPILED_MODULES.get(namespace["__name__"])
    if compiled_name is None or not PATH.compiled:
        return
    compiled = importlib.import_module(compiled_name)
    names: list[str] = namespace["__all__"]
    _pure[namespace["__name__"]] = {name: namespace[name] for name in names}
    namespace.update({name: getattr(compiled, name) for name in names})


def pure_names(module: str) -> dict[str, Any]:
    """The pure-Python objects of `module`'s ``__all__``, whichever path is active.

    For the tests that run both paths side by side in one process.
    """
    if module in _pure:
        return _pure[module]
    loaded = importlib.import_module(module)
    return {name: getattr(loaded, name) for name in loaded.__all__}
