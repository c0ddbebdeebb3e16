"""Specs on SQLite and PostgreSQL: CRUD, 404, 409, 422 naming the field, transactions."""

from __future__ import annotations

from integration.server.harness import Served, spec_body


def test_create_read_list_replace_delete(served: Served) -> None:
    client = served.client
    created = client.post("/api/specs", json=spec_body())
    assert created.status_code == 201
    spec = created.json()
    assert spec["name"] == "checkout"
    assert spec["request"]["attachment_id"] is None
    assert spec["last_run"] is None
    assert spec["created_at"].endswith("Z")
    assert client.get(f"/api/specs/{spec['id']}").json() == spec

    client.post("/api/specs", json=spec_body(name="second"))
    page = client.get("/api/specs", params={"limit": 1}).json()
    assert page["total"] == 2
    assert page["limit"] == 1
    assert [item["name"] for item in page["items"]] == ["second"]
    assert client.get("/api/specs", params={"offset": 1}).json()["items"][0]["id"] == spec["id"]

    replaced = client.put(f"/api/specs/{spec['id']}", json=spec_body(name="renamed"))
    assert replaced.status_code == 200
    assert replaced.json()["name"] == "renamed"
    assert client.delete(f"/api/specs/{spec['id']}").status_code == 204
    assert client.get(f"/api/specs/{spec['id']}").status_code == 404


def test_unknown_ids_are_404(served: Served) -> None:
    client = served.client
    assert client.get("/api/specs/999").json() == {"detail": "Spec 999 does not exist."}
    assert client.put("/api/specs/999", json=spec_body()).status_code == 404
    assert client.delete("/api/specs/999").status_code == 404


def test_a_duplicate_name_is_409_and_a_failed_update_changes_nothing(served: Served) -> None:
    client = served.client
    first = client.post("/api/specs", json=spec_body()).json()
    assert client.post("/api/specs", json=spec_body()).status_code == 409
    second = client.post("/api/specs", json=spec_body(name="other", thresholds=[])).json()
    answer = client.put(f"/api/specs/{second['id']}", json=spec_body(name="checkout"))
    assert answer.status_code == 409
    assert client.get(f"/api/specs/{second['id']}").json() == second
    assert client.get("/api/specs").json()["total"] == 2
    assert client.get(f"/api/specs/{first['id']}").json()["name"] == "checkout"


def test_bad_bodies_are_422_naming_the_field(served: Served) -> None:
    client = served.client
    cases = {
        ("body", "load_profile"): spec_body(load_profile={"users": -1, "duration": 5}),
        ("body", "thresholds", 1): spec_body(thresholds=["p95<500ms", "p95<<1"]),
        ("body", "request", "url"): spec_body(
            request={"method": "GET", "url": "ftp://example.com/"}
        ),
        ("body", "request", "method"): spec_body(
            request={"method": "BREW", "url": "http://127.0.0.1/"}
        ),
        ("body", "name"): spec_body(name=""),
    }
    for location, body in cases.items():
        answer = client.post("/api/specs", json=body)
        assert answer.status_code == 422, body
        assert [list(error["loc"]) for error in answer.json()["detail"]] == [list(location)]
    unknown = client.post("/api/specs", json=spec_body(load_profile={"users": 2, "output": "/"}))
    assert "load_profile.output cannot be set" in unknown.json()["detail"][0]["msg"]
    both = client.post("/api/specs", json=spec_body(scenario_code="print(1)"))
    assert both.status_code == 422
    assert client.get("/api/specs").json()["total"] == 0


def test_an_unknown_attachment_is_422_naming_it(served: Served) -> None:
    request = {"method": "POST", "url": "http://127.0.0.1:8080/", "attachment_id": 41}
    answer = served.client.post("/api/specs", json=spec_body(request=request))
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "request", "attachment_id"]


def test_run_option_profiles_are_accepted(served: Served) -> None:
    profile = {"users": 5, "pattern": "ramp", "ramp_to": 50, "duration": "1m"}
    answer = served.client.post("/api/specs", json=spec_body(load_profile=profile))
    assert answer.status_code == 201
    assert answer.json()["load_profile"] == profile


def test_deleting_a_spec_with_an_active_run_is_409(served: Served) -> None:
    client = served.client
    spec = client.post("/api/specs", json=spec_body()).json()
    run = client.post(f"/api/runs/{spec['id']}").json()
    assert client.delete(f"/api/specs/{spec['id']}").status_code == 409
    served.call(served.executor.finish, run["id"])
    assert client.get(f"/api/specs/{spec['id']}").json()["last_run"]["status"] == "completed"
    assert client.delete(f"/api/specs/{spec['id']}").status_code == 204
    kept = client.get(f"/api/runs/{run['id']}").json()
    assert kept["spec_id"] is None
    assert kept["spec"]["name"] == "checkout"


def test_thresholds_may_name_the_custom_metrics_of_a_scenario(served: Served) -> None:
    # The scenario declares them when it runs; the server takes `run`'s grammar for them.
    thresholds = ["orders>1000", "paid>=99%", "cart_ms: p95<200ms", "p95<500ms"]
    created = served.client.post("/api/specs", json=spec_body(thresholds=thresholds))
    assert created.status_code == 201, created.text
    assert created.json()["thresholds"] == thresholds

    wrong_unit = served.client.post(
        "/api/specs", json=spec_body(name="wrong unit", thresholds=["orders<3ms"])
    )
    assert wrong_unit.status_code == 422
    (error,) = wrong_unit.json()["detail"]
    assert error["loc"] == ["body", "thresholds", 0]
    assert "orders takes a plain count" in error["msg"]
