"""docs/scenario-api.md against the code: every parameter and member, no more, no fewer.

Each table of the page is marked with the object it describes:
`<!-- signature: loadforge.HttpClient.request -->` above a table of that
callable's parameters, in order, and `<!-- members: loadforge.Response -->`
above a table of a class's public members, where a method is written with
its parameters (`text(encoding)`) or, when a signature table of its own
follows, as `request(...)`. A parameter or member added, removed or renamed
in the code fails here until the page says so.
"""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path
from typing import get_type_hints

import pytest

from loadforge.http import RequestOptions

REPO = Path(__file__).resolve().parents[2]
DOC = REPO / "docs" / "scenario-api.md"
MARKER = re.compile(r"^<!-- (signature|members): ([\w.]+) -->$")
FIRST_CELL = re.compile(r"^\|\s*`([^`]+)`\s*\|(.*)$")


def tables() -> dict[tuple[str, str], list[tuple[str, list[str]]]]:
    """Each marked table: (kind, dotted path) -> rows of (first cell's code, other cells)."""
    found: dict[tuple[str, str], list[tuple[str, list[str]]]] = {}
    lines = DOC.read_text(encoding="utf-8").splitlines()
    for index, line in enumerate(lines):
        marker = MARKER.match(line.strip())
        if marker is None:
            continue
        rows: list[tuple[str, list[str]]] = []
        for row in lines[index + 3 :]:  # past the header and its separator
            if not row.startswith("|"):
                break
            cell = FIRST_CELL.match(row)
            assert cell is not None, f"{marker.group(2)}: row without a `name`: {row}"
            cells = cell.group(2).strip().removesuffix("|").split("|")
            rows.append((cell.group(1), [c.strip() for c in cells]))
        found[(marker.group(1), marker.group(2))] = rows
    return found


TABLES = tables()


def resolve(path: str) -> object:
    module_name, _, rest = path.partition(".")
    target: object = importlib.import_module(module_name)
    for part in rest.split("."):
        target = getattr(target, part)
    return target


def parameters(func: object) -> list[inspect.Parameter]:
    assert callable(func)
    found = list(inspect.signature(func).parameters.values())
    return [p for p in found if p.name != "self"]


def written(parameter: inspect.Parameter) -> str:
    if parameter.kind is inspect.Parameter.VAR_POSITIONAL:
        return f"*{parameter.name}"
    if parameter.kind is inspect.Parameter.VAR_KEYWORD:
        return f"**{parameter.name}"
    return parameter.name


def test_the_page_is_linked_from_the_readme_and_has_every_table() -> None:
    assert "(docs/scenario-api.md)" in (REPO / "README.md").read_text(encoding="utf-8")
    assert set(TABLES) >= {
        ("signature", "loadforge.scenario"),
        ("signature", "loadforge.task"),
        ("signature", "loadforge.HttpClient.request"),
        ("signature", "loadforge.HttpClient.prepare"),
        ("signature", "loadforge.HttpClient.send"),
        ("members", "loadforge.HttpClient"),
        ("members", "loadforge.Response"),
    }


SIGNATURES = sorted(path for kind, path in TABLES if kind == "signature")
MEMBERS = sorted(path for kind, path in TABLES if kind == "members")


@pytest.mark.parametrize("path", SIGNATURES)
def test_a_signature_table_lists_every_parameter_in_order(path: str) -> None:
    rows = TABLES[("signature", path)]
    actual = parameters(resolve(path))
    assert [name for name, _ in rows] == [written(p) for p in actual], path
    for (name, cells), parameter in zip(rows, actual, strict=True):
        required = parameter.default is inspect.Parameter.empty
        assert (cells[0] == "(required)") == required, f"{path}: {name} default {cells[0]!r}"
        assert cells[-1], f"{path}: {name} says nothing"


def _is_method(member: object) -> bool:
    """A plain method: a function, or one Cython compiled (the compiled request path)."""
    return inspect.isfunction(member) or type(member).__name__ == "cython_function_or_method"


@pytest.mark.parametrize("path", MEMBERS)
def test_a_members_table_lists_every_public_member(path: str) -> None:
    cls = resolve(path)
    assert isinstance(cls, type)
    rows = TABLES[("members", path)]
    public = {name for name in dir(cls) if not name.startswith("_")}
    documented = [code.partition("(")[0] for code, _ in rows]
    assert sorted(documented) == sorted(public), path
    for code, cells in rows:
        name, paren, listed = code.partition("(")
        member = inspect.getattr_static(cls, name)
        assert bool(paren) == _is_method(member), f"{path}.{name}: write a method as name(...)"
        assert cells[-1], f"{path}.{name} says nothing"
        if not paren:
            continue
        if listed == "...)":
            assert ("signature", f"{path}.{name}") in TABLES, f"{path}.{name}(...) has no table"
            continue
        names = [part.strip() for part in listed.removesuffix(")").split(",") if part.strip()]
        assert names == [written(p) for p in parameters(member)], f"{path}.{name}"


def test_the_request_shortcuts_take_every_keyword_of_request() -> None:
    request = parameters(resolve("loadforge.HttpClient.request"))
    keywords = [p.name for p in request if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert list(get_type_hints(RequestOptions)) == keywords


@pytest.mark.parametrize(
    "topic",
    [
        '("report.csv", b"...")',  # the tuple forms of `files`
        '("report.csv", b"...", "text/plain")',
        "**Cookies.**",
        "**Decompression.**",
        "**Redirects count as one request.**",
        "**A failed setup is retried.**",
        "### Credentials",
    ],
)
def test_the_page_covers_what_users_looked_for(topic: str) -> None:
    assert topic in DOC.read_text(encoding="utf-8")
