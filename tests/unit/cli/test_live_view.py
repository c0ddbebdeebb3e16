"""The rich live panel, driven on a fixed-size console: what each frame shows, and that it fits."""

from __future__ import annotations

import io

from rich.console import Console

from loadforge.cli.live_view import MAX_ENDPOINT_ROWS, LiveView
from sample_runs import Request, build_result, normal_run, timed_run

WIDTH, HEIGHT = 80, 40


def _console() -> Console:
    return Console(
        file=io.StringIO(),
        width=WIDTH,
        height=HEIGHT,
        force_terminal=True,
        color_system="truecolor",
        record=True,
    )


def _frames(console: Console) -> list[list[str]]:
    """Each panel drawn, as its lines (the first line is the panel's top border)."""
    frames: list[list[str]] = []
    for line in console.export_text().splitlines():
        for part in line.split("╯"):
            if part.startswith("╭"):
                frames.append([])
            if frames and part:
                frames[-1].append(part)
    return frames


def test_each_second_shows_its_users_rates_latencies_and_running_totals() -> None:
    console = _console()
    with LiveView(console, title="Shop · constant 2 users", duration=3) as view:
        for snapshot in normal_run().snapshots:
            view.on_snapshot(snapshot)
    first, *_, last = _frames(console)
    assert "LoadForge · Shop · constant 2 users" in first[0]
    assert "starting…" in "\n".join(first)
    text = "\n".join(last)
    assert "0:03 / 0:03" in text
    assert "users 2/2" in text
    assert "rps 12.0" in text
    assert "p99 5.00s" in text
    assert "errors 16.67%" in text
    assert "requests 33   errors 2" in text
    rows = [line for line in last if "List Items" in line or "Create Item" in line]
    assert [row.split()[2:5] for row in rows] == [
        ["Items", "31", "11.0"],
        ["Item", "2", "1.0"],
    ]


def test_every_frame_fits_the_console() -> None:
    console = _console()
    with LiveView(console, title="x" * 200, duration=3) as view:
        for snapshot in normal_run().snapshots:
            view.on_snapshot(snapshot)
    for frame in _frames(console):
        assert all(len(line) <= WIDTH for line in frame), frame


def test_the_stats_row_is_not_lost_after_the_progress_bar() -> None:
    """rich's bar ends without a newline; the row after it must still be on a line of its own."""
    console = _console()
    with LiveView(console, title="Shop", duration=1) as view:
        view.on_snapshot(normal_run().snapshots[0])
    last = _frames(console)[-1]
    bar = next(index for index, line in enumerate(last) if "━" in line)
    assert last[bar + 1].startswith("│ users 1/2")


def test_endpoints_beyond_the_cap_are_left_out_busiest_first() -> None:
    second = [
        Request(f"endpoint {index:02d}", 1000) for index in range(20) for _ in range(index + 1)
    ]
    console = _console()
    with LiveView(console, title="Many", duration=1) as view:
        view.on_snapshot(build_result([second]).snapshots[0])
    shown = [
        line for line in _frames(console)[-1] if "endpoint " in line and "requests" not in line
    ]
    assert len(shown) == MAX_ENDPOINT_ROWS
    assert "endpoint 19" in shown[0]


def test_a_notice_is_printed_above_the_panel() -> None:
    console = _console()
    with LiveView(console, title="Shop", duration=3) as view:
        view.notice("SIGTERM: stopping gracefully")
    assert "SIGTERM: stopping gracefully" in console.export_text()


def test_a_run_recording_timings_shows_each_endpoint_s_ttfb_p95_and_others_do_not() -> None:
    console = _console()
    with LiveView(console, title="Timed", duration=2) as view:
        for snapshot in timed_run().snapshots:
            view.on_snapshot(snapshot)
    last = _frames(console)[-1]
    header = next(line for line in last if "endpoint" in line and "requests" in line)
    assert "ttfb p95" in header
    listed = next(line for line in last if "List Items" in line)
    created = next(line for line in last if "Create Item" in line)
    assert "3.00ms" in listed  # its ttfb in the last second
    # Create Item sent nothing in the last second: no ttfb, its total still shown.
    assert created.split()[2:4] == ["Item", "1"]
    assert created.split()[-3:-1] == ["-", "0"]

    untimed = _console()
    with LiveView(untimed, title="Plain", duration=3) as view:
        for snapshot in normal_run().snapshots:
            view.on_snapshot(snapshot)
    assert "ttfb" not in untimed.export_text()
