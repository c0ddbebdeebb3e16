"""The event loop LoadForge runs on: uvloop where it is installed, else asyncio's.

A load generator must not measure itself. uvloop's libuv transports roughly
double what one core can push through asyncio's selector loop, so every
process that makes requests starts its loop here rather than calling
`asyncio.run` directly. Platforms without uvloop (Windows) still work, only
slower.
"""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from typing import TypeVar

__all__ = ["new_event_loop", "run", "uses_uvloop"]

_T = TypeVar("_T")


def new_event_loop() -> asyncio.AbstractEventLoop:
    """Create the fastest event loop available on this platform."""
    try:
        import uvloop
    except ImportError:  # pragma: no cover - uvloop is a dependency on every tested platform
        return asyncio.new_event_loop()
    return uvloop.new_event_loop()


def uses_uvloop(loop: asyncio.AbstractEventLoop) -> bool:
    """Tell whether `loop` is a uvloop loop, so reports can say which one ran."""
    return type(loop).__module__.startswith("uvloop")


def run(main: Coroutine[object, None, _T]) -> _T:
    """Run `main` to completion on a fresh loop from `new_event_loop` and close it."""
    with asyncio.Runner(loop_factory=new_event_loop) as runner:
        return runner.run(main)
