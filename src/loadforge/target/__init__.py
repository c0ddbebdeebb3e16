"""The built-in demo target (``loadforge target``): a small REST API to point load at.

Examples, tests and ``loadforge demo`` run against it, so LoadForge can be
tried without any server of one's own.
"""

from loadforge.target.app import create_app
from loadforge.target.server import running_target, serve

__all__ = ["create_app", "running_target", "serve"]
