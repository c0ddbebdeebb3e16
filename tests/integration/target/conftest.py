"""Fixtures for tests against a real demo target on 127.0.0.1 with a free port."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from loadforge.target import running_target


@pytest.fixture(scope="module")
def target_url() -> Iterator[str]:
    """One demo target per test module; tests reset its counts, not its data."""
    with running_target() as url:
        yield url


@pytest.fixture
def client(target_url: str) -> Iterator[httpx.Client]:
    """An HTTP client for the target, with the request counts reset to zero."""
    # trust_env=False: never route 127.0.0.1 traffic through a configured proxy.
    with httpx.Client(base_url=target_url, trust_env=False, timeout=10) as http:
        http.post("/stats/reset").raise_for_status()
        yield http


@pytest.fixture
def token(client: httpx.Client) -> str:
    """A fresh login token."""
    response = client.post("/auth/login", json={"email": "t@example.com", "password": "pw"})
    response.raise_for_status()
    value = response.json()["token"]
    assert isinstance(value, str)
    return value


@pytest.fixture
def auth(token: str) -> dict[str, str]:
    """Headers authenticating as a freshly logged-in user."""
    return {"Authorization": f"Bearer {token}"}
