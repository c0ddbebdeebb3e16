"""Threshold outcomes as a plain-text table, for places without a terminal: a test's failure.

The CLI prints the same rows with rich; this one is fixed-width text that
reads the same in a pytest report, a log file or a CI page.
"""

from __future__ import annotations

from collections.abc import Sequence

from loadforge.thresholds.model import ThresholdOutcome

_HEADER = ("threshold", "result", "details")


def outcomes_text(outcomes: Sequence[ThresholdOutcome]) -> str:
    """One line per outcome under a header, columns padded to the widest cell.

    >>> print(outcomes_text([ThresholdOutcome("p95<200ms", "--threshold", False, 250.0,
    ...     "p95 was 250ms, limit <200ms")]))
    threshold  result  details
    p95<200ms  FAIL    p95 was 250ms, limit <200ms
    """
    rows = [_HEADER] + [
        (outcome.expression, "pass" if outcome.passed else "FAIL", outcome.message)
        for outcome in outcomes
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(2)]
    return "\n".join(
        f"{row[0]:<{widths[0]}}  {row[1]:<{widths[1]}}  {row[2]}".rstrip() for row in rows
    )
