"""What to send next when a server answers with a redirect.

The rules follow what browsers and the mainstream clients (requests, httpx)
do, so a scenario sees the same flow it would see in production: 301, 302
and 303 turn the request into a body-less GET (HEAD stays HEAD), 307 and 308
repeat it unchanged, and credentials never follow a redirect to another
origin. Pure functions, so the rules are tested without a server.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urljoin

from loadforge.http._urls import origin_of

__all__ = ["MAX_REDIRECTS", "REDIRECT_STATUSES", "RedirectHop", "next_hop"]

MAX_REDIRECTS = 10
"""Redirects followed within one call before it fails as ``too_many_redirects``."""

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True, slots=True)
class RedirectHop:
    """The request that follows a redirect."""

    method: str
    url: str
    keep_body: bool
    drop_authorization: bool


def next_hop(method: str, status: int, location: str, current_url: str) -> RedirectHop:
    """Where and how to follow a `status` redirect to `location` from `current_url`."""
    url = urljoin(current_url, location.strip()).partition("#")[0]
    if status in (307, 308):
        next_method, keep_body = method, True
    else:
        next_method, keep_body = ("HEAD" if method == "HEAD" else "GET"), False
    cross_origin = origin_of(url) != origin_of(current_url)
    return RedirectHop(next_method, url, keep_body, cross_origin)
