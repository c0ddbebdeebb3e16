"""The config-file keys of reports and CI gates: thresholds, format, no_report, plotly, junit.

Kept apart from `options` so the run settings and the output settings each
have one small converter.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from loadforge.errors import ConfigError

REPORT_KEYS = frozenset({"thresholds", "format", "no_report", "plotly", "junit"})


def convert_report_setting(key: str, value: object, where: str) -> dict[str, object]:
    """One report setting of a config file as RunOptions fields; ConfigError on a bad value."""
    if key == "thresholds":
        if not isinstance(value, Mapping):
            raise ConfigError(
                f"{where}: 'thresholds' must be a table, e.g. [thresholds] p95 = \"<300ms\"."
            )
        return {"threshold_table": value}
    if key == "format":
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not all(isinstance(name, str) for name in names):
            raise ConfigError(f"{where}: 'format' must be a format name or a list of them.")
        return {"formats": tuple(names)}
    if key == "no_report":
        if not isinstance(value, bool):
            raise ConfigError(f"{where}: 'no_report' must be true or false, got {value!r}.")
        return {"no_report": value}
    if not isinstance(value, str):
        raise ConfigError(f"{where}: '{key}' must be a string, got {value!r}.")
    return {"plotly": value} if key == "plotly" else {"junit": Path(value)}
