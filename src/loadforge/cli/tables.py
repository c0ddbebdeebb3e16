"""Tables that fit the console: a rich table where it fits, else each name above its figures.

A table wider than the console has rich shrink its columns, cutting names
short (`absolute-redirec…`) and wrapping cells (`0` above `(0.00%)`), as
happens at 80 columns when the output is piped. Where the table's natural
width is more than the console's, each row's whole name goes on a line of
its own, and its figures on the next, aligned under one header line.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

Cell = str | Text
_UNBOUNDED = 100_000  # columns: wide enough for any table's natural width


def print_rows(
    console: Console,
    title: str,
    columns: Sequence[str],
    rows: Sequence[tuple[str, Sequence[Cell]]],
    *,
    beside_name: str | None = None,
) -> None:
    """Print `rows` (a name, then one cell per column after the first) under `title`.

    Cells are plain text or `Text` (for a style); names are never read as
    markup. The first column and `beside_name` are left-aligned, the others
    right; where the table does not fit, the `beside_name` cell (a verdict)
    follows the name on its line.
    """
    table = Table(title=title, header_style="bold")
    for column in columns:
        left = column in (columns[0], beside_name)
        table.add_column(column, justify="left" if left else "right")
    for name, cells in rows:
        table.add_row(Text(name), *cells)
    unbounded = console.options.update_width(_UNBOUNDED)
    if console.measure(table, options=unbounded).maximum <= console.width:
        console.print(table)
        return
    heads = list(columns[1:])
    moved = heads.index(beside_name) if beside_name in heads else None
    if moved is not None:
        del heads[moved]
    stacked = []
    for name, cells in rows:
        figures = [_text(cell) for cell in cells]
        line = Text(name)
        if moved is not None:
            line.append(" · ").append_text(figures.pop(moved))
        stacked.append((line, figures))
    _print_stacked(console, title, heads, stacked)


def _print_stacked(
    console: Console, title: str, heads: Sequence[str], stacked: Sequence[tuple[Text, list[Text]]]
) -> None:
    """Each row's name line, then its figures right-aligned under one header line."""
    widths = [
        max(len(head), *(len(figures[i]) for _, figures in stacked)) for i, head in enumerate(heads)
    ]

    def aligned(cells: Sequence[Text]) -> Text:
        line = Text("  ")
        for index, (cell, width) in enumerate(zip(cells, widths, strict=True)):
            line.append("  " if index else "").append(" " * (width - len(cell))).append_text(cell)
        return line

    console.print(Text.assemble((title, "bold"), " (each name, then its figures)"))
    console.print(aligned([Text(head) for head in heads]), style="bold", soft_wrap=True)
    for line, figures in stacked:
        console.print(line, soft_wrap=True)
        console.print(aligned(figures), soft_wrap=True)


def _text(cell: Cell) -> Text:
    return cell if isinstance(cell, Text) else Text(cell)
