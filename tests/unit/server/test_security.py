"""Security rules without a server: binding, tokens, target patterns, code specs."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.server.api.errors import Forbidden
from loadforge.server.api.security import (
    bearer_token,
    check_bind,
    check_run_allowed,
    parse_patterns,
    target_of,
    token_matches,
)
from loadforge.server.settings import ServerSettings, is_loopback


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("::", False), ("10.0.0.5", False), ("example.com", False)],
)  # fmt: skip
def test_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_off_loopback_needs_a_token() -> None:
    with pytest.raises(ConfigError, match="LOADFORGE_API_TOKEN"):
        check_bind(ServerSettings(host="0.0.0.0"))
    with pytest.raises(ConfigError, match="at least 16"):
        check_bind(ServerSettings(host="0.0.0.0", api_token="1"))
    check_bind(ServerSettings(host="0.0.0.0", api_token="t" * 16))
    check_bind(ServerSettings(host="127.0.0.1", api_token="1"))
    check_bind(ServerSettings(host="127.0.0.1"))


def test_tokens() -> None:
    assert token_matches(None, None)
    assert token_matches("abc", "abc")
    assert not token_matches("abc", "abd")
    assert not token_matches("abc", None)
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer abc") == "abc"
    assert bearer_token("Basic abc") is None
    assert bearer_token(None) is None


@pytest.mark.parametrize(
    ("pattern", "url", "allowed"),
    [
        ("api.internal", "https://API.internal:8443/x", True),
        ("*.example.com", "http://a.b.example.com/", True),
        ("localhost:443", "https://localhost/", True),
        ("10.0.0.*", "http://10.0.0.evil.com/", False),
    ],
)
def test_target_patterns(pattern: str, url: str, allowed: bool) -> None:
    assert parse_patterns([pattern]).allows(*target_of(url)) is allowed


def test_run_rules() -> None:
    spec = {"request": {"url": "http://10.0.0.9/"}, "scenario_code": None}
    check_run_allowed(spec, ServerSettings())
    with pytest.raises(Forbidden, match=r"--allow-target 10\.0\.0\.9"):
        check_run_allowed(spec, ServerSettings(host="0.0.0.0", api_token="t"))
    check_run_allowed(spec, ServerSettings(host="0.0.0.0", allow_targets=("10.0.0.*",)))
    with pytest.raises(Forbidden, match="not allowed"):
        check_run_allowed(spec, ServerSettings(allow_targets=("api.internal",)))
    code = {"request": None, "scenario_code": "pass"}
    with pytest.raises(Forbidden, match="--allow-code-specs"):
        check_run_allowed(code, ServerSettings())
    check_run_allowed(code, ServerSettings(allow_code_specs=True))
