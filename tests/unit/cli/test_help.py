"""Every command's --help shows its own and its options' help texts whole.

Typer renders help with rich markup, so a bracketed word in a help text
(`[pattern]`) is taken for a style tag and silently dropped unless escaped.
"""

from __future__ import annotations

import re

import pytest
import typer
from typer.core import TyperGroup
from typer.testing import CliRunner

from loadforge.cli.app import app


def _group() -> TyperGroup:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    return group


GROUP = _group()


def _plain(text: str) -> str:
    """The help text as words: markup escapes undone, borders and wrapping gone."""
    text = text.replace("\\[", "[")
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


@pytest.mark.parametrize("name", sorted(GROUP.commands))
def test_every_help_text_is_shown_whole(name: str) -> None:
    shown = CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "400"}).output
    command = GROUP.commands[name]
    helps = [text for p in command.params if (text := getattr(p, "help", None))]
    assert helps, f"{name} has options with help"
    assert command.help
    helps.append(command.help.split("\n\n")[0])
    for text in helps:
        assert _plain(text) in _plain(shown), f"{name}: {text!r} not shown whole"


@pytest.mark.parametrize("name", ["run", "report", "compare"])
def test_plotly_help_says_how_big_an_inline_report_is(name: str) -> None:
    import plotly.offline

    megabytes = len(plotly.offline.get_plotlyjs().encode()) / 1_000_000
    shown = _plain(CliRunner().invoke(app, [name, "--help"], env={"COLUMNS": "400"}).output)
    assert f"about {megabytes:.1f} MB" in shown
    assert "cdn: a file of tens of KB" in shown


def test_compare_help_gives_the_judging_defaults_the_code_uses() -> None:
    from loadforge.reports.comparison import DEFAULT_JUDGED, DEFAULT_MIN_REQUESTS, judged_names

    shown = _plain(CliRunner().invoke(app, ["compare", "--help"], env={"COLUMNS": "400"}).output)
    assert f"Default: {DEFAULT_MIN_REQUESTS}." in shown
    assert f"Default: {','.join(judged_names(DEFAULT_JUDGED))}." in shown
