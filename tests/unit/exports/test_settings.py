"""Export options: listen addresses, push URLs, linger, the OTLP protocol, the missing extra."""

from __future__ import annotations

import sys

import pytest

from loadforge import extras
from loadforge.errors import ConfigError, MissingExtraError
from loadforge.exports import INSTALL_LINE, ListenAddress, export_settings, parse_listen_address


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("9464", ListenAddress("127.0.0.1", 9464)),
        ("0.0.0.0:9464", ListenAddress("0.0.0.0", 9464)),
        ("localhost:0", ListenAddress("localhost", 0)),
        ("[::1]:9464", ListenAddress("::1", 9464)),
    ],
)
def test_listen_addresses(text: str, expected: ListenAddress) -> None:
    assert parse_listen_address(text) == expected


@pytest.mark.parametrize(
    "text", ["", "host:", ":9464", "70000", "[::1", "[::1]9464", "a/b:1", "::1:9"]
)
def test_bad_listen_addresses(text: str) -> None:
    with pytest.raises(ConfigError, match="--prometheus"):
        parse_listen_address(text)


def test_no_option_means_no_export() -> None:
    assert not export_settings(None, None, None, None).any


def test_urls_are_checked_and_kept() -> None:
    settings = export_settings(
        "9464", 15.0, "https://mimir.internal/api/v1/push", "http://collector:4318", environ={}
    )

    assert settings.any
    assert settings.prometheus_linger == 15.0
    assert settings.remote_write == "https://mimir.internal/api/v1/push"
    assert settings.otlp_endpoint == "http://collector:4318"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((None, 5.0, None, None), "give --prometheus too"),
        (("9464", -1.0, None, None), "0 seconds or more"),
        ((None, None, "collector:4318", None), "--prometheus-remote-write"),
        ((None, None, None, "http://[::1"), "--otlp-endpoint"),
    ],
)
def test_bad_settings(arguments: tuple[str | None, float | None, str | None, str | None],
                      message: str) -> None:  # fmt: skip
    with pytest.raises(ConfigError, match=message):
        export_settings(*arguments, environ={})


def test_grpc_or_http_protobuf_is_taken_and_anything_else_refused_with_the_variable_named() -> None:
    endpoint = "http://c:4317"
    grpc = export_settings(
        None, None, None, endpoint, environ={"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}
    )
    assert grpc.otlp_protocol == "grpc"
    # The metrics variable wins over the general one, as the SDK reads them.
    metrics_first = {
        "OTEL_EXPORTER_OTLP_METRICS_PROTOCOL": "http/protobuf",
        "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc",
    }
    assert export_settings(None, None, None, endpoint, environ=metrics_first).otlp_protocol == (
        "http/protobuf"
    )
    assert export_settings(None, None, None, endpoint, environ={}).otlp_protocol == "http/protobuf"
    with pytest.raises(ConfigError, match="OTEL_EXPORTER_OTLP_PROTOCOL is 'http/json'"):
        export_settings(
            None, None, None, endpoint, environ={"OTEL_EXPORTER_OTLP_PROTOCOL": "http/json"}
        )


def test_grpc_without_its_extra_names_the_install_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(extras.EXTRA_MODULES, "otlp-grpc", ("no_such_grpc_module",))
    with pytest.raises(MissingExtraError, match=r"pip install 'loadforge\[otlp-grpc\]'"):
        export_settings(
            None, None, None, "http://c:4317", environ={"OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"}
        )


@pytest.mark.parametrize(
    ("module", "arguments"),
    [
        ("cramjam", (None, None, "http://h/api/v1/write", None)),
        ("opentelemetry.sdk.metrics", (None, None, None, "http://h:4318")),
    ],
)
def test_a_missing_library_names_the_extra(
    module: str,
    arguments: tuple[None, None, str | None, str | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, module, None)

    with pytest.raises(MissingExtraError) as raised:
        export_settings(*arguments, environ={})

    assert INSTALL_LINE in str(raised.value)
