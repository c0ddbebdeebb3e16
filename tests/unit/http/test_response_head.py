"""Reading the raw response head on demand."""

from __future__ import annotations

from loadforge.http._response_head import final_head, parse_fields, status_line
from loadforge.http._set_cookie import sets_cookies

HEAD = (
    b"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nSet-Cookie: a=1\r\n"
    b"X-Folded: one\r\n two\r\n\r\n"
)


def test_the_final_head_skips_interim_responses_and_stops_at_the_blank_line() -> None:
    chunks = [b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nA: ", b"1\r\n\r\nbody"]
    assert final_head(chunks, interim=1) == b"HTTP/1.1 200 OK\r\nA: 1"
    assert final_head([b"HTTP/1.1 204 No Content\r\n"], 0) == b"HTTP/1.1 204 No Content\r\n"


def test_fields_are_split_trimmed_and_folded_lines_joined() -> None:
    assert parse_fields(final_head([HEAD], 0)) == [
        (b"Content-Type", b"text/plain"),
        (b"Set-Cookie", b"a=1"),
        (b"X-Folded", b"one two"),
    ]
    assert parse_fields(b"HTTP/1.1 200 OK\r\n\r\nX:\t v \t") == [(b"X", b"v")]


def test_the_status_line_splits_into_status_and_reason() -> None:
    assert status_line(b"HTTP/1.1 404 Not Found\r\nA: 1") == (b"HTTP/1.1 404", b"Not Found")
    assert status_line(b"HTTP/1.1 599") == (b"HTTP/1.1 599", b"")


def test_set_cookie_is_found_in_any_case_but_not_in_the_body_tail() -> None:
    assert sets_cookies([HEAD], 0)
    assert sets_cookies([b"HTTP/1.1 200 OK\r\nSET-COOKIE: x=1\r\n\r\n"], 0)
    assert sets_cookies([b"HTTP/1.1 200 OK\r\nset-", b"cookie: x=1\r\n\r\n"], 0)
    plain = b"HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n\nset-cookie:"
    assert not sets_cookies([plain], 12)
    assert sets_cookies([plain], 0)  # the same bytes, counted as head


def test_set_cookie_needs_its_whole_name_before_the_tail() -> None:
    head = b"HTTP/1.1 200 OK\r\nsEt-CoOkIe: x=1\r\n\r\n"
    name_end = head.index(b":") + 1
    assert sets_cookies([head + b"body"], len(head) + 4 - name_end)
    assert not sets_cookies([head + b"body"], len(head) + 4 - name_end + 1)
    assert not sets_cookies([b"HTTP/1.1 200 OK\r\nSet-Cookies: x\r\n\r\n"], 0)
    assert not sets_cookies([b"HTTP/1.1 200 OK\r\nX-Set-Cookie: x\r\n\r\n"], 0)
    # Bytes that a careless case fold would take for '-' (0x0d) or ':' (0x1a).
    assert not sets_cookies([b"HTTP/1.1 200 OK\r\nset\rcookie\x1a x\r\n\r\n"], 0)
    assert not sets_cookies([], 0)
