"""The elements and attributes the common JUnit XML schema requires, checked on a document.

Follows the strictest widely used schema (the Apache Ant JUnit XSD that
Jenkins and most CI reporters accept): a `testsuite` needs `name`,
`timestamp`, `hostname`, `tests`, `failures`, `errors` and `time`, its
`properties` first and `system-out`/`system-err` last; each `testcase`
needs `name`, `classname` and `time`; a `failure` needs `type`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

SUITE_ATTRIBUTES = ("name", "timestamp", "hostname", "tests", "failures", "errors", "time")
CASE_ATTRIBUTES = ("name", "classname", "time")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")


def validate_junit(text: str) -> ET.Element:
    """Parse a JUnit document and assert the schema's required parts; return the root."""
    root = ET.fromstring(text)
    assert root.tag == "testsuites"
    suites = root.findall("testsuite")
    assert suites
    for suite in suites:
        for attribute in SUITE_ATTRIBUTES:
            assert suite.get(attribute) is not None, f"testsuite lacks {attribute}"
        assert TIMESTAMP.fullmatch(suite.get("timestamp") or "")
        float(suite.get("time") or "x")
        children = [child.tag for child in suite]
        assert children[0] == "properties"
        assert children[-2:] == ["system-out", "system-err"]
        assert set(children[1:-2]) <= {"testcase"}
        cases = suite.findall("testcase")
        assert int(suite.get("tests") or -1) == len(cases)
        failed = [case for case in cases if case.find("failure") is not None]
        assert int(suite.get("failures") or -1) == len(failed)
        for case in cases:
            for attribute in CASE_ATTRIBUTES:
                assert case.get(attribute), f"testcase lacks {attribute}"
            for failure in case.findall("failure"):
                assert failure.get("type")
    return root
