"""The sdist and wheel build, install in clean virtual environments and work there.

`uv build` makes the sdist and then the wheel from the sdist, so a file the
sdist forgets is missing from the wheel too. The core wheel alone runs the
demo, types a user's scenario for mypy (PEP 561), and `loadforge serve`
without the `server` extra says how to install it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]

GOOD_SCENARIO = """\
from loadforge import HttpClient, scenario, task


@scenario(name="typed", base_url="http://127.0.0.1:8080")
class Typed:
    @task(weight=2)
    async def list_items(self, client: HttpClient) -> None:
        resp = await client.get("/items", name="List Items")
        if resp.status != 200:
            resp.fail("not 200")
"""

BAD_SCENARIO = """\
from loadforge import HttpClient, scenario, task


@scenario(name="typed", base_url="http://127.0.0.1:8080")
class Typed:
    @task
    async def list_items(self, client: HttpClient) -> None:
        await client.get(42, nmae="List Items")
"""


def _uv() -> list[str]:
    found = os.environ.get("UV") or shutil.which("uv")
    return [found] if found else [sys.executable, "-m", "uv"]


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    """Run a command that must succeed, its output captured as text."""
    return subprocess.run(args, capture_output=True, text=True, check=True, timeout=300)


@dataclass(frozen=True)
class Installed:
    """A virtual environment with one distribution of LoadForge installed."""

    venv: Path

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    @property
    def loadforge(self) -> Path:
        return self.venv / "bin" / "loadforge"


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sdist and the wheel, built from this checkout."""
    out = tmp_path_factory.mktemp("dist")
    _run([*_uv(), "build", "--out-dir", str(out), str(REPO)])
    return out


def _install(dist: Path, tmp_path_factory: pytest.TempPathFactory, requirement: str) -> Installed:
    venv = tmp_path_factory.mktemp("venv") / "venv"
    _run([*_uv(), "venv", "--python", sys.executable, str(venv)])
    installed = Installed(venv)
    _run([*_uv(), "pip", "install", "--python", str(installed.python), requirement])
    return installed


@pytest.fixture(scope="module")
def core(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Installed:
    """The wheel installed alone, without any extra."""
    return _install(dist, tmp_path_factory, str(next(dist.glob("loadforge-*.whl"))))


def test_the_wheel_ships_the_types_marker_examples_and_front_end(dist: Path) -> None:
    names = set(zipfile.ZipFile(next(dist.glob("loadforge-*.whl"))).namelist())

    assert "loadforge/py.typed" in names
    assert "loadforge/examples/rest_api.py" in names
    assert "loadforge/dashboard/static/index.html" in names
    assert "loadforge/server/db/migrations/env.py" in names


def test_the_sdist_carries_every_source_of_the_compiled_path(dist: Path) -> None:
    # setup.py builds a module from its own .pyx where there is one, else from the
    # pure .py: an sdist without a .pyx would still build, silently, the wrong way.
    (sdist,) = dist.glob("loadforge-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = {name.partition("/")[2] for name in archive.getnames()}
    compiled = REPO / "src" / "loadforge" / "_compiled"
    sources = sorted(compiled.glob("*.pyx")) + sorted(compiled.glob("*.pxd"))

    assert any(path.suffix == ".pyx" for path in sources)
    for path in sources:
        assert str(path.relative_to(REPO)) in names


def test_the_wheel_declares_the_extras(dist: Path) -> None:
    wheel = zipfile.ZipFile(next(dist.glob("loadforge-*.whl")))
    (name,) = (name for name in wheel.namelist() if name.endswith(".dist-info/METADATA"))
    lines = wheel.read(name).decode().splitlines()
    metadata = "\n".join(lines).replace('"', "'")  # setuptools quotes the marker with "

    extras = {line.split(": ")[1] for line in lines if line.startswith("Provides-Extra: ")}
    assert extras >= {"server", "ray", "all"}
    assert "Requires-Dist: sqlalchemy>=2.0; extra == 'server'" in metadata
    assert "Classifier: Typing :: Typed" in metadata


def test_the_demo_runs_from_the_installed_wheel(core: Installed, tmp_path: Path) -> None:
    version = _run([str(core.loadforge), "--version"])
    assert version.stdout.startswith("loadforge ")
    assert "request path: compiled (Cython)" in version.stdout

    demo = subprocess.run(
        [str(core.loadforge), "demo", "--duration", "3s", "--output", str(tmp_path / "results")],
        capture_output=True, text=True, timeout=120, cwd=tmp_path, check=False,
    )  # fmt: skip

    assert demo.returncode == 0, demo.stdout + demo.stderr
    assert demo.stdout.strip().splitlines()[-1].startswith("Results: ")
    assert list((tmp_path / "results").glob("*/result.json"))
    assert list((tmp_path / "results").glob("*/report.html"))  # templates ship in the wheel
    dashboard = "from loadforge.dashboard.app import STATIC_DIR; print(STATIC_DIR / 'index.html')"
    index = _run([str(core.python), "-c", dashboard])
    assert Path(index.stdout.strip()).is_file()  # the built front end ships in the wheel


def _mypy(core: Installed, tmp_path: Path, source: str) -> subprocess.CompletedProcess[str]:
    """mypy --strict on a user's scenario file, finding loadforge only in `core`'s venv."""
    (tmp_path / "scenario.py").write_text(source)
    environment = {k: v for k, v in os.environ.items() if k not in ("MYPYPATH", "PYTHONPATH")}
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental",
         "--python-executable", str(core.python), "scenario.py"],
        capture_output=True, text=True, timeout=300, cwd=tmp_path, env=environment, check=False,
    )  # fmt: skip


def test_mypy_checks_a_scenario_against_the_installed_types(
    core: Installed, tmp_path: Path
) -> None:
    good = _mypy(core, tmp_path, GOOD_SCENARIO)
    bad = _mypy(core, tmp_path, BAD_SCENARIO)

    assert good.returncode == 0, good.stdout
    assert "Success: no issues found" in good.stdout
    assert bad.returncode == 1, bad.stdout
    assert '"get" of "HttpClient" has incompatible type "int"; expected "str"' in bad.stdout
    assert 'Unexpected keyword argument "nmae" for "get" of "HttpClient"' in bad.stdout
    assert "py.typed" not in bad.stdout  # the types were found, not skipped as untyped


def test_serve_without_the_server_extra_says_how_to_install_it(
    core: Installed, tmp_path: Path
) -> None:
    served = subprocess.run(
        [str(core.loadforge), "serve", "--port", "0", "--data-dir", str(tmp_path / "data")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip

    assert served.returncode == 2, served.stdout + served.stderr
    assert "  pip install 'loadforge[server]'" in served.stderr.splitlines()
    assert "Traceback" not in served.stderr


def test_the_server_extra_brings_every_module_the_check_looks_for(
    dist: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    wheel = next(dist.glob("loadforge-*.whl"))
    server = _install(dist, tmp_path_factory, f"loadforge[server] @ {wheel.as_uri()}")

    check = "from loadforge.extras import missing_modules; print(missing_modules('server'))"
    assert _run([str(server.python), "-c", check]).stdout.strip() == "[]"
    assert "Serve saved specs" in _run([str(server.loadforge), "serve", "--help"]).stdout


def test_the_sdist_installs_and_runs(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    sdist = next(dist.glob("loadforge-*.tar.gz"))
    from_source = _install(dist, tmp_path_factory, str(sdist))

    assert _run([str(from_source.loadforge), "--version"]).stdout.startswith("loadforge ")
    marker = (
        "import loadforge, pathlib; print(pathlib.Path(loadforge.__file__).parent / 'py.typed')"
    )
    assert Path(_run([str(from_source.python), "-c", marker]).stdout.strip()).is_file()
