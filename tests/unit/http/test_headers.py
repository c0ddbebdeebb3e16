"""Header fields: case-insensitive names, repeated values, change notification, merging."""

from __future__ import annotations

import pytest

from loadforge.http import Headers
from loadforge.http._headers import merge_fields


def test_names_are_case_insensitive_and_keep_their_spelling() -> None:
    headers = Headers({"Content-Type": "text/plain"})
    assert headers["content-type"] == "text/plain"
    assert headers.get("CONTENT-TYPE") == "text/plain"
    assert "content-TYPE" in headers
    assert list(headers) == ["Content-Type"]
    not_a_name: object = 42
    assert not_a_name not in headers


def test_repeated_names_join_for_item_access_and_stay_apart_in_get_all() -> None:
    headers = Headers([("Set-Cookie", "a=1"), ("Vary", "Accept"), ("set-cookie", "b=2")])
    assert headers["Set-Cookie"] == "a=1, b=2"
    assert headers.get_all("SET-COOKIE") == ["a=1", "b=2"]
    assert headers.get_all("Missing") == []
    assert len(headers) == 2
    assert list(headers) == ["Set-Cookie", "Vary"]
    assert headers.multi_items() == [
        ("Set-Cookie", "a=1"),
        ("Vary", "Accept"),
        ("set-cookie", "b=2"),
    ]


def test_setting_replaces_every_value_and_deleting_removes_them() -> None:
    headers = Headers([("X-A", "1"), ("x-a", "2"), ("X-B", "3")])
    headers["X-A"] = "9"
    assert headers.get_all("x-a") == ["9"]
    del headers["x-b"]
    assert "X-B" not in headers
    with pytest.raises(KeyError):
        del headers["X-B"]
    with pytest.raises(KeyError):
        _ = headers["X-B"]
    headers.add("X-A", "10")
    assert headers["x-a"] == "9, 10"


def test_every_change_bumps_the_version_and_calls_the_subscriber() -> None:
    calls: list[int] = []
    headers = Headers()
    headers.subscribe(lambda: calls.append(headers.version))
    headers["A"] = "1"
    headers.add("A", "2")
    del headers["A"]
    assert calls == [1, 2, 3]


def test_raw_fields_decode_as_latin_1() -> None:
    headers = Headers.from_raw([(b"X-Name", b"caf\xe9")])
    assert headers["x-name"] == "café"
    assert repr(headers) == "Headers([('X-Name', 'café')])"


def test_later_layers_replace_all_earlier_values_of_a_name() -> None:
    user = Headers([("Accept", "a/b"), ("X-Multi", "1")])
    user.add("X-Multi", "2")
    merged = merge_fields(
        [("User-Agent", "lf"), ("Accept-Encoding", "gzip")],
        user,
        None,
        {"user-agent": "mine", "X-Multi": "3"},
    )
    assert merged == [
        ("Accept-Encoding", "gzip"),
        ("Accept", "a/b"),
        ("user-agent", "mine"),
        ("X-Multi", "3"),
    ]


def test_headers_compare_as_mappings() -> None:
    assert Headers({"A": "1"}) == {"A": "1"}
