"""Whether a response's head sets cookies: the one question asked of every response's head.

Every response is asked it, so that the user's cookie jar stays right
without splitting the head into fields (`_response_head`). This file is the
readable reference and the pure-Python path; the compiled path runs
`loadforge/_compiled/http_set_cookie.pyx`, a C scan of the same bytes that
skips the lowercase copy (about 2,700 fewer instructions per request:
benchmarks/README.md, "A C scan for Set-Cookie"). The tests of both paths,
and a property test that feeds both the same heads, hold them to one answer.
"""

from __future__ import annotations

from loadforge import extensions

__all__ = ["sets_cookies"]


def sets_cookies(chunks: list[bytes], tail: int) -> bool:
    """Whether the head carried in `chunks` has a Set-Cookie field.

    `tail` is the number of body bytes at the end of the last chunk; what
    precedes them contains the whole head, so a name not found there is not
    in the head. A false alarm (the name in framing or body bytes) costs only
    a look at the parsed fields, which find no cookie to store.
    """
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    return data.lower().find(b"\nset-cookie:", 0, len(data) - tail) >= 0


# The compiled build replaces the names above when it is active.
extensions.adopt(globals())
