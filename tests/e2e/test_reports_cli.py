"""Reports and CI gates end to end: run with thresholds, report, compare, JUnit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, CliRun, Target, invoke, run_process
from junit_schema import validate_junit
from loadforge.metrics.models import TestResult
from loadforge.reports import OutputFormat, write_outputs
from loadforge.thresholds import read_outcomes
from sample_runs import Request, build_result, scenario_run


def run_basic(target: Target, out: Path, *flags: str) -> CliRun:
    scenario = str(EXAMPLES / "basic_get.py")
    return invoke(["run", scenario, "--base-url", target.url, "-o", str(out), "-u", "2", *flags])


def test_run_writes_report_thresholds_and_junit(target: Target, tmp_path: Path) -> None:
    junit = tmp_path / "ci" / "junit.xml"
    run = run_basic(
        target, tmp_path / "results", "-d", "2s", "--plotly", "cdn",
        "--threshold", "p95<10s", "--threshold", "error_rate<1%", "--threshold", "rps>1",
        "--threshold", '"Nowhere": p99<1s', "--junit", str(junit),
    )  # fmt: skip
    assert run.exit_code == 1, run.output
    assert "Thresholds" in run.output
    assert 'FAILED: threshold "Nowhere": p99<1s' in run.output
    directory = run.results_dir
    html = (directory / "report.html").read_text()
    assert "cdn.plot.ly" in html
    assert "never appeared" in html
    outcomes = read_outcomes(directory)
    assert [o.passed for o in outcomes] == [True, True, True, False]
    stored = json.loads((directory / "result.json").read_text())
    assert stored["thresholds"][3]["expression"] == '"Nowhere": p99<1s'
    assert stored["latency_histogram"]

    root = validate_junit(junit.read_text())
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures")) == ("4", "1")
    cases = suite.findall("testcase")
    assert [case.find("failure") is not None for case in cases] == [False, False, False, True]


def test_passing_thresholds_exit_0_and_config_table_applies(target: Target, tmp_path: Path) -> None:
    config = tmp_path / "load.toml"
    config.write_text(
        'duration = "1s"\nno_report = true\n\n[thresholds]\np99 = "<30s"\n'
        '\n[thresholds."Anything"]\nrequests = ">0"\n'
    )
    run = run_basic(target, tmp_path, "-c", str(config), "--threshold", "max<60s")
    assert run.exit_code == 0, run.output
    assert not (run.results_dir / "report.html").exists()
    expressions = [o.expression for o in read_outcomes(run.results_dir)]
    assert expressions == ["max<60s", "p99<30s", '"Anything": requests>0']


def test_format_json_writes_result_json_alone(target: Target, tmp_path: Path) -> None:
    run = run_basic(target, tmp_path, "-d", "1s", "--format", "json", "-q")
    assert run.exit_code == 0, run.output
    files = {path.name for path in run.results_dir.iterdir()}
    assert files == {"result.json", "snapshots.jsonl"}
    assert read_outcomes(run.results_dir) == ()


def test_format_csv_writes_the_csv_files_and_the_record(target: Target, tmp_path: Path) -> None:
    run = run_basic(target, tmp_path, "-d", "1s", "--format", "csv", "-q")
    assert run.exit_code == 0, run.output
    files = {path.name for path in run.results_dir.iterdir()}
    # metrics.csv holds the built-in `connecting` trend every run records.
    assert files == {
        "result.json",
        "snapshots.jsonl",
        "snapshots.csv",
        "endpoints.csv",
        "metrics.csv",
    }


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--threshold", "latency<3s"], "unknown metric 'latency'"),
        (["--threshold", "p95<3kg"], "uses unit 'kg'"),
        (["--format", "docx"], "unknown format 'docx'"),
        (["--plotly", "local"], "'inline' or 'cdn'"),
    ],
)
def test_bad_gate_flags_exit_2_before_the_run(
    flags: list[str], message: str, tmp_path: Path
) -> None:
    completed = run_process(
        ["run", str(EXAMPLES / "basic_get.py"), "-o", str(tmp_path), "-d", "1s", *flags]
    )
    assert completed.returncode == 2, completed.stderr
    assert message in " ".join(completed.stderr.split())
    assert "Traceback" not in completed.stderr + completed.stdout
    assert list(tmp_path.iterdir()) == []  # no run started


def test_report_rebuilds_outputs(target: Target, tmp_path: Path) -> None:
    run = run_basic(target, tmp_path, "-d", "1s", "--no-report", "--threshold", "p95<30s")
    directory = run.results_dir
    (directory / "snapshots.csv").unlink()
    rebuilt = invoke(["report", str(directory), "--format", "html", "--format", "csv"])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert (directory / "snapshots.csv").exists()
    html = (directory / "report.html").read_text()
    assert "p95&lt;30s" in html  # the stored threshold outcome
    again = invoke(["report", str(directory), "--format", "json"])
    assert again.exit_code == 0
    assert [o.expression for o in read_outcomes(directory)] == ["p95<30s"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "result.json does not exist"),
        ("{not json", "not valid JSON"),
        ('{"scenario_name": "x"}', "not a valid LoadForge result"),
    ],
)
def test_report_on_a_bad_directory_exits_2(
    tmp_path: Path, content: str | None, message: str
) -> None:
    if content is not None:
        (tmp_path / "result.json").write_text(content)
    completed = run_process(["report", str(tmp_path)])
    assert completed.returncode == 2
    assert message in " ".join(completed.stderr.split())
    assert "Traceback" not in completed.stderr


def test_report_with_a_corrupt_histogram_exits_2(tmp_path: Path) -> None:
    document = {**build_result([[Request("Home", 1000)]]).to_dict(), "latency_histogram": "xyz"}
    (tmp_path / "result.json").write_text(json.dumps(document))
    completed = run_process(["report", str(tmp_path)])
    assert completed.returncode == 2
    assert "could not be decoded" in " ".join(completed.stderr.split())
    assert "Traceback" not in completed.stderr
    assert not (tmp_path / "report.html").exists()


def test_report_on_a_missing_directory_exits_2(tmp_path: Path) -> None:
    completed = run_process(["report", str(tmp_path / "nope")])
    assert completed.returncode == 2
    assert "is not a directory" in " ".join(completed.stderr.split())


def saved(directory: Path, result: TestResult) -> Path:
    directory.mkdir()
    write_outputs(directory, result, (), {OutputFormat.JSON, OutputFormat.CSV})
    return directory


def test_report_judges_a_stored_run_again_with_its_custom_metrics(tmp_path: Path) -> None:
    directory = saved(tmp_path / "shop", scenario_run())  # orders 40, paid 50 %, depth 1
    args = ["report", str(directory), "--format", "html", "--format", "json"]
    thresholds = ["orders>39", "depth<=1", "cart_ms: p95<20ms", "paid>=60%"]

    judged = invoke([*args, *(f"--threshold={text}" for text in thresholds)])

    assert judged.exit_code == 1, judged.output
    assert "Thresholds" in judged.output
    assert "FAILED: threshold paid>=60% (--threshold)" in judged.output
    outcomes = read_outcomes(directory)
    assert [o.expression for o in outcomes] == thresholds
    assert [o.passed for o in outcomes] == [True, True, True, False]
    assert "paid&gt;=60%" in (directory / "report.html").read_text()
    passing = invoke([*args, "--threshold", "orders>=40"])
    assert passing.exit_code == 0, passing.output
    assert [o.expression for o in read_outcomes(directory)] == ["orders>=40"]


def test_report_writes_junit_for_a_stored_run_judged_again(tmp_path: Path) -> None:
    directory = saved(tmp_path / "shop", scenario_run())  # orders 40, paid 50 %
    junit = tmp_path / "gate.xml"

    judged = invoke(
        ["report", str(directory), "--threshold", "orders>39", "--threshold", "paid>=60%",
         "--junit", str(junit)]
    )  # fmt: skip

    assert judged.exit_code == 1, judged.output
    xml = junit.read_text()
    validate_junit(xml)
    assert xml.count("<testcase") == 2
    assert xml.count("<failure") == 1
    assert "paid&gt;=60%" in xml


@pytest.mark.parametrize(
    ("threshold", "message"),
    [
        ("never>1", "unknown metric 'never'"),
        ("cart_ms<20", "'cart_ms' is a trend; name a percentile of it"),
        ("orders<5%", "orders takes a plain count"),
    ],
)
def test_report_refuses_a_threshold_the_stored_run_cannot_answer(
    tmp_path: Path, threshold: str, message: str
) -> None:
    directory = saved(tmp_path / "shop", scenario_run())
    completed = run_process(["report", str(directory), "--threshold", threshold])
    assert completed.returncode == 2
    assert message in " ".join(completed.stderr.split())
    assert "Traceback" not in completed.stderr
    assert not (directory / "report.html").exists()


def list_items(factor: float, per_second: int = 60) -> TestResult:
    second = [Request("List Items", int(1000 * (i + 1) * factor)) for i in range(per_second)]
    return build_result([second, second])


def test_compare_gates_on_p95_regressions(tmp_path: Path) -> None:
    baseline = saved(tmp_path / "base", list_items(1))
    candidate = saved(tmp_path / "cand", list_items(1.5))
    out = tmp_path / "cmp.html"
    gated = invoke(["compare", str(baseline), str(candidate), "--fail-on-regression", "10%",
                    "-o", str(out), "--plotly", "cdn"])  # fmt: skip
    assert gated.exit_code == 1, gated.output
    assert "REGRESSION: List Items p95" in gated.output
    assert "worse" in gated.output
    html = out.read_text()
    assert "REGRESSED" in html
    assert 'id="chart-cmp-throughput"' in html
    lenient = invoke(["compare", str(baseline), str(candidate), "--fail-on-regression", "60"])
    assert lenient.exit_code == 0, lenient.output
    assert (candidate / "compare-vs-base.html").exists()


def test_compare_two_real_runs(target: Target, tmp_path: Path) -> None:
    first = run_basic(target, tmp_path, "-d", "1s", "-q").results_dir
    second = run_basic(target, tmp_path, "-d", "1s", "-q").results_dir
    compared = invoke(["compare", str(first), str(second)])
    assert compared.exit_code == 0, compared.output
    assert "Anything" in compared.output
    assert (second / f"compare-vs-{first.name}.html").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["compare", "{tmp}/missing", "{tmp}"], "is not a directory"),
        (["compare", "{tmp}", "{tmp}"], "result.json does not exist"),
        (["compare", "{tmp}", "{tmp}", "--fail-on-regression", "lots"], "percentage like 10%"),
    ],
)
def test_compare_bad_input_exits_2(args: list[str], message: str, tmp_path: Path) -> None:
    completed = run_process([a.format(tmp=tmp_path) for a in args])
    assert completed.returncode == 2
    assert message in " ".join(completed.stderr.split())
    assert "Traceback" not in completed.stderr


def test_compare_leaves_tiny_samples_unjudged_and_says_what_it_judged(tmp_path: Path) -> None:
    baseline = saved(tmp_path / "base", list_items(1, per_second=8))
    candidate = saved(tmp_path / "cand", list_items(1.8, per_second=8))

    tiny = invoke(["compare", str(baseline), str(candidate), "--fail-on-regression", "10%"])

    assert tiny.exit_code == 0, tiny.output
    assert "REGRESSION" not in tiny.output
    assert "worse" not in tiny.output
    assert tiny.output.count("too few requests to judge") == 3  # two rows and the sentence
    said = " ".join(tiny.output.split())
    assert "Judged by p95, rps and error_rate" in said
    assert "fewer than 100 requests in either run" in said

    judged = invoke([
        "compare", str(baseline), str(candidate), "--fail-on-regression", "10%",
        "--min-requests", "16", "--judge", "p50,p95,p99,rps",
    ])  # fmt: skip

    assert judged.exit_code == 1, judged.output
    for figure in ("p50", "p95", "p99"):
        assert f"REGRESSION: List Items {figure} " in judged.output
    assert "Judged by p50, p95, p99 and rps" in " ".join(judged.output.split())
    html = (candidate / "compare-vs-base.html").read_text()
    assert "Judged by p50, p95, p99 and rps" in html
    assert "Gate: any judged percentile (p50, p95, p99)" in html


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--judge", "p42"], "unknown figure 'p42'"),
        (["--min-requests", "-1"], "--min-requests must be 0 or more"),
        (["--judge", "rps", "--fail-on-regression", "5%"], "gates on latency"),
    ],
)
def test_compare_bad_judging_flags_exit_2(flags: list[str], message: str, tmp_path: Path) -> None:
    baseline = saved(tmp_path / "base", list_items(1))
    completed = run_process(["compare", str(baseline), str(baseline), *flags])
    assert completed.returncode == 2
    assert message in " ".join(completed.stderr.split())
    assert "Traceback" not in completed.stderr
