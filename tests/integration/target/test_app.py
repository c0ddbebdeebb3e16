"""The demo API's routes, against a real server on 127.0.0.1."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from loadforge.target import app as target_app
from loadforge.target import create_app


class TestEcho:
    def test_get_echoes_method_path_args_and_headers(self, client: httpx.Client) -> None:
        response = client.get("/anything", params={"q": "1"}, headers={"X-Probe": "yes"})
        body = response.json()
        assert response.status_code == 200
        assert body["method"] == "GET"
        assert body["path"] == "/anything"
        assert body["args"] == {"q": "1"}
        assert body["headers"]["x-probe"] == "yes"
        assert body["json"] is None

    @pytest.mark.parametrize("method", ["POST", "PUT", "PATCH", "DELETE"])
    def test_other_methods_echo_the_json_body(self, client: httpx.Client, method: str) -> None:
        response = client.request(method, "/anything/deeper/path", json={"k": [1, 2]})
        body = response.json()
        assert body["method"] == method
        assert body["path"] == "/anything/deeper/path"
        assert body["json"] == {"k": [1, 2]}

    def test_non_json_body_is_echoed_as_text(self, client: httpx.Client) -> None:
        body = client.post("/anything", content=b"plain text").json()
        assert body["json"] is None
        assert body["data"] == "plain text"


class TestAuth:
    @pytest.mark.parametrize("field", ["email", "username"])
    def test_login_with_any_non_empty_password(self, client: httpx.Client, field: str) -> None:
        response = client.post("/auth/login", json={field: "someone", "password": "x"})
        assert response.status_code == 200
        assert response.json()["user"] == "someone"
        assert len(response.json()["token"]) >= 16

    @pytest.mark.parametrize(
        "body",
        [
            {"email": "a@b.c", "password": ""},
            {"email": "a@b.c"},
            {"password": "x"},
            {"email": 1, "password": "x"},
        ],
    )
    def test_login_without_credentials_is_401(self, client: httpx.Client, body: object) -> None:
        response = client.post("/auth/login", json=body)
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"

    @pytest.mark.parametrize("content", [b"not json", b"[1, 2]"])
    def test_login_with_a_malformed_body_is_422(self, client: httpx.Client, content: bytes) -> None:
        assert client.post("/auth/login", content=content).status_code == 422

    def test_tokens_differ_per_login(self, client: httpx.Client) -> None:
        credentials = {"email": "same", "password": "x"}
        first = client.post("/auth/login", json=credentials).json()["token"]
        second = client.post("/auth/login", json=credentials).json()["token"]
        assert first != second

    def test_logout_revokes_the_token(self, client: httpx.Client, auth: dict[str, str]) -> None:
        assert client.get("/items", headers=auth).status_code == 200
        assert client.post("/auth/logout", headers=auth).json() == {"logged_out": True}
        assert client.get("/items", headers=auth).status_code == 401
        assert client.post("/auth/logout", headers=auth).status_code == 401

    def test_logout_without_a_token_is_401(self, client: httpx.Client) -> None:
        assert client.post("/auth/logout").status_code == 401

    @pytest.mark.parametrize(
        "authorization", [None, "Bearer", "Bearer unknown-token", "Basic dXNlcjpwdw=="]
    )
    def test_items_need_a_valid_bearer_token(
        self, client: httpx.Client, authorization: str | None
    ) -> None:
        headers = {} if authorization is None else {"Authorization": authorization}
        for response in (
            client.get("/items", headers=headers),
            client.get("/items/1", headers=headers),
            client.post("/items", json={"name": "x"}, headers=headers),
        ):
            assert response.status_code == 401
            assert response.headers["www-authenticate"] == "Bearer"

    def test_auth_is_checked_before_the_body(self, client: httpx.Client) -> None:
        assert client.post("/items", json={"wrong": True}).status_code == 401


class TestItems:
    def test_list_pages_through_the_catalogue(
        self, client: httpx.Client, auth: dict[str, str]
    ) -> None:
        first = client.get("/items", headers=auth).json()
        page = client.get("/items", params={"limit": 5, "offset": 10}, headers=auth).json()
        assert len(first["items"]) == 20
        assert first["items"][0] == {"id": 1, "name": "Item 1"}
        assert first["total"] >= 1000
        assert [item["id"] for item in page["items"]] == [11, 12, 13, 14, 15]
        assert page["offset"] == 10

    @pytest.mark.parametrize("params", [{"limit": 0}, {"limit": 101}, {"offset": -1}])
    def test_bad_paging_is_422(
        self, client: httpx.Client, auth: dict[str, str], params: dict[str, int]
    ) -> None:
        assert client.get("/items", params=params, headers=auth).status_code == 422

    @pytest.mark.parametrize("item_id", [1, 500, 1000])
    def test_initial_items_exist(
        self, client: httpx.Client, auth: dict[str, str], item_id: int
    ) -> None:
        response = client.get(f"/items/{item_id}", headers=auth)
        assert response.json() == {"id": item_id, "name": f"Item {item_id}"}

    @pytest.mark.parametrize(("path", "status"), [("0", 404), ("999999", 404), ("abc", 422)])
    def test_unknown_items(
        self, client: httpx.Client, auth: dict[str, str], path: str, status: int
    ) -> None:
        assert client.get(f"/items/{path}", headers=auth).status_code == status

    def test_create_returns_201_and_the_item_can_be_read(
        self, client: httpx.Client, auth: dict[str, str]
    ) -> None:
        before = client.get("/items", headers=auth).json()["total"]
        response = client.post("/items", json={"name": "Widget"}, headers=auth)
        created = response.json()
        assert response.status_code == 201
        assert created["name"] == "Widget"
        assert created["id"] > 1000
        assert client.get(f"/items/{created['id']}", headers=auth).json() == created
        assert client.get("/items", headers=auth).json()["total"] == before + 1

    @pytest.mark.parametrize("body", [{}, {"name": ""}, {"name": 5}, {"name": "x" * 201}])
    def test_create_with_an_invalid_body_is_422(
        self, client: httpx.Client, auth: dict[str, str], body: object
    ) -> None:
        assert client.post("/items", json=body, headers=auth).status_code == 422


class TestHelpers:
    def test_delay_sleeps_and_reports_it(self, client: httpx.Client) -> None:
        assert client.get("/delay/30").json() == {"delay_ms": 30}

    def test_delay_is_capped(self, client: httpx.Client, monkeypatch: pytest.MonkeyPatch) -> None:
        monkeypatch.setattr(target_app, "MAX_DELAY_MS", 5)
        assert client.get("/delay/100000").json() == {"delay_ms": 5}

    @pytest.mark.parametrize("path", ["/delay/-1", "/delay/soon"])
    def test_bad_delays_are_422(self, client: httpx.Client, path: str) -> None:
        assert client.get(path).status_code == 422

    @pytest.mark.parametrize("code", [200, 201, 302, 404, 418, 500, 503, 599])
    def test_status_answers_with_that_code(self, client: httpx.Client, code: int) -> None:
        response = client.get(f"/status/{code}")
        assert response.status_code == code
        assert response.json() == {"status": code}

    @pytest.mark.parametrize("code", [204, 304])
    def test_bodiless_statuses_have_no_body(self, client: httpx.Client, code: int) -> None:
        response = client.get(f"/status/{code}")
        assert response.status_code == code
        assert response.content == b""

    @pytest.mark.parametrize("code", [100, 101, 199, 600, 1000])
    def test_codes_that_cannot_end_a_request_are_422(self, client: httpx.Client, code: int) -> None:
        assert client.get(f"/status/{code}").status_code == 422


class TestStats:
    def test_counts_per_route_template_and_total(
        self, client: httpx.Client, auth: dict[str, str]
    ) -> None:
        client.post("/stats/reset")
        client.get("/items", headers=auth)
        client.get("/items/1", headers=auth)
        client.get("/items/2", headers=auth)
        client.get("/items/999999", headers=auth)
        client.get("/items")
        client.put("/anything/x")
        client.get("/no/such/route")
        client.get("/stats")

        stats = client.get("/stats").json()

        assert stats == {
            "total": 7,
            "routes": {
                "GET (no route)": 1,
                "GET /items": 2,
                "GET /items/{item_id}": 3,
                "PUT /anything/{rest:path}": 1,
            },
        }

    def test_reset_starts_from_zero(self, client: httpx.Client) -> None:
        client.get("/anything")
        assert client.post("/stats/reset").json() == {"total": 0, "routes": {}}
        assert client.get("/stats").json()["total"] == 0

    async def test_counting_is_exact_under_concurrency(
        self, client: httpx.Client, target_url: str
    ) -> None:
        host, port = target_url.removeprefix("http://").rsplit(":", 1)
        statuses = await asyncio.gather(
            *(send_on_one_connection(host, int(port), "/anything", 10) for _ in range(30)),
            *(send_on_one_connection(host, int(port), "/delay/1", 5) for _ in range(20)),
        )
        assert [status for batch in statuses for status in batch] == [200] * 400
        async with httpx.AsyncClient(base_url=target_url, trust_env=False) as http:
            stats = (await http.get("/stats")).json()
        assert stats["total"] == 400
        assert stats["routes"] == {"GET /anything": 300, "GET /delay/{ms}": 100}


async def send_on_one_connection(host: str, port: int, path: str, count: int) -> list[int]:
    """Send ``count`` keep-alive GETs on one connection; return their statuses."""
    reader, writer = await asyncio.open_connection(host, port)
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    statuses = []
    try:
        for _ in range(count):
            writer.write(request)
            head = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
            statuses.append(int(head.split()[1]))
            length = int(head.split("content-length:")[1].split("\r\n")[0])
            await reader.readexactly(length)
    finally:
        writer.close()
        await writer.wait_closed()
    return statuses


async def test_each_app_has_its_own_state() -> None:
    # In-process ASGI calls: no server needed to compare two apps.
    transports = [httpx.ASGITransport(app=create_app()) for _ in range(2)]
    async with (
        httpx.AsyncClient(transport=transports[0], base_url="http://first") as first,
        httpx.AsyncClient(transport=transports[1], base_url="http://second") as second,
    ):
        login = await first.post("/auth/login", json={"email": "a", "password": "b"})
        headers = {"Authorization": f"Bearer {login.json()['token']}"}
        created = await first.post("/items", json={"name": "only here"}, headers=headers)
        assert created.json()["id"] == 1001
        assert (await second.get("/items/1001", headers=headers)).status_code == 401
        assert (await first.get("/stats")).json()["total"] == 2
        assert (await second.get("/stats")).json()["total"] == 1
