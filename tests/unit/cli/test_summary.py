"""The end-of-run summary: the endpoint table where it fits, names above figures where not."""

from __future__ import annotations

import io
from dataclasses import replace

from rich.console import Console

from loadforge.cli.live_view import RunningTotals, format_plain_line
from loadforge.cli.summary import print_summary, summary_line
from loadforge.thresholds import evaluate_thresholds, parse_threshold
from sample_runs import Request, build_result, normal_run

LONG = "an endpoint name far too long to share an eighty-column row with its figures"


def printed(width: int, *names: str) -> list[str]:
    run = build_result([[Request(name, 1000 * (i + 1)) for i, name in enumerate(names)]])
    out = io.StringIO()
    print_summary(Console(file=out, width=width), run)
    return out.getvalue().splitlines()


def test_a_table_that_fits_is_printed_as_a_table() -> None:
    lines = printed(200, "[Home]", "Search")
    assert any("┃ endpoint" in line for line in lines)
    assert any("│ [Home]" in line for line in lines)  # a name is never read as markup


def test_where_the_table_does_not_fit_each_name_stands_whole_above_its_figures() -> None:
    lines = printed(80, LONG, "[Home]")
    assert all(len(line) <= 80 for line in lines), "\n".join(lines)
    for name in (LONG, "[Home]"):
        figures = lines[lines.index(name) + 1].split()
        assert figures[0] == "1"
        assert figures[-2:] == ["0", "(0.00%)"]


def test_the_one_line_summary() -> None:
    run = normal_run()
    outcomes = evaluate_thresholds([parse_threshold("p95<10s"), parse_threshold("rps>1000")], run)
    line = summary_line(run, outcomes)
    assert line.startswith("requests 33 · 11.0 rps · p50 ")
    assert line.endswith(" · errors 2 (6.06%) · thresholds 1 passed, 1 failed")
    assert summary_line(run, ()).endswith(" · no thresholds")


def test_a_second_of_the_drain_says_so_in_the_plain_line() -> None:
    snapshot = normal_run().snapshots[-1]
    totals = RunningTotals()

    assert format_plain_line(snapshot, 3.0, totals).startswith("[0:03/0:03] ")
    drained = replace(snapshot, elapsed_seconds=4.0, drain=True)
    assert format_plain_line(drained, 3.0, totals).startswith("[0:04/0:03 drain] ")
