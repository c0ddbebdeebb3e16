"""JUnit XML for CI systems: one test case per threshold.

The layout follows the elements the common JUnit schema requires
(`testsuites` > `testsuite` with `name`, `tests`, `failures`, `errors`,
`time` > `testcase` with `name`, `classname`, `time`, and a `failure`
element for each threshold that failed), which Jenkins, GitLab and GitHub
reporters all read.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path

from loadforge.errors import ConfigError
from loadforge.metrics.models import TestResult
from loadforge.thresholds.model import ThresholdOutcome


def junit_xml(result: TestResult, outcomes: Sequence[ThresholdOutcome]) -> str:
    """The JUnit XML document for a run's threshold outcomes."""
    failures = sum(not outcome.passed for outcome in outcomes)
    seconds = f"{result.duration_seconds:.3f}"
    suites = ET.Element(
        "testsuites",
        name="loadforge",
        tests=str(len(outcomes)),
        failures=str(failures),
        errors="0",
        time=seconds,
    )
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"loadforge thresholds: {result.scenario_name}",
        tests=str(len(outcomes)),
        failures=str(failures),
        errors="0",
        skipped="0",
        time=seconds,
        timestamp=result.start_time.replace(microsecond=0).isoformat(),
    )
    for outcome in outcomes:
        case = ET.SubElement(
            suite,
            "testcase",
            name=outcome.expression,
            classname=f"loadforge.thresholds.{_classname(result.scenario_name)}",
            time="0",
        )
        if not outcome.passed:
            failure = ET.SubElement(case, "failure", message=outcome.message, type="threshold")
            failure.text = f"{outcome.expression} ({outcome.source}): {outcome.message}"
        else:
            ET.SubElement(case, "system-out").text = outcome.message
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def write_junit(path: Path, result: TestResult, outcomes: Sequence[ThresholdOutcome]) -> None:
    """Write the JUnit XML file; ConfigError when the path cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(junit_xml(result, outcomes), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"--junit {path} cannot be written: {exc}") from exc


def _classname(scenario: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in scenario).strip("_") or "scenario"
