"""`loadforge run` of a scenario that carries its pattern: used as is, overridden by flags."""

from __future__ import annotations

import textwrap
from pathlib import Path

from cli_harness import CliRun, Target, invoke

SCENARIO = """
    from loadforge import constant, ramp, scenario, task

    @scenario(base_url="http://127.0.0.1:1", think_time=0.05,
              pattern=ramp(0, 4, "1s") >> constant(4, "2s"))
    class Patterned:
        @task
        async def get(self, client):
            await client.get("/anything", name="Anything")
"""


def _run(target: Target, tmp_path: Path, *flags: str) -> CliRun:
    path = tmp_path / "patterned.py"
    path.write_text(textwrap.dedent(SCENARIO), encoding="utf-8")
    return invoke(["run", str(path), "--base-url", target.url, "-o", str(tmp_path), *flags])


def test_a_run_follows_the_scenarios_pattern_for_its_length(
    fresh_target: Target, tmp_path: Path
) -> None:
    run = _run(fresh_target, tmp_path, "-w", "1")
    assert run.exit_code == 0, run.output
    result = run.result()
    assert result.pattern_description == (
        "ramp 0 → 4 users over 1s for 1s, then constant 4 users for 2s"
    )
    assert 2.9 <= result.duration_seconds < 3 + 5
    assert result.final_summary.target_users == 4
    assert result.final_summary.requests == fresh_target.served()
    assert result.final_summary.errors == 0


def test_users_on_the_command_line_win_over_the_file(fresh_target: Target, tmp_path: Path) -> None:
    run = _run(fresh_target, tmp_path, "-w", "1", "-u", "2", "-d", "1s")
    assert run.exit_code == 0, run.output
    result = run.result()
    assert result.pattern_description == "constant 2 users"
    assert result.final_summary.target_users == 2
