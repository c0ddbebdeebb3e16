"""The API's refusals as exceptions, and the handlers that turn them into `{"detail": ...}`.

The database functions and the run service raise these without knowing
about HTTP; `install_error_handlers` maps each to its status code, so a
route's body reads as the happy path.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from loadforge.errors import LoadForgeError


class ApiError(LoadForgeError):
    """A request the API refuses; `status_code` is the HTTP answer."""

    status_code = 400


class NotFound(ApiError):
    """An unknown id."""

    status_code = 404


class Conflict(ApiError):
    """The request clashes with the current state (a duplicate name, an active run)."""

    status_code = 409


class Forbidden(ApiError):
    """Not allowed by the server's security settings; the message says how to allow it."""

    status_code = 403


class Unprocessable(ApiError):
    """A body that is well-formed but refers to something that does not fit; `location` names it."""

    status_code = 422

    def __init__(self, message: str, location: tuple[str | int, ...]) -> None:
        super().__init__(message)
        self.location = location


class TooLarge(ApiError):
    """An upload past the size cap."""

    status_code = 413


class Unavailable(ApiError):
    """The server cannot do this now (no executor)."""

    status_code = 503


async def _api_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ApiError)
    if isinstance(exc, Unprocessable):
        return field_error(exc.location, str(exc))
    return JSONResponse({"detail": str(exc)}, status_code=exc.status_code)


async def _validation_error(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    return JSONResponse({"detail": [_safe(error) for error in exc.errors()]}, status_code=422)


def _safe(error: Mapping[str, object]) -> dict[str, object]:
    """A validation error that JSON can carry: `input` only when it encodes as strict UTF-8 JSON.

    FastAPI echoes the offending input; a lone surrogate or a NaN in it would
    make the 422 itself fail to encode, and the client would get a 500.
    """
    kept: dict[str, object] = {key: error[key] for key in ("type", "loc", "msg") if key in error}
    kept["msg"] = _encodable(str(kept.get("msg", "")))
    loc = kept.get("loc")
    if isinstance(loc, Sequence):
        kept["loc"] = [part if isinstance(part, int) else _encodable(str(part)) for part in loc]
    if "input" in error:
        try:
            encoded = jsonable_encoder(error["input"])
            json.dumps(encoded, allow_nan=False, ensure_ascii=False).encode("utf-8")
        except (TypeError, ValueError):
            pass
        else:
            kept["input"] = encoded
    return kept


def _encodable(text: str) -> str:
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def install_error_handlers(app: FastAPI) -> None:
    """Answer every ApiError with its status code and message, and every 422 safely."""
    app.add_exception_handler(ApiError, _api_error)
    app.add_exception_handler(RequestValidationError, _validation_error)


def field_error(location: tuple[str | int, ...], message: str) -> JSONResponse:
    """A 422 in FastAPI's list form, naming the field at `location`."""
    return JSONResponse(
        {"detail": [{"loc": ["body", *location], "msg": message, "type": "value_error"}]},
        status_code=422,
    )
