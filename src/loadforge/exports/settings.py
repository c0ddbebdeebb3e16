"""Which live exports a run makes, checked before any load is sent.

Nothing here imports the export libraries: a run without export options
never loads them, and a run with one finds out at once, with exit code 2,
when the `export` extra is missing.
"""

from __future__ import annotations

import dataclasses
import ipaddress
import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from loadforge.errors import ConfigError
from loadforge.extras import install_line, require_extra

DEFAULT_HOST = "127.0.0.1"
INSTALL_LINE = install_line("export")
HTTP_PROTOBUF = "http/protobuf"
GRPC = "grpc"


@dataclass(frozen=True, slots=True)
class ListenAddress:
    """Where `--prometheus` serves /metrics."""

    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True, slots=True)
class ExportSettings:
    """The run's live exports; all None (the default) means none."""

    prometheus: ListenAddress | None = None
    prometheus_linger: float = 0.0
    remote_write: str | None = None
    otlp_endpoint: str | None = None
    otlp_protocol: str = HTTP_PROTOBUF
    """`http/protobuf`, or `grpc` from OTEL_EXPORTER_OTLP_(METRICS_)PROTOCOL."""

    @property
    def any(self) -> bool:
        """True when at least one export is on."""
        return bool(self.prometheus or self.remote_write or self.otlp_endpoint)


def parse_listen_address(text: str, *, where: str = "--prometheus") -> ListenAddress:
    """`9464`, `0.0.0.0:9464`, `[::1]:9464`, `localhost:9464`; ConfigError when malformed."""
    raw = text.strip()
    host, port_text = DEFAULT_HOST, raw
    if raw.startswith("["):
        end = raw.find("]")
        if end < 0 or raw[end + 1 : end + 2] != ":":
            raise ConfigError(f"{where} {text!r}: write an IPv6 address as [::1]:PORT.")
        host, port_text = raw[1:end], raw[end + 2 :]
    elif ":" in raw:
        host, _, port_text = raw.rpartition(":")
        if ":" in host:
            raise ConfigError(f"{where} {text!r}: write an IPv6 address as [::1]:PORT.")
    if not host or any(char in host for char in "/[]@ "):
        raise ConfigError(f"{where} {text!r}: give [HOST:]PORT, e.g. 9464 or 0.0.0.0:9464.")
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            raise ConfigError(f"{where} {text!r}: {host!r} is not an IPv6 address.") from None
    if not port_text.isdigit() or not 0 <= int(port_text) <= 65535:
        raise ConfigError(f"{where} {text!r}: the port must be a number from 0 to 65535.")
    return ListenAddress(host, int(port_text))


def parse_push_url(text: str, *, where: str) -> str:
    """An http(s) URL with a host, as given; ConfigError naming `where` otherwise."""
    try:
        parts = urlsplit(text.strip())
        port = parts.port  # raises ValueError on a port out of range or not a number
    except ValueError as exc:
        raise ConfigError(f"{where} {text!r} is not a valid URL: {exc}.") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ConfigError(
            f"{where} {text!r} is not a valid URL: give http:// or https://, a host and a path,"
            " e.g. http://127.0.0.1:9090/api/v1/write."
        )
    del port
    return text.strip()


def export_settings(
    prometheus: str | None,
    prometheus_linger: float | None,
    remote_write: str | None,
    otlp_endpoint: str | None,
    environ: Mapping[str, str] | None = None,
) -> ExportSettings:
    """Parse and check the export options (each None when not given)."""
    linger = 0.0 if prometheus_linger is None else prometheus_linger
    if not math.isfinite(linger) or linger < 0:
        raise ConfigError(f"--prometheus-linger must be 0 seconds or more, got {linger:g}.")
    if linger and prometheus is None:
        raise ConfigError("--prometheus-linger keeps --prometheus serving: give --prometheus too.")
    settings = ExportSettings(
        prometheus=None if prometheus is None else parse_listen_address(prometheus),
        prometheus_linger=linger,
        remote_write=(
            None
            if remote_write is None
            else parse_push_url(remote_write, where="--prometheus-remote-write")
        ),
        otlp_endpoint=(
            None
            if otlp_endpoint is None
            else parse_push_url(otlp_endpoint, where="--otlp-endpoint")
        ),
    )
    if settings.otlp_endpoint is not None:
        protocol = otlp_protocol(os.environ if environ is None else environ)
        settings = dataclasses.replace(settings, otlp_protocol=protocol)
    require_libraries(settings)
    return settings


def otlp_protocol(environ: Mapping[str, str]) -> str:
    """The OTLP protocol the standard variables ask for (the metrics one first); HTTP by default.

    `http/protobuf` and `grpc` are spoken; `http/json`, which the Python
    SDK has no exporter for, and anything else are a ConfigError naming the variable.
    """
    for variable in ("OTEL_EXPORTER_OTLP_METRICS_PROTOCOL", "OTEL_EXPORTER_OTLP_PROTOCOL"):
        protocol = environ.get(variable, "").strip()
        if protocol:
            if protocol not in (HTTP_PROTOBUF, GRPC):
                raise ConfigError(
                    f"--otlp-endpoint sends OTLP over http/protobuf or grpc, but {variable} is"
                    f" {protocol!r}; unset it or set it to one of those."
                )
            return protocol
    return HTTP_PROTOBUF


def require_libraries(settings: ExportSettings) -> None:
    """MissingExtraError (exit 2) with the install line when an export is on without its extra."""
    flags = (
        (settings.prometheus is not None, "--prometheus"),
        (settings.remote_write is not None, "--prometheus-remote-write"),
        (settings.otlp_endpoint is not None, "--otlp-endpoint"),
    )
    for on, flag in flags:
        if on:
            require_extra("export", f"loadforge run {flag}")
            break
    if settings.otlp_endpoint is not None and settings.otlp_protocol == GRPC:
        require_extra("otlp-grpc", "loadforge run --otlp-endpoint (OTLP over gRPC)")
