"""The optional parts of LoadForge, installed as pip extras, and the check a command makes.

`pip install loadforge` brings what `loadforge run`, the reports and the live
dashboard need. A command that needs more (`loadforge serve`) calls
`require_extra` before it imports anything of its extra, so a user without it
reads one line to install it instead of a traceback.
"""

from __future__ import annotations

import importlib.util
from typing import Final

from loadforge.errors import MissingExtraError

EXTRA_MODULES: Final[dict[str, tuple[str, ...]]] = {
    "server": (
        "sqlalchemy",
        "alembic",
        "psycopg",
        "python_multipart",
        "croniter",
        "prometheus_client",
    ),
    "ray": ("ray",),
    "export": (
        "prometheus_client",
        "google.protobuf",
        "cramjam",
        "urllib3",
        "opentelemetry.sdk.metrics",
        "opentelemetry.exporter.otlp.proto.http",
    ),
    "otlp-grpc": ("grpc", "opentelemetry.exporter.otlp.proto.grpc"),
}
"""The top-level modules that each extra installs (the distributions' import names)."""


def install_line(extra: str) -> str:
    """The command that installs an extra: `pip install 'loadforge[server]'`."""
    return f"pip install 'loadforge[{extra}]'"


def missing_modules(extra: str) -> list[str]:
    """The modules of `extra` that cannot be imported here, found without importing them."""
    missing = []
    for module in EXTRA_MODULES[extra]:
        try:
            found = importlib.util.find_spec(module) is not None
        except (ImportError, ValueError):  # a refused name, a broken parent, a module set to None
            found = False
        if not found:
            missing.append(module)
    return missing


def require_extra(extra: str, command: str) -> None:
    """Raise `MissingExtraError` (exit 2), with the line that installs it, when `extra` is missing.

    `command` is how the user called what needs it, e.g. `loadforge serve`.
    """
    missing = missing_modules(extra)
    if missing:
        raise MissingExtraError(
            f"`{command}` needs LoadForge's {extra} extra, which is not installed"
            f" (missing: {', '.join(missing)}). Install it with:\n"
            f"  {install_line(extra)}"
        )
