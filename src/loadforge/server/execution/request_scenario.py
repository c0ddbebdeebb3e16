"""The scenario file a request spec runs: one task that sends the spec's request.

`loadforge serve` runs this file by path (worker processes import scenario
files, not objects), with `LOADFORGE_SERVER_REQUEST` naming the request
description it wrote for the run (see `spec_scenario`). Everything costly
happens once per process, at import: reading the description and the body
file (up to 25 MiB) and encoding a multipart body. Per request the client
still copies the body once, into the message it writes (head + body); for a
25 MiB body that memcpy is a few milliseconds, well below the time the bytes
take to cross even a loopback connection.

Users loop without think time: a spec describes a load level (users, or
`rps` / `arrival_rate` in the profile), not a human's pauses.
"""

from __future__ import annotations

import os

from loadforge import HttpClient, scenario, setup, task
from loadforge.server.execution.spec_scenario import load_description

_REQUEST = load_description(os.environ)
_BODY = _REQUEST.body()
_CONTENT = None if _BODY is None else _BODY.content


def _headers() -> dict[str, str]:
    """The spec's headers, with the body's Content-Type where the spec cannot know it.

    A multipart body's boundary is ours, so its Content-Type replaces the
    spec's; a raw attachment's stored type is used unless the spec names one.
    """
    headers = dict(_REQUEST.headers)
    if _BODY is None or _BODY.content_type is None:
        return headers
    named = [name for name in headers if name.lower() == "content-type"]
    if named and _REQUEST.body_mode != "multipart":
        return headers
    for name in named:
        del headers[name]
    headers["Content-Type"] = _BODY.content_type
    return headers


_HEADERS = _headers()


@scenario(name="request", base_url=_REQUEST.origin, think_time=0)
class SpecRequest:
    """Each virtual user sends the spec's request again and again."""

    @setup
    async def headers(self, client: HttpClient) -> None:
        """The spec's headers become the user's, so each request reuses them as they are."""
        client.headers.update(_HEADERS)

    @task
    async def send(self, client: HttpClient) -> None:
        """One request; a bodiless one is encoded once per user and reused."""
        if _CONTENT is None:
            await client.request(_REQUEST.method, _REQUEST.target)
        else:
            await client.request(_REQUEST.method, _REQUEST.target, data=_CONTENT)
