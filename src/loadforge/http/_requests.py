"""Requests encoded once, ready to be written to a connection.

A virtual user repeats the same few requests thousands of times, so the
client encodes each distinct (method, path) once into a `PreparedRequest`
and reuses its bytes; per request it only adds a Cookie line when the user
has cookies. Header values are validated here, where encoding happens, so a
CR or LF from scenario code can never split a request.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from loadforge.errors import ConfigError
from loadforge.http._bodies import Body
from loadforge.http._urls import Origin, Target

__all__ = ["IDEMPOTENT_METHODS", "PreparedRequest", "build_request"]

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "PUT", "DELETE", "OPTIONS"})
"""Methods safe to send twice: only these are retried after a stale keep-alive connection."""

# Methods whose requests carry a body even when empty, so a Content-Length: 0
# is sent (RFC 9110 section 8.6 recommends it; some servers answer 411 without).
_BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})
_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_FORBIDDEN_IN_VALUE = re.compile(r"[\r\n\x00]")
# Framing is the client's job: a user-given length that disagrees with the
# body would desynchronise the connection, so these are always computed.
_COMPUTED_FIELDS = frozenset({"content-length", "transfer-encoding"})


@dataclass(frozen=True, slots=True)
class PreparedRequest:
    """One request as bytes plus what redirects and cookies need to rebuild it."""

    method: str
    url: str
    origin: Origin
    fields: tuple[tuple[str, str], ...]
    body: Body | None
    head: bytes  # request line and header fields, without the blank line ending them
    wire: bytes  # the whole message: head, blank line, body
    name: str
    is_head: bool
    idempotent: bool

    def with_cookie(self, cookie: str) -> bytes:
        """The whole message with a Cookie header added."""
        content = b"" if self.body is None else self.body.content
        return b"%s\r\nCookie: %s\r\n\r\n%s" % (self.head, _encode(cookie, "Cookie"), content)

    @property
    def has_authorization(self) -> bool:
        """Whether the request carries credentials a cross-origin redirect must drop."""
        return any(name.lower() == "authorization" for name, _ in self.fields)


def build_request(
    method: str,
    target: Target,
    fields: Sequence[tuple[str, str]],
    body: Body | None,
    name: str,
) -> PreparedRequest:
    """Encode a request; `fields` are the merged user and default header fields."""
    method = method.upper()
    if not _TOKEN.fullmatch(method):
        raise ConfigError(f"{method!r} is not a valid HTTP method name.")
    given = {field_name.lower() for field_name, _ in fields}
    lines = [f"{method} {target.target} HTTP/1.1"]
    if "host" not in given:
        lines.append(f"Host: {target.origin.host_header}")
    for field_name, value in fields:
        if field_name.lower() in _COMPUTED_FIELDS:
            continue
        if not _TOKEN.fullmatch(field_name):
            raise ConfigError(f"{field_name!r} is not a valid HTTP header name.")
        if _FORBIDDEN_IN_VALUE.search(value):
            raise ConfigError(
                f"The value of header {field_name!r} contains a line break or NUL; "
                "that would split the request, so it is refused."
            )
        lines.append(f"{field_name}: {value}")
    if body is not None and body.content_type is not None and "content-type" not in given:
        lines.append(f"Content-Type: {body.content_type}")
    if body is not None or method in _BODY_METHODS:
        length = 0 if body is None else len(body.content)
        lines.append(f"Content-Length: {length}")
    head = _encode("\r\n".join(lines), "request head")
    content = b"" if body is None else body.content
    return PreparedRequest(
        method=method,
        url=target.url,
        origin=target.origin,
        fields=tuple(fields),
        body=body,
        head=head,
        wire=head + b"\r\n\r\n" + content,
        name=name,
        is_head=method == "HEAD",
        idempotent=method in IDEMPOTENT_METHODS,
    )


def _encode(text: str, what: str) -> bytes:
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError as exc:
        bad = exc.object[exc.start : exc.end]
        raise ConfigError(
            f"The {what} contains characters outside Latin-1 ({bad!r}); "
            "HTTP/1.1 header fields cannot carry them. Percent-encode or base64 the value."
        ) from exc
