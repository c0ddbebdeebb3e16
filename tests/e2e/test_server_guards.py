"""`loadforge serve` over real sockets: a refusal comes before the body, and is read by the client.

A client streaming a huge body without the token gets its 401 while it is
still sending; an oversized JSON body is a 413 from Content-Length or once it
streams past the cap; a client that sends a whole 26 MiB upload before
reading (Python's urllib) reads the 413 rather than a connection reset.
"""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from server_harness import ServeProcess, serve_process

pytestmark = pytest.mark.slow

TOKEN = "a-token-of-24-characters"
MIB = 1024 * 1024


@pytest.fixture(scope="module")
def guarded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServeProcess]:
    data = tmp_path_factory.mktemp("guarded") / "data"
    with serve_process(data, env={"LOADFORGE_API_TOKEN": TOKEN}) as server:
        yield server


def _port(server: ServeProcess) -> int:
    return int(server.url.rsplit(":", 1)[1])


def _head(path: str, length: int | None, extra: str = "") -> bytes:
    framing = (
        f"Content-Length: {length}\r\n" if length is not None else "Transfer-Encoding: chunked\r\n"
    )
    return (
        f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"{framing}{extra}\r\n"
    ).encode()


def _stream_until_answered(
    sock: socket.socket, limit: int, chunked: bool = False
) -> tuple[bytes, int]:
    """Send body bytes until the server answers; what it said and how much was sent by then."""
    sock.setblocking(False)
    chunk = b" " * (256 * 1024)
    piece = b"%x\r\n%s\r\n" % (len(chunk), chunk) if chunked else chunk
    sent = 0
    pending = memoryview(piece)
    deadline = time.monotonic() + 30
    while sent < limit and time.monotonic() < deadline:
        try:
            answer = sock.recv(65536)
        except BlockingIOError:
            answer = b""
        if answer:
            return answer, sent
        try:
            count = sock.send(pending)
        except BlockingIOError:
            time.sleep(0.01)
            continue
        sent += count
        pending = pending[count:] or memoryview(piece)
    raise AssertionError(f"no answer after {sent} bytes")


def test_no_token_is_a_401_before_the_body_is_read(guarded: ServeProcess) -> None:
    body_length = 300 * MIB
    with socket.create_connection(("127.0.0.1", _port(guarded)), timeout=10) as sock:
        sock.sendall(_head("/api/specs", body_length))
        answer, sent = _stream_until_answered(sock, body_length)
    assert answer.startswith(b"HTTP/1.1 401 ")
    assert sent < 16 * MIB  # answered with most of the 300 MB still unsent


def test_a_json_body_past_the_cap_is_413_from_its_length(guarded: ServeProcess) -> None:
    with socket.create_connection(("127.0.0.1", _port(guarded)), timeout=10) as sock:
        sock.sendall(_head("/api/specs", 9 * MIB, f"Authorization: Bearer {TOKEN}\r\n"))
        answer, sent = _stream_until_answered(sock, 9 * MIB)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert sent < 9 * MIB


def test_a_streamed_json_body_past_the_cap_is_413(guarded: ServeProcess) -> None:
    with socket.create_connection(("127.0.0.1", _port(guarded)), timeout=10) as sock:
        sock.sendall(_head("/api/specs", None, f"Authorization: Bearer {TOKEN}\r\n"))
        answer, sent = _stream_until_answered(sock, 64 * MIB, chunked=True)
    assert answer.startswith(b"HTTP/1.1 413 "), answer[:300]
    assert 8 * MIB <= sent < 32 * MIB


def test_urllib_reads_the_413_of_a_26_mib_upload(guarded: ServeProcess) -> None:
    payload = b"x" * (26 * MIB)
    body = (
        b'--B\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n\r\n'
        + payload
        + b"\r\n--B--\r\n"
    )
    request = urllib.request.Request(
        guarded.url + "/api/attachments",
        data=body,
        method="POST",
        headers={
            "Content-Type": "multipart/form-data; boundary=B",
            "Authorization": f"Bearer {TOKEN}",
        },
    )
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(request, timeout=30)
    assert refused.value.code == 413
    assert b"25 MiB" in refused.value.read()
