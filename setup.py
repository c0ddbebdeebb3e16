"""The compiled request path: which modules Cython builds, and from which files.

Everything else about the build (metadata, package directories, data
files) is in pyproject.toml; setuptools takes extension modules from here
only, and a package list that adds a directory outside src/ as well. Each
module is compiled from the pure-Python source it shares with the fallback
(Cython's pure-Python mode), under `loadforge._compiled`, with the `.pxd`
of the same name there where it has one, or from a `.pyx` of its own
there (see `loadforge.extensions`).
"""

from __future__ import annotations

import ast
from pathlib import Path

from Cython.Build import cythonize
from setuptools import Extension, find_packages, setup


def _compiled_modules() -> dict[str, str]:
    """`loadforge.extensions.COMPILED_MODULES`, read from the file's text (nothing imported)."""
    tree = ast.parse((Path(__file__).parent / "src/loadforge/extensions.py").read_text())
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and ast.unparse(node.target) == "COMPILED_MODULES":
            if node.value is None:
                break
            table: dict[str, str] = ast.literal_eval(node.value)
            return table
    raise SystemExit("src/loadforge/extensions.py has no COMPILED_MODULES table")


def _source(pure: str, compiled: str) -> str:
    """The file a compiled module is built from: its own `.pyx` where it has one, else the `.py`."""
    own = Path("src", *compiled.split(".")).with_suffix(".pyx")
    return str(own if own.exists() else Path("src", *pure.split(".")).with_suffix(".py"))


def _extensions() -> list[Extension]:
    modules = cythonize(
        [
            Extension(compiled, [_source(pure, compiled)])
            for pure, compiled in _compiled_modules().items()
        ],
        build_dir="build/cython",
        compiler_directives={"language_level": 3},
    )
    for module in modules:
        # Where no C compiler works, the install still succeeds, on the pure-Python path
        # (`loadforge --version` says so, and `make test` fails on it). Set here, since
        # cythonize does not carry the flag over from the Extension it is given.
        module.optional = True
    return modules


setup(
    # The packages under src/, and the examples that pyproject.toml's package-dir maps into
    # the package as loadforge.examples (`loadforge demo` runs them from an installed wheel).
    packages=[*find_packages("src"), "loadforge.examples", "loadforge.examples.pytest_suite"],
    ext_modules=_extensions(),
)
