"""Loading scenario files by path and picking the scenario to run.

Scenario files are ordinary Python files anywhere on disk, not installed
modules, so they are imported by path. Everything that can go wrong with user
code here (missing file, syntax error, exception at import, no or ambiguous
scenario) becomes a `ScenarioError` that points at the user's own file and
line instead of a traceback through LoadForge.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import itertools
import re
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from types import CodeType, ModuleType

from loadforge.dsl.checks import check_pattern
from loadforge.dsl.decorators import scenario_of
from loadforge.dsl.definitions import ScenarioDefinition
from loadforge.dsl.mix import SEPARATOR
from loadforge.errors import LoadForgeError, ScenarioError

_module_numbers = itertools.count(1)

_HOW_TO_DECLARE = (
    'Declare one by decorating a class: `@scenario(base_url="http://127.0.0.1:8080")` above '
    "`class MyApi:` with at least one `@task async def ...(self, client)` method "
    "(`loadforge init NAME` writes a starter file)."
)


def load_scenarios(path: Path) -> list[ScenarioDefinition]:
    """Import the scenario file at ``path`` and return the scenarios it defines, in order.

    Scenario classes merely imported from another module are skipped. The
    file's directory is added to ``sys.path`` so it can import its siblings.
    A module-level ``pattern`` is the pattern of every scenario of the file
    that carries none of its own.
    """
    path = _check_path(path)
    code = _compile(path)
    module = _execute(path, code)
    found: list[ScenarioDefinition] = []
    for value in list(vars(module).values()):
        if not isinstance(value, type) or value.__module__ != module.__name__:
            continue
        definition = scenario_of(value)
        if definition is not None and all(definition is not seen for seen in found):
            found.append(definition)
    if not found:
        raise ScenarioError(f"No scenario found in {path}. {_HOW_TO_DECLARE}")
    _check_unique_names(path, found)
    module_pattern = check_pattern(f"{path}: pattern", vars(module).get("pattern"))
    if module_pattern is None:
        return found
    return [
        each if each.pattern is not None else dataclasses.replace(each, pattern=module_pattern)
        for each in found
    ]


def select_scenario(
    scenarios: Sequence[ScenarioDefinition], name: str | None, path: Path
) -> ScenarioDefinition:
    """Pick the scenario to run: the only one, or the one named by ``--scenario``.

    A name matches a scenario's name first, then its class name.
    """
    if not scenarios:
        raise ScenarioError(f"No scenario found in {path}. {_HOW_TO_DECLARE}")
    listing = ", ".join(repr(each.name) for each in scenarios)
    if name is None:
        if len(scenarios) == 1:
            return scenarios[0]
        raise ScenarioError(
            f"{path} defines {len(scenarios)} scenarios ({listing}); choose one with "
            f"--scenario NAME, e.g. --scenario {_shell_word(scenarios[0].name)}, or run "
            "them together with --scenario all."
        )
    by_name = [each for each in scenarios if each.name == name]
    by_class = [each for each in scenarios if each.cls.__name__ == name]
    if by_name or by_class:
        return (by_name or by_class)[0]
    raise ScenarioError(
        f"There is no scenario named {name!r} in {path}; the scenarios there are: {listing}."
    )


#: The `--scenario` value that picks every scenario of the file.
ALL_SCENARIOS = "all"


def select_scenarios(
    scenarios: Sequence[ScenarioDefinition], names: Sequence[str], path: Path
) -> list[ScenarioDefinition]:
    """Pick the scenarios several `--scenario` names give, in the file's order.

    ``all`` picks every scenario of the file (a scenario named "all" wins).
    Each name matches as in `select_scenario`; a name given twice counts once.
    """
    if list(names) == [ALL_SCENARIOS] and all(each.name != ALL_SCENARIOS for each in scenarios):
        chosen = list(scenarios)
    else:
        picked = [select_scenario(scenarios, name, path) for name in names]
        chosen = [each for each in scenarios if any(each is seen for seen in picked)]
    for each in chosen:
        if len(chosen) > 1 and SEPARATOR.strip() in each.name:
            raise ScenarioError(
                f"Scenario {each.name!r} has {SEPARATOR.strip()!r} in its name, which separates "
                "the scenario from the endpoint in a run of several scenarios; rename it."
            )
    return chosen


def _shell_word(text: str) -> str:
    return text if re.fullmatch(r"[\w.-]+", text) else "'" + text.replace("'", "'\\''") + "'"


def _check_path(path: Path) -> Path:
    if not path.exists():
        raise ScenarioError(f"Scenario file {path} does not exist. Check the path and try again.")
    if not path.is_file():
        raise ScenarioError(f"{path} is not a file; give the path of a scenario .py file.")
    if path.suffix != ".py":
        raise ScenarioError(
            f"{path} is not a Python file; scenario files are .py files that declare a "
            "@scenario class."
        )
    return path.resolve()


def _compile(path: Path) -> CodeType:
    try:
        source = path.read_bytes()
    except OSError as exc:
        raise ScenarioError(f"Cannot read scenario file {path}: {exc.strerror or exc}.") from None
    try:
        return compile(source, str(path), "exec", dont_inherit=True)
    except SyntaxError as exc:
        line = (exc.text or "").strip("\n")
        shown = f"\n    {line}" if line.strip() else ""
        raise ScenarioError(
            f"Syntax error in scenario file {path}:{exc.lineno}: {exc.msg}{shown}"
        ) from None
    except ValueError as exc:  # e.g. NUL bytes in the source
        raise ScenarioError(f"Scenario file {path} cannot be compiled: {exc}.") from None


def _execute(path: Path, code: CodeType) -> ModuleType:
    stem = re.sub(r"\W", "_", path.stem)
    name = f"loadforge_scenario_{stem}_{next(_module_numbers)}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:  # pragma: no cover - a .py path always yields a spec
        raise ScenarioError(f"Cannot import scenario file {path}.")
    module = importlib.util.module_from_spec(spec)
    # Registered before running: dataclasses and pickling look classes up there.
    sys.modules[name] = module
    directory = str(path.parent)
    if directory not in sys.path:
        sys.path.insert(0, directory)
    try:
        # Running the user's own file is the point of a scenario loader.
        exec(code, vars(module))  # noqa: S102 - the user's scenario file, run as `import` would
    except LoadForgeError:
        del sys.modules[name]
        raise
    except (Exception, SystemExit) as exc:
        del sys.modules[name]
        raise ScenarioError(_describe_import_failure(path, exc)) from exc
    return module


def _describe_import_failure(path: Path, exc: BaseException) -> str:
    frames = traceback.extract_tb(exc.__traceback__)
    own = [frame for frame in frames if frame.filename == str(path)]
    detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    message = f"Importing scenario file {path} failed with {detail}"
    if own:
        frame = own[-1]
        message += f" at {path}:{frame.lineno}"
        if frame.line:
            message += f" (`{frame.line.strip()}`)"
    if frames and frames[-1].filename != str(path):
        message += f", raised in {frames[-1].filename}:{frames[-1].lineno}"
    return message + "."


def _check_unique_names(path: Path, scenarios: Sequence[ScenarioDefinition]) -> None:
    seen: dict[str, str] = {}
    for each in scenarios:
        if each.name in seen:
            raise ScenarioError(
                f"{path} defines two scenarios named {each.name!r} (classes {seen[each.name]} "
                f"and {each.cls.__name__}); give them different names so --scenario can "
                "tell them apart."
            )
        seen[each.name] = each.cls.__name__
