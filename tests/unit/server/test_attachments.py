"""The content-addressed store (streamed, hashed, capped) and the multipart stream reader."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from loadforge.server.api.upload_stream import FilePart, FilePartReader, UploadError
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


def _body(*parts: tuple[str, str | None, bytes]) -> bytes:
    out = b""
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"'
        if filename is not None:
            disposition += f'; filename="{filename}"'
        head = f"--XyZ\r\nContent-Disposition: {disposition}\r\nContent-Type: text/csv\r\n\r\n"
        out += head.encode()
        out += content + b"\r\n"
    return out + b"--XyZ--\r\n"


def _read(body: bytes, step: int) -> tuple[FilePartReader, bytes]:
    reader = FilePartReader("multipart/form-data; boundary=XyZ")
    pieces = [piece for i in range(0, len(body), step) for piece in reader.feed(body[i : i + step])]
    reader.finish()
    return reader, b"".join(pieces)


@pytest.mark.parametrize("step", [1, 7, 4096])
def test_the_file_part_is_read_from_any_chunking(step: int) -> None:
    body = _body(("note", None, b"ignored"), ("file", "data.csv", b"a,b\r\n1,2\r\n"))
    reader, content = _read(body, step)
    assert content == b"a,b\r\n1,2\r\n"
    assert reader.part == FilePart("data.csv", "text/csv")


def test_bodies_without_a_file_part_are_refused() -> None:
    with pytest.raises(UploadError, match="no part named `file`"):
        _read(_body(("other", "x", b"1")), 100)
    with pytest.raises(UploadError, match="multipart/form-data"):
        FilePartReader("application/json")
    with pytest.raises(UploadError, match="multipart/form-data"):
        FilePartReader(None)
