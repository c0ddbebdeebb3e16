"""The summary card and the tables of the run report."""

from __future__ import annotations

from dataclasses import replace

import pytest

from loadforge.metrics.models import RunEvent, RunEventKind, RunStatus
from loadforge.reports.summary import endpoint_rows, per_second_rows, run_notes, summary_card
from loadforge.thresholds import evaluate_thresholds, parse_threshold
from sample_runs import (
    build_result,
    empty_run,
    failing_run,
    mixed_run,
    normal_run,
    one_second_run,
    open_model_run,
)


def test_summary_card_figures() -> None:
    run = normal_run()
    outcomes = evaluate_thresholds([parse_threshold("p95<1s")], run)
    card = summary_card(run, outcomes)
    assert card.requests == 33
    assert card.peak_rps == 12.0
    assert card.average_rps == pytest.approx(11.0)
    assert card.errors == 2
    assert card.peak_users == 2
    assert card.workers == 1
    assert card.scenario == "Shop"
    assert card.thresholds == outcomes
    assert card.passed
    assert card.notes == ()


def test_workers_come_from_the_result() -> None:
    run = replace(build_result([[]]), workers=4)
    assert summary_card(run, ()).workers == 4


def test_notes_name_lost_workers_and_dropped_iterations() -> None:
    run = normal_run()
    lost = RunEvent(
        timestamp=0.0,
        elapsed_seconds=2.0,
        kind=RunEventKind.WORKER_LOST,
        worker_id=1,
        cause="exited",
    )
    run = replace(
        run,
        events=[lost],
        final_summary=replace(run.final_summary, dropped_iterations=1234),
    )
    assert run_notes(run) == (
        "Worker process 1 was lost 2 s into the run (exited); the other workers took over"
        " its users.",
        "1,234 iterations were due to start but every virtual user was busy (--max-users):"
        " the target was offered less load than asked for.",
    )


def test_notes_explain_unusual_runs() -> None:
    assert any("No requests" in note for note in run_notes(empty_run()))
    assert any("Every request failed" in note for note in run_notes(failing_run()))
    assert any("one second" in note for note in run_notes(one_second_run()))
    interrupted = build_result([[]] * 2, status=RunStatus.INTERRUPTED)
    assert any("interrupted" in note for note in run_notes(interrupted))
    failed = build_result([[]] * 2, status=RunStatus.FAILED)
    assert any("failed inside LoadForge" in note for note in run_notes(failed))


def test_table_rows() -> None:
    run = normal_run()
    assert [e.name for e in endpoint_rows(run)] == ["List Items", "Create Item"]
    assert [s.elapsed_seconds for s in per_second_rows(run)] == [1.0, 2.0, 3.0]


def test_the_open_model_card_has_the_rates_and_corrected_latency() -> None:
    run = open_model_run()
    card = summary_card(run, ())
    om = card.open_model
    assert om is not None
    assert om.target_rate == 10.0
    assert om.achieved_rate == pytest.approx(9.0)  # 27 started of the 30 asked for over 3 s
    assert (om.started, om.dropped, om.max_users) == (27, 3, 4)
    summary = run.final_summary
    assert (om.corrected_p50, om.corrected_p95, om.corrected_p99) == (
        summary.latency_corrected_p50,
        summary.latency_corrected_p95,
        summary.latency_corrected_p99,
    )
    assert om.corrected_p99 > card.p99
    assert summary_card(normal_run(), ()).open_model is None


def test_a_mixed_runs_card_says_its_corrected_latency_covers_the_rate_scenarios() -> None:
    run = mixed_run()
    card = summary_card(run, ())
    om = card.open_model

    assert run.open_model
    assert run.mixed_models
    assert om is not None
    assert om.mixed
    assert (om.target_rate, om.started) == (5.0, 10)
    assert om.corrected_p99 == pytest.approx(5.0, rel=0.01)
    assert not open_model_run().mixed_models


def test_peak_throughput_leaves_out_the_short_last_interval() -> None:
    run = normal_run()
    last = run.snapshots[-1]
    # The run's end cuts a last interval of 50 ms with 3 requests: 60/s.
    tail = replace(
        last,
        elapsed_seconds=last.elapsed_seconds + 0.05,
        requests=3,
        rps=60.0,
        drain=True,
    )
    card = summary_card(replace(run, snapshots=[*run.snapshots, tail]), ())

    assert card.peak_rps == 12.0


def test_a_run_shorter_than_a_second_still_has_a_peak() -> None:
    run = normal_run()
    only = replace(run.snapshots[0], elapsed_seconds=0.5, requests=5, rps=10.0)

    assert summary_card(replace(run, snapshots=[only]), ()).peak_rps == 10.0


def test_notes_say_other_run_events_in_their_own_words() -> None:
    run = normal_run()
    ran_out = RunEvent(
        timestamp=0.0,
        elapsed_seconds=3.25,
        kind=RunEventKind.DATA_EXHAUSTED,
        worker_id=0,
        cause="users.csv has no rows left (mode stop)",
    )
    dropped = RunEvent(
        timestamp=0.0,
        elapsed_seconds=1.0,
        kind=RunEventKind.INTERVAL_DROPPED,
        worker_id=1,
        cause="an interval cannot be decoded and its counts are left out: bad",
    )
    assert run_notes(replace(run, events=[ran_out, dropped]))[:2] == (
        "Stopping at 3.2s: users.csv has no rows left (mode stop).",
        "Worker 1 at 1.0s: an interval cannot be decoded and its counts are left out: bad.",
    )
