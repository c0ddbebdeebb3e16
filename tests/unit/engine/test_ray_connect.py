"""Connecting to a Ray cluster: a refused job is told apart from an unreachable cluster."""

from __future__ import annotations

import pytest

ray_cluster = pytest.importorskip("loadforge.engine.ray_cluster")

from loadforge.errors import ClusterError  # noqa: E402 - after the importorskip

# What Ray's `uv run` hook raises when the driver's pyproject.toml lies outside the working_dir.
UV_HOOK = (
    "Your /home/me/project/pyproject.toml is not in the working_dir /home/me/scenarios, "
    "so the workers will not have access to the file. Make sure the pyproject.toml file "
    "is in the working directory."
)


def _failing_init(error: BaseException) -> object:
    def init(**_: object) -> None:
        raise error

    return init


def test_ray_s_uv_hook_refusal_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ray_cluster.ray, "init", _failing_init(RuntimeError(UV_HOOK)))
    with pytest.raises(ClusterError) as caught:
        ray_cluster._connect("127.0.0.1:26379", {"working_dir": "/home/me/scenarios"})
    said = str(caught.value)
    assert said.startswith("Ray refused this run's job on the cluster at 127.0.0.1:26379: Your ")
    assert "RAY_ENABLE_UV_RUN_RUNTIME_ENV=0" in said
    assert "Cannot connect" not in said


def test_any_other_failure_is_a_failure_to_connect(monkeypatch: pytest.MonkeyPatch) -> None:
    refused = ConnectionError("Could not find any running Ray instance.\nmore detail")
    monkeypatch.setattr(ray_cluster.ray, "init", _failing_init(refused))
    with pytest.raises(ClusterError) as caught:
        ray_cluster._connect("10.0.0.1:6379", {})
    assert str(caught.value) == (
        "Cannot connect to the Ray cluster at 10.0.0.1:6379:"
        " Could not find any running Ray instance."
    )
