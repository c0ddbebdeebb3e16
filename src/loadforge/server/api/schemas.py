"""The API's JSON bodies (docs/server-api.md) as pydantic models.

Input models forbid unknown keys and validate with `loadforge run`'s own parsers, so
a bad body is a 422 whose `loc` names the field. Output models are what the
OpenAPI page documents; the routers build them from rows in `views.py`. The
web app's TypeScript types are generated from them (``web/src/schemas.ts``).
"""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated, Generic, Literal, TypeVar
from urllib.parse import urlsplit

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    JsonValue,
    WithJsonSchema,
    model_validator,
)

from loadforge.errors import ConfigError
from loadforge.server.api.profile_schema import load_profile_schema
from loadforge.server.api.schedule_times import check_cron, check_timezone
from loadforge.server.api.validation import (
    check_load_profile,
    check_spec_thresholds,
    check_threshold,
)
from loadforge.server.contract import RunSummary
from loadforge.server.execution import validate_request

HttpMethod = Literal["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
RunStatus = Literal["queued", "running", "completed", "stopped", "failed", "interrupted"]

_T = TypeVar("_T")

MAX_ID = 2**31 - 1

CRON_PATTERN = (
    r"^(?:@(?:annually|yearly|monthly|weekly|daily|midnight|hourly)"
    r"|[0-9A-Za-z*?/,#-]+(?:[ \t]+[0-9A-Za-z*?/,#-]+){4,5})$"
)
"""Five fields (six with seconds last) or an @alias; which values fire is croniter's check."""
Identifier = Annotated[int, Field(ge=1, le=MAX_ID)]


class _Input(BaseModel):
    # Strict: `"enabled": 0` or `"spec_id": "1"` is refused, as the schema says, not coerced.
    model_config = ConfigDict(extra="forbid", strict=True)

    @model_validator(mode="before")
    @classmethod
    def _storable(cls, value: object) -> object:
        # Refused before anything is stored: what the database, the JSON answers
        # or the run could not carry later.
        problem = _unstorable(value)
        if problem is not None:
            raise ValueError(problem)
        return value


def _unstorable(value: object) -> str | None:
    """Why a decoded JSON value cannot be stored and sent back, or None."""
    if isinstance(value, str):
        if "\x00" in value:
            # PostgreSQL text cannot hold NUL characters; refused on every backend alike.
            return "text must not contain NUL (\\x00) characters"
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return "text must be valid Unicode (a lone UTF-16 surrogate such as \\ud800 is not)"
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return "numbers must be finite (no NaN, Infinity or values past 1.8e308)"
    if isinstance(value, dict):
        items = (_unstorable(key) or _unstorable(item) for key, item in value.items())
        return next((problem for problem in items if problem is not None), None)
    if isinstance(value, list):
        return next((p for p in map(_unstorable, value) if p is not None), None)
    return None


def _url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an http:// or https:// URL with a host")
    return value


def _threshold(value: str) -> str:
    try:
        return check_threshold(value)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None


def _cron(value: str) -> str:
    try:
        return check_cron(value)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None


def _timezone(value: str) -> str:
    try:
        return check_timezone(value)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None


def _profile(value: dict[str, JsonValue]) -> dict[str, JsonValue]:
    try:
        check_load_profile(value)
    except ConfigError as exc:
        raise ValueError(str(exc)) from None
    return value


class RequestSpec(_Input):
    """The one HTTP request a spec sends, repeatedly."""

    method: HttpMethod = "GET"
    url: Annotated[str, Field(max_length=2048), AfterValidator(_url)]
    headers: dict[str, str] = Field(default_factory=dict)
    body: str | None = None
    attachment_id: Identifier | None = None
    body_mode: Literal["raw", "multipart"] = "raw"
    record_timings: bool = Field(
        default=False,
        description="Record each response's ttfb and receiving times (per endpoint), which"
        " thresholds on ttfb or receiving need.",
    )

    @model_validator(mode="after")
    def _one_body(self) -> RequestSpec:
        if self.body is not None and self.attachment_id is not None:
            raise ValueError("give either body or attachment_id, not both")
        return self


def _sendable(request: RequestSpec | None) -> RequestSpec | None:
    """The request as saved: checked as the run's client will encode and send it."""
    if request is not None:
        try:
            validate_request(request.model_dump())
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
    return request


class SpecInput(_Input):
    """POST/PUT /api/specs: a request or scenario code, a load profile, thresholds."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "checkout",
                    "request": {
                        "method": "POST",
                        "url": "http://127.0.0.1:8080/anything",
                        "headers": {"Content-Type": "application/json"},
                        "body": '{"a": 1}',
                    },
                    "load_profile": {"ramp_up": 5, "users": 50, "steady": 20, "ramp_down": 5},
                    "thresholds": ["p95<500ms", "error_rate<=0.01"],
                }
            ]
        },
    )

    name: Annotated[str, Field(min_length=1, max_length=200)]
    request: Annotated[RequestSpec | None, AfterValidator(_sendable)] = None
    scenario_code: Annotated[str, Field(min_length=1, max_length=1_000_000)] | None = None
    load_profile: Annotated[
        dict[str, JsonValue],
        AfterValidator(_profile),
        WithJsonSchema(load_profile_schema(), mode="validation"),
    ]
    thresholds: list[
        Annotated[str, Field(min_length=1, max_length=500), AfterValidator(_threshold)]
    ] = Field(default_factory=list)

    @model_validator(mode="after")
    def _request_or_code(self) -> SpecInput:
        if (self.request is None) == (self.scenario_code is None):
            raise ValueError("give exactly one of request and scenario_code")
        try:
            check_spec_thresholds(
                self.thresholds,
                self.scenario_code,
                records_timings=None if self.request is None else self.request.record_timings,
            )
        except ConfigError as exc:
            raise ValueError(str(exc)) from None
        return self


class LastRun(BaseModel):
    """The latest run of a spec, as the specs list shows it."""

    id: int
    status: RunStatus
    passed: bool | None
    finished_at: datetime | None


class Spec(BaseModel):
    """A saved spec."""

    id: int
    name: str
    request: RequestSpec | None
    scenario_code: str | None
    load_profile: dict[str, JsonValue]
    thresholds: list[str]
    created_at: datetime
    updated_at: datetime
    last_run: LastRun | None


class Attachment(BaseModel):
    """An uploaded file's record."""

    id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    created_at: datetime


class Progress(BaseModel):
    """How far a run is."""

    elapsed_seconds: float
    duration_seconds: float
    fraction: float


class ThresholdResult(BaseModel):
    """One threshold's verdict."""

    expression: str
    passed: bool
    actual: str


class Run(BaseModel):
    """A run, with the spec frozen as it started."""

    id: int
    spec_id: int | None
    spec: dict[str, JsonValue]
    status: RunStatus
    schedule_id: int | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    progress: Progress
    summary: RunSummary | None
    thresholds: list[ThresholdResult]
    passed: bool | None
    error: str | None


class ScheduleInput(_Input):
    """POST/PUT /api/schedules."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {"spec_id": 1, "cron": "*/5 * * * *", "timezone": "Europe/Paris", "enabled": True}
            ]
        },
    )

    spec_id: Identifier
    cron: Annotated[str, Field(max_length=200, pattern=CRON_PATTERN), AfterValidator(_cron)]
    timezone: Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_timezone)] = "UTC"
    enabled: bool = True


class Schedule(BaseModel):
    """A schedule and when it fires."""

    id: int
    spec_id: int
    cron: str
    timezone: str
    enabled: bool
    next_fire_at: datetime | None
    last_fire_at: datetime | None
    last_run_id: int | None
    created_at: datetime
    updated_at: datetime


class Page(BaseModel, Generic[_T]):
    """A page of a list, newest first."""

    items: list[_T]
    total: int
    limit: int
    offset: int
