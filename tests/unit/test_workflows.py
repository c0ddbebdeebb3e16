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
    assert jobs["sdist-and-wheel"]["needs"] == "ci"
    assert any("uv build" in run for run in _runs(jobs["sdist-and-wheel"]))
    publish = jobs["publish"]
    assert publish["needs"] == ["sdist-and-wheel"]
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert _uses(publish)[-1] == "pypa/gh-action-pypi-publish@release/v1"
    assert release["permissions"] == {"contents": "read"}  # only publish may ask for a token


def test_the_cibuildwheel_job_is_ready_but_off_while_the_wheel_is_pure() -> None:
    text = (WORKFLOWS / "release.yml").read_text()

    assert "wheels" not in _workflow("release.yml")["jobs"]
    assert "  #     - uses: pypa/cibuildwheel@" in text
    assert "  #         name: dist-wheels-" in text  # publish downloads every dist-* artifact
