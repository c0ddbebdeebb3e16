"""From a spec to a scenario file the engine can run, in the run's own directory.

The multi-core engine's worker processes import the scenario *file by path*,
so a request spec cannot be a class built in memory. Instead one packaged
scenario file (`request_scenario.py`) sends whatever request a small JSON
description names; the description's path travels in an environment
variable, which the run's child process sets and its worker processes
inherit. A `scenario_code` spec is written to `<run dir>/scenario.py` and run
as any scenario file is.
"""

from __future__ import annotations

import dataclasses
import json
import re
import secrets
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from loadforge.errors import ConfigError
from loadforge.http._bodies import Body, encode_multipart
from loadforge.http._requests import build_request
from loadforge.http._urls import parse_url
from loadforge.server.contract import RunJob

__all__ = [
    "DESCRIPTION_VARIABLE",
    "METHODS",
    "REQUEST_SCENARIO",
    "RequestDescription",
    "ScenarioPlan",
    "describe_request",
    "prepare_scenario",
    "read_request",
    "validate_request",
]

DESCRIPTION_VARIABLE = "LOADFORGE_SERVER_REQUEST"
"""The environment variable holding the path of the request description JSON."""

REQUEST_SCENARIO = Path(__file__).with_name("request_scenario.py")
"""The packaged scenario file that sends a request spec's request."""

METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
BODY_MODES = frozenset({"raw", "multipart"})
MULTIPART_FIELD = "file"
TEXT_BODY_FILENAME = "body.txt"
TEXT_CONTENT_TYPE = "text/plain; charset=utf-8"
OCTET_STREAM = "application/octet-stream"
# RFC 9110's token: the characters a header name may have.
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
# RFC 9110's field value: visible characters, spaces and tabs, obs-text (Latin-1 above 0x7F).
_FIELD_VALUE = re.compile(r"[\t\x20-\x7e\x80-\xff]*")


@dataclass(frozen=True, slots=True)
class RequestDescription:
    """The one request a request spec sends: what the scenario file reads back."""

    method: str
    url: str
    headers: Mapping[str, str]
    body_mode: str = "raw"
    body_text: str | None = None
    body_file: str | None = None
    filename: str | None = None
    content_type: str | None = None
    name: str = "request"  # the spec's name: the scenario's, in the console, results and report
    record_timings: bool = False  # every user's client records response timings

    @property
    def origin(self) -> str:
        """`scheme://host:port` of the URL: the scenario's base URL."""
        parts = urlsplit(self.url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def target(self) -> str:
        """Path and query of the URL, sent relative to `origin` so the metrics name the path."""
        parts = urlsplit(self.url)
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def to_json(self) -> dict[str, object]:
        """JSON-ready form, as written next to the run's results."""
        return {
            "method": self.method,
            "url": self.url,
            "headers": dict(self.headers),
            "body_mode": self.body_mode,
            "body_text": self.body_text,
            "body_file": self.body_file,
            "filename": self.filename,
            "content_type": self.content_type,
            "name": self.name,
            "record_timings": self.record_timings,
        }

    @classmethod
    def from_json(cls, source: Mapping[str, object]) -> RequestDescription:
        """Read back `to_json` output (written by this module, so trusted)."""
        return cls(**source)  # type: ignore[arg-type]

    def body(self) -> Body | None:
        """The encoded body, built once per process: a 25 MiB attachment is read once."""
        if self.body_file is not None:
            content = Path(self.body_file).read_bytes()
            filename = self.filename or Path(self.body_file).name
            content_type = self.content_type or OCTET_STREAM
        elif self.body_text is not None:
            content = self.body_text.encode("utf-8")
            filename, content_type = TEXT_BODY_FILENAME, TEXT_CONTENT_TYPE
        else:
            return None
        if self.body_mode == "multipart":
            # One random boundary per process: the body is encoded once, not per request.
            boundary = secrets.token_hex(16)
            files = {MULTIPART_FIELD: (filename, content, content_type)}
            return encode_multipart({}, files, boundary)
        return Body(content, self.content_type if self.body_file is not None else None)


def validate_request(request: object) -> None:
    """Raise ConfigError naming the field (`request.url ...`) when a spec's request is invalid."""
    read_request(request)


def describe_request(job: RunJob) -> RequestDescription:
    """The request a job's spec sends, with its attachment when the API resolved one."""
    description = read_request(job.spec.get("request"))
    name = job.spec.get("name")
    if isinstance(name, str) and name.strip():
        description = dataclasses.replace(description, name=name)
    if job.body_file is None:
        return description
    return dataclasses.replace(
        description,
        body_text=None,
        body_file=str(job.body_file.resolve()),
        filename=job.body_filename,
        content_type=job.body_content_type,
    )


def read_request(request: object) -> RequestDescription:
    """Check a spec's `request` object field by field; ConfigError naming the field."""
    if not isinstance(request, Mapping):
        raise ConfigError("request must be an object with method and url.")
    method = request.get("method", "GET")
    if not isinstance(method, str) or method.upper() not in METHODS:
        raise ConfigError(f"request.method must be one of {', '.join(sorted(METHODS))}.")
    url = request.get("url")
    if not isinstance(url, str) or _scheme(url) not in ("http", "https"):
        raise ConfigError(f"request.url must be an http:// or https:// URL, got {url!r:.80}.")
    try:
        target = parse_url(url)  # the client's own reading: port, userinfo, host
    except (ConfigError, UnicodeError) as exc:
        raise ConfigError(f"request.url: {exc}") from None
    if target.origin.port == 0:
        raise ConfigError(f"request.url: port 0 cannot be connected to, in {url!r:.80}.")
    if not target.origin.host.isascii():
        raise ConfigError(
            f"request.url: give the host in ASCII (its IDNA form, xn--...), in {url!r:.80}."
        )
    body_mode = request.get("body_mode") or "raw"
    if body_mode not in BODY_MODES:
        raise ConfigError(f"request.body_mode must be raw or multipart, got {body_mode!r:.40}.")
    body = request.get("body")
    if body is not None and not isinstance(body, str):
        raise ConfigError("request.body must be a text or null.")
    headers = _headers(request.get("headers") or {})
    record_timings = request.get("record_timings", False)
    if not isinstance(record_timings, bool):
        raise ConfigError(
            f"request.record_timings must be true or false, got {record_timings!r:.40}."
        )
    try:
        # Encode the request as the client will: whatever it refuses is refused now.
        build_request(method.upper(), target, list(headers.items()), None, "request")
    except ConfigError as exc:
        raise ConfigError(f"request: {exc}") from None
    return RequestDescription(
        method=method.upper(),
        url=url,
        headers=headers,
        body_mode=str(body_mode),
        body_text=body,
        record_timings=record_timings,
    )


def _scheme(url: str) -> str:
    try:
        return urlsplit(url).scheme
    except ValueError:
        return ""


def _headers(headers: object) -> dict[str, str]:
    """Header names must be HTTP tokens, values free of line breaks (they would split the head)."""
    if not isinstance(headers, Mapping):
        raise ConfigError("request.headers must be an object of text names and values.")
    for name, value in headers.items():
        if not isinstance(name, str) or not _TOKEN.fullmatch(name):
            raise ConfigError(f"request.headers: {name!r:.60} is not a valid header name.")
        if not isinstance(value, str) or not _FIELD_VALUE.fullmatch(value):
            raise ConfigError(
                f"request.headers.{name} must be Latin-1 text without line breaks or other"
                f" control characters, got {value!r:.60}."
            )
    return dict(headers)


@dataclass(frozen=True, slots=True)
class ScenarioPlan:
    """What `run_session` needs to run a spec: the file, its base URL, the extra variables.

    `node_environ` is what a cluster node's workers need in their
    environment instead of `environ`: paths relative to their working
    directory, which is a copy of the scenario's.
    """

    path: Path
    base_url: str | None
    environ: Mapping[str, str]
    node_environ: Mapping[str, str] = dataclasses.field(default_factory=dict)


def prepare_scenario(job: RunJob, directory: Path, *, portable: bool = False) -> ScenarioPlan:
    """Write the spec's scenario (or request description) into `directory` and plan its run.

    `portable` (a cluster run) puts everything the workers read in
    `directory`: the request scenario file and the attachment too, so that
    the directory shipped to each node is the whole run.
    """
    directory.mkdir(parents=True, exist_ok=True)
    code = job.spec.get("scenario_code")
    if code is not None:
        if not isinstance(code, str) or not code.strip():
            raise ConfigError("scenario_code must be the text of a Python scenario file.")
        path = directory / "scenario.py"
        path.write_text(code, encoding="utf-8")
        return ScenarioPlan(path=path, base_url=None, environ={})
    description = describe_request(job)
    scenario = REQUEST_SCENARIO
    if portable:
        description = _with_local_body(description, directory)
        scenario = directory / REQUEST_SCENARIO.name
        shutil.copyfile(REQUEST_SCENARIO, scenario)
    path = directory / "request.json"
    path.write_text(json.dumps(description.to_json(), indent=2), encoding="utf-8")
    return ScenarioPlan(
        path=scenario,
        base_url=description.origin,
        environ={DESCRIPTION_VARIABLE: str(path.resolve())},
        node_environ={DESCRIPTION_VARIABLE: path.name},
    )


def _with_local_body(description: RequestDescription, directory: Path) -> RequestDescription:
    """The description with its attachment copied under `directory`, named relative to it."""
    if description.body_file is None:
        return description
    copy = directory / "body" / Path(description.body_file).name
    copy.parent.mkdir(exist_ok=True)
    shutil.copyfile(description.body_file, copy)
    return dataclasses.replace(description, body_file=str(copy.relative_to(directory)))


def load_description(environ: Mapping[str, str]) -> RequestDescription:
    """The description named by `DESCRIPTION_VARIABLE`; ConfigError when it is not set."""
    path = environ.get(DESCRIPTION_VARIABLE)
    if not path:
        raise ConfigError(
            f"{REQUEST_SCENARIO.name} is run by `loadforge serve`, which sets "
            f"{DESCRIPTION_VARIABLE} to a request description file."
        )
    try:
        source = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"Cannot read the request description {path}: {exc}") from exc
    description = RequestDescription.from_json(source)
    body = description.body_file
    if body is not None and not Path(body).is_absolute():
        # A cluster run's body sits next to its description (see prepare_scenario).
        description = dataclasses.replace(description, body_file=str(Path(path).parent / body))
    return description
