"""Each virtual user's cookies, kept by the standard library's cookie jar.

Domain, path, expiry and Secure matching are subtle, and
`http.cookiejar.CookieJar` already gets them right; this module only adapts
the client's requests and responses to the urllib objects the jar expects.
The jar also remembers whether it ever held a cookie, so users without
cookies (most API tests) skip cookie work on every request.
"""

from __future__ import annotations

import http.cookiejar
import urllib.request
from email.message import Message
from http.client import HTTPResponse
from typing import cast

__all__ = ["UserCookieJar"]


class UserCookieJar(http.cookiejar.CookieJar):
    """The cookies of one virtual user: Set-Cookie stored, sent back where they match."""

    def __init__(self, policy: http.cookiejar.CookiePolicy | None = None) -> None:
        super().__init__(policy)
        self.may_hold_cookies = False
        """False only while the jar is certainly empty: the client's cue to skip cookie work."""

    def set_cookie(self, cookie: http.cookiejar.Cookie) -> None:
        """Store a cookie (every path into the jar goes through here)."""
        self.may_hold_cookies = True
        super().set_cookie(cookie)

    def clear(
        self, domain: str | None = None, path: str | None = None, name: str | None = None
    ) -> None:
        """Remove cookies as `CookieJar.clear` does."""
        super().clear(domain, path, name)
        self.may_hold_cookies = len(self) > 0

    def header_for(self, url: str) -> str | None:
        """The Cookie header value for a request to `url`, or None when no cookie matches."""
        request = urllib.request.Request(url)  # noqa: S310 - only for the jar's rules, never opened
        self.add_cookie_header(request)
        return request.get_header("Cookie")

    def store(self, url: str, set_cookie_values: list[str]) -> None:
        """Keep the cookies a response to `url` set with its Set-Cookie fields."""
        request = urllib.request.Request(url)  # noqa: S310 - only for the jar's rules, never opened
        # The jar only calls `info().get_all(...)` on the response; typeshed
        # types the parameter as a full HTTPResponse, hence the cast.
        response = cast(HTTPResponse, _SetCookieResponse(set_cookie_values))
        self.extract_cookies(response, request)


class _SetCookieResponse:
    """The slice of `http.client.HTTPResponse` that `CookieJar.extract_cookies` reads."""

    __slots__ = ("_message",)

    def __init__(self, set_cookie_values: list[str]) -> None:
        self._message = Message()
        for value in set_cookie_values:
            self._message["Set-Cookie"] = value

    def info(self) -> Message:
        """The Set-Cookie fields, as an email.message.Message."""
        return self._message
