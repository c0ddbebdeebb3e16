"""Which modules each extra brings, and the message a command gives when one is missing."""

from __future__ import annotations

import sys
import tomllib
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from pathlib import Path
from types import ModuleType

import pytest

from loadforge import extras
from loadforge.errors import LoadForgeError, MissingExtraError

PYPROJECT = Path(__file__).resolve().parents[2] / "pyproject.toml"


class Refusing(MetaPathFinder):
    """A finder that refuses one name, as an import hook or a broken install can."""

    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> ModuleSpec | None:
        if fullname == "refused_module":
            raise ImportError(fullname)
        return None


def test_the_install_line_quotes_the_brackets_for_the_shell() -> None:
    assert extras.install_line("server") == "pip install 'loadforge[server]'"


def test_present_modules_are_not_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(extras.EXTRA_MODULES, "server", ("json", "email.mime"))

    assert extras.missing_modules("server") == []
    extras.require_extra("server", "loadforge serve")  # does not raise


def test_absent_and_refused_modules_are_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(extras.EXTRA_MODULES, "server", ("json", "no_such_mod", "refused_module"))
    monkeypatch.setattr(sys, "meta_path", [Refusing(), *sys.meta_path])

    assert extras.missing_modules("server") == ["no_such_mod", "refused_module"]


def test_a_missing_extra_is_a_user_error_naming_the_command_and_the_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(extras.EXTRA_MODULES, "server", ("no_such_mod",))

    with pytest.raises(MissingExtraError) as raised:
        extras.require_extra("server", "loadforge serve")

    assert isinstance(raised.value, LoadForgeError)
    assert raised.value.exit_code == 2
    message = str(raised.value)
    assert message.startswith("`loadforge serve` needs LoadForge's server extra")
    assert "(missing: no_such_mod)" in message
    assert message.endswith("\n  pip install 'loadforge[server]'")


def test_every_extra_checked_is_an_extra_of_the_package() -> None:
    declared = tomllib.loads(PYPROJECT.read_text())["project"]["optional-dependencies"]

    assert set(extras.EXTRA_MODULES) <= set(declared)
    assert set(declared) - set(extras.EXTRA_MODULES) == {"all"}
