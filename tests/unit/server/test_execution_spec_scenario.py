"""Spec → scenario: request descriptions, bodies, the packaged scenario file, code specs."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from loadforge.dsl import load_scenarios
from loadforge.errors import ConfigError
from loadforge.server.contract import RunJob
from loadforge.server.execution.spec_scenario import (
    DESCRIPTION_VARIABLE,
    REQUEST_SCENARIO,
    RequestDescription,
    describe_request,
    load_description,
    prepare_scenario,
    validate_request,
)
from server_runs import request_job

URL = "http://127.0.0.1:8080/anything/x?a=1"


def test_a_request_is_described_with_its_origin_and_target(tmp_path: Path) -> None:
    description = describe_request(request_job(1, tmp_path, URL, method="post", body="hi"))

    assert description.method == "POST"
    assert description.origin == "http://127.0.0.1:8080"
    assert description.target == "/anything/x?a=1"
    assert description.body_text == "hi"
    assert description.body_file is None


def test_an_attachment_replaces_the_text_body(tmp_path: Path) -> None:
    attachment = tmp_path / "a.bin"
    attachment.write_bytes(b"\x00\x01")
    description = describe_request(request_job(1, tmp_path, URL, body_file=attachment))

    assert description.body_file == str(attachment.resolve())
    assert description.body_text is None
    assert description.filename == "a.bin"


@pytest.mark.parametrize(
    ("request_object", "message"),
    [
        (None, "request must be an object"),
        ({"method": "BREW", "url": URL}, "request.method must be one of"),
        ({"url": "ftp://example.com/"}, "request.url must be an http"),
        ({"url": "http:///nohost"}, "request.url: .* no host"),
        ({"url": URL, "headers": {"a": 1}}, "request.headers.a must be Latin-1 text"),
        ({"url": URL, "headers": {"a": "x\x01"}}, "control characters"),
        ({"url": URL, "headers": {"a": "中"}}, "Latin-1"),
        ({"url": "http://h:99999/"}, "request.url: .*invalid port"),
        ({"url": "http://h:+1/"}, "request.url: .*invalid port"),
        ({"url": "http://h:1:2/"}, "request.url: .*invalid port"),
        ({"url": "http://h:0/"}, "port 0"),
        ({"url": "http://user:pw@h/"}, "credentials"),
        ({"url": "http://bücher.de/"}, "IDNA"),
        ({"url": URL, "headers": {"a": "x\r\nEvil: 1"}}, "without line breaks"),
        ({"url": URL, "headers": {"bad name": "x"}}, "not a valid header name"),
        ({"url": URL, "headers": ["a"]}, "request.headers must be an object"),
        ({"url": URL, "body_mode": "form"}, "request.body_mode must be raw or multipart"),
        ({"url": URL, "body": 3}, "request.body must be a text"),
        ({"url": URL, "record_timings": "yes"}, "request.record_timings must be true or false"),
    ],
)
def test_bad_requests_name_the_field(request_object: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        validate_request(request_object)


def test_a_raw_attachment_body_keeps_its_bytes_and_type(tmp_path: Path) -> None:
    attachment = tmp_path / "a.bin"
    attachment.write_bytes(b"abc")
    body = RequestDescription(
        "POST", URL, {}, body_file=str(attachment), content_type="image/png"
    ).body()

    assert body is not None
    assert (body.content, body.content_type) == (b"abc", "image/png")


def test_a_text_body_in_multipart_is_one_file_part(tmp_path: Path) -> None:
    body = RequestDescription("POST", URL, {}, body_mode="multipart", body_text="héllo").body()

    assert body is not None
    assert body.content_type is not None
    assert body.content_type.startswith("multipart/form-data; boundary=")
    assert b'name="file"; filename="body.txt"' in body.content
    assert "héllo".encode() in body.content


def test_no_body() -> None:
    assert RequestDescription("GET", URL, {}).body() is None


def test_a_request_spec_runs_the_packaged_scenario(tmp_path: Path) -> None:
    plan = prepare_scenario(request_job(1, tmp_path, URL), tmp_path / "run-1")

    assert plan.path == REQUEST_SCENARIO
    assert plan.base_url == "http://127.0.0.1:8080"
    written = Path(plan.environ[DESCRIPTION_VARIABLE])
    assert json.loads(written.read_text())["url"] == URL
    assert load_description(plan.environ).url == URL


def test_the_packaged_scenario_loads_the_description(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    plan = prepare_scenario(
        request_job(1, tmp_path, URL, headers={"X-Test": "1"}), tmp_path / "run-1"
    )
    monkeypatch.setenv(DESCRIPTION_VARIABLE, plan.environ[DESCRIPTION_VARIABLE])

    [definition] = load_scenarios(REQUEST_SCENARIO)

    assert definition.name == "spec 1"  # the spec's name
    assert definition.base_url == "http://127.0.0.1:8080"


def test_a_spec_that_records_timings_makes_a_scenario_that_records_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = request_job(1, tmp_path, URL)
    request = job.spec["request"]
    assert isinstance(request, dict)
    timed = {**job.spec, "request": {**request, "record_timings": True}}
    plan = prepare_scenario(dataclasses.replace(job, spec=timed), tmp_path / "run-1")
    monkeypatch.setenv(DESCRIPTION_VARIABLE, plan.environ[DESCRIPTION_VARIABLE])

    [definition] = load_scenarios(REQUEST_SCENARIO)

    assert definition.record_timings is True


def test_without_the_variable_the_scenario_explains_itself() -> None:
    with pytest.raises(ConfigError, match=DESCRIPTION_VARIABLE):
        load_description({})


def test_a_code_spec_is_written_as_scenario_py(tmp_path: Path) -> None:
    job = RunJob(run_id=2, spec={"scenario_code": "# code\n"}, results_root=tmp_path)
    plan = prepare_scenario(job, tmp_path / "run-2")

    assert plan.path == tmp_path / "run-2" / "scenario.py"
    assert plan.path.read_text() == "# code\n"
    assert plan.base_url is None


def test_an_empty_code_spec_is_refused(tmp_path: Path) -> None:
    job = RunJob(run_id=2, spec={"scenario_code": "  "}, results_root=tmp_path)
    with pytest.raises(ConfigError, match="scenario_code must be"):
        prepare_scenario(job, tmp_path)
