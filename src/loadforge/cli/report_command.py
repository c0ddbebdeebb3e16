"""`loadforge report`: rebuild a saved run's outputs from its result.json."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console
from rich.markup import escape

from loadforge.cli.outcomes import report_line
from loadforge.errors import ConfigError
from loadforge.reports import OutputFormat, PlotlySource, write_outputs
from loadforge.results import load_result
from loadforge.thresholds import read_outcomes


def rebuild_outputs(
    directory: Path, formats: Sequence[str], plotly: str, console: Console
) -> list[Path]:
    """Write the requested formats again; ResultFormatError (exit 2) for a bad directory."""
    wanted = OutputFormat.parse_all(formats)
    source = PlotlySource.parse(plotly)
    if not directory.is_dir():
        raise ConfigError(f"{directory} is not a directory; give a run's results directory.")
    result = load_result(directory)
    outcomes = read_outcomes(directory)
    written = write_outputs(directory, result, outcomes, wanted, source)
    for path in written:
        line = (
            report_line("Wrote", path, source)
            if path.suffix == ".html"
            else f"Wrote {escape(str(path))}"
        )
        console.print(line, highlight=False, soft_wrap=True)
    return written
