"""Tests for the `loadforge init` starter scenario."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from loadforge.dsl import load_scenarios
from loadforge.errors import ConfigError
from loadforge.starter import (
    render_starter,
    starter_class_name,
    starter_filename,
    write_starter,
)


@pytest.fixture(autouse=True)
def _restore_sys_path(monkeypatch: pytest.MonkeyPatch) -> None:
    # Loading a scenario puts its directory on sys.path; undo that per test.
    monkeypatch.setattr(sys, "path", list(sys.path))


@pytest.mark.parametrize(
    ("name", "class_name", "filename"),
    [
        ("checkout", "Checkout", "checkout.py"),
        ("My API", "MyAPI", "my_api.py"),
        ("  order-history v2 ", "OrderHistoryV2", "order_history_v2.py"),
        ("Bob's shop", "BobsShop", "bobs_shop.py"),
        ("3d printer", "Scenario3dPrinter", "3d_printer.py"),
        ("Café", "Cafe", "cafe.py"),
    ],
)
def test_names_become_a_class_and_a_file(name: str, class_name: str, filename: str) -> None:
    assert starter_class_name(name) == class_name
    assert starter_filename(name) == filename


@pytest.mark.parametrize("name", ["", "   ", "---", "日本", "tab\tname", "line\nbreak"])
def test_unusable_names_are_refused(name: str) -> None:
    with pytest.raises(ConfigError, match="cannot name a scenario"):
        render_starter(name)


@pytest.mark.parametrize("name", ["checkout", 'My "quoted" API', "Bob's shop", "Café"])
def test_rendered_starter_is_valid_python_naming_the_scenario(name: str) -> None:
    text = render_starter(name)
    tree = ast.parse(text)
    classes = [node for node in tree.body if isinstance(node, ast.ClassDef)]
    assert [node.name for node in classes] == [starter_class_name(name)]
    decorator = classes[0].decorator_list[0]
    assert isinstance(decorator, ast.Call)
    keywords = {kw.arg: ast.literal_eval(kw.value) for kw in decorator.keywords}
    assert keywords["name"] == name.strip()
    assert keywords["base_url"] == "http://127.0.0.1:8080"


def test_rendered_starter_explains_how_to_run_it() -> None:
    text = render_starter("checkout")
    docstring = ast.get_docstring(ast.parse(text))
    assert docstring is not None
    assert "loadforge target" in docstring
    assert "loadforge run checkout.py -u 10 -d 30s" in docstring
    for decorator in ("@scenario", "@setup", "@task", "@teardown"):
        assert f"# {decorator}" in text


def test_written_starter_loads_with_its_tasks(tmp_path: Path) -> None:
    path = write_starter("My API", tmp_path)

    (definition,) = load_scenarios(path)

    assert path == tmp_path / "my_api.py"
    assert definition.name == "My API"
    assert definition.base_url == "http://127.0.0.1:8080"
    assert [(t.name, t.weight) for t in definition.tasks] == [("list_items", 3), ("get_item", 1)]
    assert definition.setup is not None
    assert definition.setup.__name__ == "log_in"
    assert definition.teardown is not None
    assert definition.teardown.__name__ == "log_out"


def test_existing_files_are_never_overwritten(tmp_path: Path) -> None:
    existing = tmp_path / "checkout.py"
    existing.write_text("# mine\n", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"checkout\.py already exists"):
        write_starter("checkout", tmp_path)
    assert existing.read_text(encoding="utf-8") == "# mine\n"


def test_missing_directory_is_reported(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"Cannot write .*checkout\.py"):
        write_starter("checkout", tmp_path / "missing")
