"""Request bodies: JSON, forms, raw bytes and multipart uploads."""

from __future__ import annotations

import pytest

from loadforge.errors import ConfigError
from loadforge.http._bodies import Body, encode_body, encode_multipart


def test_no_body_means_none() -> None:
    assert encode_body() is None


def test_json_is_compact_utf8_with_its_media_type() -> None:
    body = encode_body(json={"name": "Zoë", "tags": [1, 2]})
    assert body == Body(b'{"name":"Zo\xc3\xab","tags":[1,2]}', "application/json")


def test_a_value_json_cannot_encode_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="cannot be encoded as JSON"):
        encode_body(json={"when": object()})


def test_a_mapping_is_a_urlencoded_form() -> None:
    body = encode_body(data={"user": "ann lee", "pw": "a&b"})
    assert body == Body(b"user=ann+lee&pw=a%26b", "application/x-www-form-urlencoded")


def test_bytes_and_text_go_as_they_are_without_a_media_type() -> None:
    assert encode_body(data=b"\x00\x01") == Body(b"\x00\x01", None)
    assert encode_body(data="héllo") == Body("héllo".encode(), None)


def test_files_with_fields_encode_as_multipart_form_data() -> None:
    body = encode_body(
        data={"title": 'a "quoted"\nname'},
        files={
            "raw": b"RAW",
            "doc": ("notes.txt", b"hello"),
            "img": ("x.bin", b"\x89P", "image/png"),
        },
        boundary="BOUNDARY",
    )
    assert body is not None
    assert body.content_type == "multipart/form-data; boundary=BOUNDARY"
    assert body.content == (
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="title"\r\n\r\n'
        b'a "quoted"\nname\r\n'
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="raw"; filename="raw"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\nRAW\r\n"
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="doc"; filename="notes.txt"\r\n'
        b"Content-Type: text/plain\r\n\r\nhello\r\n"
        b"--BOUNDARY\r\n"
        b'Content-Disposition: form-data; name="img"; filename="x.bin"\r\n'
        b"Content-Type: image/png\r\n\r\n\x89P\r\n"
        b"--BOUNDARY--\r\n"
    )


def test_quotes_and_line_breaks_in_part_names_are_escaped() -> None:
    body = encode_multipart({}, {'we"ird\r\n': ('a"b.unknownext', b"")}, "B")
    assert b'name="we%22ird%0D%0A"; filename="a%22b.unknownext"' in body.content
    assert b"Content-Type: application/octet-stream" in body.content


def test_the_generated_boundary_is_random() -> None:
    first = encode_body(files={"f": b"x"})
    second = encode_body(files={"f": b"x"})
    assert first is not None
    assert second is not None
    assert first.content_type != second.content_type


@pytest.mark.parametrize(
    "kwargs",
    [
        {"json": {"a": 1}, "data": {"b": "2"}},
        {"json": [1], "files": {"f": b""}},
    ],
)
def test_json_with_another_body_is_refused(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError, match="send one body"):
        encode_body(**kwargs)  # type: ignore[arg-type]


def test_files_with_raw_data_are_refused() -> None:
    with pytest.raises(ConfigError, match="must be a mapping of form fields"):
        encode_body(data=b"raw", files={"f": b""})
