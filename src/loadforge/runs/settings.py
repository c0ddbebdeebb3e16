"""Options into the engine's `LoadSettings`, checked alike for `loadforge run` and the server."""

from __future__ import annotations

import os
from pathlib import Path

from loadforge.engine.cluster import DEFAULT_PLACEMENT_TIMEOUT, ClusterTarget, endpoint
from loadforge.engine.settings import LoadSettings
from loadforge.errors import ConfigError
from loadforge.exports import ExportSettings, export_settings
from loadforge.extras import require_extra
from loadforge.metrics.transport import MetricsTransport
from loadforge.patterns import LoadPattern
from loadforge.runs.options import RunOptions, build_pattern

DEFAULT_GRACE = 5.0


def load_settings(options: RunOptions, scenario_pattern: LoadPattern | None = None) -> LoadSettings:
    """Validate the options and turn them into the engine's settings.

    `scenario_pattern` is the scenario's own pattern, used unless the
    options shape one (see `build_pattern`).
    """
    pattern = build_pattern(options, scenario_pattern)
    duration = options.effective_duration(pattern)
    if duration <= 0:
        raise ConfigError(f"--duration must be more than 0 seconds, got {duration:g}.")
    rate = options.fail_on_error_rate
    if rate is not None and not 0 <= rate <= 1:
        raise ConfigError(
            f"--fail-on-error-rate is a fraction between 0 and 1 (0.05 = 5%), got {rate:g}."
        )
    if options.max_connections is not None and options.max_connections < 1:
        raise ConfigError(f"--max-connections must be at least 1, got {options.max_connections}.")
    if options.rps is not None and options.rps <= 0:
        raise ConfigError(f"--rps must be more than 0, got {options.rps:g}.")
    workers = default_workers() if options.workers is None else options.workers
    if workers < 1:
        raise ConfigError(f"--workers must be at least 1, got {workers}.")
    # The open model: --arrival-rate, or a scenario's own pattern of iterations per second.
    open_model = pattern.quantity.is_rate
    if options.max_users is not None and (options.max_users < 1 or not open_model):
        raise ConfigError(
            "--max-users bounds the open model: give it with --arrival-rate "
            "(or scenarios on arrival rates of their own), >= 1."
        )
    transport = MetricsTransport.parse(options.metrics_transport or MetricsTransport.SHM.value)
    return LoadSettings(
        pattern=pattern,
        duration=duration,
        rps=options.rps,
        grace=DEFAULT_GRACE if options.grace is None else options.grace,
        max_connections=options.max_connections,
        seed=options.seed,
        config=options.to_config(),
        workers=workers,
        metrics_transport=transport,
        max_users=options.max_users,
        raw_log=_raw_log(options.raw_log),
    )


def _raw_log(path: Path | None) -> Path | None:
    """The raw log's path, checked before any load is sent: its directory must exist."""
    if path is None:
        return None
    if path.is_dir():
        raise ConfigError(
            f"--raw-log {path} is a directory; give a file path (log.csv, log.jsonl)."
        )
    if not path.parent.is_dir():
        raise ConfigError(f"--raw-log {path}: the directory {path.parent} does not exist.")
    return path.resolve()


def cluster_target(
    options: RunOptions, command: str = "loadforge run --cluster"
) -> ClusterTarget | None:
    """The Ray cluster the run goes to (`--cluster`), checked; None for a run on this machine.

    A missing `ray` package is a MissingExtraError naming the install line,
    found without importing it; a malformed address is a ClusterError.
    """
    if options.cluster is None:
        if options.placement_timeout is not None:
            raise ConfigError("--placement-timeout applies to a cluster run: give --cluster too.")
        return None
    require_extra("ray", command)
    endpoint(options.cluster)
    timeout = options.placement_timeout
    if timeout is not None and timeout <= 0:
        raise ConfigError(f"--placement-timeout must be more than 0 seconds, got {timeout:g}.")
    return ClusterTarget(
        address=options.cluster,
        workers=options.workers,
        placement_timeout=DEFAULT_PLACEMENT_TIMEOUT if timeout is None else timeout,
    )


def run_exports(options: RunOptions) -> ExportSettings:
    """The run's live exports, checked (ConfigError: a bad address or URL, a missing extra)."""
    return export_settings(
        options.prometheus,
        options.prometheus_linger,
        options.prometheus_remote_write,
        options.otlp_endpoint,
    )


def default_workers() -> int:
    """One worker per CPU this process may run on."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1
