"""Results of format 1, read by this LoadForge: the old names of three snapshot figures.

Format 1 named a snapshot's `requests`, `rps` and `errors` `total_requests`,
`requests_per_second` and `total_errors`; nothing else differs from format 2.
Reading format 1 is renaming those keys, in each snapshot and in the final
summary, before the format-2 reader sees them. result.json says its format
(`result_format`); a line of snapshots.jsonl does not, so a snapshot is read
as format 1 when it has the old key.
"""

from __future__ import annotations

from collections.abc import Mapping

FORMAT_1_NAMES: Mapping[str, str] = {
    "total_requests": "requests",
    "requests_per_second": "rps",
    "total_errors": "errors",
}
"""Each snapshot key of format 1 that format 2 renamed, and its name in format 2."""


def is_format1_snapshot(source: Mapping[str, object]) -> bool:
    """True for a snapshot written by format 1 (it has `total_requests`, not `requests`)."""
    return "total_requests" in source and "requests" not in source


def snapshot_from_format1(source: Mapping[str, object]) -> dict[str, object]:
    """A format-1 snapshot with its keys in format 2; other keys as they are."""
    return {FORMAT_1_NAMES.get(key, key): value for key, value in source.items()}


def result_from_format1(source: Mapping[str, object]) -> dict[str, object]:
    """A format-1 result.json document with its snapshots and final summary in format 2.

    Values of the wrong type are left as they are, for the format-2 reader to
    name in its error.
    """
    upgraded = dict(source)
    snapshots = source.get("snapshots")
    if isinstance(snapshots, list):
        upgraded["snapshots"] = [_snapshot(item) for item in snapshots]
    upgraded["final_summary"] = _snapshot(source.get("final_summary"))
    if "final_summary" not in source:
        del upgraded["final_summary"]
    return upgraded


def _snapshot(value: object) -> object:
    if isinstance(value, dict) and all(isinstance(key, str) for key in value):
        return snapshot_from_format1(value)
    return value
