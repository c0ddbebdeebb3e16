"""What a request call returns to scenario code.

A `Response` exists for every call, failed or not: transport failures come
back as status 0 with `error` set, because in a load test a failed request
is a data point to count, not an exception to stop the user. Scenario code
checks `resp.ok`, reads the body, counts named checks with
`resp.check("status is 200", resp.status == 200)`, and may veto a response the server thought
fine with `resp.fail("reason")`, which moves it from successes to failures
in the metrics.

The head stays the raw bytes that arrived until read: most load-test tasks
never look at the header fields or the reason phrase, and splitting them
out costs per request.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable
from http import HTTPStatus

from loadforge import extensions
from loadforge.http._content import decode_content
from loadforge.http._errors import InvalidJSONError
from loadforge.http._headers import Headers
from loadforge.http._response_head import final_head, parse_fields, status_line
from loadforge.metrics.recorder import RequestRecorder

__all__ = ["Response"]

_PREVIEW_BYTES = 80


class Response:
    """The outcome of one request call (redirects followed), already recorded in the metrics."""

    __slots__ = (
        "_body",
        "_content",
        "_head_chunks",
        "_headers",
        "_interim",
        "_recorder",
        "elapsed_ms",
        "error",
        "name",
        "nbytes",
        "request_method",
        "status",
        "url",
    )

    def __init__(
        self,
        status: int,
        head_chunks: list[bytes],
        interim: int,
        body: bytes,
        url: str,
        request_method: str,
        error: str | None = None,
        name: str = "",
        recorder: RequestRecorder | None = None,
    ) -> None:
        self.status = status
        """The status code; 0 when no response arrived."""
        self.url = url
        """The URL that produced this response (the last one, after redirects)."""
        self.request_method = request_method
        """The method of the call."""
        self.error = error
        """None for a success, else the error type counted in the metrics."""
        self.elapsed_ms = 0.0
        """Time from getting a connection to the last body byte, all hops included."""
        self.nbytes = 0
        """Body bytes received on the wire (before decompression), all hops included."""
        self._head_chunks = head_chunks
        self._interim = interim
        self._headers: Headers | None = None
        self._content = body  # as received; decompressed into _body on first read
        self._body: bytes | None = None
        self.name = name
        """The endpoint name the call is counted under in the metrics."""
        self._recorder = recorder

    def __repr__(self) -> str:
        outcome = "ok" if self.error is None else f"error={self.error}"
        return f"<Response {self.status} {self.request_method} {self.url} {outcome}>"

    @property
    def ok(self) -> bool:
        """True when the call counted as a success."""
        return self.error is None

    @property
    def failed(self) -> bool:
        """True when the call counted as a failure (transport, status, or `fail`)."""
        return self.error is not None

    @property
    def reason(self) -> str:
        """The reason phrase the server sent, or the standard one when it sent none."""
        if self._head_chunks:
            reason = status_line(final_head(self._head_chunks, self._interim))[1]
            if reason:
                return reason.decode("latin-1")
        try:
            return HTTPStatus(self.status).phrase
        except ValueError:
            return ""

    @property
    def headers(self) -> Headers:
        """The response header fields (case-insensitive, repeated names kept)."""
        if self._headers is None:
            head = final_head(self._head_chunks, self._interim) if self._head_chunks else b""
            self._headers = Headers.from_raw(parse_fields(head))
        return self._headers

    async def read(self) -> bytes:
        """The body, decompressed when the server used gzip or deflate.

        Raises ContentDecodingError when it does not decompress.
        """
        return self._decoded()

    async def text(self, encoding: str | None = None) -> str:
        """The body as text: `encoding`, else the Content-Type charset, else UTF-8."""
        body = self._decoded()
        codec = encoding or self._charset() or "utf-8"
        try:
            return body.decode(codec, errors="replace")
        except LookupError:
            return body.decode("utf-8", errors="replace")

    async def json(self) -> object:
        """The body parsed as JSON; raises InvalidJSONError when it is not JSON."""
        body = self._decoded()
        try:
            return jsonlib.loads(body)
        except (ValueError, UnicodeDecodeError) as exc:
            preview = body[:_PREVIEW_BYTES]
            raise InvalidJSONError(
                f"{self.request_method} {self.url} answered {self.status} with a body that is "
                f"not valid JSON ({len(body)} bytes, starting {preview!r}): {exc}."
            ) from exc

    def fail(self, reason: str) -> None:
        """Count this call as a failure with error type `reason`; the first cause stands."""
        if self.error is not None:
            return
        self.error = reason
        if self._recorder is not None:
            self._recorder.mark_failed(self.name, self.status, reason)

    def check(
        self,
        name: str,
        condition: object | Callable[[Response], object],
        *,
        fail: bool = False,
    ) -> bool:
        """Count a named check on this response as passed or failed; return whether it passed.

        `condition` is the check's outcome (``resp.status == 200``), or a
        function of the response (``lambda r: r.headers["x-id"]``) whose
        exception counts as a failed check under the exception's class name.
        A failed check leaves the request a success unless `fail` is True,
        which also does ``self.fail("check failed: NAME")``.
        """
        error: str | None = None
        if callable(condition):
            try:
                passed = bool(condition(self))
            except Exception as exc:  # a check's own bug is a failed check, not a crash
                passed, error = False, type(exc).__name__
        else:
            passed = bool(condition)
        if self._recorder is not None:
            self._recorder.record_check(name, self.name, passed, error)
        if fail and not passed:
            self.fail(f"check failed: {name}")
        return passed

    def _decoded(self) -> bytes:
        if self._body is None:
            encoding = self.headers.get("content-encoding", "") if self._content else ""
            coding = encoding.lower().encode("latin-1")
            self._body = decode_content([self._content], coding) if coding else self._content
        return self._body

    def _charset(self) -> str | None:
        content_type = self.headers.get("content-type", "")
        for parameter in content_type.split(";")[1:]:
            key, _, value = parameter.strip().partition("=")
            if key.lower() == "charset" and value:
                return value.strip('"').strip()
        return None


# The compiled build of this file replaces the names above when it is active.
extensions.adopt(globals())
