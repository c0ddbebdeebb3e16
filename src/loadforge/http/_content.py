"""Undoing the Content-Encoding of a response body.

The client asks for gzip and deflate (as browsers and SDKs do, so servers
do the compression work they do in production) and hands scenario code the
plain body. Decompression happens when scenario code first reads the body,
so a generator whose tasks ignore bodies spends no CPU on it. Encodings it
did not ask for are passed through untouched.
"""

from __future__ import annotations

import zlib

from loadforge.errors import LoadForgeError

__all__ = ["ContentDecodingError", "decode_content"]

# zlib's wbits: 32 + 15 accepts both gzip and zlib headers, -15 is raw deflate.
_GZIP_OR_ZLIB = 32 + zlib.MAX_WBITS
_RAW_DEFLATE = -zlib.MAX_WBITS


class ContentDecodingError(LoadForgeError):
    """The body does not decode with the Content-Encoding the server declared."""


def decode_content(chunks: list[bytes], content_encoding: bytes) -> bytes:
    """Join the body chunks and undo `content_encoding` (a lowercased header value)."""
    body = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if not content_encoding or not body:
        return body
    for coding in reversed(content_encoding.split(b",")):
        body = _decode_one(body, coding.strip())
    return body


def _decode_one(body: bytes, coding: bytes) -> bytes:
    try:
        if coding in (b"gzip", b"x-gzip"):
            return zlib.decompress(body, _GZIP_OR_ZLIB)
        if coding == b"deflate":
            # "deflate" is meant to be zlib-wrapped, but some servers send it raw.
            try:
                return zlib.decompress(body, _GZIP_OR_ZLIB)
            except zlib.error:
                return zlib.decompress(body, _RAW_DEFLATE)
    except zlib.error as exc:
        raise ContentDecodingError(
            f"The response body does not decompress as the Content-Encoding {coding.decode()!r} "
            f"the server declared ({exc}); the server sent a corrupt or mislabelled body."
        ) from exc
    return body
