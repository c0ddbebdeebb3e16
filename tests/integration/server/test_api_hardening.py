"""What a careless or hostile client sends, over HTTP: refused before anything is stored.

Bad text (a lone surrogate, NaN), requests the run's client could never send
(bad ports, header line breaks, userinfo), cross-site and rebinding requests
without a token, credentials shown back; and a run can be deleted.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from starlette.websockets import WebSocketDisconnect

from integration.server.harness import Served, spec_body
from loadforge.server.contract import RunEnding, RunState
from loadforge.server.db.models import AttachmentRow
from server_runs import run_summary

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

URL = "http://127.0.0.1:8080/anything"


def _request(**changes: object) -> dict[str, object]:
    return {"method": "GET", "url": URL, "headers": {}, **changes}


def _raw_post(served: Served, path: str, text: str) -> int:
    """POST JSON text as it is written (NaN, lone surrogate escapes and all)."""
    content = text.replace("URL", URL).encode()
    answer = served.client.post(path, content=content, headers={"Content-Type": "application/json"})
    return int(answer.status_code)


@pytest.mark.parametrize(
    "body",
    [
        '{"name": "s", "request": {"url": "URL", "headers": {"X-A": "\\ud800"}},'
        ' "load_profile": {"users": 1}}',
        '{"name": "\\udfff", "request": {"url": "URL"}, "load_profile": {"users": 1}}',
        '{"name": "s", "request": {"url": "URL/\\ud800"}, "load_profile": {"users": 1}}',
        '{"name": "s", "request": {"url": "URL"}, "load_profile": {"users": 1},'
        ' "thresholds": ["p95<1s\\ud800"]}',
        '{"name": "s", "request": {"url": "URL"}, "load_profile": {"users": NaN}}',
        '{"name": "s", "request": {"url": "URL"}, "load_profile": {"users": Infinity}}',
        '{"name": "s", "request": {"url": "URL"}, "load_profile": {"users": 1e400}}',
        '{"name": "s", "request": {"url": "URL"}, "load_profile": {"rps": -Infinity}}',
    ],
)
def test_text_or_numbers_that_cannot_be_stored_are_422_and_nothing_is_kept(
    served: Served, body: str
) -> None:
    assert _raw_post(served, "/api/specs", body) == 422
    answer = served.client.get("/api/specs")
    assert answer.status_code == 200
    assert answer.json()["total"] == 0


def test_a_schedule_with_nan_is_422(served: Served) -> None:
    assert _raw_post(served, "/api/schedules", '{"spec_id": NaN, "cron": "@daily"}') == 422


@pytest.mark.parametrize(
    ("request_", "says"),
    [
        (_request(url="http://127.0.0.1:99999/"), "port"),
        (_request(url="http://127.0.0.1:+1/"), "port"),
        (_request(url="http://127.0.0.1:1:2/"), "port"),
        (_request(url="http://user:secret@127.0.0.1/"), "credentials"),
        (_request(headers={"X-A": "a\r\nEvil: 1"}), "line breaks"),
        (_request(headers={"X-A": "a\nb"}), "line breaks"),
        (_request(headers={"X A": "b"}), "not a valid header name"),
        (_request(headers={"X:A": "b"}), "not a valid header name"),
        (_request(headers={"X-A": "中文"}), "Latin-1"),
        (_request(headers={"X-A": "a\x7fb"}), "control"),
    ],
)
def test_a_request_the_client_cannot_send_is_refused_at_save(
    served: Served, request_: dict[str, object], says: str
) -> None:
    answer = served.client.post("/api/specs", json=spec_body(request=request_))
    assert answer.status_code == 422, answer.text
    assert says in json.dumps(answer.json())
    assert served.client.get("/api/specs").json()["total"] == 0


def test_a_finished_run_is_deleted_with_its_data(served: Served, tmp_path: Path) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    run = client.post(f"/api/runs/{spec_id}").json()
    assert client.delete(f"/api/runs/{run['id']}").status_code == 409  # still running
    results = served.settings.results_root / f"run-{run['id']}" / "checkout-1"
    results.mkdir(parents=True)
    (results / "report.html").write_text("<p>report</p>")
    served.call(served.executor.play, run["id"], [{"second": 0}], ["a line"])
    served.call(served.executor.finish, run["id"], RunState.COMPLETED, results)
    assert client.delete(f"/api/runs/{run['id']}").status_code == 204
    assert client.get(f"/api/runs/{run['id']}").status_code == 404
    assert client.get(f"/api/runs/{run['id']}/csv").status_code == 404
    assert not results.parent.exists()
    assert client.delete(f"/api/runs/{run['id']}").status_code == 404
    assert client.get("/api/runs").json()["total"] == 0


def test_a_foreign_host_is_refused_without_a_token(served: Served) -> None:
    client = served.client
    assert client.get("/api/specs", headers={"Host": "attacker.example"}).status_code == 400
    assert client.get("/api/specs", headers={"Host": "attacker.example:8000"}).status_code == 400
    assert client.get("/specs", headers={"Host": "127.0.0.1.nip.io:8000"}).status_code == 400
    assert client.get("/api/specs", headers={"Host": "127.0.0.1:9999"}).status_code == 400
    for host in ("127.0.0.1:8000", "localhost:8000", "[::1]:8000"):
        assert client.get("/api/specs", headers={"Host": host}).status_code == 200, host


def test_a_cross_site_request_cannot_start_a_run(served: Served) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    evil = {"Origin": "http://evil.example"}
    assert client.post(f"/api/runs/{spec_id}", headers=evil).status_code == 403
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    assert client.post(f"/api/runs/{spec_id}", content=b"a=1", headers=form).status_code == 415
    multipart = client.post("/api/specs", files={"file": ("a", b"{}")})
    assert multipart.status_code == 415
    assert client.get("/api/runs").json()["total"] == 0
    same = client.post(f"/api/runs/{spec_id}", headers={"Origin": "http://127.0.0.1:8000"})
    assert same.status_code == 202


def test_a_foreign_origin_gets_no_websocket(served: Served) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body()).json()["id"]
    run_id = client.post(f"/api/runs/{spec_id}").json()["id"]
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect(f"/ws/runs/{run_id}", headers={"Origin": "http://evil.example"}),
    ):
        pass  # pragma: no cover - refused before it opens
    with client.websocket_connect(
        f"/ws/runs/{run_id}", headers={"Origin": "http://127.0.0.1:8000"}
    ) as socket_:
        assert socket_.receive_json()["type"] == "history"


def test_credentials_are_masked_in_every_answer_and_whole_for_the_run(served: Served) -> None:
    client = served.client
    secrets = {"Authorization": "Bearer s3cr3t", "Cookie": "sid=s3cr3t", "X-Api-Key": "s3cr3t",
               "X-Auth-Token": "s3cr3t", "Accept": "text/plain"}  # fmt: skip
    spec = client.post("/api/specs", json=spec_body(request=_request(headers=secrets))).json()
    run = client.post(f"/api/runs/{spec['id']}").json()
    with client.websocket_connect(f"/ws/runs/{run['id']}") as socket_:
        history = socket_.receive_text()
    answers = [
        json.dumps(spec),
        client.get(f"/api/specs/{spec['id']}").text,
        client.get("/api/specs").text,
        json.dumps(run),
        client.get(f"/api/runs/{run['id']}").text,
        client.get("/api/runs").text,
        history,
    ]
    for answer in answers:
        assert "s3cr3t" not in answer
        assert "text/plain" in answer
    assert served.executor.jobs[0].spec["request"]["headers"] == secrets  # type: ignore[index]

    # The pages send the masked value back for a header they did not change.
    edited = client.get(f"/api/specs/{spec['id']}").json()
    edited["request"]["headers"]["Accept"] = "application/json"
    body = {key: edited[key] for key in ("name", "request", "load_profile", "thresholds")}
    assert client.put(f"/api/specs/{spec['id']}", json=body).status_code == 200
    served.call(served.executor.finish, run["id"])
    client.post(f"/api/runs/{spec['id']}")
    assert served.executor.jobs[1].spec["request"]["headers"] == {  # type: ignore[index]
        **secrets,
        "Accept": "application/json",
    }


@pytest.mark.parametrize("content_type", ["text/中文".encode(), b"text/plain\x01", b"nonsense"])
def test_an_attachment_type_that_cannot_be_sent_back_is_422(
    served: Served, content_type: bytes
) -> None:
    body = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n'
        b"Content-Type: " + content_type + b"\r\n\r\nhello\r\n--B--\r\n"
    )
    headers = {"Content-Type": "multipart/form-data; boundary=B"}
    answer = served.client.post("/api/attachments", content=body, headers=headers)
    assert answer.status_code == 422, answer.text
    assert answer.json()["detail"][0]["loc"] == ["body", "file"]
    assert served.client.get("/api/attachments/1").status_code == 404


def test_an_attachment_stored_with_a_bad_type_still_downloads(served: Served) -> None:
    files = {"file": ("a.txt", b"hello", "text/plain")}
    attachment = served.client.post("/api/attachments", files=files).json()
    sessions = served.client.app.state.server.sessions  # type: ignore[attr-defined]
    with sessions.begin() as session:
        session.get(AttachmentRow, attachment["id"]).content_type = "text/中文"
    download = served.client.get(f"/api/attachments/{attachment['id']}")
    assert (download.status_code, download.content) == (200, b"hello")
    assert download.headers["content-type"] == "application/octet-stream"


def test_a_run_that_sent_no_request_does_not_pass(served: Served) -> None:
    client = served.client
    spec_id = client.post("/api/specs", json=spec_body(thresholds=[])).json()["id"]
    run = client.post(f"/api/runs/{spec_id}").json()
    summary = run_summary(requests=0)
    ending = RunEnding(RunState.COMPLETED, summary=summary)
    assert ending.passed is True  # no thresholds: the executor's view
    served.call(served.executor.sink.run_finished, run["id"], ending)
    ended = client.get(f"/api/runs/{run['id']}").json()
    assert ended["passed"] is False
    assert ended["thresholds"] == [
        {"expression": "requests>0", "passed": False, "actual": "no request was sent"}
    ]


def test_every_answer_carries_the_security_headers(served: Served) -> None:
    client = served.client
    answers = {
        "/specs": "script-src 'self'",
        "/docs": "script-src 'self'",
        "/api/specs": "default-src 'none'",
        "/api/runs/1": "default-src 'none'",  # a 404 too
        "/openapi.json": "default-src 'none'",
    }
    for path, policy in answers.items():
        headers = client.get(path).headers
        assert policy in headers["content-security-policy"], path
        assert headers["x-frame-options"] == "DENY"
        assert headers["x-content-type-options"] == "nosniff"
    refused = client.get("/api/specs", headers={"Host": "attacker.example"})
    assert refused.headers["x-frame-options"] == "DENY"


def test_docs_load_swagger_ui_from_the_server(served: Served) -> None:
    page = served.client.get("/docs").text
    assert "/docs/assets/swagger-ui-bundle.js" in page
    assert "https://" not in page
    assert "http://" not in page
    bundle = served.client.get("/docs/assets/swagger-ui-bundle.js")
    assert bundle.status_code == 200
    assert len(bundle.content) > 500_000
    assert "SwaggerUIBundle" in served.client.get("/docs/start.js").text


def test_a_405_lists_every_method_of_the_path(served: Served) -> None:
    client = served.client
    cases = {
        ("PUT", "/api/specs"): {"GET", "POST"},
        ("POST", "/api/specs/1"): {"GET", "PUT", "DELETE"},
        ("PUT", "/api/runs/1"): {"GET", "POST", "DELETE"},
        ("OPTIONS", "/api/schedules/1"): {"GET", "PUT", "DELETE"},
    }
    for (method, path), expected in cases.items():
        answer = client.request(method, path)
        assert answer.status_code == 405, (method, path)
        allowed = {name.strip() for name in answer.headers["allow"].split(",")}
        assert allowed - {"HEAD"} == expected, (method, path, allowed)


def test_the_schema_refuses_what_the_server_refuses(served: Served) -> None:
    schema = served.client.get("/openapi.json").json()
    paths = schema["paths"]
    components = schema["components"]["schemas"]
    assert components["SpecInput"]["properties"]["load_profile"]["minProperties"] == 1
    cron = components["ScheduleInput"]["properties"]["cron"]["pattern"]
    assert re.fullmatch(cron, "*/5 * * * *")
    assert not re.fullmatch(cron, "0")
    assert served.client.post("/api/schedules", json={"spec_id": 1, "cron": "0"}).status_code == 422
    for path, method in [("/api/specs", "post"), ("/api/specs/{spec_id}", "put"),
                         ("/api/schedules", "post"), ("/api/attachments", "post")]:  # fmt: skip
        documented = paths[path][method]["responses"]
        assert {"400", "401", "413", "422"} <= set(documented), (path, method)
    assert set(paths["/api/runs/{id}"]) == {"get", "post", "delete"}
    assert not [path for path in paths if path.startswith("/api/runs/{spec_id}")]
