"""`--cluster` refused in words before Ray is needed; a run without it never imports ray.

A missing `ray` is simulated by `tests/import_blocker`, as in an install of
loadforge without its ray extra. The unreachable address is a loopback port
bound but never listening, so nothing leaves the machine.
"""

from __future__ import annotations

import importlib.util
import os
import socket
from pathlib import Path

import pytest

from cli_harness import EXAMPLES, Target, blocking, run_process

SCENARIO = str(EXAMPLES / "basic_get.py")


def test_cluster_without_the_ray_extra_exits_2_with_the_install_line(tmp_path: Path) -> None:
    args = ["run", SCENARIO, "--cluster", "127.0.0.1:26379", "-d", "1s", "-o", str(tmp_path)]

    completed = run_process(args, env=blocking(["ray"], tmp_path / "blocked.log"))

    assert completed.returncode == 2, completed.stdout + completed.stderr
    assert "ray extra" in completed.stderr
    assert "  pip install 'loadforge[ray]'" in completed.stderr.splitlines()
    assert "Traceback" not in completed.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["blocked.log"]  # no results directory


def test_an_unreachable_cluster_exits_2_naming_the_address(tmp_path: Path) -> None:
    if importlib.util.find_spec("ray") is None:
        message = "ray is not installed (uv sync --all-extras)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))  # bound, never listening: connections are refused
        address = f"127.0.0.1:{unused.getsockname()[1]}"
        args = ["run", SCENARIO, "--cluster", address, "-d", "1s", "-o", str(tmp_path / "out")]

        completed = run_process(args)

    assert completed.returncode == 2, completed.stdout + completed.stderr
    said = " ".join(completed.stderr.split())  # the console wraps the message
    assert f"Cannot reach the Ray cluster at {address}" in said
    assert "Traceback" not in completed.stderr


@pytest.mark.slow
def test_a_run_without_cluster_never_imports_ray(target: Target, tmp_path: Path) -> None:
    log = tmp_path / "blocked.log"
    args = ["run", SCENARIO, "--base-url", target.url, "-u", "2", "-d", "1s", "-w", "2", "-q"]

    completed = run_process([*args, "-o", str(tmp_path / "results")], env=blocking(["ray"], log))

    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert not log.exists(), log.read_text()
