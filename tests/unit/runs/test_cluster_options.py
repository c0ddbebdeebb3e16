"""`--cluster` and a config file's `cluster`: into a checked `ClusterTarget`, or refused."""

from __future__ import annotations

import pytest

from loadforge.engine.cluster import DEFAULT_PLACEMENT_TIMEOUT, ClusterTarget
from loadforge.errors import ClusterError, ConfigError
from loadforge.runs.options import RunOptions, options_from_mapping
from loadforge.runs.settings import cluster_target


def test_the_config_keys_give_the_cluster_and_its_placement_timeout() -> None:
    options = options_from_mapping(
        {"cluster": "10.0.0.1:6379", "placement-timeout": "2m", "workers": 50}, where="load.toml"
    )

    assert cluster_target(options) == ClusterTarget("10.0.0.1:6379", 50, 120.0)


def test_without_workers_the_cluster_decides_and_the_timeout_defaults() -> None:
    assert cluster_target(RunOptions(cluster="auto")) == ClusterTarget(
        "auto", None, DEFAULT_PLACEMENT_TIMEOUT
    )


def test_no_cluster_means_none_and_a_lone_placement_timeout_is_refused() -> None:
    assert cluster_target(RunOptions()) is None
    with pytest.raises(ConfigError, match="--placement-timeout applies to a cluster run"):
        cluster_target(RunOptions(placement_timeout=5.0))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (RunOptions(cluster="head:port"), "is not a cluster address"),
        (RunOptions(cluster="auto", placement_timeout=0.0), "--placement-timeout must be more"),
    ],
)
def test_bad_cluster_settings_are_refused(options: RunOptions, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        cluster_target(options)


def test_a_bad_address_is_a_cluster_error() -> None:
    with pytest.raises(ClusterError):
        cluster_target(RunOptions(cluster="ray://"))


def test_a_config_cluster_must_be_a_string() -> None:
    with pytest.raises(ConfigError, match="'cluster' must be a string"):
        options_from_mapping({"cluster": 6379}, where="load.toml")
