"""Thresholds from a config file's `[thresholds]` table.

Top-level keys are metrics of the whole run; sub-tables are endpoints:

    [thresholds]
    p95 = "<300ms"
    "p99.9" = "<2s"          # quoted, or TOML reads p99.9 as a table
    error_rate = "<1%"
    rps = [">100", "<=5000"]  # a list gives several limits

    [thresholds."List Items"]
    p99 = "<500ms"
"""

from __future__ import annotations

from collections.abc import Mapping

from loadforge.errors import ConfigError
from loadforge.thresholds.model import Threshold
from loadforge.thresholds.parser import parse_condition


def thresholds_from_table(table: Mapping[str, object], *, where: str) -> tuple[Threshold, ...]:
    """Every threshold a `[thresholds]` table defines, in the table's order."""
    found: list[Threshold] = []
    for key, value in table.items():
        if isinstance(value, Mapping):
            for metric, conditions in value.items():
                found.extend(_conditions(str(metric), conditions, key, where))
        else:
            found.extend(_conditions(key, value, None, where))
    return tuple(found)


def _conditions(metric: str, value: object, endpoint: str | None, where: str) -> list[Threshold]:
    items = value if isinstance(value, list) else [value]
    label = f"[thresholds] {metric}" if endpoint is None else f'[thresholds."{endpoint}"] {metric}'
    source = f"{where} {label}"
    if endpoint is not None and metric.isdigit() and endpoint.startswith("p"):
        raise ConfigError(
            f"{source}: TOML read {endpoint}.{metric} as a table;"
            f' quote the key: "{endpoint}.{metric}".'
        )
    thresholds = []
    for item in items:
        if not isinstance(item, str):
            raise ConfigError(
                f'{source} must be a condition like "<300ms" or a list of them, got {item!r}.'
            )
        condition = f"{metric}{''.join(item.split())}"
        text = condition if endpoint is None else f'"{endpoint}": {condition}'
        thresholds.append(
            parse_condition(condition, endpoint=endpoint, source=source, expression=text)
        )
    return thresholds
