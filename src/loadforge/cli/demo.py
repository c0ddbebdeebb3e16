"""`loadforge demo`: the built-in API and the REST example, with nothing to set up."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from rich.console import Console

from loadforge.cli.run_command import execute_run
from loadforge.durations import format_duration
from loadforge.runs.options import RunOptions


def example_path(name: str) -> Path:
    """Where an example scenario is: inside an installed wheel, or in a source checkout."""
    packaged = Path(str(files("loadforge"))) / "examples" / name
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parents[3] / "examples" / name


def demo_pattern(duration: float) -> dict[str, object]:
    """Ramp up over a quarter of the run, hold, spike, hold, ramp down."""
    quarter = duration / 4
    return {
        "type": "composite",
        "stages": [
            {"type": "ramp", "start": 0, "end": 20, "ramp_duration": quarter, "duration": quarter},
            {
                "type": "spike",
                "base": 20,
                "spike_users": 40,
                "spike_at": quarter / 2,
                "spike_duration": quarter / 2,
                "duration": quarter * 2,
            },
            {"type": "ramp", "start": 20, "end": 0, "ramp_duration": quarter, "duration": quarter},
        ],
    }


def run_demo(
    duration: float, output: Path, console: Console, dashboard_port: int | None = None
) -> int:
    """Start the demo API on a free port and run examples/rest_api.py against it.

    With `dashboard_port`, the live dashboard is served on it (0: a free port)
    so a newcomer sees the web view too, without writing a config.
    """
    from loadforge.target.server import running_target

    scenario = example_path("rest_api.py")
    with running_target() as base_url:
        console.print(
            f"Demo API on {base_url}; running {scenario.name} for {format_duration(duration)} "
            "(ramp up, spike, ramp down)."
        )
        options = RunOptions(
            pattern_table=demo_pattern(duration),
            base_url=base_url,
            output=output,
            dashboard=dashboard_port is not None or None,
            dashboard_port=dashboard_port,
        )
        if options.dashboard:
            from loadforge.cli.dashboard_command import run_with_dashboard

            return run_with_dashboard(
                scenario, options, quiet=False, verbose=False, console=console
            )
        return execute_run(scenario, options, console=console, quiet=False, verbose=False)
