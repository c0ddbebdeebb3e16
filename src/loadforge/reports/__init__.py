"""Post-run reports: the self-contained HTML report, run comparisons, output formats.

`chart_data` and `comparison` compute what the charts and tables show (pure,
tested on their numbers); `figures` and `compare_figures` turn that into
plotly figures; `page` renders the jinja2 templates.
"""

from loadforge.reports.outputs import REPORT_FILE, OutputFormat, write_outputs
from loadforge.reports.plotly_source import PlotlySource
from loadforge.reports.run_report import render_run_report

__all__ = ["REPORT_FILE", "OutputFormat", "PlotlySource", "render_run_report", "write_outputs"]
