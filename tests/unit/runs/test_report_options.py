"""Report and gate settings from the config file, and the plan checked before a run."""

from __future__ import annotations

from pathlib import Path

import pytest

from loadforge.errors import ConfigError
from loadforge.reports import OutputFormat, PlotlySource
from loadforge.runs.options import RunOptions, load_config_file, options_from_mapping
from loadforge.runs.outputs import DEFAULT_FORMATS, plan_outputs
from loadforge.thresholds import Operator


def test_config_file_report_settings(tmp_path: Path) -> None:
    path = tmp_path / "load.toml"
    path.write_text(
        'format = ["html", "json"]\nno-report = true\nplotly = "cdn"\njunit = "out/junit.xml"\n'
        '[thresholds]\np95 = "<300ms"\n'
    )
    options = load_config_file(path)
    assert options.formats == ("html", "json")
    assert options.no_report is True
    assert options.plotly == "cdn"
    assert options.junit == Path("out/junit.xml")
    assert options.threshold_table == {"p95": "<300ms"}
    assert options.to_config()["threshold_table"] == {"p95": "<300ms"}


def test_a_single_format_string_is_accepted() -> None:
    assert options_from_mapping({"format": "csv"}, where="x").formats == ("csv",)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ({"thresholds": "p95<1s"}, "must be a table"),
        ({"format": 3}, "format name or a list"),
        ({"format": ["html", 3]}, "format name or a list"),
        ({"no_report": "yes"}, "true or false"),
        ({"plotly": 1}, "must be a string"),
        ({"junit": True}, "must be a string"),
        ({"nonsense": 1}, "thresholds"),  # the known keys include the new ones
    ],
)
def test_bad_report_settings(raw: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        options_from_mapping(raw, where="load.toml")
    assert message in str(caught.value)


def test_default_plan_writes_everything_inline() -> None:
    plan = plan_outputs(RunOptions())
    assert plan.thresholds == ()
    assert plan.formats == DEFAULT_FORMATS
    assert plan.plotly is PlotlySource.INLINE
    assert plan.junit is None


def test_plan_gathers_flags_table_and_fail_on_error_rate() -> None:
    options = RunOptions(
        thresholds=("p95<300ms",),
        threshold_table={"List Items": {"p99": "<1s"}},
        fail_on_error_rate=0.05,
        formats=("csv",),
        plotly="cdn",
        junit=Path("j.xml"),
    )
    plan = plan_outputs(options)
    assert [t.expression for t in plan.thresholds] == [
        "p95<300ms",
        '"List Items": p99<1s',
        "error_rate<=5%",
    ]
    legacy = plan.thresholds[2]
    assert (legacy.operator, legacy.limit, legacy.source) == (
        Operator.LE,
        0.05,
        "--fail-on-error-rate",
    )
    assert plan.formats == {OutputFormat.CSV}
    assert plan.plotly is PlotlySource.CDN
    assert plan.junit == Path("j.xml")


def test_no_report_removes_html_only() -> None:
    plan = plan_outputs(RunOptions(no_report=True))
    assert plan.formats == {OutputFormat.JSON, OutputFormat.CSV}


def test_a_bad_threshold_fails_the_plan() -> None:
    with pytest.raises(ConfigError, match="unknown metric"):
        plan_outputs(RunOptions(thresholds=("speed>3",)))
