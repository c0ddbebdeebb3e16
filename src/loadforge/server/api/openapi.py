"""What the OpenAPI schema says about answers other than success, and about 405s.

Every error answer is `{"detail": "..."}` except a 422, which is FastAPI's
list of `{loc, msg, type}` naming the fields. Each router lists the errors
any of its routes may give (no token, a foreign Host or Origin, a body that
is not JSON or too large); each route adds its own (404, 409, ...).

A 405's `Allow` names every method the path has. Starlette's router stops
at the first route whose path matches, so `PUT /api/specs` would be
answered `Allow: GET` although POST is there too.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, JsonValue
from starlette.exceptions import HTTPException

_DESCRIPTIONS = {
    400: "A malformed body, or (without a token) a Host that is not this server's loopback name",
    401: "LOADFORGE_API_TOKEN is set and the bearer token is missing or wrong",
    403: "Not allowed by the server's settings (the detail says how to allow it), or a"
    " cross-origin request without a token",
    404: "No such id",
    409: "Clashes with the current state (a duplicate name, a run still active or ended)",
    413: "The body is over its cap (JSON: 8 MiB, an upload: 25 MiB)",
    415: "A JSON route was sent another content type",
    503: "This server has no run executor",
}


class ErrorMessage(BaseModel):
    """Every error answer but 422."""

    detail: str


class FieldError(BaseModel):
    """One field a 422 refuses."""

    loc: list[str | int]
    msg: str
    type: str
    input: JsonValue = None


class FieldErrors(BaseModel):
    """A 422: the fields refused, each with where it is and why."""

    detail: list[FieldError]


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI `responses` entries for these error codes (422: the field list)."""
    entries: dict[int | str, dict[str, Any]] = {}
    for code in codes:
        if code == 422:
            entries[422] = {"model": FieldErrors, "description": "Invalid input, by field"}
        else:
            entries[code] = {"model": ErrorMessage, "description": _DESCRIPTIONS[code]}
    return entries


READS = errors(400, 401, 422)
"""What any /api route may answer besides its own errors."""

WRITES = errors(400, 401, 403, 413, 415, 422)
"""What a JSON-body route may answer besides its own errors."""


def links(status: int, targets: dict[str, tuple[str, str, str]]) -> dict[int | str, Any]:
    """A success response's OpenAPI links: name → (path, method, parameter) fed the new id."""
    return {
        status: {
            "links": {
                name: {
                    "operationRef": "#/paths/" + path.replace("/", "~1") + "/" + method,
                    "parameters": {parameter: "$response.body#/id"},
                }
                for name, (path, method, parameter) in targets.items()
            }
        }
    }


def allowed_methods(app: FastAPI, path: str) -> list[str]:
    """The methods the OpenAPI schema gives the path (HEAD too where GET is); [] if none."""
    methods: set[str] = set()
    for template, operations in app.openapi().get("paths", {}).items():
        if _template(template).fullmatch(path):
            methods.update(method.upper() for method in operations)
    if "GET" in methods:
        methods.add("HEAD")
    return sorted(methods)


@functools.lru_cache(maxsize=256)
def _template(template: str) -> re.Pattern[str]:
    return re.compile(re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template)))


async def _not_allowed(request: Request, exc: Exception) -> JSONResponse:
    # Starlette's router stops at the first route whose path matches; the schema has them all.
    methods = allowed_methods(request.app, request.url.path)
    headers = exc.headers if isinstance(exc, HTTPException) else None
    allow = ", ".join(methods) if methods else (headers or {}).get("Allow", "")
    return JSONResponse({"detail": "Method Not Allowed"}, status_code=405, headers={"Allow": allow})


def install_method_not_allowed(app: FastAPI) -> None:
    """Answer 405 with every method the path has in `Allow`."""
    app.add_exception_handler(405, _not_allowed)
