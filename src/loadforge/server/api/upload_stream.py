"""The `file` part of a multipart upload, read straight from the request stream.

FastAPI's `UploadFile` would first spool the whole body to a temporary file,
so a 1 GB upload would fill the disk before the size check could refuse it.
Parsing the stream with python-multipart's push parser instead hands the
file's bytes to the attachment store as they arrive: the cap cuts the upload
off at 25 MiB, and nothing but the store's own temporary file is written.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from dataclasses import dataclass

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header
from starlette.requests import Request

from loadforge.errors import LoadForgeError

FILE_FIELD = b"file"

UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file"],
                "properties": {"file": {"type": "string", "format": "binary"}},
            }
        }
    },
}
"""The request body as the OpenAPI page shows it (the route reads it itself)."""


class UploadError(LoadForgeError):
    """The body is not a multipart form with a `file` part."""


@dataclass
class FilePart:
    """What the part's headers said about the file."""

    filename: str = "upload"
    content_type: str = "application/octet-stream"


class FilePartReader:
    """Push parser callbacks that keep the first `file` part's bytes and headers."""

    def __init__(self, content_type: str | None) -> None:
        kind, options = parse_options_header(content_type)
        boundary = options.get(b"boundary")
        if kind != b"multipart/form-data" or not boundary:
            raise UploadError("Send the file as multipart/form-data, in a part named `file`.")
        self.part = FilePart()
        self.found = False
        self._in_file = False
        self._headers: dict[bytes, bytes] = {}
        self._field = bytearray()
        self._value = bytearray()
        self._pending: list[bytes] = []
        self._parser = MultipartParser(
            boundary,
            {
                "on_part_begin": self._headers.clear,
                "on_header_field": lambda data, start, end: self._field.extend(data[start:end]),
                "on_header_value": lambda data, start, end: self._value.extend(data[start:end]),
                "on_header_end": self._header_end,
                "on_headers_finished": self._headers_finished,
                "on_part_data": self._part_data,
                "on_part_end": self._part_end,
            },
        )

    def feed(self, chunk: bytes) -> list[bytes]:
        """Parse a chunk of the body; the file's bytes found in it."""
        try:
            self._parser.write(chunk)
        except FormParserError as exc:
            raise UploadError(f"The multipart body is malformed: {exc}") from None
        pending, self._pending = self._pending, []
        return pending

    def finish(self) -> None:
        """The body has ended; UploadError when it held no `file` part."""
        self._parser.finalize()
        if not self.found:
            raise UploadError("The multipart body has no part named `file`.")

    def _header_end(self) -> None:
        self._headers[bytes(self._field).lower()] = bytes(self._value)
        self._field.clear()
        self._value.clear()

    def _headers_finished(self) -> None:
        _, options = parse_options_header(self._headers.get(b"content-disposition", b""))
        if self.found or options.get(b"name") != FILE_FIELD:
            return
        self.found = self._in_file = True
        filename = _text(options.get(b"filename", b""))
        content_type = _text(self._headers.get(b"content-type", b""))
        if content_type and not is_media_type(content_type):
            raise UploadError(
                f"The file's content type {content_type[:80]!r} cannot be sent back in a"
                " header: give a media type such as text/plain or application/json"
                " (Latin-1, no control characters)."
            )
        self.part = FilePart(filename or "upload", content_type or "application/octet-stream")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self._in_file:
            self._pending.append(bytes(data[start:end]))

    def _part_end(self) -> None:
        self._in_file = False


_TCHARS = r"[!#$%&'*+.^_`|~0-9A-Za-z-]+"
_MEDIA_TYPE = re.compile(rf"{_TCHARS}/{_TCHARS}(?:[ \t]*;[\t\x20-\x7e\x80-\xff]*)?")


def is_media_type(text: str) -> bool:
    """Whether `text` is a media type a Content-Type header can carry (type/subtype; params)."""
    return _MEDIA_TYPE.fullmatch(text) is not None


def _text(raw: bytes) -> str:
    # Names end up in the database: no NUL (PostgreSQL refuses it), at most 255 characters.
    return raw.decode("utf-8", "replace").replace("\x00", "")[:255]


async def file_chunks(request: Request, reader: FilePartReader) -> AsyncIterator[bytes]:
    """The `file` part's bytes as the request body streams in."""
    async for chunk in request.stream():
        for piece in reader.feed(chunk):
            yield piece
    reader.finish()
