"""Tests for base URL checks shared by the decorator and run-time resolution."""

from __future__ import annotations

import pytest

from loadforge.dsl.urls import base_url_problem, normalise_base_url


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8080", "https://api.example.com", "http://[::1]:80/api", "HTTP://h"],
)
def test_usable_urls_have_no_problem(url: str) -> None:
    assert base_url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("", "it is empty"),
        ("127.0.0.1:8080", "must start with http:// or https://"),
        ("http:///path", "has no host name"),
        ("http://[::1", "not a valid URL"),
        ("http://h:0", "port 0"),
        ("http://h/#top", "query string or fragment"),
    ],
)
def test_problems_are_described(url: str, problem: str) -> None:
    found = base_url_problem(url)
    assert found is not None
    assert problem in found


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://h:1/", "http://h:1"),
        ("http://h:1/api/", "http://h:1/api"),
        ("http://h:1", "http://h:1"),
    ],
)
def test_trailing_slashes_are_dropped(url: str, expected: str) -> None:
    assert normalise_base_url(url) == expected
