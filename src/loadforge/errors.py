"""The exception hierarchy users can meet.

Every error LoadForge raises on purpose derives from `LoadForgeError`, so the
CLI can turn it into a one-paragraph message and exit code 2 instead of a
traceback. Errors from libraries underneath are translated at the boundary.
"""

from __future__ import annotations


class LoadForgeError(Exception):
    """Base of every error LoadForge raises on purpose."""

    exit_code: int = 2


class ConfigError(LoadForgeError):
    """Bad input: a flag, a config file, a pattern argument, a missing variable."""


class ScenarioError(ConfigError):
    """A scenario file that cannot be loaded or defines an invalid scenario."""


class MissingExtraError(LoadForgeError):
    """A command needs an optional part of LoadForge (a pip extra) that is not installed."""


class BrowserMissingError(LoadForgeError):
    """A command needs a Chromium-based browser (a PDF report prints with one) and there is none."""


class ReportError(LoadForgeError):
    """A report could not be made for a reason outside the run's data (a browser that failed)."""


class ClusterError(ConfigError):
    """A cluster run (`--cluster`) cannot start: a bad or unreachable address, too few CPUs."""


class RunCutOff(Exception):
    """Raised into a user's code where the run's end cut it off; never counted as an error.

    A request still waiting for its `--rps` slot when the run stops gets it
    (as `RateGateClosed`): the request was never sent. What it unwinds, such
    as a `client.group` block, records nothing for the part it never ran.
    """
