"""A virtual user's cookie jar: what is stored, and where it is sent back."""

from __future__ import annotations

import http.cookiejar

from loadforge.http._cookies import UserCookieJar


def test_a_new_jar_is_known_to_be_empty() -> None:
    jar = UserCookieJar()
    assert not jar.may_hold_cookies
    assert jar.header_for("http://a.test/") is None


def test_cookies_set_by_a_response_come_back_on_the_same_site() -> None:
    jar = UserCookieJar()
    jar.store("http://a.test/login", ["sid=abc; Path=/", "theme=dark"])
    assert jar.may_hold_cookies
    assert jar.header_for("http://a.test/items") == "sid=abc; theme=dark"
    assert jar.header_for("http://other.test/") is None


def test_path_domain_secure_and_expiry_are_respected() -> None:
    jar = UserCookieJar()
    jar.store(
        "https://shop.a.test/account/",
        [
            "scoped=1; Path=/account",
            "wide=2; Domain=a.test; Path=/",
            "secret=3; Secure; Path=/",
            "gone=4; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT",
        ],
    )
    assert jar.header_for("https://shop.a.test/account/orders") == "scoped=1; secret=3; wide=2"
    assert jar.header_for("http://shop.a.test/") == "wide=2"
    assert jar.header_for("http://api.a.test/") == "wide=2"
    assert jar.header_for("http://a-test.other/") is None


def test_clearing_the_jar_makes_it_known_empty_again() -> None:
    jar = UserCookieJar()
    jar.store("http://a.test/", ["a=1", "b=2"])
    jar.clear("a.test", "/", "a")
    assert jar.may_hold_cookies
    jar.clear()
    assert not jar.may_hold_cookies


def test_cookies_set_by_hand_are_sent() -> None:
    jar = UserCookieJar()
    cookie = http.cookiejar.Cookie(
        0, "token", "t1", None, False, "a.test", False, False, "/", True,
        False, None, False, None, None, {},
    )  # fmt: skip
    jar.set_cookie(cookie)
    assert jar.header_for("http://a.test/") == "token=t1"
