"""The pytest plugin from the outside: a suite of load tests run by pytest in a process of its own.

The suite lives in a temporary directory with no pytest configuration, so
the plugin is found through its `pytest11` entry point, as in a user's
project; its pytest.ini makes any warning a failure and unknown markers errors.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

CONFTEST = """
import os

import pytest

from loadforge.target.server import running_target


@pytest.fixture(scope="session", autouse=True)
def api_url():
    with running_target() as url:
        os.environ["API_URL"] = url
        yield url
"""

INI = """
[pytest]
asyncio_default_fixture_loop_scope = function
filterwarnings = error
addopts = --strict-markers
"""

SUITE = """
import pytest

from loadforge import HttpClient, scenario, task


@scenario(base_url="http://127.0.0.1:1", think_time=0.05)
class Items:
    @task
    async def list_items(self, client: HttpClient) -> None:
        await client.get("/anything", name="Anything")


@pytest.mark.loadtest(users=2, duration="1s", thresholds=["error_rate<1%"])
def test_passes(loadforge, api_url):
    result = loadforge.run(Items, base_url=api_url)
    assert result.final_summary["requests"] > 0


@pytest.mark.loadtest(users=2, duration="1s", thresholds=["error_rate<1%", "p95<0.001ms"])
def test_breaches(loadforge, api_url):
    loadforge.run(Items, base_url=api_url)
    raise AssertionError("not reached: the breach fails the test first")


@pytest.mark.loadtest("scenario_file.py", users=1, duration="1s")
def test_the_marker_runs_its_scenario(loadforge):
    assert loadforge.result is not None
    assert loadforge.result.final_summary["requests"] > 0


def test_the_fixture_alone(loadforge, api_url):
    result = loadforge.run(Items, base_url=api_url, users=1, duration=0.5)
    assert result.passed


@pytest.mark.loadtest(users=1, colour="blue")
def test_an_unknown_setting(loadforge):
    pass
"""

SCENARIO_FILE = """
from loadforge import scenario, task

@scenario(base_url="${API_URL}", think_time=0.05)
class FromFile:
    @task
    async def get(self, client):
        await client.get("/anything")
"""


def test_the_plugin_runs_load_tests_and_fails_breaches_with_the_table(tmp_path: Path) -> None:
    (tmp_path / "test_load.py").write_text(textwrap.dedent(SUITE), encoding="utf-8")
    (tmp_path / "scenario_file.py").write_text(textwrap.dedent(SCENARIO_FILE), encoding="utf-8")
    (tmp_path / "conftest.py").write_text(textwrap.dedent(CONFTEST), encoding="utf-8")
    (tmp_path / "pytest.ini").write_text(INI, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-rA", "-v"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    out = done.stdout + done.stderr
    assert done.returncode == 1, out
    assert "test_load.py::test_passes PASSED" in out
    assert "test_load.py::test_the_marker_runs_its_scenario PASSED" in out
    assert "test_load.py::test_the_fixture_alone PASSED" in out
    assert "test_load.py::test_breaches FAILED" in out
    assert "not reached" not in out
    assert "load test 'Items' completed: 1 of 2 thresholds failed" in out
    assert "threshold      result  details" in out
    assert "p95<0.001ms    FAIL" in out
    assert "unknown settings: colour" in out


def test_the_project_suite_sees_the_marker_and_loads_no_run_machinery() -> None:
    probe = (
        "import sys, loadforge.pytest_plugin\n"
        "heavy = ('loadforge.runs', 'loadforge.engine')\n"
        "print(sorted(m for m in sys.modules if m.startswith(heavy)))"
    )
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", probe],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.strip() == "[]"
