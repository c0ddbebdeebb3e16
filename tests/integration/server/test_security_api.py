"""The server's security over HTTP: tokens, allowed targets, code specs."""

from __future__ import annotations

import pytest

from integration.server.harness import Serve, spec_body

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

TOKEN = "s3cret-token-of-24-chars"


def test_every_api_route_needs_the_token(serve: Serve) -> None:
    served = serve(host="0.0.0.0", api_token=TOKEN, allow_targets=("127.0.0.1",))
    client = served.client
    for method, path in [
        ("GET", "/api/specs"),
        ("POST", "/api/specs"),
        ("GET", "/api/runs"),
        ("POST", "/api/runs/1"),
        ("GET", "/api/schedules"),
        ("GET", "/api/attachments/1"),
    ]:
        assert client.request(method, path).status_code == 401, path
        wrong = client.request(method, path, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
    good = client.get("/api/specs", headers={"Authorization": f"Bearer {TOKEN}"})
    assert good.status_code == 200
    assert client.get("/specs").status_code == 200


def test_off_loopback_only_allowed_targets_run(serve: Serve) -> None:
    served = serve(
        host="0.0.0.0", api_token=TOKEN, allow_targets=("*.example.com", "10.0.0.5:8080")
    )
    client = served.client
    client.headers["Authorization"] = f"Bearer {TOKEN}"
    urls = {
        "http://api.example.com/x": 202,
        "http://10.0.0.5:8080/": 202,
        "http://10.0.0.5:9090/": 403,
        "http://127.0.0.1:8080/anything": 403,
    }
    for index, (url, expected) in enumerate(urls.items()):
        request = {"method": "GET", "url": url}
        spec = client.post("/api/specs", json=spec_body(name=f"s{index}", request=request)).json()
        answer = client.post(f"/api/runs/{spec['id']}")
        assert answer.status_code == expected, url
        if expected == 403:
            assert "--allow-target" in answer.json()["detail"]
    assert client.get("/api/runs").json()["total"] == 2


def test_code_specs_need_allow_code_specs(serve: Serve) -> None:
    code = spec_body(request=None, scenario_code="from loadforge import *\n")
    refused = serve().client.post("/api/specs", json=code)
    assert refused.status_code == 403
    assert "--allow-code-specs" in refused.json()["detail"]
    allowed = serve(allow_code_specs=True).client.post("/api/specs", json=code)
    assert allowed.status_code == 201
