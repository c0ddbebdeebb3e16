"""The config file's [thresholds] table."""

from __future__ import annotations

import tomllib

import pytest

from loadforge.errors import ConfigError
from loadforge.thresholds import thresholds_from_table


def test_metrics_endpoints_and_lists() -> None:
    table = tomllib.loads(
        """
        [thresholds]
        p95 = "<300ms"
        "p99.9" = "<2s"
        rps = [">100", "<=5000"]

        [thresholds."List Items"]
        p99 = "< 500ms"
        """
    )["thresholds"]
    found = thresholds_from_table(table, where="load.toml")
    assert [t.expression for t in found] == [
        "p95<300ms",
        "p99.9<2s",
        "rps>100",
        "rps<=5000",
        '"List Items": p99<500ms',
    ]
    assert found[1].limit == 2000.0
    assert found[4].endpoint == "List Items"
    assert found[0].source == "load.toml [thresholds] p95"


def test_unquoted_dotted_percentile_gets_a_hint() -> None:
    table = tomllib.loads('[thresholds]\np99.9 = "<2s"\n')["thresholds"]
    with pytest.raises(ConfigError, match=r'quote the key: "p99\.9"'):
        thresholds_from_table(table, where="load.toml")


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ({"p95": 300}, 'a condition like "<300ms"'),
        ({"p95": ["<1s", 5]}, 'a condition like "<300ms"'),
        ({"latency": "<1s"}, "unknown metric"),
        ({"Home": {"p95": "1s"}}, "is not a threshold"),
    ],
)
def test_bad_tables(table: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        thresholds_from_table(table, where="load.toml")
    assert message in str(caught.value)
    assert "load.toml" in str(caught.value)
