"""The `loadforge` command: run, report, compare, init, target, demo, dashboard, serve.

Each command parses its flags and hands over to the library; user mistakes
(`LoadForgeError`) become one clear message on stderr and exit code 2.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from loadforge.cli.dashboard_command import dashboard_command, run_with_dashboard
from loadforge.cli.logs import LogFormat, configure_logging
from loadforge.cli.run_command import execute_run
from loadforge.cli.serve_command import serve_command
from loadforge.durations import parse_duration
from loadforge.errors import LoadForgeError
from loadforge.extensions import PATH
from loadforge.runs.options import RunOptions, load_config_file
from loadforge.version import __version__

app = typer.Typer(
    name="loadforge",
    help="Load-test HTTP APIs with scenarios written in Python.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
)


PLOTLY_HELP = (
    "inline (default): plotly.js inside the report, about 4.8 MB, which opens offline"
    " | cdn: a file of tens of KB that loads plotly.js from its CDN."
)


def _version(value: bool) -> None:
    if value:
        print(f"loadforge {__version__}")
        print(PATH.describe())
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help="Show the version and the request path (compiled or pure Python).",
        ),
    ] = False,
) -> None:
    """Load-test HTTP APIs with scenarios written in Python."""


def _duration(value: str | None) -> float | None:
    return None if value is None else parse_duration(value, where="--duration")


@app.command()
def run(
    scenario_file: Annotated[Path, typer.Argument(help="The scenario file (Python).")],
    users: Annotated[
        int | None,
        typer.Option(
            "--users",
            "-u",
            help="Concurrent users (start users for ramp/step, minimum for diurnal). Default 10.",
        ),
    ] = None,
    duration: Annotated[
        str | None,
        typer.Option(
            "--duration",
            "-d",
            help="Run length: 90, 30s, 5m, 1h30m. Default: the pattern's own length or 30s.",
        ),
    ] = None,
    pattern: Annotated[
        str | None,
        typer.Option(
            "--pattern",
            "-p",
            help="constant | ramp | step | spike | diurnal (composite via --config).",
        ),
    ] = None,
    ramp_to: Annotated[int | None, typer.Option(help="ramp: users at the end of the ramp.")] = None,
    ramp_duration: Annotated[
        str | None, typer.Option(help="ramp: how long the ramp lasts (default: the whole run).")
    ] = None,
    step_size: Annotated[int | None, typer.Option(help="step: users added each step.")] = None,
    step_duration: Annotated[
        str | None, typer.Option(help="step: how long each step lasts.")
    ] = None,
    steps: Annotated[
        int | None, typer.Option(help="step: number of steps (default: as many as fit).")
    ] = None,
    spike_users: Annotated[int | None, typer.Option(help="spike: users during the spike.")] = None,
    spike_at: Annotated[
        str | None, typer.Option(help="spike: when the spike starts (default: a third in).")
    ] = None,
    spike_duration: Annotated[str | None, typer.Option(help="spike: how long it lasts.")] = None,
    spike_sustain: Annotated[
        int | None, typer.Option(help="spike: users it settles to afterwards (default: --users).")
    ] = None,
    spike_decay: Annotated[
        str | None, typer.Option(help="spike: how long it takes to settle (default: at once).")
    ] = None,
    peak_users: Annotated[
        int | None, typer.Option(help="diurnal: users at the peak of the cycle.")
    ] = None,
    period: Annotated[
        str | None, typer.Option(help="diurnal: length of one cycle (default: the whole run).")
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", help="A TOML file with any of these settings, and \\[pattern] tables."
        ),
    ] = None,
    base_url: Annotated[str | None, typer.Option(help="Override the scenario's base_url.")] = None,
    scenario: Annotated[
        list[str] | None,
        typer.Option(
            help="Which scenario, when the file has several; repeat it, or give `all`, to run"
            " several together: their users (or an --arrival-rate's starts) shared by each"
            " one's weight= or users=, or each on the pattern it carries."
        ),
    ] = None,
    rps: Annotated[float | None, typer.Option(help="Cap on total requests per second.")] = None,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Results root directory. Default ./results."),
    ] = None,
    fail_on_error_rate: Annotated[
        float | None, typer.Option(help="Exit 1 when the error rate exceeds this (0.05 = 5%).")
    ] = None,
    grace: Annotated[
        str | None,
        typer.Option(
            help="How long stopping users may finish their request and teardown. Default 5s."
        ),
    ] = None,
    max_connections: Annotated[
        int | None, typer.Option(help="Connection pool limit (default: max(100, peak users)).")
    ] = None,
    seed: Annotated[
        int | None, typer.Option(help="Random seed for task choice and think times.")
    ] = None,
    record_timings: Annotated[
        bool,
        typer.Option(
            "--record-timings",
            help="Record each response's time to first byte (ttfb) and receiving time, per"
            " endpoint, in every scenario (about 17 % more CPU per request); thresholds on"
            " ttfb or receiving need it or @scenario(record_timings=True).",
        ),
    ] = False,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", help="Worker processes (default: one per CPU)."),
    ] = None,
    metrics_transport: Annotated[
        str | None,
        typer.Option(help="How workers ship metrics: shm (shared memory, default) or queue."),
    ] = None,
    cluster: Annotated[
        str | None,
        typer.Option(
            metavar="ADDRESS",
            help="Run the workers as Ray actors on this cluster (auto, HOST:PORT,"
            " ray://HOST:PORT): one per cluster CPU unless --workers. Needs the ray extra.",
        ),
    ] = None,
    placement_timeout: Annotated[
        str | None,
        typer.Option(help="--cluster: how long Ray may take to place the workers. Default 30s."),
    ] = None,
    arrival_rate: Annotated[
        float | None,
        typer.Option(
            help="Open model: iterations started per second, > 0 (0.5 = one every 2 s;"
            " patterns shape this rate)."
        ),
    ] = None,
    max_users: Annotated[
        int | None,
        typer.Option(help="Open model: most users at once (default: max(100, peak rate))."),
    ] = None,
    raw_log: Annotated[
        Path | None,
        typer.Option(
            metavar="FILE",
            help="Write one record per request here: CSV, or JSON lines for .jsonl/.ndjson/.json.",
        ),
    ] = None,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log details.")] = False,
    log_format: Annotated[
        str,
        typer.Option(
            help="text | json: json writes logs, and the per-second lines when stdout is not"
            " a terminal, as one JSON object per line (for CI and Kubernetes).",
        ),
    ] = "text",
    quiet: Annotated[
        bool,
        typer.Option(
            "--quiet",
            "-q",
            help="Print only a one-line summary, any failed threshold, and the results line.",
        ),
    ] = False,
    threshold: Annotated[
        list[str] | None,
        typer.Option(
            "--threshold",
            help='Pass/fail limit, repeatable: p95<300ms, error_rate<1%, "List Items": p99<500ms.',
        ),
    ] = None,
    output_format: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            help="Which files to write, repeatable: html (report.html), json (result.json),"
            " csv (snapshots.csv, endpoints.csv; scenarios.csv for several scenarios),"
            " pdf (report.pdf, printed with headless"
            " Chromium). Default: html, json and csv. result.json is written either way:"
            " report, compare and the dashboard read it.",
        ),
    ] = None,
    no_report: Annotated[
        bool, typer.Option("--no-report", help="Do not write report.html.")
    ] = False,
    plotly: Annotated[str | None, typer.Option(help=PLOTLY_HELP)] = None,
    junit: Annotated[
        Path | None, typer.Option(help="Write the thresholds as a JUnit XML file here.")
    ] = None,
    dashboard: Annotated[
        bool, typer.Option("--dashboard", help="Serve the live web dashboard.")
    ] = False,
    dashboard_port: Annotated[
        int | None, typer.Option(help="Dashboard port. Default: 8089.")
    ] = None,
    dashboard_host: Annotated[
        str | None, typer.Option(help="Dashboard address. Default: 127.0.0.1.")
    ] = None,
    prometheus: Annotated[
        str | None,
        typer.Option(
            metavar="[HOST:]PORT",
            help="Serve /metrics for Prometheus to scrape (host default 127.0.0.1).",
        ),
    ] = None,
    prometheus_linger: Annotated[
        str | None,
        typer.Option(help="Keep serving /metrics this long after the run, e.g. 15s."),
    ] = None,
    prometheus_remote_write: Annotated[
        str | None,
        typer.Option(metavar="URL", help="Push the metrics every second by remote write."),
    ] = None,
    otlp_endpoint: Annotated[
        str | None,
        typer.Option(
            metavar="URL",
            help="Export the metrics every second by OTLP/HTTP (OTEL_EXPORTER_OTLP_* apply).",
        ),
    ] = None,
) -> None:
    """Run a load test from a scenario file."""
    chosen_log_format = LogFormat.parse(log_format)
    configure_logging(verbose, chosen_log_format)
    flags = RunOptions(
        users=users,
        duration=_duration(duration),
        pattern=pattern,
        ramp_to=ramp_to,
        ramp_duration=_parse_optional(ramp_duration, "--ramp-duration"),
        step_size=step_size,
        step_duration=_parse_optional(step_duration, "--step-duration"),
        steps=steps,
        spike_users=spike_users,
        spike_at=_parse_optional(spike_at, "--spike-at"),
        spike_duration=_parse_optional(spike_duration, "--spike-duration"),
        spike_sustain=spike_sustain,
        spike_decay=_parse_optional(spike_decay, "--spike-decay"),
        peak_users=peak_users,
        period=_parse_optional(period, "--period"),
        base_url=base_url,
        scenarios=tuple(scenario) if scenario else None,
        rps=rps,
        output=output,
        fail_on_error_rate=fail_on_error_rate,
        grace=_parse_optional(grace, "--grace"),
        max_connections=max_connections,
        seed=seed,
        record_timings=record_timings or None,
        thresholds=tuple(threshold) if threshold else None,
        formats=tuple(output_format) if output_format else None,
        no_report=no_report or None,
        plotly=plotly,
        junit=junit,
        workers=workers,
        metrics_transport=metrics_transport,
        cluster=cluster,
        placement_timeout=_parse_optional(placement_timeout, "--placement-timeout"),
        arrival_rate=arrival_rate,
        max_users=max_users,
        dashboard=dashboard or None,
        dashboard_port=dashboard_port,
        dashboard_host=dashboard_host,
        prometheus=prometheus,
        prometheus_linger=_parse_optional(prometheus_linger, "--prometheus-linger"),
        prometheus_remote_write=prometheus_remote_write,
        otlp_endpoint=otlp_endpoint,
        raw_log=raw_log,
    )
    options = flags.over(load_config_file(config)) if config is not None else flags
    if options.dashboard:
        raise typer.Exit(run_with_dashboard(scenario_file, options, quiet, verbose))
    code = execute_run(
        scenario_file,
        options,
        console=Console(),
        quiet=quiet,
        verbose=verbose,
        json_progress=chosen_log_format is LogFormat.JSON,
    )
    raise typer.Exit(code)


def _parse_optional(value: str | None, flag: str) -> float | None:
    return None if value is None else parse_duration(value, where=flag)


@app.command()
def report(
    results_dir: Annotated[Path, typer.Argument(help="A run's results directory.")],
    output_format: Annotated[
        list[str] | None,
        typer.Option(
            "--format",
            help="html | json | csv | pdf, repeatable. Default: html"
            " (pdf prints the report with headless Chromium).",
        ),
    ] = None,
    plotly: Annotated[str | None, typer.Option(help=PLOTLY_HELP)] = None,
    threshold: Annotated[
        list[str] | None,
        typer.Option(
            "--threshold",
            help="Judge the run again against this limit, repeatable, as run's --threshold"
            " (custom metrics: those the run recorded); replaces the stored thresholds in"
            " what is written, and a failed one exits 1.",
        ),
    ] = None,
    junit: Annotated[
        Path | None,
        typer.Option(
            "--junit",
            help="Also write the thresholds (the new ones, else the stored ones) as JUnit XML,"
            " one test case each.",
        ),
    ] = None,
) -> None:
    """Rebuild a saved run's report (and JSON or CSV files) from its result.json."""
    from loadforge.cli.report_command import rebuild_outputs

    formats = output_format or ["html"]
    passed = rebuild_outputs(
        results_dir, formats, plotly or "inline", Console(), threshold or (), junit
    )
    raise typer.Exit(0 if passed else 1)


@app.command()
def compare(
    baseline: Annotated[Path, typer.Argument(help="The earlier run's results directory.")],
    candidate: Annotated[Path, typer.Argument(help="The run to judge against it.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Where to write the HTML (default: in CANDIDATE's directory)."
        ),
    ] = None,
    fail_on_regression: Annotated[
        str | None,
        typer.Option(
            help="Exit 1 when any judged percentile (p95 unless --judge names others) got worse"
            " by more than this, e.g. 10%."
        ),
    ] = None,
    judge: Annotated[
        str | None,
        typer.Option(
            help="The figures verdicts weigh, comma-separated, from p50, p95, p99, rps,"
            " error_rate. Default: p95,rps,error_rate."
        ),
    ] = None,
    min_requests: Annotated[
        int | None,
        typer.Option(
            help="Rows with fewer requests than this in either run are too few to judge"
            " (never a regression). Default: 100."
        ),
    ] = None,
    plotly: Annotated[str | None, typer.Option(help=PLOTLY_HELP)] = None,
) -> None:
    """Compare two runs: per-endpoint RPS and latency changes, overlaid charts, a verdict."""
    from loadforge.cli.compare_command import run_compare

    code = run_compare(
        baseline,
        candidate,
        output,
        fail_on_regression,
        plotly or "inline",
        Console(),
        judge=judge,
        min_requests=min_requests,
    )
    raise typer.Exit(code)


@app.command()
def init(
    name: Annotated[str, typer.Argument(help="Name of the new scenario.")],
    directory: Annotated[Path, typer.Option("--directory", help="Where to write it.")] = Path("."),
) -> None:
    """Write a commented starter scenario that runs against `loadforge target`."""
    from loadforge.starter import write_starter

    path = write_starter(name, directory)
    print(f"Wrote {path}. Start the demo API with `loadforge target`, then run:")
    print(f"  loadforge run {path} -u 10 -d 30s")


@app.command()
def target(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8080,
) -> None:
    """Serve the built-in demo API (for examples, tests and demos)."""
    from loadforge.target.server import serve

    print(f"LoadForge demo API on http://{host}:{port} (Ctrl-C to stop)")
    serve(host=host, port=port)


@app.command()
def demo(
    duration: Annotated[
        str, typer.Option("--duration", "-d", help="How long the demo runs.")
    ] = "20s",
    output: Annotated[Path, typer.Option("--output", "-o", help="Results root directory.")] = Path(
        "results"
    ),
    dashboard: Annotated[
        bool, typer.Option("--dashboard", help="Watch the demo on the live web dashboard.")
    ] = False,
    dashboard_port: Annotated[int, typer.Option(help="Dashboard port.")] = 8089,
) -> None:
    """Start the demo API and run the REST example against it with a composite pattern."""
    from loadforge.cli.demo import run_demo

    seconds = parse_duration(duration, where="--duration")
    raise typer.Exit(run_demo(seconds, output, Console(), dashboard_port if dashboard else None))


app.command("dashboard")(dashboard_command)
app.command("serve")(serve_command)


def main() -> None:
    """Entry point of the `loadforge` script."""
    try:
        app()
    except LoadForgeError as exc:
        # The message is plain text: `[export]` in it is no markup tag. Soft wrap leaves
        # the line to the terminal, so that a long path in it stays whole to copy.
        Console(stderr=True).print(
            f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True
        )
        sys.exit(exc.exit_code)
