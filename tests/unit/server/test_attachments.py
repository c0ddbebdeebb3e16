"""The content-addressed store: streamed, hashed, capped with nothing kept."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from loadforge.server.attachments import AttachmentStore, AttachmentTooLarge


def _files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


async def _chunks(*parts: bytes) -> AsyncIterator[bytes]:
    for part in parts:
        yield part


async def test_a_file_is_stored_under_its_hash(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path)
    stored = await store.save(_chunks(b"abc", b"def"))
    digest = hashlib.sha256(b"abcdef").hexdigest()
    assert stored.sha256 == digest
    assert stored.size == 6
    assert stored.path == tmp_path / digest[:2] / digest
    assert b"".join(store.read(digest)) == b"abcdef"
    again = await store.save(_chunks(b"abcdef"))
    assert again.path == stored.path
    assert _files(tmp_path) == [stored.path]


async def test_past_the_cap_nothing_is_kept(tmp_path: Path) -> None:
    store = AttachmentStore(tmp_path, max_bytes=5)
    with pytest.raises(AttachmentTooLarge):
        await store.save(_chunks(b"abc", b"def"))
    assert not _files(tmp_path)
    exact = await store.save(_chunks(b"abc", b"de"))
    assert exact.size == 5
