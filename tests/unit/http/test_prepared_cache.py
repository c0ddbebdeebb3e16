"""The client's cache of encoded requests: built on the first lookup, kept, bounded."""

from __future__ import annotations

from typing import cast

from loadforge.http._client import _PREPARED_LIMIT, _PreparedCache
from loadforge.http._requests import PreparedRequest


def test_a_request_is_built_once_per_method_and_path_then_found() -> None:
    built: list[tuple[str, str]] = []

    def build(method: str, path: str) -> PreparedRequest:
        built.append((method, path))
        return cast(PreparedRequest, object())

    cache = _PreparedCache(build)

    first = cache["GET", "/items"]
    assert cache["GET", "/items"] is first
    assert cache["POST", "/items"] is not first
    assert built == [("GET", "/items"), ("POST", "/items")]


def test_at_the_limit_the_cache_starts_again_from_empty() -> None:
    cache = _PreparedCache(lambda method, path: cast(PreparedRequest, object()))
    for index in range(_PREPARED_LIMIT):
        cache["GET", f"/items/{index}"]
    assert len(cache) == _PREPARED_LIMIT

    cache["GET", "/one-more"]

    assert list(cache) == [("GET", "/one-more")]
