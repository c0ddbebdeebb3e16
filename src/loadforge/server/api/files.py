"""`/api/attachments`: upload a file (multipart field `file`) and stream it back.

The upload's `file` part is parsed from the request stream as it arrives
(`upload_stream`) into the content-addressed store
(`loadforge.server.attachments`); a request whose
Content-Length already says it is too large is refused before its body is
read. Past 25 MiB it is a 413 and nothing is kept.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from loadforge.server.api.errors import NotFound, TooLarge, Unprocessable
from loadforge.server.api.openapi import READS, errors, links
from loadforge.server.api.parameters import AttachmentId
from loadforge.server.api.schemas import Attachment
from loadforge.server.api.state import ServerState, State
from loadforge.server.api.upload_stream import (
    UPLOAD_BODY,
    FilePartReader,
    UploadError,
    file_chunks,
    is_media_type,
)
from loadforge.server.api.views import attachment_view
from loadforge.server.attachments import AttachmentTooLarge, StoredFile
from loadforge.server.db.models import AttachmentRow, utc_now

router = APIRouter(prefix="/api/attachments", tags=["attachments"], responses=READS)

OCTET_STREAM = "application/octet-stream"
MULTIPART_OVERHEAD = 64 * 1024
"""Room for the multipart boundaries and part headers around the file itself."""


@router.post(
    "",
    status_code=201,
    responses={
        **errors(400, 401, 403, 413, 422),
        **links(
            201, {"GetAttachment": ("/api/attachments/{attachment_id}", "get", "attachment_id")}
        ),
    },
    openapi_extra={"requestBody": UPLOAD_BODY},
)
async def upload(request: Request, state: State) -> Attachment:
    """Store an uploaded file (multipart field `file`); 413 (nothing kept) past 25 MiB."""
    _refuse_declared_size(request, state)
    try:
        reader = FilePartReader(request.headers.get("content-type"))
        stored = await state.attachments.save(file_chunks(request, reader))
    except AttachmentTooLarge as exc:
        raise TooLarge(str(exc)) from None
    except UploadError as exc:
        raise Unprocessable(str(exc), ("file",)) from None
    return await asyncio.to_thread(
        _record, state, stored, reader.part.filename, reader.part.content_type
    )


def _refuse_declared_size(request: Request, state: ServerState) -> None:
    declared = request.headers.get("content-length", "")
    limit = state.attachments.max_bytes + MULTIPART_OVERHEAD
    if declared.isdigit() and int(declared) > limit:
        raise TooLarge(f"The file is larger than {state.attachments.max_bytes} bytes (25 MiB).")


def _record(state: ServerState, stored: StoredFile, filename: str, content_type: str) -> Attachment:
    with state.sessions.begin() as session:
        row = AttachmentRow(
            filename=filename,
            content_type=content_type,
            size=stored.size,
            sha256=stored.sha256,
            created_at=utc_now(),
        )
        session.add(row)
        session.flush()
        return attachment_view(row)


@router.get(
    "/{attachment_id}",
    response_class=StreamingResponse,
    responses={200: {"content": {"application/octet-stream": {}}}, **errors(404)},
)
def download(attachment_id: AttachmentId, state: State) -> StreamingResponse:
    """The file's bytes, streamed, with its content type."""
    with state.sessions() as session:
        row = session.get(AttachmentRow, attachment_id)
        if row is None:
            raise NotFound(f"Attachment {attachment_id} does not exist.")
        view = attachment_view(row)
    if not state.attachments.path_of(view.sha256).is_file():
        raise NotFound(f"Attachment {attachment_id}'s file is missing from the store.")
    # A type stored before uploads were checked may not fit in a header.
    media_type = view.content_type if is_media_type(view.content_type) else OCTET_STREAM
    return StreamingResponse(
        state.attachments.read(view.sha256),
        media_type=media_type,
        headers={
            "Content-Length": str(view.size),
            "Content-Disposition": f'attachment; filename="{_safe(view.filename)}"',
        },
    )


def _safe(filename: str) -> str:
    return "".join(c if 32 <= ord(c) < 127 and c not in '"\\' else "_" for c in filename)
