"""The pytest plugin: a load test as one more test in a suite.

Installed with LoadForge (entry point `pytest11`), it adds the `loadtest`
marker and the `loadforge` fixture:

    @pytest.mark.loadtest(users=20, duration="10s", thresholds=["p95<200ms"])
    def test_items_api(loadforge, api_url):
        result = loadforge.run("scenarios/items.py", base_url=api_url)
        assert result.final_summary["errors"] == 0

`loadforge.run` takes `loadforge.run`'s arguments, with the marker's as
defaults, and fails the test, with the thresholds table as its message,
when a threshold is breached or the run does not complete. A marker that
names the scenario (`@pytest.mark.loadtest("scenarios/items.py", ...)`)
runs it by itself, before the test's body, which can read the result from
`loadforge.result`. Relative scenario paths are read from the test file's
directory.

Loading the plugin imports the scenario API only; LoadForge's run machinery
is imported by the first run, so a suite that never load-tests loads little.
`-p no:loadforge` turns the plugin off.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from loadforge.runs.programmatic import RunResult

MARKER = "loadtest"
_RUN_KEYWORDS = frozenset(
    {"users", "duration", "pattern", "base_url", "thresholds", "workers", "output"}
)
_RESULT_KEY = pytest.StashKey["RunResult"]()


def pytest_configure(config: pytest.Config) -> None:
    """Register the marker, so `--strict-markers` suites accept it."""
    config.addinivalue_line(
        "markers",
        f"{MARKER}(scenario=None, *, users, duration, pattern, base_url, thresholds, workers,"
        " output): run a LoadForge load test; the test fails when a threshold is breached",
    )


class LoadTester:
    """The `loadforge` fixture: runs with the marker's settings, failing the test on a breach."""

    def __init__(self, node: pytest.Item) -> None:
        self._node = node
        self._defaults = _marker_settings(node)
        self._last: RunResult | None = None

    @property
    def result(self) -> RunResult | None:
        """The last run's result: this fixture's, else the one the marker ran; None before."""
        return self._last or self._node.stash.get(_RESULT_KEY, None)

    def run(self, scenario: Path | str | type | None = None, **settings: object) -> RunResult:
        """Run `scenario` (default: the marker's) with the marker's settings under `settings`."""
        unknown = set(settings) - _RUN_KEYWORDS
        if unknown:
            raise TypeError(f"loadforge.run() got unknown settings: {', '.join(sorted(unknown))}")
        merged = {**self._defaults, **settings}
        chosen = scenario if scenario is not None else merged.pop("scenario", None)
        merged.pop("scenario", None)
        if chosen is None:
            raise TypeError(
                "loadforge.run() needs a scenario: a path, a @scenario class, "
                f"or @pytest.mark.{MARKER}(scenario, ...)"
            )
        self._last = _run_checked(self._node, chosen, merged)
        return self._last


@pytest.fixture
def loadforge(request: pytest.FixtureRequest) -> LoadTester:
    """Run load tests from a test: `loadforge.run(scenario, users=..., thresholds=[...])`."""
    return LoadTester(request.node)


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item: pytest.Item) -> None:
    """A marker that names its scenario runs it before the test's body."""
    settings = _marker_settings(item)
    scenario = settings.pop("scenario", None)
    if scenario is not None:
        item.stash[_RESULT_KEY] = _run_checked(item, scenario, settings)


def _marker_settings(node: pytest.Item) -> dict[str, object]:
    marker = node.get_closest_marker(MARKER)
    if marker is None:
        return {}
    if len(marker.args) > 1:
        raise pytest.UsageError(
            f"@pytest.mark.{MARKER} takes one positional argument, the scenario"
        )
    settings = dict(marker.kwargs)
    unknown = set(settings) - _RUN_KEYWORDS - {"scenario"}
    if unknown:
        raise pytest.UsageError(
            f"@pytest.mark.{MARKER} got unknown settings: {', '.join(sorted(unknown))}"
        )
    if marker.args:
        settings["scenario"] = marker.args[0]
    if isinstance(settings.get("scenario"), str | Path):
        settings["scenario"] = _near(node, Path(str(settings["scenario"])))
    return settings


def _near(node: pytest.Item, path: Path) -> Path:
    """A relative path from the test file's directory (as written, when that finds nothing)."""
    if path.is_absolute():
        return path
    nearby = node.path.parent / path
    return nearby if nearby.exists() else path


def _run_checked(node: pytest.Item, scenario: object, settings: Mapping[str, object]) -> RunResult:
    from loadforge.errors import LoadForgeError
    from loadforge.runs.programmatic import run

    if isinstance(scenario, str | Path):
        scenario = _near(node, Path(scenario))
    if not isinstance(scenario, Path | type):
        raise TypeError(f"a scenario is a path or a @scenario class, got {scenario!r}")
    try:
        result = run(scenario, **settings)  # type: ignore[arg-type]  # keys checked above
    except LoadForgeError as exc:
        pytest.fail(f"LoadForge could not run the load test: {exc}", pytrace=False)
    if not result.passed:
        pytest.fail(_failure(result), pytrace=False)
    return result


def _failure(result: RunResult) -> str:
    name = result.result.scenario_name
    lines = [f"load test {name!r} {result.status.value}"]
    if result.outcomes:
        failed = sum(not outcome.passed for outcome in result.outcomes)
        lines[0] += f": {failed} of {len(result.outcomes)} thresholds failed"
        lines.append(result.threshold_table())
    if result.directory is not None:
        lines.append(f"Results: {result.directory}")
    return "\n".join(lines)
