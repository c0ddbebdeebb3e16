"""The custom metrics a scenario's source declares, read without running it.

`loadforge serve` checks a code spec's thresholds when the spec is saved,
but never runs code in its own process. So it reads the code's syntax tree
for the declarations a scenario makes at module level,
``orders = metrics.counter("orders")`` (or `counter("orders")` imported from
`loadforge.metrics`), and gives their names and kinds. When the code could
declare metrics this cannot see, the answer is None ("cannot tell") rather
than a guess: a declaration whose name is not a literal, a declaring
function used other than by calling it, a syntax error, or an import of a
module outside the standard library and LoadForge (which may declare some).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Mapping

from loadforge.metrics.scenario_figures import CustomKind

__all__ = ["declared_in_source"]

_KINDS = {kind.value: kind for kind in CustomKind}


def declared_in_source(code: str) -> Mapping[str, CustomKind] | None:
    """The metrics `code` declares, by name; None when it may declare others this cannot read."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return None
    if not all(_known_import(node) for node in ast.walk(tree)):
        return None
    called: set[int] = set()
    declared: dict[str, CustomKind] = {}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        kind = _kind_called(node.func)
        if kind is None:
            continue
        called.add(id(node.func))
        first = node.args[0] if node.args else None
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            return None
        declared[first.value.strip()] = kind
    for node in ast.walk(tree):
        if _names_a_kind(node) and id(node) not in called:
            return None  # `make = metrics.counter` and the like: declarations out of sight
    return declared


def _kind_called(func: ast.expr) -> CustomKind | None:
    if isinstance(func, ast.Attribute):
        return _KINDS.get(func.attr)
    if isinstance(func, ast.Name):
        return _KINDS.get(func.id)
    return None


def _names_a_kind(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute):
        return node.attr in _KINDS
    return isinstance(node, ast.Name) and node.id in _KINDS


def _known_import(node: ast.AST) -> bool:
    if isinstance(node, ast.Import):
        return all(_known_module(alias.name) for alias in node.names)
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and _known_module(node.module or "")
    return True


def _known_module(name: str) -> bool:
    top = name.partition(".")[0]
    return top == "loadforge" or top in sys.stdlib_module_names
