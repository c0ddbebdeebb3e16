"""Attachments: upload and stream back, shared storage, and the 25 MiB cap (413, nothing kept)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

import pytest

from integration.server.harness import Served, spec_body
from loadforge.server.attachments import MAX_ATTACHMENT_BYTES

BOUNDARY = "loadforgeboundary"


def _multipart(size: int, chunk: int = 1024 * 1024) -> Iterator[bytes]:
    """A multipart body with one `file` part of `size` bytes, produced in chunks."""
    yield (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="big.bin"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    left = size
    while left > 0:
        piece = min(chunk, left)
        yield b"x" * piece
        left -= piece
    yield f"\r\n--{BOUNDARY}--\r\n".encode()


def test_upload_and_download(served: Served) -> None:
    client = served.client
    content = b"hello attachment\n" * 1000
    answer = client.post("/api/attachments", files={"file": ("a.txt", content, "text/plain")})
    assert answer.status_code == 201
    attachment = answer.json()
    assert attachment["size"] == len(content)
    assert attachment["sha256"] == hashlib.sha256(content).hexdigest()
    assert attachment["filename"] == "a.txt"
    back = client.get(f"/api/attachments/{attachment['id']}")
    assert back.content == content
    assert back.headers["content-type"].startswith("text/plain")
    stored = served.settings.attachments_dir / attachment["sha256"][:2] / attachment["sha256"]
    assert stored.read_bytes() == content

    again = client.post("/api/attachments", files={"file": ("b.txt", content, "text/plain")})
    assert again.json()["id"] != attachment["id"]
    assert [p for p in served.settings.attachments_dir.rglob("*") if p.is_file()] == [stored]
    assert client.get("/api/attachments/999").status_code == 404


def test_a_spec_sends_an_attachment(served: Served) -> None:
    client = served.client
    attachment = client.post("/api/attachments", files={"file": ("d.json", b"{}")}).json()
    request = {
        "method": "POST",
        "url": "http://127.0.0.1:8080/anything",
        "attachment_id": attachment["id"],
        "body_mode": "multipart",
    }
    spec = client.post("/api/specs", json=spec_body(request=request)).json()
    client.post(f"/api/runs/{spec['id']}")
    job = served.executor.jobs[0]
    assert job.body_file is not None
    assert job.body_file.read_bytes() == b"{}"
    assert job.body_filename == "d.json"


def test_a_body_without_a_file_is_422(served: Served) -> None:
    answer = served.client.post("/api/attachments", data={"other": "x"}, files={"x": b"1"})
    assert answer.status_code == 422
    assert answer.json()["detail"][0]["loc"] == ["body", "file"]
    assert served.client.post("/api/attachments", json={}).status_code == 422


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "chunked"])
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_more_than_25_mib_is_413_and_nothing_is_kept(served: Served, declared: bool) -> None:
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    chunks = _multipart(MAX_ATTACHMENT_BYTES + 1)
    body: bytes | Iterator[bytes] = b"".join(chunks) if declared else chunks
    answer = served.client.post("/api/attachments", content=body, headers=headers)
    assert answer.status_code == 413
    assert "25 MiB" in answer.json()["detail"]
    root = served.settings.attachments_dir
    assert not root.exists() or not [p for p in root.rglob("*") if p.is_file()]
    assert served.client.get("/api/attachments/1").status_code == 404


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_exactly_25_mib_is_kept(served: Served) -> None:
    headers = {"Content-Type": f"multipart/form-data; boundary={BOUNDARY}"}
    answer = served.client.post(
        "/api/attachments", content=_multipart(MAX_ATTACHMENT_BYTES), headers=headers
    )
    assert answer.status_code == 201
    assert answer.json()["size"] == MAX_ATTACHMENT_BYTES
