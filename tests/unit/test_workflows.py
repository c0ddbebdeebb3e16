"""The GitHub workflows say what the README says; they cannot run here, so their shape is checked.

ci.yml runs `.ci/run` (which runs `make test`) on Linux with Python 3.11 and the
unit tests on the other versions and on macOS; release.yml publishes with
trusted publishing, after the whole CI workflow, from a tag.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"


def _workflow(name: str) -> dict[Any, Any]:
    loaded = yaml.safe_load((WORKFLOWS / name).read_text())
    assert isinstance(loaded, dict)
    return loaded


def _runs(job: dict[str, Any]) -> list[str]:
    return [step["run"] for step in job["steps"] if "run" in step]


def _uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"] for step in job["steps"] if "uses" in step]


def _classifier_versions() -> set[str]:
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    prefix = "Programming Language :: Python :: 3."
    return {c.removeprefix("Programming Language :: Python :: ") for c in project["classifiers"]
            if c.startswith(prefix)}  # fmt: skip


def test_the_full_job_is_the_readme_test_command_on_linux_with_3_11() -> None:
    job = _workflow("ci.yml")["jobs"]["test"]

    assert job["runs-on"] == "ubuntu-latest"
    assert {"uses": "actions/setup-python@v5", "with": {"python-version": "3.11"}} in job["steps"]
    assert _runs(job) == [".ci/run"]
    assert (REPO / ".ci" / "run").read_text().strip().splitlines()[-1] == "make test"


def test_the_unit_jobs_cover_every_supported_python_on_linux_and_macos() -> None:
    job = _workflow("ci.yml")["jobs"]["unit"]
    matrix = job["strategy"]["matrix"]
    combinations = {(os, python) for os in matrix["os"] for python in matrix["python"]}
    combinations -= {(e["os"], e["python"]) for e in matrix.get("exclude", [])}

    supported = _classifier_versions()
    assert supported == {"3.11", "3.12", "3.13"}
    assert combinations | {("ubuntu-latest", "3.11")} == {
        (os, python) for os in ("ubuntu-latest", "macos-latest") for python in supported
    }
    assert job["env"]["UV_PYTHON"] == "${{ matrix.python }}"
    assert "uv sync --frozen --all-extras" in _runs(job)
    assert any(run.startswith("uv run --frozen pytest tests/unit") for run in _runs(job))


def test_a_tag_releases_after_the_whole_ci_with_trusted_publishing() -> None:
    release = _workflow("release.yml")
    jobs = release["jobs"]

    assert release[True] == {"push": {"tags": ["v*"]}}  # YAML reads the key `on` as True
    assert "workflow_call" in _workflow("ci.yml")[True]
    assert jobs["ci"] == {"uses": "./.github/workflows/ci.yml"}
    assert jobs["sdist"]["needs"] == "ci"
    assert any("uv build --sdist" in run for run in _runs(jobs["sdist"]))
    assert jobs["wheels"] == {"needs": "ci", "uses": "./.github/workflows/wheels.yml"}
    publish = jobs["publish"]
    assert publish["needs"] == ["sdist", "wheels"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert _uses(publish)[-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert release["permissions"] == {"contents": "read"}  # only publish may ask for a token


def test_cibuildwheel_builds_the_platform_wheels_that_release_publishes() -> None:
    wheels = _workflow("wheels.yml")
    job = wheels["jobs"]["wheels"]
    settings = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["cibuildwheel"]

    assert "workflow_call" in wheels[True]
    assert set(job["strategy"]["matrix"]["os"]) == {
        "ubuntu-latest", "ubuntu-24.04-arm", "macos-13", "macos-latest"
    }  # fmt: skip
    assert any(uses.startswith("pypa/cibuildwheel@") for uses in _uses(job))
    artifact = job["steps"][-1]["with"]
    assert artifact["name"].startswith("dist-wheels-")  # publish downloads every dist-*
    assert set(settings["build"].split()) == {
        f"cp{v.replace('.', '')}-*" for v in _classifier_versions()
    }
    assert "request path: compiled (Cython)" in settings["test-command"]
