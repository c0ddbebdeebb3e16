"""The bounded push queue: retries with backoff, drops counted, never blocking the offerer."""

from __future__ import annotations

import threading
import time

from loadforge.exports.pusher import Pusher, PushReport, SendError
from loadforge.exports.series import Figures


def _batch(second: int) -> Figures:
    return Figures(float(second), 0.0, ())


class Recording:
    """A sender that fails as told, then records what it delivered."""

    def __init__(self, failures: list[SendError] | None = None) -> None:
        self.failures = list(failures or [])
        self.sent: list[float] = []
        self.closed = False
        self.gate = threading.Event()
        self.gate.set()
        self.entered = threading.Event()

    def send(self, figures: Figures) -> None:
        self.entered.set()
        self.gate.wait(5)
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(figures.timestamp)

    def close(self) -> None:
        self.closed = True


def test_batches_go_in_order_and_a_failure_that_may_pass_is_retried() -> None:
    sender = Recording([SendError("refused", retry=True)])
    pusher = Pusher(sender, PushReport("http://x"), backoff=0.01)
    pusher.start()
    for second in range(3):
        pusher.offer(_batch(second))

    report = pusher.close(timeout=5)

    assert sender.sent == [0.0, 1.0, 2.0]
    assert (report.batches, report.sent, report.retries, report.dropped) == (3, 3, 1, 0)
    assert report.last_error == "refused"
    assert sender.closed


def test_a_refusal_drops_the_batch_at_once_and_tries_run_out() -> None:
    failures = [SendError("HTTP 400: bad", retry=False)] + [SendError("down", retry=True)] * 3
    sender = Recording(failures)
    pusher = Pusher(sender, PushReport("http://x"), tries=3, backoff=0.01)
    pusher.start()
    for second in range(3):
        pusher.offer(_batch(second))

    report = pusher.close(timeout=5)

    assert sender.sent == [2.0]
    assert (report.rejected, report.dropped_after_retries, report.sent) == (1, 1, 1)
    assert report.to_dict()["dropped"] == 2


def test_a_stuck_receiver_never_blocks_offer_and_the_oldest_batches_go() -> None:
    sender = Recording()
    sender.gate.clear()  # the first send hangs
    pusher = Pusher(sender, PushReport("http://x"), queue_batches=3)
    pusher.start()

    pusher.offer(_batch(0))
    assert sender.entered.wait(5)
    started = time.perf_counter()
    for second in range(1, 10):
        pusher.offer(_batch(second))
    offered = time.perf_counter() - started
    report = pusher.close(timeout=0.2)
    sender.gate.set()

    assert offered < 0.1
    assert report.batches == 10
    # One is being sent, three wait, six were pushed out by newer ones; the send
    # that ends after close is not counted again.
    assert report.dropped_queue_full == 6
    assert report.unsent_at_end == 4
    assert report.sent == 0
    assert report.dropped == 10
