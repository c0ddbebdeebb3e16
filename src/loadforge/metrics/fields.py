"""Typed reading of decoded JSON, so malformed result files fail with a clear message.

`from_dict` methods read every field through these functions instead of
indexing and casting, which turns a missing key or a wrong type into a
ResultFormatError naming the field instead of a KeyError deep in a report.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from loadforge.metrics.errors import ResultFormatError


def _field(source: Mapping[str, object], key: str, where: str) -> object:
    if key not in source:
        raise ResultFormatError(f"{where} has no '{key}' field.")
    return source[key]


def _wrong(where: str, key: str, expected: str, value: object) -> ResultFormatError:
    shown = f"{type(value).__name__} {value!r:.80}"
    return ResultFormatError(f"{where} field '{key}' should be {expected}, but it is {shown}.")


def as_object(value: object, where: str) -> Mapping[str, object]:
    """`value` as a JSON object with string keys, or ResultFormatError."""
    if not isinstance(value, dict) or not all(isinstance(key, str) for key in value):
        raise ResultFormatError(
            f"{where} should be a JSON object, but it is {type(value).__name__}."
        )
    return value


def read_int(source: Mapping[str, object], key: str, where: str) -> int:
    """A non-negative integer field (booleans are not integers here)."""
    value = _field(source, key, where)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise _wrong(where, key, "a non-negative integer", value)
    return value


def read_float(source: Mapping[str, object], key: str, where: str) -> float:
    """A finite number field, returned as float (JSON may write 0.0 as 0)."""
    value = _field(source, key, where)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _wrong(where, key, "a finite number", value)
    return float(value)


def read_str(source: Mapping[str, object], key: str, where: str) -> str:
    """A string field."""
    value = _field(source, key, where)
    if not isinstance(value, str):
        raise _wrong(where, key, "a string", value)
    return value


def read_object(source: Mapping[str, object], key: str, where: str) -> Mapping[str, object]:
    """A nested JSON object field."""
    return as_object(_field(source, key, where), f"{where} field '{key}'")


def read_counts(source: Mapping[str, object], key: str, where: str) -> dict[str, int]:
    """A ``{name: count}`` object field."""
    counts = read_object(source, key, where)
    inner = f"{where} field '{key}'"
    return {name: read_int(counts, name, inner) for name in counts}


def read_status_counts(source: Mapping[str, object], key: str, where: str) -> dict[int, int]:
    """A ``{"404": count}`` object field, restored to integer status codes."""
    counts = read_counts(source, key, where)
    restored: dict[int, int] = {}
    for status, count in counts.items():
        if not (status.isascii() and status.isdigit()):
            raise ResultFormatError(
                f"{where} field '{key}' has key {status!r}, which is not an HTTP status code."
            )
        restored[int(status)] = count
    return restored


def status_keys(counts: Mapping[int, int]) -> dict[str, int]:
    """Status counts with string keys, as JSON requires."""
    return {str(status): count for status, count in counts.items()}
