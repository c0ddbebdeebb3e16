"""A stop over HTTP ends a real run within about 2 s, whatever its process is doing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from cli_harness import child_pids, is_running
from server_harness import serve_process

pytestmark = pytest.mark.slow

STUCK = """\
import time

time.sleep(600)  # stuck before any load starts: the stop must not wait for it
"""


def test_a_run_stuck_before_its_load_stops_within_two_seconds(tmp_path: Path) -> None:
    with serve_process(tmp_path / "data", ["--allow-code-specs"]) as server:
        spec = server.json("POST", "/api/specs", json={
            "name": "stuck", "scenario_code": STUCK,
            "load_profile": {"users": 1, "duration": 60}, "thresholds": [],
        })  # fmt: skip
        run_id = int(str(server.json("POST", f"/api/runs/{spec['id']}")["id"]))
        deadline = time.monotonic() + 20
        while not (children := child_pids(server.process.pid)):
            assert time.monotonic() < deadline, "the run's process did not start"
            time.sleep(0.05)
        time.sleep(1.0)  # well into its import
        asked = time.monotonic()
        assert server.client.post(f"/api/runs/{run_id}/stop").status_code == 202
        run = server.wait_for_run(run_id, ["stopped", "failed"], timeout=10)
        took = time.monotonic() - asked
        assert run["status"] == "stopped", run
        assert took < 2.5, f"the stop took {took:.2f} s"
        assert not any(is_running(pid) for pid in children)
