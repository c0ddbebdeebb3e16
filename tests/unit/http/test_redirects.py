"""Which request follows a redirect."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.http._redirects import RedirectHop, next_hop


@pytest.mark.parametrize("status", [301, 302, 303])
def test_moved_found_and_see_other_turn_into_a_get_without_body(status: int) -> None:
    hop = next_hop("POST", status, "/done", "http://a.test/form")
    assert hop == RedirectHop(
        "GET", "http://a.test/done", keep_body=False, drop_authorization=False
    )


def test_head_stays_head() -> None:
    assert next_hop("HEAD", 302, "/x", "http://a.test/").method == "HEAD"


@pytest.mark.parametrize("status", [307, 308])
def test_temporary_and_permanent_redirects_keep_method_and_body(status: int) -> None:
    hop = next_hop("POST", status, "https://a.test/v2/upload#part", "http://a.test/upload")
    assert hop.method == "POST"
    assert hop.keep_body
    assert hop.url == "https://a.test/v2/upload"


def test_locations_resolve_against_the_current_url() -> None:
    assert next_hop("GET", 302, "next", "http://a.test/dir/page").url == "http://a.test/dir/next"
    assert next_hop("GET", 302, " //b.test/x ", "http://a.test/").url == "http://b.test/x"


def test_another_origin_drops_credentials_the_same_origin_keeps_them() -> None:
    assert next_hop("GET", 302, "http://b.test/", "http://a.test/").drop_authorization
    assert next_hop("GET", 302, "https://a.test/", "http://a.test/").drop_authorization
    assert next_hop("GET", 302, "http://a.test:81/", "http://a.test/").drop_authorization
    assert not next_hop("GET", 302, "http://A.TEST:80/x", "http://a.test/").drop_authorization


def test_a_location_that_is_not_http_is_a_config_error() -> None:
    with pytest.raises(ConfigError):
        next_hop("GET", 302, "ftp://a.test/file", "http://a.test/")
