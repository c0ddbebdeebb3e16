"""The list endpoints' `limit`/`offset` query parameters and their envelope."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

MAX_LIMIT = 200
DEFAULT_LIMIT = 50

Limit = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Items per page.")]
Offset = Annotated[int, Query(ge=0, le=2**31 - 1, description="Items to skip.")]
