"""`/docs`: Swagger UI for the OpenAPI schema, served from the package, never from a CDN.

The pages keep the API token in the browser's localStorage for this origin,
so a script loaded from a CDN into /docs could read it. Swagger UI's browser
files (the `swagger-ui-dist` npm package, copied in by `npm run build`) sit in
`dashboard/static/swagger-ui/` and are served under /docs/assets; the page's
own start-up script is a file too, so the page runs under a CSP without
'unsafe-inline' scripts. /openapi.json stays where FastAPI puts it.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

from loadforge.server.api.pages import STATIC_DIR

SWAGGER_DIR = STATIC_DIR / "swagger-ui"

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>LoadForge server API</title>
    <link rel="icon" href="data:,">
    <link rel="stylesheet" href="/docs/assets/swagger-ui.css">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/assets/swagger-ui-bundle.js"></script>
    <script src="/docs/start.js"></script>
  </body>
</html>
"""

START = """window.ui = SwaggerUIBundle({
  url: "/openapi.json",
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
"""

MISSING = (
    "<!doctype html><title>LoadForge server API</title><p>Swagger UI is not built"
    " (<code>cd web &amp;&amp; npm run build</code>); the schema is at"
    ' <a href="/openapi.json">/openapi.json</a>.</p>'
)


def install_docs(app: FastAPI, swagger_dir: Path = SWAGGER_DIR) -> None:
    """Serve /docs, its start-up script and Swagger UI's files (FastAPI's own /docs is off)."""
    built = (swagger_dir / "swagger-ui-bundle.js").is_file()

    async def docs() -> HTMLResponse:
        return HTMLResponse(PAGE if built else MISSING)

    async def start() -> Response:
        return Response(START, media_type="text/javascript")

    app.add_api_route("/docs", docs, methods=["GET"], include_in_schema=False)
    app.add_api_route("/docs/start.js", start, methods=["GET"], include_in_schema=False)
    if built:
        app.mount("/docs/assets", StaticFiles(directory=swagger_dir), name="docs-assets")
