"""Credentials for ``auth=``: how each kind encodes, and the values refused."""

from __future__ import annotations

import base64

import pytest

from loadforge import Auth, BasicAuth, BearerAuth
from loadforge.errors import ConfigError, LoadForgeError
from loadforge.http._auth import auth_fields, auth_from


def test_basic_encodes_user_colon_password_as_base64() -> None:
    # The example of RFC 7617 section 2.
    assert (
        BasicAuth("Aladdin", "open sesame").authorization() == "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
    )


def test_basic_encodes_credentials_as_utf8() -> None:
    value = BasicAuth("jürgen", "pässwörd €").authorization()
    assert base64.b64decode(value.removeprefix("Basic ")) == "jürgen:pässwörd €".encode()


def test_a_pair_is_basic_and_an_auth_is_kept() -> None:
    assert auth_from(("ann", "s3cret")) == BasicAuth("ann", "s3cret")
    bearer = BearerAuth("t0ken")
    assert auth_from(bearer) is bearer
    assert auth_from(None) is None


def test_bearer_sends_the_token_as_given() -> None:
    assert BearerAuth("abc.def-ghi").authorization() == "Bearer abc.def-ghi"
    assert auth_fields(BearerAuth("t")) == (("Authorization", "Bearer t"),)
    assert auth_fields(None) is None


def test_an_object_with_authorization_is_an_auth() -> None:
    class ApiKey:
        def authorization(self) -> str:
            return "ApiKey k1"

    key = ApiKey()
    assert isinstance(key, Auth)
    assert auth_from(key) is key
    assert auth_fields(key) == (("Authorization", "ApiKey k1"),)


def test_the_repr_hides_the_secrets() -> None:
    assert "s3cret" not in repr(BasicAuth("ann", "s3cret"))
    assert "t0ken" not in repr(BearerAuth("t0ken"))


@pytest.mark.parametrize(
    ("value", "message"),
    [
        (("ann",), "1 items"),
        (("ann", "pw", "extra"), "3 items"),
        (("ann", 1234), "(str, int)"),
        ((b"ann", "pw"), "(bytes, str)"),
        (("a:nn", "pw"), "contains a colon"),
        ("ann:pw", "got str"),
        (["ann", "pw"], "got list"),
    ],
)
def test_bad_values_raise_a_clear_config_error(value: object, message: str) -> None:
    with pytest.raises(ConfigError, match=message) as raised:
        auth_from(value)
    assert isinstance(raised.value, LoadForgeError)


@pytest.mark.parametrize("token", ["", None, b"t0ken"])
def test_a_bearer_token_must_be_a_non_empty_str(token: object) -> None:
    with pytest.raises(ConfigError, match="non-empty str"):
        BearerAuth(token)  # type: ignore[arg-type]


def test_an_authorization_that_is_not_a_str_is_refused() -> None:
    class Broken:
        def authorization(self) -> object:
            return b"Basic x"

    with pytest.raises(ConfigError, match="not str"):
        auth_fields(Broken())  # type: ignore[arg-type]
