"""Query and path parameters shared by the routers: page size and offset, ids.

Ids are bounded to PostgreSQL's `integer` range, so an absurd id is a 422
rather than a database overflow.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query

MAX_LIMIT = 200
DEFAULT_LIMIT = 50
MAX_ID = 2**31 - 1

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="Items to skip.")]
SpecId = Annotated[int, Path(ge=1, le=MAX_ID, description="A spec's id.")]
RunId = Annotated[int, Path(ge=1, le=MAX_ID, description="A run's id.")]
# `/api/runs/{id}` is one path: a run's id for GET and DELETE, a spec's id for POST
# (start a run of it). OpenAPI allows no two templates that differ only in a name.
RunOfPath = Annotated[int, Path(alias="id", ge=1, le=MAX_ID, description="A run's id.")]
SpecOfPath = Annotated[
    int, Path(alias="id", ge=1, le=MAX_ID, description="The id of the spec to run.")
]
AttachmentId = Annotated[int, Path(ge=1, le=MAX_ID, description="An attachment's id.")]
ScheduleId = Annotated[int, Path(ge=1, le=MAX_ID, description="A schedule's id.")]
SpecFilter = Annotated[int | None, Query(ge=1, le=MAX_ID, description="Only this spec's runs.")]
