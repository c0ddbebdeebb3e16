"""A local worker's handle reading its metrics transport: an undecodable payload is left out."""

from __future__ import annotations

import multiprocessing
from typing import cast

from loadforge.engine.process_worker import ProcessWorker
from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.wire import IntervalEncoder, WorkerInterval


class ListSource:
    """An `IntervalSource` that hands out the payloads it was given, once."""

    def __init__(self, payloads: list[bytes]) -> None:
        self.payloads = payloads
        self.closed = False

    def receive(self) -> list[bytes]:
        received, self.payloads = self.payloads, []
        return received

    def close(self) -> None:
        self.closed = True


def _payloads(encoder: IntervalEncoder, count: int) -> list[bytes]:
    encoded = []
    for index in range(1, count + 1):
        collector = MetricsCollector()
        collector.record("home", "GET", 200, 1_000, 10, None)
        encoded.append(encoder.encode(WorkerInterval(index, 1, 1, collector.take_interval())))
    return encoded


def test_an_undecodable_payload_is_left_out_with_its_reason_and_the_rest_decode() -> None:
    first, second = _payloads(IntervalEncoder(), 2)
    source = ListSource([first, b"\xff not json", second])
    control, _other = multiprocessing.Pipe()
    handle = ProcessWorker(3, cast("multiprocessing.context.SpawnProcess", None), control, source)

    decoded = handle.intervals()

    # The second payload names no new endpoint: the decoder still knows "home" from the first.
    assert [(i.index, list(i.stats.endpoints)) for i in decoded] == [(1, ["home"]), (2, ["home"])]
    [reason] = handle.dropped_intervals()
    assert "not valid JSON" in reason
    assert handle.dropped_intervals() == []
    handle.close()
    assert source.closed
