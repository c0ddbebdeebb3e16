"""Request bodies: JSON, HTML forms, multipart uploads and raw bytes.

Scenario code hands the client Python values (`json=`, `data=`, `files=`);
this module turns them into the bytes on the wire and the Content-Type that
describes them, and rejects combinations that have no single meaning.
"""

from __future__ import annotations

import json as jsonlib
import mimetypes
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from loadforge.errors import ConfigError

__all__ = ["Body", "FileSpec", "FormData", "encode_body"]

FileSpec = bytes | tuple[str, bytes] | tuple[str, bytes, str]
"""A file to upload: its content, or (filename, content) or (filename, content, content type)."""

FormData = Mapping[str, str] | bytes | str


@dataclass(frozen=True, slots=True)
class Body:
    """Encoded request content and the media type to announce, if any."""

    content: bytes
    content_type: str | None


def encode_body(
    *,
    json: object = None,
    data: FormData | None = None,
    files: Mapping[str, FileSpec] | None = None,
    boundary: str | None = None,
) -> Body | None:
    """Encode whichever body the caller gave; None when there is none.

    `boundary` is only for tests that need byte-exact multipart output.
    """
    if json is not None:
        if data is not None or files is not None:
            raise ConfigError(
                "A request got json= together with data= or files=; send one body: json= "
                "for a JSON document, data= for a form or raw bytes, files= for an upload."
            )
        return _encode_json(json)
    if files is not None:
        if data is not None and not isinstance(data, Mapping):
            raise ConfigError(
                "A request with files= got data= as raw bytes or text; with an upload, data= "
                "must be a mapping of form fields sent alongside the files."
            )
        return encode_multipart(data or {}, files, boundary or secrets.token_hex(16))
    if data is None:
        return None
    if isinstance(data, bytes):
        return Body(data, None)
    if isinstance(data, str):
        return Body(data.encode("utf-8"), None)
    return Body(urlencode(data).encode("ascii"), "application/x-www-form-urlencoded")


def _encode_json(value: object) -> Body:
    try:
        text = jsonlib.dumps(value, separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"The json= body cannot be encoded as JSON: {exc}.") from exc
    return Body(text.encode("utf-8"), "application/json")


def encode_multipart(
    fields: Mapping[str, str], files: Mapping[str, FileSpec], boundary: str
) -> Body:
    """Encode form fields and files as multipart/form-data (RFC 7578)."""
    delimiter = f"--{boundary}\r\n".encode("ascii")
    parts: list[bytes] = []
    for name, value in fields.items():
        disposition = f'Content-Disposition: form-data; name="{_quote(name)}"\r\n\r\n'
        parts += [delimiter, disposition.encode("utf-8"), value.encode("utf-8"), b"\r\n"]
    for name, spec in files.items():
        filename, content, content_type = _file_parts(name, spec)
        head = (
            f'Content-Disposition: form-data; name="{_quote(name)}"; '
            f'filename="{_quote(filename)}"\r\nContent-Type: {content_type}\r\n\r\n'
        )
        parts += [delimiter, head.encode("utf-8"), content, b"\r\n"]
    parts.append(f"--{boundary}--\r\n".encode("ascii"))
    return Body(b"".join(parts), f"multipart/form-data; boundary={boundary}")


def _file_parts(name: str, spec: FileSpec) -> tuple[str, bytes, str]:
    if isinstance(spec, bytes):
        return name, spec, "application/octet-stream"
    if len(spec) == 3:
        return spec
    filename, content = spec
    guessed, _ = mimetypes.guess_type(filename)
    return filename, content, guessed or "application/octet-stream"


def _quote(value: str) -> str:
    # Escaping as browsers do (WHATWG HTML, "multipart/form-data encoding").
    return value.replace('"', "%22").replace("\r", "%0D").replace("\n", "%0A")
