"""Credentials the client turns into an Authorization header: ``auth=``.

Spelled as requests and httpx spell it: ``auth=("user", "pass")`` is HTTP
Basic (RFC 7617, credentials encoded as UTF-8), ``auth=BearerAuth(token)``
sends ``Authorization: Bearer <token>`` (RFC 6750). Anything with an
`authorization()` method returning the header's value is an `Auth`, so a
scenario can bring its own scheme. The value is computed when a request is
encoded, and encoded requests are cached, so a user's credentials cost
nothing per request.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from loadforge.errors import ConfigError

__all__ = ["Auth", "AuthSpec", "BasicAuth", "BearerAuth", "auth_fields", "auth_from"]


@runtime_checkable
class Auth(Protocol):
    """Credentials sent as an Authorization header: its value comes from `authorization()`."""

    def authorization(self) -> str:
        """The Authorization header's value, e.g. ``"Basic dXNlcjpwYXNz"``."""
        ...


@dataclass(frozen=True, slots=True)
class BasicAuth:
    """HTTP Basic credentials: ``auth=("user", "pass")`` is ``auth=BasicAuth("user", "pass")``.

    Raises ConfigError for a username or password that is not a str, or a
    username with a colon (RFC 7617 section 2: the colon separates the two).
    """

    username: str
    password: str

    def __post_init__(self) -> None:
        """Refuse credentials that cannot be encoded as Basic."""
        if not isinstance(self.username, str) or not isinstance(self.password, str):
            raise ConfigError(
                "Basic auth takes a username and a password as str, got "
                f"({type(self.username).__name__}, {type(self.password).__name__})."
            )
        if ":" in self.username:
            raise ConfigError(
                f"The Basic auth username {self.username!r} contains a colon; "
                "RFC 7617 uses the colon to separate username and password."
            )

    def authorization(self) -> str:
        """``Basic`` and the base64 of ``username:password`` encoded as UTF-8."""
        pair = f"{self.username}:{self.password}".encode()
        return "Basic " + base64.b64encode(pair).decode("ascii")

    def __repr__(self) -> str:
        return f"BasicAuth(username={self.username!r}, password='***')"


@dataclass(frozen=True, slots=True)
class BearerAuth:
    """A bearer token, sent as ``Authorization: Bearer <token>``: ``auth=BearerAuth(token)``.

    Raises ConfigError for a token that is not a non-empty str.
    """

    token: str

    def __post_init__(self) -> None:
        """Refuse a token that is not a non-empty str."""
        if not isinstance(self.token, str) or not self.token:
            raise ConfigError(
                f"BearerAuth takes the token as a non-empty str, got {self.token!r:.40}."
            )

    def authorization(self) -> str:
        """``Bearer`` and the token as given."""
        return "Bearer " + self.token

    def __repr__(self) -> str:
        return "BearerAuth(token='***')"


AuthSpec = Auth | tuple[str, str]
"""What ``auth=`` takes: an `Auth` (`BasicAuth`, `BearerAuth`, yours) or a (user, password) pair."""


def auth_from(value: object) -> Auth | None:
    """The `Auth` for an ``auth=`` value (None for None); raises ConfigError for anything else."""
    if value is None or isinstance(value, Auth):
        return value
    if isinstance(value, tuple):
        if len(value) != 2:
            raise ConfigError(
                f"auth= takes a (username, password) pair; this tuple has {len(value)} items."
            )
        return BasicAuth(*value)
    raise ConfigError(
        "auth= takes a (username, password) tuple, BasicAuth, BearerAuth or an object "
        f"with an authorization() method; got {type(value).__name__}."
    )


def auth_fields(auth: Auth | None) -> tuple[tuple[str, str], ...] | None:
    """The header layer an `Auth` adds: one Authorization field, or None without auth."""
    if auth is None:
        return None
    value = auth.authorization()
    if not isinstance(value, str):
        raise ConfigError(
            f"{type(auth).__name__}.authorization() returned {type(value).__name__}, not str."
        )
    return (("Authorization", value),)
