"""`loadforge run --raw-log FILE`: one record per request counted, in one process or several."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, Target, invoke
from loadforge.errors import ConfigError


@pytest.mark.parametrize(("workers", "name"), [("1", "raw.csv"), ("2", "raw.jsonl")])
def test_the_raw_log_has_one_record_per_request(
    fresh_target: Target, tmp_path: Path, workers: str, name: str
) -> None:
    log = tmp_path / name
    flags = ["-o", str(tmp_path), "-u", "2", "-d", "1s", "-w", workers, "--raw-log", str(log)]
    run = invoke(["run", str(EXAMPLES / "basic_get.py"), "--base-url", fresh_target.url, *flags])
    assert run.exit_code == 0, run.output
    summary = run.result().final_summary
    if log.suffix == ".csv":
        with log.open(newline="") as handle:
            records = list(csv.DictReader(handle))
    else:
        records = [json.loads(line) for line in log.read_text().splitlines()]
    assert len(records) == summary.requests == fresh_target.served()
    assert {str(record["status"]) for record in records} == {"200"}
    assert sorted(path.name for path in tmp_path.iterdir() if path.is_file()) == [name]


def test_a_raw_log_in_a_missing_directory_is_refused_before_any_load(
    fresh_target: Target, tmp_path: Path
) -> None:
    flags = ["-o", str(tmp_path), "-d", "1s", "--raw-log", str(tmp_path / "no" / "raw.csv")]
    with pytest.raises(ConfigError, match="does not exist"):
        invoke(["run", str(EXAMPLES / "basic_get.py"), "--base-url", fresh_target.url, *flags])
    assert fresh_target.served() == 0
