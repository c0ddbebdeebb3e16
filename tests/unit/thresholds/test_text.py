"""The plain-text outcomes table: a header, one row per outcome, aligned columns."""

from __future__ import annotations

from loadforge.thresholds import ThresholdOutcome, outcomes_text


def test_rows_are_aligned_under_the_header() -> None:
    text = outcomes_text(
        [
            ThresholdOutcome("p95<200ms", "--threshold", True, 12.0, "passed: p95 was 12ms"),
            ThresholdOutcome("error_rate<1%", "cfg", False, 0.2, "failed: error_rate was 20%"),
        ]
    )
    assert text.splitlines() == [
        "threshold      result  details",
        "p95<200ms      pass    passed: p95 was 12ms",
        "error_rate<1%  FAIL    failed: error_rate was 20%",
    ]


def test_no_outcomes_is_the_header_alone() -> None:
    assert outcomes_text([]) == "threshold  result  details"
