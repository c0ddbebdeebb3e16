"""The allowlist's patterns without a network: addresses as addresses, names label by label."""

from __future__ import annotations

import json

import pytest

from loadforge.errors import ConfigError
from loadforge.http import AllowList, policy_from_environ
from loadforge.http._target_policy import TARGETS_VARIABLE, TargetPattern


@pytest.mark.parametrize(
    ("pattern", "host", "port", "allowed"),
    [
        ("api.internal", "api.internal", 80, True),
        ("api.internal", "API.internal", 8443, True),
        ("api.internal", "api.internal.evil.com", 80, False),
        ("10.0.0.5:8080", "10.0.0.5", 8080, True),
        ("10.0.0.5:8080", "10.0.0.5", 80, False),
        ("10.0.0.*", "10.0.0.77", 80, True),
        ("10.0.0.*", "10.0.0.evil.com", 80, False),
        ("10.0.*.*", "10.0.200.1", 80, True),
        ("10.0.0.0/24", "10.0.0.9", 80, True),
        ("10.0.0.0/24:8080", "10.0.1.9", 8080, False),
        ("10.0.0.0/24", "10.0.0.9.nip.io", 80, False),
        ("*.example.com", "a.example.com", 80, True),
        ("*.example.com", "a.b.example.com", 80, True),
        ("*.example.com", "example.com", 80, False),
        ("*.example.com", "evilexample.com", 80, False),
        ("*.example.com", "a.example.com.evil.org", 80, False),
        ("[::1]:8080", "::1", 8080, True),
        ("::1", "::1", 9, True),
        ("[fd00::/8]", "fd12::1", 80, True),
        ("127.0.0.1", "::ffff:127.0.0.1", 80, True),
        ("127.0.0.1", "127.1", 80, False),
        ("127.0.0.1", "2130706433", 80, False),
        ("localhost:443", "localhost", 443, True),
    ],
)
def test_names_and_addresses(pattern: str, host: str, port: int, allowed: bool) -> None:
    assert AllowList.parse([pattern]).allows(host, port) is allowed


@pytest.mark.parametrize(
    "pattern",
    ["", "host:0", "host:x", "[::1", "a/b", "*example.com", "api.*.com", "*", "10.*.0.1",
     "10.0.0.0/99", "[::1]x", "a b"],
)  # fmt: skip
def test_bad_patterns_name_themselves(pattern: str) -> None:
    with pytest.raises(ConfigError, match="--allow-target"):
        TargetPattern.parse(pattern)


def test_a_leading_star_without_a_dot_says_how_to_write_it() -> None:
    with pytest.raises(ConfigError, match=r"\*\.example\.com"):
        AllowList.parse(["*example.com"])


@pytest.mark.parametrize(
    ("patterns", "host", "address", "allowed"),
    [
        (["api.internal"], "api.internal", "127.0.0.1", True),  # named exactly: trusted
        (["*.example.com"], "a.example.com", "10.1.2.3", True),
        (["*.example.com"], "a.example.com", "127.0.0.1", False),
        (["*.example.com"], "a.example.com", "169.254.169.254", False),
        (["*.example.com"], "a.example.com", "::1", False),
        (["*.example.com", "127.0.0.1"], "a.example.com", "127.0.0.1", True),
        (["10.0.0.0/24"], "db.internal", "10.0.0.4", True),  # its address is on the list
        (["10.0.0.0/24"], "10.0.0.4", "10.0.0.4", True),
        (["api.internal"], "other.internal", "10.0.0.4", False),
        (["api.internal"], "api.internal", "not an address", False),
    ],
)
def test_resolved_addresses(patterns: list[str], host: str, address: str, allowed: bool) -> None:
    assert AllowList.parse(patterns).allows_address(host, address, 80) is allowed


def test_the_list_travels_in_the_environment() -> None:
    allow = AllowList.parse(["10.0.0.*:80", "*.example.com"])
    environ = allow.to_environ()
    assert json.loads(environ[TARGETS_VARIABLE]) == ["10.0.0.*:80", "*.example.com"]
    assert policy_from_environ(environ) == allow
    assert policy_from_environ({}) is None
    with pytest.raises(ConfigError, match=TARGETS_VARIABLE):
        policy_from_environ({TARGETS_VARIABLE: "{}"})
