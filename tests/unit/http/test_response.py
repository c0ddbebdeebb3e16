"""What scenario code can do with a response."""

from __future__ import annotations

import gzip

import pytest

from loadforge.http import InvalidJSONError, Response
from loadforge.http._content import ContentDecodingError
from unit.http.scripted import Recorder


def make(
    head: bytes = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\r\n",
    body: bytes = b'{"id": 7}',
    status: int = 200,
    error: str | None = None,
    recorder: Recorder | None = None,
) -> Response:
    """A response as the client builds it, with a few knobs."""
    return Response(status, [head], 0, body, "http://a.test/x", "GET", error, "GET /x", recorder)


async def test_a_success_reads_as_bytes_text_and_json() -> None:
    response = make()
    assert response.ok
    assert not response.failed
    assert await response.read() == b'{"id": 7}'
    assert await response.text() == '{"id": 7}'
    assert await response.json() == {"id": 7}
    assert response.headers["content-type"] == "application/json"
    assert response.reason == "OK"
    assert repr(response) == "<Response 200 GET http://a.test/x ok>"


async def test_text_uses_the_declared_charset_unless_told_otherwise() -> None:
    response = make(
        b'HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset="latin-1"\r\n\r\n', b"caf\xe9"
    )
    assert await response.text() == "café"
    assert await response.text("utf-8") == "caf\ufffd"
    unknown = make(b"HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=nope\r\n\r\n", b"ok")
    assert await unknown.text() == "ok"


async def test_json_on_a_non_json_body_raises_a_clear_error() -> None:
    response = make(body=b"<html>oops</html>", status=502)
    with pytest.raises(
        InvalidJSONError, match=r"GET http://a.test/x answered 502 .* not valid JSON"
    ):
        await response.json()


async def test_a_compressed_body_is_decompressed_on_first_read() -> None:
    head = b"HTTP/1.1 200 OK\r\nContent-Encoding: GZIP\r\n\r\n"
    response = make(head, gzip.compress(b"plain"))
    assert await response.read() == b"plain"
    assert await response.read() == b"plain"
    broken = make(head, b"not gzip")
    with pytest.raises(ContentDecodingError):
        await broken.read()


def test_the_reason_falls_back_to_the_standard_phrase() -> None:
    assert make(b"HTTP/1.1 404\r\n\r\n", status=404).reason == "Not Found"
    assert make(b"HTTP/1.1 299\r\n\r\n", status=299).reason == ""
    assert (
        make(b"HTTP/1.1 418 I'm short and stout\r\n\r\n", status=418).reason
        == "I'm short and stout"
    )


async def test_a_transport_failure_has_status_zero_and_no_headers() -> None:
    response = Response(0, [], 0, b"", "http://a.test/", "GET", "timeout")
    assert response.failed
    assert not response.ok
    assert response.headers == {}
    assert await response.read() == b""
    assert response.reason == ""
    assert "error=timeout" in repr(response)


def test_fail_moves_a_success_to_the_failures_once(recorder: Recorder) -> None:
    response = make(recorder=recorder)
    response.fail("wrong_total")
    response.fail("second_reason")
    assert response.error == "wrong_total"
    assert recorder.failures == [("GET /x", 200, "wrong_total")]


def test_fail_on_an_already_failed_response_changes_nothing(recorder: Recorder) -> None:
    response = make(status=500, error="http_500", recorder=recorder)
    response.fail("bad")
    assert response.error == "http_500"
    assert recorder.failures == []


def test_fail_without_a_recorder_only_marks_the_response() -> None:
    response = make()
    response.fail("nope")
    assert response.failed
