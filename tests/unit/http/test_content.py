"""Undoing gzip and deflate content encodings."""

from __future__ import annotations

import gzip
import zlib

import pytest

from loadforge.http._content import ContentDecodingError, decode_content

TEXT = b"hello " * 100


def test_plain_bodies_are_joined() -> None:
    assert decode_content([b"ab", b"cd"], b"") == b"abcd"
    assert decode_content([], b"gzip") == b""


def test_gzip_and_both_flavours_of_deflate_are_decoded() -> None:
    raw_deflate = zlib.compressobj(wbits=-15)
    raw = raw_deflate.compress(TEXT) + raw_deflate.flush()
    assert decode_content([gzip.compress(TEXT)], b"gzip") == TEXT
    assert decode_content([gzip.compress(TEXT)], b"x-gzip") == TEXT
    assert decode_content([zlib.compress(TEXT)], b"deflate") == TEXT
    assert decode_content([raw], b"deflate") == TEXT


def test_stacked_encodings_are_undone_last_first_and_unknown_ones_kept() -> None:
    twice = gzip.compress(zlib.compress(TEXT))
    assert decode_content([twice], b"deflate, gzip") == TEXT
    assert decode_content([b"brotli bytes"], b"br") == b"brotli bytes"


def test_a_corrupt_body_is_a_clear_error() -> None:
    with pytest.raises(
        ContentDecodingError, match="does not decompress as the Content-Encoding 'gzip'"
    ):
        decode_content([b"not gzip"], b"gzip")
    with pytest.raises(ContentDecodingError):
        decode_content([b"not deflate"], b"deflate")
