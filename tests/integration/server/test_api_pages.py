"""The web pages: the React app's routes answer index.html, its assets are served, /docs works."""

from __future__ import annotations

from pathlib import Path

import pytest

from integration.server.harness import Served
from loadforge.server.api.pages import STATIC_DIR

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@pytest.mark.parametrize(
    "path", ["/specs", "/specs/new", "/specs/3/edit", "/runs", "/runs/7", "/schedules"]
)
def test_app_routes_answer_the_page(served: Served, path: str) -> None:
    answer = served.client.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/html")
    assert answer.text == (STATIC_DIR / "index.html").read_text()


def test_the_root_sends_the_browser_to_the_specs(served: Served) -> None:
    answer = served.client.get("/", follow_redirects=False)
    assert answer.status_code == 307
    assert answer.headers["location"] == "/specs"


def test_assets_docs_and_unknown_paths(served: Served) -> None:
    asset = next(path for path in (STATIC_DIR / "assets").iterdir() if path.suffix == ".js")
    answer = served.client.get(f"/assets/{asset.name}")
    assert answer.status_code == 200
    assert answer.content == Path(asset).read_bytes()
    assert served.client.get("/docs").status_code == 200
    assert "/api/specs" in served.client.get("/openapi.json").json()["paths"]
    assert served.client.get("/nowhere").status_code == 404
    assert served.client.get("/api/nowhere").status_code == 404
