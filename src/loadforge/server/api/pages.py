"""The web pages: the built React app from loadforge/dashboard/static, with client-side routes.

`/assets/*` are the bundle's files; the app's routes (`/specs`, `/specs/new`,
`/specs/{id}/edit`, `/runs`, `/runs/{id}`, `/schedules`) all answer
index.html and the React router takes over in the browser. `/` is the run
dashboard of `loadforge run --dashboard` in the same app, which has no run to
show here, so the server sends `/` to the specs list.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

STATIC_DIR = Path(__file__).resolve().parents[2] / "dashboard" / "static"

PAGE_ROUTES = (
    "/specs",
    "/specs/new",
    "/specs/{spec_id}/edit",
    "/runs",
    "/runs/{run_id}",
    "/schedules",
)

MISSING_BUNDLE = (
    "<!doctype html><title>LoadForge</title><p>The web pages are not built; the API is at"
    ' <a href="/docs">/docs</a>.</p>'
)


def install_pages(app: FastAPI, static_dir: Path = STATIC_DIR) -> None:
    """Serve the single-page app's files and its routes."""
    index = static_dir / "index.html"

    async def page() -> Response:
        if not index.is_file():
            return HTMLResponse(MISSING_BUNDLE)
        return FileResponse(index, media_type="text/html")

    async def home() -> RedirectResponse:
        return RedirectResponse("/specs")

    app.add_api_route("/", home, methods=["GET"], include_in_schema=False)
    for path in PAGE_ROUTES:
        app.add_api_route(path, page, methods=["GET"], include_in_schema=False)
    assets = static_dir / "assets"
    if assets.is_dir():
        app.mount("/assets", StaticFiles(directory=assets), name="assets")
