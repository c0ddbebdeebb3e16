"""The server's caps on a run, over HTTP: 422 naming the key, at save and at start."""

from __future__ import annotations

import pytest

from integration.server.harness import Serve, spec_body

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    ("profile", "key", "option"),
    [
        ({"users": 10**9, "duration": 10}, "users", "--max-users"),
        ({"ramp_up": 1, "users": 10**9, "steady": 1}, "users", "--max-users"),
        ({"users": 1, "duration": 10, "workers": 10_000}, "workers", "--max-workers"),
        ({"users": 1, "duration": "48h"}, "duration", "--max-duration"),
        ({"ramp_up": 1, "users": 1, "steady": 10**6}, "steady", "--max-duration"),
        ({"arrival_rate": 10**7, "duration": 10}, "arrival_rate", "--max-arrival-rate"),
        ({"arrival_rate": 10, "max_users": 10**6, "duration": 10}, "max_users", "--max-users"),
    ],
)
def test_a_profile_over_a_default_cap_is_422(
    serve: Serve, profile: dict[str, object], key: str, option: str
) -> None:
    answer = serve().client.post("/api/specs", json=spec_body(load_profile=profile))
    assert answer.status_code == 422, answer.text
    (error,) = answer.json()["detail"]
    assert error["loc"] == ["body", "load_profile", key]
    assert option in error["msg"]


def test_caps_are_settings_and_hold_when_a_run_starts(serve: Serve) -> None:
    roomy = serve()
    spec = roomy.client.post(
        "/api/specs", json=spec_body(load_profile={"users": 50, "duration": 10})
    )
    assert spec.status_code == 201
    tight = serve(max_users=10, max_duration=5.0)
    assert tight.client.post(f"/api/runs/{spec.json()['id']}").status_code == 422
    assert tight.client.get("/api/runs").json()["total"] == 0
    fits = spec_body(name="small", load_profile={"users": 10, "duration": 5})
    assert tight.client.post("/api/specs", json=fits).status_code == 201
