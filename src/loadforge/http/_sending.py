"""Sending a virtual user's requests: pacing, connections, retries, redirects, recording.

Every call is timed from the moment it holds a connection (a new one's
connect and TLS handshake included) to the last body byte, redirect hops
added up, and recorded exactly once in the metrics. With `record_hops` set,
each redirect hop is recorded instead as a request of its own, under the
name of the URL it went to, as k6 counts them.

Failed requests do not raise. A refused connection, a timeout, a reset or a
4xx/5xx status all come back as a `Response` with `error` set (status 0 when
no response arrived) and are counted as failures; the task carries on and
may check `resp.ok`. Locust and k6 make the same choice: under load, a
failed request is a measurement, and an exception per failure would make
every scenario a tangle of try/except and end the user's iteration early.
"""

from __future__ import annotations

from collections.abc import Collection
from time import perf_counter
from typing import Protocol
from urllib.parse import urlsplit

from loadforge import extensions
from loadforge.errors import ConfigError
from loadforge.http._connection import IDLE, NEW, HttpConnection
from loadforge.http._cookies import UserCookieJar
from loadforge.http._errors import TransportFailure, error_type_of
from loadforge.http._pool import ConnectionPool
from loadforge.http._redirects import MAX_REDIRECTS, REDIRECT_STATUSES, next_hop
from loadforge.http._requests import PreparedRequest, build_request
from loadforge.http._response import Response
from loadforge.http._set_cookie import sets_cookies
from loadforge.http._urls import endpoint_name, parse_url
from loadforge.metrics.collector import MetricsCollector
from loadforge.metrics.recorder import RequestRecorder

__all__ = ["Expect", "RateGate", "Sender"]

Expect = int | Collection[int]
"""The statuses that count as success: one, or several."""


class RateGate(Protocol):
    """Paces requests (the engine's token bucket): awaited once before each call."""

    async def acquire(self) -> None:
        """Return when the next request may start."""


class Sender:
    """Sends one virtual user's prepared requests through the shared pool."""

    def __init__(
        self,
        pool: ConnectionPool,
        cookies: UserCookieJar,
        recorder: RequestRecorder,
        rate_gate: RateGate | None,
    ) -> None:
        self._pool = pool
        self._books = pool.books
        self.cookies = cookies
        self._recorder = recorder
        # The worker's own collector, where it is the recorder (the closed model): the
        # compiled path calls its `record` as a C call, with C integers.
        self._collector = recorder if isinstance(recorder, MetricsCollector) else None
        self._rate_gate = rate_gate
        self.record_hops = False
        """Record each redirect hop as its own request (named by its URL), not one summed call."""
        self.record_timings = False
        """Record each response's time to first byte and receiving time (`ttfb`, `receiving`)."""

    async def perform(
        self,
        prepared: PreparedRequest,
        name: str,
        time_limit: float,
        allow_redirects: bool,
        expect: Expect | None,
    ) -> Response:
        """One user-visible call: paced, sent, redirects followed, recorded once."""
        if self._rate_gate is not None:
            await self._rate_gate.acquire()
        started = perf_counter()
        connection = self._books.checkout(prepared.origin, started)
        if (
            connection is not None
            and connection.state is IDLE
            and not self.cookies.may_hold_cookies
        ):
            # The warm path inline (a kept-alive connection, no cookies to add):
            # one coroutine frame less per request, 0.15 us.
            try:
                await connection.send(prepared.wire, time_limit, prepared.is_head)
            except (OSError, TransportFailure) as exc:
                response = await self._failed(connection, prepared, name, time_limit, exc, started)
            except BaseException:
                self._abandon(connection)
                raise
            else:
                response = self._response_from(connection, prepared, name, started)
        else:
            response = await self._exchange(
                prepared, name, time_limit, connection=connection, started=started
            )
        method = prepared.method
        if response.status in REDIRECT_STATUSES and allow_redirects:
            response = await self._follow(prepared, response, time_limit)
            name, method = response.name, response.request_method
        self._record(response, name, method, expect)
        return response

    def _record(self, response: Response, name: str, method: str, expect: Expect | None) -> None:
        """Count one user-visible call: an error by its status (`expect`), its latency and bytes.

        A C call in the compiled build, which reads and writes the response's
        C fields there, where `perform`'s coroutine would look each one up.
        """
        status = response.status
        if response.error is None and (
            status >= 400 if expect is None else not _is_expected(status, expect)
        ):
            response.error = f"http_{status}"
        latency_us = round(response.elapsed_ms * 1000.0)
        nbytes, error = response.nbytes, response.error
        if self._collector is not None:
            self._collector.record(name, method, status, latency_us, nbytes, error)
        else:
            self._recorder.record(name, method, status, latency_us, nbytes, error)

    async def _exchange(
        self,
        prepared: PreparedRequest,
        name: str,
        time_limit: float,
        *,
        fresh: bool = False,
        connection: HttpConnection | None = None,
        started: float = 0.0,
    ) -> Response:
        """One request and its response, timed from holding a connection to the last byte.

        `connection` is one `checkout` already gave (with the time it did);
        `fresh` insists on a new connection.
        """
        pool = self._pool
        if connection is None:
            started = perf_counter()
            if not fresh:
                connection = self._books.checkout(prepared.origin, started)
            if connection is None:
                try:
                    connection = await pool.acquire(prepared.origin, time_limit, fresh=fresh)
                except TimeoutError:
                    return self._failure(prepared, name, "timeout", perf_counter() - started)
                started = perf_counter()
        message = self._with_cookies(prepared) if self.cookies.may_hold_cookies else prepared.wire
        try:
            if connection.state is NEW:
                await connection.connect(pool.connect_timeout or time_limit)
                self._record_connecting(name, connection)
            connection.stamps_first_byte = self.record_timings
            await connection.send(message, time_limit, prepared.is_head)
        except (OSError, TransportFailure) as exc:
            return await self._failed(connection, prepared, name, time_limit, exc, started)
        except BaseException:
            self._abandon(connection)
            raise
        return self._response_from(connection, prepared, name, started)

    async def _failed(
        self,
        connection: HttpConnection,
        prepared: PreparedRequest,
        name: str,
        time_limit: float,
        exc: OSError | TransportFailure,
        started: float,
    ) -> Response:
        """The response for an exchange that failed, after one retry where that is safe."""
        self._books.release(connection)
        elapsed = perf_counter() - started
        if isinstance(exc, TransportFailure) and exc.retryable and prepared.idempotent:
            # The server closed a kept-alive connection as we wrote: not the
            # server failing under load, so send again on a new connection,
            # uncounted; the call's time includes the lost attempt.
            retried = await self._exchange(prepared, name, time_limit, fresh=True)
            retried.elapsed_ms += elapsed * 1000.0
            return retried
        return self._failure(prepared, name, error_type_of(exc), elapsed)

    def _record_connecting(self, name: str, connection: HttpConnection) -> None:
        """Count the connection just opened: its TCP connect, and its DNS and TLS where done."""
        dns, tcp, tls = connection.opening_s
        self._recorder.record_connecting(
            name,
            round(tcp * 1e6),
            None if dns is None else round(dns * 1e6),
            None if tls is None else round(tls * 1e6),
        )

    def _abandon(self, connection: HttpConnection) -> None:
        # Cancelled mid-exchange: the response may still arrive, so the
        # connection cannot be reused.
        connection.abort()
        self._books.release(connection)

    def _with_cookies(self, prepared: PreparedRequest) -> bytes:
        cookie = self.cookies.header_for(prepared.url)
        return prepared.wire if cookie is None else prepared.with_cookie(cookie)

    def _response_from(
        self, connection: HttpConnection, prepared: PreparedRequest, name: str, started: float
    ) -> Response:
        chunks = connection.body_chunks
        response = Response(
            connection.status,
            connection.head_chunks,
            connection.interim,
            chunks[0] if len(chunks) == 1 else b"".join(chunks),
            prepared.url,
            prepared.method,
            None,
            name,
            self._recorder,
        )
        first_byte_at, finished_at = connection.first_byte_at, connection.finished_at
        response.elapsed_ms = (finished_at - started) * 1000.0
        response.nbytes = connection.nbytes
        if self.record_timings:
            # Off by default: counting both figures costs about 3,800 instructions
            # a request, a tenth of the compiled path's, plus folding them into
            # histograms and trends each interval (benchmarks/README.md, "Request timings").
            # Time to first byte counts from the request's write: on the first
            # request of a connection, the connect just before it is taken off.
            sent = started + connection.connecting_s if connection.requests_sent == 1 else started
            self._recorder.record_timings(
                name,
                round((first_byte_at - sent) * 1e6),
                round((finished_at - first_byte_at) * 1e6),
            )
        if sets_cookies(connection.head_chunks, connection.head_tail):
            self.cookies.store(prepared.url, response.headers.get_all("set-cookie"))
        self._books.release(connection)
        return response

    def _failure(
        self, prepared: PreparedRequest, name: str, error: str, elapsed: float
    ) -> Response:
        response = Response(
            0, [], 0, b"", prepared.url, prepared.method, error, name, self._recorder
        )
        response.elapsed_ms = elapsed * 1000.0
        return response

    async def _follow(
        self, prepared: PreparedRequest, response: Response, time_limit: float
    ) -> Response:
        """Follow redirects from `response`.

        By default the last response carries the summed time and bytes under
        the call's name and method. With `record_hops`, each response that is
        followed is recorded as it stands, and each hop goes under its own name.
        """
        method, name = prepared.method, response.name
        each_hop = self.record_hops
        elapsed_ms, nbytes = response.elapsed_ms, response.nbytes
        hops = 0
        while response.error is None and response.status in REDIRECT_STATUSES:
            location = response.headers.get("location")
            if location is None:
                break
            if hops == MAX_REDIRECTS:
                response.error = "too_many_redirects"
                break
            hops += 1
            try:
                hop = _redirected(prepared, location, response.status)
            except ConfigError:
                response.error = "invalid_redirect"
                break
            policy = self._pool.target_policy
            if policy is not None and not policy.allows(hop.origin.host, hop.origin.port):
                # Checked before the hop is sent, not only when a connection opens:
                # the refusal is the redirect's own error, not a failed connection.
                response.error = "redirect_refused"
                break
            if each_hop:
                self._record_hop(response)
                name = _hop_name(hop, prepared)
            prepared = hop
            response = await self._exchange(prepared, name, time_limit)
            elapsed_ms += response.elapsed_ms
            nbytes += response.nbytes
        if each_hop:
            response.request_method = prepared.method
        else:
            response.elapsed_ms, response.nbytes = elapsed_ms, nbytes
            response.request_method = method
        return response

    def _record_hop(self, response: Response) -> None:
        """Record a redirect that is followed, as the request it was (3xx: not an error)."""
        self._recorder.record(
            response.name,
            response.request_method,
            response.status,
            round(response.elapsed_ms * 1000.0),
            response.nbytes,
            None,
        )


def _is_expected(status: int, expect: Expect) -> bool:
    return status == expect if isinstance(expect, int) else status in expect


def _hop_name(hop: PreparedRequest, first: PreparedRequest) -> str:
    """A hop's metrics name: its method and path, or its whole URL on another origin."""
    path_or_url = urlsplit(hop.url).path if hop.origin == first.origin else hop.url
    return endpoint_name(hop.method, path_or_url)


def _redirected(prepared: PreparedRequest, location: str, status: int) -> PreparedRequest:
    hop = next_hop(prepared.method, status, location, prepared.url)
    dropped = {"authorization", "host"} if hop.drop_authorization else set()
    fields = [field for field in prepared.fields if field[0].lower() not in dropped]
    body = prepared.body if hop.keep_body else None
    return build_request(hop.method, parse_url(hop.url), fields, body, prepared.name)


# The compiled build of this file replaces the names above when it is active.
extensions.adopt(globals())
