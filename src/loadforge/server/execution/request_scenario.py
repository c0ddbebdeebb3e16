"""The scenario file a request spec runs: one task that sends the spec's request.

`loadforge serve` runs this file by path (worker processes import scenario
files, not objects), with `LOADFORGE_SERVER_REQUEST` naming the request
description it wrote for the run (see `spec_scenario`). Everything costly
happens once per process: reading the description and the body file (up to
25 MiB) and encoding a multipart body, at import; encoding the request
message (head + body), on the first request.

That message is then shared by every user of the process, through
`HttpClient.prepare` and `HttpClient.send`: `client.request(..., data=body)`
would build a new message per request, a copy of the body that lives until
the request is written, so memory would grow with the users in flight (50
users sending 25 MiB peaked at 2.6 GB resident); shared, it is one copy.

Users loop without think time: a spec describes a load level (users, or
`rps` / `arrival_rate` in the profile), not a human's pauses. With
`request.record_timings` each response's `ttfb` and `receiving` are recorded.
"""

from __future__ import annotations

import os

from loadforge import HttpClient, scenario, setup, task
from loadforge.http import PreparedRequest
from loadforge.server.execution.spec_scenario import load_description

_REQUEST = load_description(os.environ)
_BODY = _REQUEST.body()
_SHARED: list[PreparedRequest] = []  # the one message of this process, once built


def _headers() -> dict[str, str]:
    """The spec's headers; a multipart body's Content-Type (its boundary is ours) wins."""
    headers = dict(_REQUEST.headers)
    if _BODY is not None and _REQUEST.body_mode == "multipart":
        for name in [name for name in headers if name.lower() == "content-type"]:
            del headers[name]
    return headers


_HEADERS = _headers()


async def _send_shared(client: HttpClient) -> None:
    """Send the body-carrying request, encoded once per process and reused by every user."""
    if not _SHARED:
        # The body's own Content-Type (attachment type, multipart boundary) is
        # added unless the spec's headers name one.
        body = _BODY
        assert body is not None  # only requests with a body are shared
        content_type = body.content_type
        if content_type is None or any(name.lower() == "content-type" for name in _HEADERS):
            extra = None
        else:
            extra = {"Content-Type": content_type}
        _SHARED.append(
            client.prepare(_REQUEST.method, _REQUEST.target, data=body.content, headers=extra)
        )
    await client.send(_SHARED[0])


@scenario(
    name=_REQUEST.name,
    base_url=_REQUEST.origin,
    think_time=0,
    record_timings=_REQUEST.record_timings,
)
class SpecRequest:
    """Each virtual user sends the spec's request again and again."""

    @setup
    async def headers(self, client: HttpClient) -> None:
        """The spec's headers become the user's (the same for every user)."""
        client.headers.update(_HEADERS)

    @task
    async def send(self, client: HttpClient) -> None:
        """One request; a bodiless one is encoded once per user and reused by the client."""
        if _BODY is None:
            await client.request(_REQUEST.method, _REQUEST.target)
        else:
            await _send_shared(client)
