"""Specs on SQLite and PostgreSQL: CRUD, 404, 409, 422 naming the field, transactions."""

from __future__ import annotations

from integration.server.harness import Serve, Served, spec_body


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


SHOP_CODE = """
from loadforge import HttpClient, metrics, scenario, task

orders = metrics.counter("orders")
paid = metrics.rate("paid")
cart_ms = metrics.trend("cart_ms")


@scenario(base_url="http://127.0.0.1:8080")
class Shop:
    @task
    async def buy(self, client: HttpClient) -> None:
        await client.get("/anything")
"""


def code_spec(name: str, thresholds: list[str], code: str = SHOP_CODE) -> dict[str, object]:
    return spec_body(name=name, request=None, scenario_code=code, thresholds=thresholds)


def test_thresholds_may_name_the_custom_metrics_its_scenario_code_declares(serve: Serve) -> None:
    client = serve(allow_code_specs=True).client
    thresholds = ["orders>1000", "paid>=99%", "cart_ms: p95<200ms", "p95<500ms"]
    created = client.post("/api/specs", json=code_spec("shop", thresholds))
    assert created.status_code == 201, created.text
    assert created.json()["thresholds"] == thresholds

    wrong_unit = client.post("/api/specs", json=code_spec("wrong unit", ["orders<3ms"]))
    assert wrong_unit.status_code == 422
    (error,) = wrong_unit.json()["detail"]
    assert error["loc"] == ["body", "thresholds", 0]
    assert "orders takes a plain count" in error["msg"]


def test_a_custom_metric_the_spec_can_never_record_is_refused_when_saved(serve: Serve) -> None:
    client = serve(allow_code_specs=True).client
    typo = client.post("/api/specs", json=code_spec("typo", ["p95<500ms", "order>1"]))
    request = client.post("/api/specs", json=spec_body(name="request", thresholds=["orders>1"]))

    assert typo.status_code == 422
    assert "thresholds[1] 'order>1': unknown metric 'order'" in typo.text
    assert "its scenario code declares cart_ms, orders, paid" in typo.text
    assert request.status_code == 422
    assert "a request spec records no custom metrics" in request.text


def test_code_that_may_declare_metrics_out_of_sight_is_judged_when_the_run_ends(
    serve: Serve,
) -> None:
    client = serve(allow_code_specs=True).client
    dynamic = SHOP_CODE.replace('metrics.counter("orders")', 'metrics.counter("or" + "ders")')
    created = client.post("/api/specs", json=code_spec("dynamic", ["orders>1"], dynamic))

    assert created.status_code == 201, created.text
