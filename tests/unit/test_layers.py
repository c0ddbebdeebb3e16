"""The packages of src/loadforge form layers, and no import runs from a lower layer up.

Every `import` and `from ... import` in the tree counts, including those
inside functions and under `TYPE_CHECKING`: a lazy import is still an arrow.
A package may import its own modules and any package of a lower layer; the
packages of one layer are peers and import none of each other.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import pytest

import loadforge

SOURCE = Path(loadforge.__file__).parent

LAYERS: tuple[tuple[str, ...], ...] = (
    # `extensions` picks the compiled or the pure-Python request path.
    ("errors", "version", "extensions"),
    ("durations", "formatting", "eventloop", "fanout", "extras"),
    # Patterns sit below the DSL: a scenario can carry its pattern.
    ("patterns",),
    ("metrics", "dsl", "starter"),
    # `_compiled` holds the compiled builds of http and metrics modules (no source of its own).
    ("http", "results", "_compiled"),
    ("thresholds",),
    ("engine", "reports"),
    # Live exports (Prometheus, remote write, OTLP): engine observers the CLI and the server share.
    ("exports",),
    ("runs",),
    # The package's own __init__: the scenario API (`from loadforge import task`), and
    # `loadforge.run`, imported from `runs` on first use.
    ("loadforge",),
    ("dashboard", "server", "target"),
    # The front doors: the command line, and the pytest plugin (it runs through `loadforge.run`).
    ("cli", "pytest_plugin"),
    ("__main__",),
)
"""Lowest first. Each name is a subpackage or a top-level module of loadforge."""


@dataclass(frozen=True, slots=True)
class Arrow:
    """One import: which file, on which line, from which package to which."""

    path: Path
    line: int
    source: str
    target: str
    module: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.source} imports {self.module} ({self.target})"


def unit_of(dotted: str) -> str:
    """The layer unit of a module path under `loadforge`: `loadforge.cli.app` → `cli`."""
    parts = dotted.split(".")
    if len(parts) == 1:
        return "loadforge"
    return parts[1]


def _module_name(root: Path, path: Path) -> str:
    relative = path.relative_to(root).with_suffix("")
    parts = ["loadforge", *relative.parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(root: Path, dotted: str) -> bool:
    relative = Path(*dotted.split(".")[1:])
    return (root / relative).is_dir() or (root / relative).with_suffix(".py").is_file()


def _imported(
    root: Path, node: ast.Import | ast.ImportFrom, here: str, is_package: bool
) -> list[str]:
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if node.level:
        base = here.split(".")
        base = base if is_package else base[:-1]
        base = base[: len(base) - (node.level - 1)]
        module = ".".join([*base, *([node.module] if node.module else [])])
    else:
        module = node.module or ""
    if module == "loadforge":
        # `from loadforge import eventloop` imports a module; `import task` the facade.
        return [
            f"loadforge.{alias.name}" if _is_module(root, f"loadforge.{alias.name}") else module
            for alias in node.names
        ]
    return [module]


def arrows(root: Path) -> Iterator[Arrow]:
    """Every import from one layer unit of `root` (a loadforge source tree) to another."""
    for path in sorted(root.rglob("*.py")):
        here = _module_name(root, path)
        source = unit_of(here)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for module in _imported(root, node, here, path.stem == "__init__"):
                if module != "loadforge" and not module.startswith("loadforge."):
                    continue
                target = unit_of(module)
                if target != source:
                    yield Arrow(path.relative_to(root), node.lineno, source, target, module)


def violations(root: Path, layers: Sequence[Sequence[str]] = LAYERS) -> list[str]:
    """Each import that does not go strictly down the layers, in words."""
    rank = {unit: index for index, layer in enumerate(layers) for unit in layer}
    found = []
    for arrow in arrows(root):
        for unit in (arrow.source, arrow.target):
            if unit not in rank:
                found.append(f"{arrow}: '{unit}' is in no layer; add it to LAYERS")
        if arrow.source in rank and arrow.target in rank:
            if rank[arrow.target] == rank[arrow.source]:
                found.append(f"{arrow}: peers of one layer do not import each other")
            elif rank[arrow.target] > rank[arrow.source]:
                found.append(f"{arrow}: '{arrow.target}' is above '{arrow.source}'")
    return sorted(set(found))


def test_no_import_runs_up_the_layers() -> None:
    assert violations(SOURCE) == []


def test_every_package_and_module_has_a_layer() -> None:
    units = {path.stem for path in SOURCE.glob("*.py") if path.stem != "__init__"}
    units |= {path.parent.name for path in SOURCE.glob("*/__init__.py")}
    placed = {unit for layer in LAYERS for unit in layer}
    assert units | {"loadforge"} == placed


@pytest.mark.parametrize(
    ("path", "code", "expected"),
    [
        ("server/runner.py", "from loadforge.cli.app import main\n", "'cli' is above 'server'"),
        ("runs/a.py", "def f():\n    import loadforge.cli\n", "'cli' is above 'runs'"),
        ("server/b.py", "from loadforge.dashboard import schemas\n", "peers of one layer"),
        ("engine/c.py", "from loadforge import reports\n", "peers of one layer"),
        ("metrics/d.py", "from ..engine import load_test\n", "'engine' is above 'metrics'"),
        ("http/e.py", "from loadforge.engine.user import VirtualUser\n", "'engine' is above"),
        ("engine/f.py", "from loadforge.nowhere import x\n", "'nowhere' is in no layer"),
    ],
)
def test_an_arrow_up_is_found(tmp_path: Path, path: str, code: str, expected: str) -> None:
    for package in ("cli", "dashboard", "engine", "http", "metrics", "reports", "runs", "server"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / path).write_text(code)

    (found,) = violations(tmp_path)

    assert expected in found
    assert found.startswith(path)


def test_arrows_down_and_within_a_package_pass(tmp_path: Path) -> None:
    for package in ("cli", "engine", "metrics"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "cli" / "a.py").write_text(
        "from loadforge.engine import x\nfrom . import b\nfrom loadforge import task\n"
    )
    (tmp_path / "engine" / "x.py").write_text("import loadforge.metrics.models\nimport json\n")
    (tmp_path / "eventloop.py").write_text("import asyncio\n")
    (tmp_path / "engine" / "y.py").write_text("from loadforge import eventloop\n")

    assert violations(tmp_path) == []
    assert {(a.source, a.target) for a in arrows(tmp_path)} == {
        ("cli", "engine"),
        ("engine", "metrics"),
        ("engine", "eventloop"),
        ("cli", "loadforge"),
    }
