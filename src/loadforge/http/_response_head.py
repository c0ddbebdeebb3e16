"""A response's head, kept as the bytes that arrived and read only on demand.

httptools can hand over the reason phrase and every header field through
Python callbacks, but that costs two bytes objects and a call per field:
about 0.8 µs for nginx's five fields, an eighth of the client's whole CPU
cost per request (`benchmarks/client_throughput.py --transport fake`).
Instead the connection keeps the chunks that carried the head (llhttp has
already validated them: CRLF line ends, token names), the one question
asked of every response, whether it sets cookies, is answered by a search
of those bytes (`_set_cookie`), and fields are split out only when scenario
code reads `response.headers`, `response.reason` or a compressed body.
"""

from __future__ import annotations

from loadforge import extensions

__all__ = ["final_head", "parse_fields", "status_line"]

_HEAD_END = b"\r\n\r\n"


def final_head(chunks: list[bytes], interim: int) -> bytes:
    """The status line and header fields of the final response, without the blank line.

    `chunks` hold the start of the stream: `interim` 1xx responses (which
    have no body), then the final response.
    """
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    start = 0
    for _ in range(interim):
        start = data.find(_HEAD_END, start) + len(_HEAD_END)
    end = data.find(_HEAD_END, start)
    return data[start:] if end < 0 else data[start:end]


def status_line(head: bytes) -> tuple[bytes, bytes]:
    """The status line of a head from `final_head`, as (version and status, reason phrase)."""
    line = head.partition(b"\r\n")[0]
    version, _, rest = line.partition(b" ")
    status, _, reason = rest.partition(b" ")
    return version + b" " + status, reason.strip()


def parse_fields(head: bytes) -> list[tuple[bytes, bytes]]:
    """Split the header fields of a head from `final_head` into (name, value) pairs."""
    fields: list[tuple[bytes, bytes]] = []
    for line in head.split(b"\r\n")[1:]:
        if not line:
            continue
        if line[0] in b" \t" and fields:
            # An obsolete folded continuation line (RFC 9112 section 5.2).
            name, value = fields[-1]
            fields[-1] = (name, value + b" " + line.strip(b" \t"))
            continue
        name, _, value = line.partition(b":")
        fields.append((name, value.strip(b" \t")))
    return fields


# The compiled build of this file replaces the names above when it is active.
extensions.adopt(globals())
