"""JUnit XML for CI systems: one test case per threshold.

The layout has what the strictest common JUnit schema requires: `testsuites`
> `testsuite` with `name`, `package`, `id`, `hostname`, `timestamp` (UTC,
no offset), `tests`, `failures`, `errors` and `time`, holding `properties`,
then one `testcase` (`name`, `classname`, `time`) per threshold with a
`failure` when it failed, then `system-out` and `system-err`. Jenkins,
GitLab and GitHub reporters all read it.
"""

from __future__ import annotations

import socket
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from datetime import UTC
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
    started = result.start_time.astimezone(UTC).replace(microsecond=0, tzinfo=None)
    suite = ET.SubElement(
        suites,
        "testsuite",
        name=f"loadforge thresholds: {result.scenario_name}",
        package="loadforge.thresholds",
        id="0",
        hostname=socket.gethostname() or "localhost",
        tests=str(len(outcomes)),
        failures=str(failures),
        errors="0",
        skipped="0",
        time=seconds,
        timestamp=started.isoformat(),
    )
    _add_properties(suite, result)
    classname = f"loadforge.thresholds.{_classname(result.scenario_name)}"
    for outcome in outcomes:
        case = ET.SubElement(
            suite, "testcase", name=outcome.expression, classname=classname, time="0"
        )
        if not outcome.passed:
            failure = ET.SubElement(case, "failure", message=outcome.message, type="threshold")
            failure.text = f"{outcome.expression} ({outcome.source}): {outcome.message}"
    lines = [f"{outcome.expression}: {outcome.message}" for outcome in outcomes]
    ET.SubElement(suite, "system-out").text = "\n".join(lines)
    ET.SubElement(suite, "system-err").text = ""
    ET.indent(suites)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"
    )


def _add_properties(suite: ET.Element, result: TestResult) -> None:
    properties = ET.SubElement(suite, "properties")
    for name, value in (
        ("scenario", result.scenario_name),
        ("pattern", result.pattern_description),
        ("status", result.status.value),
        ("loadforge_version", result.loadforge_version),
    ):
        ET.SubElement(properties, "property", name=name, value=value)


def write_junit(path: Path, result: TestResult, outcomes: Sequence[ThresholdOutcome]) -> None:
    """Write the JUnit XML file; ConfigError when the path cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(junit_xml(result, outcomes), encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"--junit {path} cannot be written: {exc}") from exc


def _classname(scenario: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in scenario).strip("_") or "scenario"
