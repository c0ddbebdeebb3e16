"""The pool's allocation decisions, with fake connections and plain waiters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import cast

import pytest

from loadforge.http._allocation import PoolState, PoolStats
from loadforge.http._urls import Origin

A = Origin("http", "a.test", 80)
B = Origin("http", "b.test", 80)


@dataclass(eq=False)
class FakeConnection:
    """A connection reduced to the state the pool asks about."""

    origin: Origin
    serial: int
    state: str = "new"
    idle_since: float = 0.0

    def is_available(self) -> bool:
        """Idle means available."""
        return self.state == "idle"

    def is_reusable(self, now: float) -> bool:
        """Idle for at most 10 seconds."""
        return self.state == "idle" and now - self.idle_since <= 10.0

    def is_closed(self) -> bool:
        """Closed."""
        return self.state == "closed"


@dataclass(eq=False)
class FakeWaiter:
    """A request waiting for a connection; `gave_up` marks it done."""

    gave_up: bool = False

    def done(self) -> bool:
        """Whether it gave up."""
        return self.gave_up


@dataclass
class Books:
    """A PoolState with a connection factory that numbers what it creates."""

    limit: int
    created: list[FakeConnection] = field(default_factory=list)
    work_calls: int = 0

    def __post_init__(self) -> None:
        self.state = PoolState(
            max_connections=self.limit, new_connection=self._create, on_work=self._work
        )

    def _create(self, origin: Origin) -> FakeConnection:
        connection = FakeConnection(origin, len(self.created))
        self.created.append(connection)
        return connection

    def _work(self) -> None:
        self.work_calls += 1

    def checkout(self, origin: Origin, at: float) -> FakeConnection | None:
        """The books' checkout, narrowed to the fake connections they hold."""
        return cast(FakeConnection | None, self.state.checkout(origin, at))

    def open_idle(self, origin: Origin, at: float = 0.0) -> FakeConnection:
        """Check out a connection, 'connect' it and give it back."""
        connection = self.checkout(origin, at)
        assert connection is not None
        self.give_back(connection, at)
        return connection

    def give_back(self, connection: FakeConnection, at: float) -> None:
        """'Connect' a checked-out connection at `at` and release it."""
        connection.state, connection.idle_since = "idle", at
        self.state.release(connection)


def test_below_the_limit_a_missing_connection_is_created_at_once() -> None:
    books = Books(limit=2)
    first = books.checkout(A, 0.0)
    second = books.checkout(A, 0.0)
    assert first is not None
    assert second is not None
    assert first is not second
    assert books.checkout(A, 0.0) is None
    assert books.state.stats() == PoolStats(
        max_connections=2, open=2, idle=0, waiting=0, opened_total=2
    )


def test_idle_connections_are_reused_last_in_first_out() -> None:
    books = Books(limit=3)
    older, newer = books.checkout(A, 0.0), books.checkout(A, 0.0)
    assert older is not None
    assert newer is not None
    books.give_back(older, 1.0)
    books.give_back(newer, 2.0)
    assert books.checkout(A, 3.0) is newer
    assert books.checkout(A, 3.0) is older
    assert books.state.stats().busy == 2


def test_expired_and_closed_idle_connections_are_dropped_not_handed_out() -> None:
    books = Books(limit=3)
    expired, closed = books.checkout(A, 0.0), books.checkout(A, 0.0)
    assert expired is not None
    assert closed is not None
    books.give_back(expired, 0.0)
    books.give_back(closed, 15.0)
    closed.state = "closed"
    fresh = books.checkout(A, 20.0)
    assert fresh is not None
    assert fresh not in (expired, closed)
    assert books.state.to_close == [expired]
    assert books.state.stats().open == 1


def test_a_connection_that_closed_while_idle_is_forgotten() -> None:
    books = Books(limit=1)
    connection = books.open_idle(A)
    connection.state = "closed"
    books.state.forget(connection)
    books.state.forget(connection)
    assert books.state.stats().open == 0
    assert books.checkout(A, 0.0) is not connection


def test_releasing_a_closed_connection_frees_its_place() -> None:
    books = Books(limit=1)
    connection = books.checkout(A, 0.0)
    assert connection is not None
    connection.state = "closed"
    books.state.release(connection)
    assert books.state.stats().open == 0
    assert books.checkout(A, 0.0) is not None


def test_at_the_limit_requests_wait_and_are_served_first_come_first_served() -> None:
    books = Books(limit=1)
    busy = books.checkout(A, 0.0)
    assert busy is not None
    first, second = FakeWaiter(), FakeWaiter()
    books.state.enqueue(A, first)
    books.state.enqueue(A, second)
    assert books.state.assign(0.0) == []
    assert books.checkout(A, 0.0) is None, "nobody overtakes a waiter"
    assert books.state.stats().waiting == 2
    busy.state = "idle"
    books.state.release(busy)
    assert books.work_calls == 1
    assert books.state.assign(0.0) == [(first, busy)]
    assert books.state.stats().waiting == 1


def test_waiters_that_gave_up_are_skipped() -> None:
    books = Books(limit=1)
    busy = books.checkout(A, 0.0)
    assert busy is not None
    gone, waiting = FakeWaiter(gave_up=True), FakeWaiter()
    books.state.enqueue(A, gone)
    books.state.enqueue(A, waiting)
    busy.state = "idle"
    books.state.release(busy)
    assert books.state.assign(0.0) == [(waiting, busy)]


def test_a_withdrawn_waiter_leaves_the_queue() -> None:
    books = Books(limit=1)
    books.checkout(A, 0.0)
    waiter = FakeWaiter()
    books.state.enqueue(A, waiter)
    assert books.state.has_waiters
    assert books.state.withdraw(waiter)
    assert not books.state.withdraw(waiter)
    assert not books.state.has_waiters


def test_at_the_limit_an_idle_connection_to_another_origin_is_evicted() -> None:
    books = Books(limit=1)
    idle_a = books.open_idle(A)
    waiter = FakeWaiter()
    books.state.enqueue(B, waiter)
    ((served, connection),) = books.state.assign(0.0)
    assert served is waiter
    assert connection.origin == B
    assert books.state.to_close == [idle_a]
    assert books.state.stats().open == 1


def test_a_fresh_request_skips_idle_connections() -> None:
    books = Books(limit=2)
    idle = books.open_idle(A)
    waiter = FakeWaiter()
    books.state.enqueue(A, waiter, fresh=True)
    ((_, connection),) = books.state.assign(0.0)
    assert connection is not idle
    assert cast(FakeConnection, connection).state == "new"


def test_closing_empties_the_books() -> None:
    books = Books(limit=2)
    idle = books.open_idle(A)
    busy = books.checkout(B, 0.0)
    waiter = FakeWaiter()
    books.state.enqueue(A, waiter, fresh=True)
    books.state.enqueue(A, FakeWaiter(), fresh=True)
    connections, waiters = books.state.close_all()
    assert set(map(id, connections)) == {id(idle), id(busy)}
    assert waiters[0] is waiter
    assert books.state.stats().open == 0


def test_the_limit_must_be_positive() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        PoolState(max_connections=0, new_connection=lambda origin: FakeConnection(origin, 0))
