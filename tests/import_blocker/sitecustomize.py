"""Makes modules unimportable in a child process, as if they were not installed.

A test puts this folder on the child's PYTHONPATH and names the top-level
modules in LOADFORGE_BLOCKED_MODULES (comma-separated); Python imports
`sitecustomize` at start-up, in every process the child spawns too. Each
attempt is appended to the file LOADFORGE_BLOCKED_LOG, when set, so that an
import that some code catches and ignores is still seen.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from importlib.abc import MetaPathFinder
from importlib.machinery import ModuleSpec
from types import ModuleType


class Blocker(MetaPathFinder):
    """A finder, first on `sys.meta_path`, that refuses the blocked names."""

    def __init__(self, names: frozenset[str], log: str | None) -> None:
        self.names = names
        self.log = log

    def find_spec(
        self,
        fullname: str,
        path: Sequence[str] | None,
        target: ModuleType | None = None,
    ) -> ModuleSpec | None:
        """Raise ModuleNotFoundError for a blocked module; None lets the others look."""
        if fullname.partition(".")[0] not in self.names:
            return None
        if self.log:
            with open(self.log, "a", encoding="utf-8") as log:
                log.write(f"{fullname}\n")
        raise ModuleNotFoundError(f"No module named {fullname!r} (blocked)", name=fullname)


_names = frozenset(filter(None, os.environ.get("LOADFORGE_BLOCKED_MODULES", "").split(",")))
if _names:
    sys.meta_path.insert(0, Blocker(_names, os.environ.get("LOADFORGE_BLOCKED_LOG")))
