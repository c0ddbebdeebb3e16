"""Choosing the event loop (tests for src/loadforge/eventloop.py)."""

from __future__ import annotations

import asyncio

from loadforge import eventloop


def test_the_loop_is_uvloop_where_it_is_installed() -> None:
    loop = eventloop.new_event_loop()
    try:
        assert eventloop.uses_uvloop(loop)
    finally:
        loop.close()
    plain = asyncio.new_event_loop()
    try:
        assert not eventloop.uses_uvloop(plain)
    finally:
        plain.close()


def test_run_returns_the_coroutine_result_from_a_uvloop_loop() -> None:
    async def main() -> bool:
        await asyncio.sleep(0)
        return eventloop.uses_uvloop(asyncio.get_running_loop())

    assert eventloop.run(main()) is True
