"""How `loadforge run` logs: plain text lines, or (`--log-format json`) one JSON object per line.

JSON logs are for runs under CI and Kubernetes, whose log pipelines read
one object per line. Every object has `time` (UTC, ISO 8601), `level`,
`logger` and `message`; a record with an exception adds `exception`, and
the per-second progress lines (`loadforge.progress`) add the second's
figures under the names result.json uses.
"""

from __future__ import annotations

import enum
import json
import logging
from datetime import UTC, datetime

from loadforge.errors import ConfigError

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


class LogFormat(enum.Enum):
    """The two shapes of log line."""

    TEXT = "text"
    JSON = "json"

    @classmethod
    def parse(cls, text: str) -> LogFormat:
        """The format named `text`; ConfigError for anything else."""
        try:
            return cls(text.lower())
        except ValueError:
            raise ConfigError(f"--log-format must be 'text' or 'json', got {text!r}.") from None


def json_line(level: str, logger: str, message: str, created: float, **fields: object) -> str:
    """One log object as a line: time, level, logger, message, then `fields`."""
    moment = datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds")
    entry: dict[str, object] = {
        "time": moment.replace("+00:00", "Z"),
        "level": level.lower(),
        "logger": logger,
        "message": message,
        **fields,
    }
    return json.dumps(entry, separators=(",", ":"), default=str)


class JsonFormatter(logging.Formatter):
    """A `logging` record as one JSON object (see the module docstring)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record's line."""
        fields: dict[str, object] = {}
        if record.exc_info:
            fields["exception"] = self.formatException(record.exc_info)
        return json_line(
            record.levelname, record.name, record.getMessage(), record.created, **fields
        )


def configure_logging(verbose: bool, log_format: LogFormat = LogFormat.TEXT) -> None:
    """Send LoadForge's logs to stderr: DEBUG with --verbose, else WARNING and above."""
    handler = logging.StreamHandler()
    if log_format is LogFormat.JSON:
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter(TEXT_FORMAT))
    logging.basicConfig(level=logging.DEBUG if verbose else logging.WARNING, handlers=[handler])
