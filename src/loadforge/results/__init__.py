"""Results: the directory a run leaves behind and reading it back."""

from loadforge.results.reader import iter_snapshots_jsonl, load_result, read_snapshots_jsonl
from loadforge.results.writer import ResultsWriter, scenario_slug

__all__ = [
    "ResultsWriter",
    "iter_snapshots_jsonl",
    "load_result",
    "read_snapshots_jsonl",
    "scenario_slug",
]
