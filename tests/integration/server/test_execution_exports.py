"""A server run whose load profile turns on an export: the run's child process exports it."""

from __future__ import annotations

import json
from pathlib import Path

from loadforge.server.contract import RunState
from loadforge.server.execution import ProcessRunExecutor
from loadforge.target import running_target
from otlp_receiver import running_receiver
from server_runs import RecordingSink, request_job, summary_of_ending


async def test_a_profile_with_otlp_endpoint_exports_the_run(tmp_path: Path) -> None:
    sink = RecordingSink()
    executor = ProcessRunExecutor(sink)
    with running_target() as target, running_receiver() as (receiver, received):
        profile = {"users": 1, "duration": 2, "rps": 50, "otlp_endpoint": receiver}
        await executor.submit(request_job(1, tmp_path, f"{target}/anything", profile=profile))
        ending = await sink.finished(1)

    assert ending.state is RunState.COMPLETED, ending.error
    summary = summary_of_ending(ending)
    assert sum(received.last_values("loadforge_requests").values()) == summary.requests > 0
    assert ending.results_dir is not None
    stored = json.loads((ending.results_dir / "result.json").read_text())
    assert stored["exports"]["otlp"]["sent"] >= 2
    assert any(line.startswith("OTLP metrics: ") for line in sink.logs(1))
