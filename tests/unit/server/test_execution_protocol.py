"""The child → server messages round-trip, and a finished message is the contract's RunEnding."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadforge.server.contract import RunEnding, RunJob, RunState, ThresholdVerdict
from loadforge.server.execution.protocol import (
    Finished,
    Log,
    Message,
    Progress,
    ProtocolError,
    Started,
    decode,
    encode,
    job_from_json,
    job_to_json,
)
from server_runs import run_summary

ENDING = RunEnding(
    state=RunState.COMPLETED,
    summary=run_summary(requests=10),
    thresholds=(ThresholdVerdict("p95<1s", True, "3ms"), ThresholdVerdict("rps>9", False, "5")),
    results_dir=Path("/tmp/results/x"),
)


@pytest.mark.parametrize(
    "message",
    [
        Started("/tmp/results/x"),
        Progress({"rps": 1.0, "latency_p50": 2.0}, 1.0, 30.0),
        Log("worker 1 lost at 2.0s: killed"),
        Log("ünïcode and\nnewline"),
        Finished.from_ending(ENDING),
        Finished(state="failed", error="boom"),
    ],
)
def test_messages_round_trip_as_one_line(message: Message) -> None:
    line = encode(message)

    assert line.endswith(b"\n")
    assert line.count(b"\n") == 1
    decoded = decode(line)
    assert type(decoded) is type(message)
    assert encode(decoded) == line


def test_a_finished_message_gives_back_the_ending() -> None:
    decoded = decode(encode(Finished.from_ending(ENDING)))

    assert isinstance(decoded, Finished)
    assert decoded.ending() == ENDING
    assert decoded.ending().passed is False


@pytest.mark.parametrize(
    "line",
    [b"not json\n", b'{"type": "nope"}\n', b'{"type": "log"}\n', b"[1]\n", b'{"line": "x"}\n'],
)
def test_other_lines_are_protocol_errors(line: bytes) -> None:
    with pytest.raises(ProtocolError, match="not a run message"):
        decode(line)


def test_a_job_round_trips(tmp_path: Path) -> None:
    job = RunJob(
        run_id=3,
        spec={"name": "x", "load_profile": {"users": 1}},
        results_root=tmp_path,
        body_file=tmp_path / "body.bin",
        body_filename="body.bin",
        body_content_type="image/png",
    )

    assert job_from_json(job_to_json(job)) == job
