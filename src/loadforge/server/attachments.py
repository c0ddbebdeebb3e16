"""Uploaded files: streamed to disk, capped, hashed, stored by content.

The bytes live in a content-addressed directory beside the database,
`<data-dir>/attachments/ab/abcdef…` (the SHA-256 in hex, fanned out by its
first two characters), and the database keeps only a row with the name, type,
size and hash. Why there and not in the database:

- the database stays small, so backups, migrations and PostgreSQL's WAL do
  not carry 25 MiB blobs;
- the executor's worker processes read the body straight from a file path,
  without a database connection of their own;
- identical uploads share one file.

An upload is written chunk by chunk to a temporary file in the same
directory (so the final rename is atomic) while it is hashed; past the cap
the temporary file is deleted and nothing is kept.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import tempfile
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

from loadforge.errors import LoadForgeError

MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
"""26 214 400 bytes: the largest upload kept (docs/server-api.md)."""

CHUNK_BYTES = 256 * 1024


class AttachmentTooLarge(LoadForgeError):
    """The upload went past MAX_ATTACHMENT_BYTES; nothing was kept."""


@dataclass(frozen=True, slots=True)
class StoredFile:
    """Where an upload's bytes now live, with their size and SHA-256."""

    path: Path
    size: int
    sha256: str


class AttachmentStore:
    """The content-addressed directory of uploaded files."""

    def __init__(self, root: Path, max_bytes: int = MAX_ATTACHMENT_BYTES) -> None:
        self.root = root
        self.max_bytes = max_bytes

    def path_of(self, sha256: str) -> Path:
        """Where the file with this hash lives."""
        return self.root / sha256[:2] / sha256

    async def save(self, chunks: AsyncIterator[bytes]) -> StoredFile:
        """Stream `chunks` into the store; AttachmentTooLarge (nothing kept) past the cap.

        File writes run in a worker thread, so a slow disk does not stall the event loop.
        """
        temporary = await asyncio.to_thread(self._temporary)
        digest = hashlib.sha256()
        size = 0
        try:
            with await asyncio.to_thread(temporary.open, "wb") as file:
                async for chunk in chunks:
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise AttachmentTooLarge(
                            f"The file is larger than {self.max_bytes} bytes (25 MiB)."
                        )
                    digest.update(chunk)
                    await asyncio.to_thread(file.write, chunk)
            return await asyncio.to_thread(self._keep, temporary, size, digest.hexdigest())
        except BaseException:
            await asyncio.to_thread(temporary.unlink, missing_ok=True)
            raise

    def _temporary(self) -> Path:
        self.root.mkdir(parents=True, exist_ok=True)
        handle, name = tempfile.mkstemp(prefix=".upload-", dir=self.root)
        os.close(handle)
        return Path(name)

    def _keep(self, temporary: Path, size: int, sha256: str) -> StoredFile:
        final = self.path_of(sha256)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.replace(temporary, final)
        return StoredFile(final, size, sha256)

    def read(self, sha256: str) -> Iterator[bytes]:
        """The stored file's bytes, chunk by chunk."""
        with self.path_of(sha256).open("rb") as file:
            while chunk := file.read(CHUNK_BYTES):
                yield chunk
