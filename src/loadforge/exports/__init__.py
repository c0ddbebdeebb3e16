"""Live exports of a run's figures: a Prometheus scrape endpoint, remote write, OTLP.

`settings` checks the options (no third-party import); `series` builds the
one set of metric families every export publishes; `live.RunExports` wires
them to a run as engine observers. prometheus-client, protobuf, cramjam and
the OpenTelemetry SDK (the `export` extra) are imported only by `scrape`,
`remote_write` and `otlp`, and those only when their export is on.
"""

from loadforge.exports.settings import (
    INSTALL_LINE,
    ExportSettings,
    ListenAddress,
    export_settings,
    parse_listen_address,
    parse_push_url,
)

__all__ = [
    "INSTALL_LINE",
    "ExportSettings",
    "ListenAddress",
    "export_settings",
    "parse_listen_address",
    "parse_push_url",
]
