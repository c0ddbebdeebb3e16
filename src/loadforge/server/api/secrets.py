"""Request headers that hold credentials: masked in every answer, kept whole for the run.

A spec's `Authorization`, `Proxy-Authorization` and `Cookie` headers, and
any header named `*-Key` or `*-Token` (`X-Api-Key`, `X-Auth-Token`), are
shown as MASK by the REST API and the WebSocket. The stored spec and the
copy a run is handed keep the real value. A PUT that sends MASK back for a
header the spec already has keeps the stored value, so that editing a spec
in the pages does not overwrite its secret with the mask.
"""

from __future__ import annotations

from collections.abc import Mapping

MASK = "********"

_NAMES = frozenset({"authorization", "proxy-authorization", "cookie"})
_SUFFIXES = ("-key", "-token")


def is_secret(name: str) -> bool:
    """Whether a header of this name holds a credential."""
    lowered = name.lower()
    return lowered in _NAMES or lowered.endswith(_SUFFIXES)


def masked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """The headers with every credential's value replaced by MASK."""
    return {name: MASK if is_secret(name) else value for name, value in headers.items()}


def masked_request(request: object) -> object:
    """A spec's `request` object with its credential headers masked (anything else as is)."""
    if not isinstance(request, Mapping):
        return request
    headers = request.get("headers")
    if not isinstance(headers, Mapping):
        return dict(request)
    return {**request, "headers": masked_headers(headers)}


def kept_secrets(new: Mapping[str, str], stored: Mapping[str, str]) -> dict[str, str]:
    """`new` with each MASK value of a credential header replaced by its stored value."""
    by_name = {name.lower(): value for name, value in stored.items()}
    return {
        name: by_name[name.lower()]
        if value == MASK and is_secret(name) and name.lower() in by_name
        else value
        for name, value in new.items()
    }
