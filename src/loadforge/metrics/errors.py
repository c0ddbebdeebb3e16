"""Errors raised when stored or transported metrics cannot be read back."""

from __future__ import annotations

from loadforge.errors import LoadForgeError


class ResultFormatError(LoadForgeError):
    """A result file, snapshot line or interval payload is missing or malformed.

    Raised instead of KeyError/ValueError/zlib errors so that the CLI can tell
    the user which file is broken and why, rather than printing a traceback.
    """
