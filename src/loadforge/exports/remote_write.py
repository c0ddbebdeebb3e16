"""`--prometheus-remote-write URL`: each second's figures as a remote-write request.

The body is a `prometheus.WriteRequest` (remote write 1.0: protobuf,
snappy block format), what Prometheus' own receiver
(`--web.enable-remote-write-receiver`), Mimir, Thanos and VictoriaMetrics
accept. The messages are declared below from the upstream `prompb`
schema and encoded by `protobuf`; `cramjam` compresses. Every series
carries `job="loadforge"` and `instance=<run id>`, the labels a scrape
would have added, so runs never mix.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

import cramjam
import urllib3
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from google.protobuf.message import Message

from loadforge.exports.pusher import SendError
from loadforge.exports.series import LE_LABELS, Figures, Kind, Labels, RunInfo
from loadforge.version import __version__

CONNECT_SECONDS = 2.0
READ_SECONDS = 5.0

_FIELD = descriptor_pb2.FieldDescriptorProto
# prometheus/prompb types.proto and remote.proto (remote write 1.0), the fields sent.
_SCHEMA: dict[str, list[tuple[str, int, int, str | None]]] = {
    "Label": [("name", 1, _FIELD.TYPE_STRING, None), ("value", 2, _FIELD.TYPE_STRING, None)],
    "Sample": [("value", 1, _FIELD.TYPE_DOUBLE, None), ("timestamp", 2, _FIELD.TYPE_INT64, None)],
    "TimeSeries": [
        ("labels", 1, _FIELD.TYPE_MESSAGE, ".prometheus.Label"),
        ("samples", 2, _FIELD.TYPE_MESSAGE, ".prometheus.Sample"),
    ],
    "WriteRequest": [("timeseries", 1, _FIELD.TYPE_MESSAGE, ".prometheus.TimeSeries")],
}
_REPEATED = {"labels", "samples", "timeseries"}


@functools.cache
def write_request_class() -> type[Message]:
    """The `prometheus.WriteRequest` message class, declared once per process."""
    file = descriptor_pb2.FileDescriptorProto(
        name="loadforge/prompb.proto", package="prometheus", syntax="proto3"
    )
    for message, fields in _SCHEMA.items():
        declared = file.message_type.add(name=message)
        for name, number, kind, type_name in fields:
            label = _FIELD.LABEL_REPEATED if name in _REPEATED else _FIELD.LABEL_OPTIONAL
            field = declared.field.add(name=name, number=number, type=kind, label=label)
            if type_name is not None:
                field.type_name = type_name
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return message_factory.GetMessageClass(pool.FindMessageTypeByName("prometheus.WriteRequest"))


def samples(figures: Figures) -> Iterator[tuple[str, Labels, float]]:
    """Every sample of the figures as (series name, labels, value), as a scrape would show it."""
    for family in figures.families:
        if family.kind is Kind.COUNTER:
            for point in family.points:
                yield f"{family.name}_total", point.labels, point.value
        elif family.kind is Kind.GAUGE:
            for point in family.points:
                yield family.name, point.labels, point.value
        else:
            for histogram in family.histograms:
                labels = histogram.labels
                for le, count in zip(LE_LABELS, histogram.buckets, strict=True):
                    yield f"{family.name}_bucket", (*labels, ("le", le)), count
                yield f"{family.name}_bucket", (*labels, ("le", "+Inf")), histogram.count
                yield f"{family.name}_count", labels, histogram.count
                yield f"{family.name}_sum", labels, histogram.sum


def encode(figures: Figures, info: RunInfo) -> bytes:
    """The snappy-compressed WriteRequest of one batch."""
    request: Any = write_request_class()()
    timestamp = round(figures.timestamp * 1000)
    target = (("instance", info.run_id), ("job", "loadforge"))
    for name, labels, value in samples(figures):
        series = request.timeseries.add()
        # Remote write wants the labels sorted by name, __name__ among them.
        for label, text in sorted((("__name__", name), *target, *labels)):
            series.labels.add(name=label, value=text)
        series.samples.add(value=float(value), timestamp=timestamp)
    return bytes(cramjam.snappy.compress_raw(request.SerializeToString()))


class RemoteWriteSender:
    """POSTs each batch to one remote-write URL over a kept-alive connection."""

    def __init__(self, url: str, info: RunInfo) -> None:
        self.url = url
        self._info = info
        self._http = urllib3.PoolManager(
            num_pools=1,
            maxsize=1,
            retries=False,
            timeout=urllib3.Timeout(connect=CONNECT_SECONDS, read=READ_SECONDS),
            headers={
                "Content-Encoding": "snappy",
                "Content-Type": "application/x-protobuf",
                "User-Agent": f"loadforge/{__version__}",
                "X-Prometheus-Remote-Write-Version": "0.1.0",
            },
        )

    def send(self, figures: Figures) -> None:
        """Deliver one batch; SendError (retry on no answer, 5xx and 429)."""
        body = encode(figures, self._info)
        try:
            response = self._http.request("POST", self.url, body=body)
        except urllib3.exceptions.HTTPError as exc:
            raise SendError(f"{type(exc).__name__}: {exc}", retry=True) from None
        status = response.status
        if status < 300:
            return
        text = response.data[:200].decode("utf-8", "replace").strip()
        raise SendError(f"HTTP {status}: {text}", retry=status >= 500 or status == 429)

    def close(self) -> None:
        """Close the connection."""
        self._http.clear()
