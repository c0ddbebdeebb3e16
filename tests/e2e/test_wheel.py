"""The built wheel installs in a clean virtual environment and runs the demo."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def _uv() -> list[str]:
    found = os.environ.get("UV") or shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def test_wheel_installs_and_runs_the_demo(tmp_path: Path) -> None:
    uv = _uv()
    subprocess.run(
        [*uv, "build", "--wheel", "--out-dir", str(tmp_path / "dist"), str(REPO)],
        check=True, capture_output=True,
    )  # fmt: skip
    wheel = next((tmp_path / "dist").glob("loadforge-*.whl"))
    venv = tmp_path / "venv"
    subprocess.run(
        [*uv, "venv", "--python", sys.executable, str(venv)], check=True, capture_output=True
    )
    python = venv / "bin" / "python"
    subprocess.run(
        [*uv, "pip", "install", "--python", str(python), str(wheel)],
        check=True,
        capture_output=True,
    )
    loadforge = venv / "bin" / "loadforge"
    version = subprocess.run(
        [str(loadforge), "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.startswith("loadforge ")
    demo = subprocess.run(
        [str(loadforge), "demo", "--duration", "3s", "--output", str(tmp_path / "results")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False,
    )  # fmt: skip
    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert demo.stdout.strip().splitlines()[-1].startswith("Results: ")
    assert list((tmp_path / "results").glob("*/result.json"))
    assert list((tmp_path / "results").glob("*/report.html"))  # templates ship in the wheel
    dashboard = "from loadforge.dashboard.app import STATIC_DIR; print(STATIC_DIR / 'index.html')"
    index = subprocess.run(
        [str(python), "-c", dashboard], capture_output=True, text=True, check=True
    )
    assert Path(index.stdout.strip()).is_file()  # the built front end ships in the wheel
