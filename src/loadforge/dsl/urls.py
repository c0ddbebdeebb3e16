"""Checks that a base URL is one LoadForge can send requests to.

Shared by the ``@scenario`` decorator (literal URLs, checked at import) and by
scenario resolution (the final URL, checked when a run starts), so both report
the same problems in the same words.
"""

from __future__ import annotations

from urllib.parse import urlsplit


def base_url_problem(url: str) -> str | None:
    """Say what is wrong with ``url`` as a base URL, or return None when it is fine."""
    if not url.strip():
        return "it is empty"
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        return f"it is not a valid URL ({exc})"
    if parts.scheme not in ("http", "https"):
        return "it must start with http:// or https://"
    if not parts.hostname:
        return "it has no host name"
    if port == 0:
        return "port 0 cannot be connected to"
    if parts.query or parts.fragment:
        return "it must not have a query string or fragment; put those in the request paths"
    return None


def normalise_base_url(url: str) -> str:
    """Drop trailing slashes so request paths starting with "/" join without "//"."""
    return url.rstrip("/")
