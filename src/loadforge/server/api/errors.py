"""The API's refusals as exceptions, and the handlers that turn them into `{"detail": ...}`.

The database functions and the run service raise these without knowing
about HTTP; `install_error_handlers` maps each to its status code, so a
route's body reads as the happy path.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
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


def install_error_handlers(app: FastAPI) -> None:
    """Answer every ApiError with its status code and message."""
    app.add_exception_handler(ApiError, _api_error)


def field_error(location: tuple[str | int, ...], message: str) -> JSONResponse:
    """A 422 in FastAPI's list form, naming the field at `location`."""
    return JSONResponse(
        {"detail": [{"loc": ["body", *location], "msg": message, "type": "value_error"}]},
        status_code=422,
    )
