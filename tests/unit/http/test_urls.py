"""Joining paths to the base URL, origins, request targets and endpoint names."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.http._urls import BaseURL, Origin, endpoint_name, is_absolute, origin_of, parse_url


def test_a_path_joins_the_base_url_origin() -> None:
    target = BaseURL("http://api.example.test:8080").resolve("/users")
    assert target.origin == Origin("http", "api.example.test", 8080)
    assert target.target == "/users"
    assert target.url == "http://api.example.test:8080/users"


def test_a_path_joins_below_the_base_url_path_prefix() -> None:
    base = BaseURL("https://example.test/api/v1/")
    assert base.resolve("/users").target == "/api/v1/users"
    assert base.resolve("users?page=2").target == "/api/v1/users?page=2"
    assert base.resolve("").target == "/api/v1/"
    assert base.url == "https://example.test/api/v1"


def test_an_absolute_url_ignores_the_base_url() -> None:
    target = BaseURL("http://a.test/prefix").resolve("HTTPS://Other.Test/x?y=1#frag")
    assert target.origin == Origin("https", "other.test", 443)
    assert target.target == "/x?y=1"
    assert target.url == "https://other.test/x?y=1"


def test_params_are_encoded_into_the_query_and_appended_to_an_existing_one() -> None:
    base = BaseURL("http://a.test")
    assert base.resolve("/s", {"q": "a b", "n": 3}).target == "/s?q=a+b&n=3"
    assert base.resolve("/s?x=1", [("q", "é")]).target == "/s?x=1&q=%C3%A9"
    assert base.resolve("/s?", {"q": "1"}).target == "/s?q=1"
    assert base.resolve("/s", {}).target == "/s"
    absolute = base.resolve("http://b.test/s", {"q": 1.5})
    assert absolute.url == "http://b.test/s?q=1.5"


def test_non_ascii_and_spaces_in_paths_are_percent_encoded_but_escapes_kept() -> None:
    base = BaseURL("http://a.test")
    assert base.resolve("/caf\u00e9 bar").target == "/caf%C3%A9%20bar"
    assert base.resolve("/already%20encoded?a=b&c=%2F").target == "/already%20encoded?a=b&c=%2F"
    assert base.resolve("/p#fragment").target == "/p"


def test_the_host_header_names_the_port_only_when_it_is_not_the_default() -> None:
    assert Origin("http", "a.test", 80).host_header == "a.test"
    assert Origin("https", "a.test", 443).host_header == "a.test"
    assert Origin("http", "a.test", 443).host_header == "a.test:443"
    assert Origin("http", "::1", 8080).host_header == "[::1]:8080"
    assert str(Origin("https", "::1", 443)) == "https://[::1]"
    assert Origin("https", "a.test", 443).is_tls
    assert not Origin("http", "a.test", 443).is_tls


def test_ipv6_literals_are_parsed_without_brackets() -> None:
    target = parse_url("http://[::1]:9000/x")
    assert target.origin == Origin("http", "::1", 9000)
    assert target.url == "http://[::1]:9000/x"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("ftp://a.test/", "not an http:// or https:// URL"),
        ("http://user:pw@a.test/", "carries credentials"),
        ("http:///path", "has no host"),
        ("http://a.test:99999/", "invalid port"),
        ("http://[::1/", "cannot be parsed"),
    ],
)
def test_urls_that_cannot_be_requested_are_config_errors(url: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        parse_url(url)


def test_a_base_url_with_a_query_is_refused() -> None:
    with pytest.raises(ConfigError, match="query or fragment"):
        BaseURL("http://a.test/?x=1")


def test_endpoint_names_keep_the_path_as_written_without_query() -> None:
    assert endpoint_name("GET", "/items/1?expand=true") == "GET /items/1"
    assert endpoint_name("POST", "http://a.test/x#f") == "POST http://a.test/x"


def test_absolute_means_an_http_or_https_scheme() -> None:
    assert is_absolute("http://a")
    assert is_absolute("HTTPS://a")
    assert not is_absolute("/http://a")
    assert not is_absolute("users")
    assert origin_of("https://A.test:8443/x") == Origin("https", "a.test", 8443)
