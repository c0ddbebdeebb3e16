"""`loadforge compare`'s percentage parsing and printed table."""

from __future__ import annotations

import pytest
from rich.console import Console

from loadforge.cli.compare_command import parse_percentage, print_comparison
from loadforge.errors import ConfigError
from loadforge.reports.comparison import compare_results
from sample_runs import Request, build_result


@pytest.mark.parametrize(("text", "value"), [("10%", 0.10), ("10", 0.10), (" 2.5 % ", 0.025)])
def test_percentages(text: str, value: float) -> None:
    assert parse_percentage(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["ten", "-5%", "", "1e9"])
def test_bad_percentages(text: str) -> None:
    with pytest.raises(ConfigError, match="--fail-on-regression"):
        parse_percentage(text)


def test_table_shows_changes_and_verdicts() -> None:
    before = build_result([[Request("[Home]", 1000)] * 100])
    after = build_result([[Request("[Home]", 2000)] * 100])
    console = Console(record=True, width=160)
    print_comparison(console, compare_results(before, after, labels=("old", "new")))
    text = console.export_text()
    assert "new vs old" in text
    assert "[Home]" in text  # escaped, not read as markup
    assert "+100.0 %" in text
    assert "worse" in text
