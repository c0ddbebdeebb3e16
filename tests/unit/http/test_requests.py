"""Encoding requests once into the bytes written on the wire."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.http._bodies import Body
from loadforge.http._requests import build_request
from loadforge.http._urls import parse_url

TARGET = parse_url("http://api.test:8080/items?page=2")


def test_a_get_has_request_line_host_and_fields_and_no_length() -> None:
    prepared = build_request(
        "get", TARGET, [("User-Agent", "lf/1"), ("X-Id", "7")], None, "GET /items"
    )
    assert prepared.wire == (
        b"GET /items?page=2 HTTP/1.1\r\nHost: api.test:8080\r\nUser-Agent: lf/1\r\nX-Id: 7\r\n\r\n"
    )
    assert prepared.method == "GET"
    assert prepared.url == "http://api.test:8080/items?page=2"
    assert prepared.name == "GET /items"
    assert prepared.idempotent
    assert not prepared.is_head


def test_a_body_brings_its_type_and_length() -> None:
    body = Body(b'{"a":1}', "application/json")
    prepared = build_request("POST", TARGET, [], body, "n")
    assert prepared.wire.endswith(
        b'Content-Type: application/json\r\nContent-Length: 7\r\n\r\n{"a":1}'
    )
    assert not prepared.idempotent


def test_an_empty_post_still_says_content_length_zero() -> None:
    prepared = build_request("POST", TARGET, [], None, "n")
    assert prepared.wire.endswith(b"Content-Length: 0\r\n\r\n")


def test_user_fields_win_over_computed_type_and_host_but_not_framing() -> None:
    fields = [
        ("Host", "virtual.test"),
        ("Content-Type", "text/x-custom"),
        ("Content-Length", "999"),
        ("Transfer-Encoding", "chunked"),
    ]
    prepared = build_request("PUT", TARGET, fields, Body(b"abc", "text/plain"), "n")
    head = prepared.wire.decode()
    assert "Host: virtual.test\r\n" in head
    assert "api.test" not in head
    assert "Content-Type: text/x-custom\r\n" in head
    assert "text/plain" not in head
    assert "Content-Length: 3\r\n" in head
    assert "999" not in head
    assert "chunked" not in head


def test_head_requests_are_flagged() -> None:
    assert build_request("HEAD", TARGET, [], None, "n").is_head


def test_a_cookie_line_goes_before_the_blank_line() -> None:
    prepared = build_request("POST", TARGET, [], Body(b"xy", None), "n")
    message = prepared.with_cookie("sid=1; theme=dark")
    assert message.endswith(b"Content-Length: 2\r\nCookie: sid=1; theme=dark\r\n\r\nxy")
    bare = build_request("GET", TARGET, [], None, "n")
    assert bare.with_cookie("a=b").endswith(b"Host: api.test:8080\r\nCookie: a=b\r\n\r\n")


def test_authorization_is_detected_in_any_case() -> None:
    assert build_request(
        "GET", TARGET, [("authorization", "Bearer x")], None, "n"
    ).has_authorization
    assert not build_request("GET", TARGET, [("X-Auth", "x")], None, "n").has_authorization


@pytest.mark.parametrize(
    ("method", "fields", "message"),
    [
        ("GE T", [], "not a valid HTTP method"),
        ("GET", [("Bad Name", "x")], "not a valid HTTP header name"),
        ("GET", [("X-Evil", "a\r\nInjected: 1")], "line break"),
        ("GET", [("X-Emoji", "\u2603")], "outside Latin-1"),
    ],
)
def test_requests_that_would_corrupt_the_stream_are_refused(
    method: str, fields: list[tuple[str, str]], message: str
) -> None:
    with pytest.raises(ConfigError, match=message):
        build_request(method, TARGET, fields, None, "n")
