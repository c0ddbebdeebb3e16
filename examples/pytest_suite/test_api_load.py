"""A load test as one more test in a suite, with LoadForge's pytest plugin.

The plugin comes with LoadForge: the `loadtest` marker gives the run's
settings, the `loadforge` fixture runs it, and a breached threshold fails
the test with the thresholds table as its message. Here the suite starts
LoadForge's demo API itself, so it runs anywhere:

    pytest examples/pytest_suite

Against your own API, give `base_url=` your server's URL (from a fixture of
your suite), or leave it to the scenario's `base_url`.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest

from loadforge.pytest_plugin import LoadTester
from loadforge.target.server import running_target

REST_API = Path(__file__).resolve().parents[1] / "rest_api.py"


@pytest.fixture(scope="module")
def api_url() -> Iterator[str]:
    """The demo API on a free loopback port, for this module's tests."""
    with running_target() as url:
        yield url


@pytest.mark.loadtest(users=5, duration="3s", thresholds=["p95<500ms", "error_rate<1%"])
def test_the_rest_api_holds_five_users(loadforge: LoadTester, api_url: str) -> None:
    """Five users for 3 s: p95 under 500 ms, under 1% errors, or the test fails."""
    result = loadforge.run(REST_API, base_url=api_url)
    assert result.final_summary["requests"] != 0
