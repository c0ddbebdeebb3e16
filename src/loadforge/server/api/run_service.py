"""Starting and stopping runs: the database row first, then the executor.

A run's row (status `queued`, with the spec frozen in it) is committed
before the job goes to the executor, so the executor's reports always find
it. If the executor refuses the job, the run ends `failed` with the reason.
Schedules come in through `start_run_for_firing`, which records the firing
and the run in one transaction, so a firing starts at most one run even with
two servers on one PostgreSQL database.
"""

from __future__ import annotations

import asyncio
import logging
import shutil
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from loadforge.errors import ConfigError, LoadForgeError
from loadforge.server.api.errors import Conflict, Forbidden, NotFound, Unavailable, Unprocessable
from loadforge.server.api.limits import check_limits
from loadforge.server.api.ownership import ServerInstance
from loadforge.server.api.schedule_times import next_fire_time
from loadforge.server.api.schemas import Run
from loadforge.server.api.security import check_run_allowed, target_policy
from loadforge.server.api.sink import DatabaseRunSink
from loadforge.server.api.views import frozen_spec, run_view
from loadforge.server.attachments import AttachmentStore
from loadforge.server.contract import RunEnding, RunExecutor, RunJob, RunState
from loadforge.server.db.models import (
    AttachmentRow,
    RunLogRow,
    RunRow,
    RunSnapshotRow,
    ScheduleFiringRow,
    ScheduleRow,
    SpecRow,
    utc_now,
)
from loadforge.server.execution.profile import run_settings
from loadforge.server.settings import ServerSettings

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class ScheduledSpec:
    """An enabled schedule as the scheduler reads it."""

    schedule_id: int
    spec_id: int
    cron: str
    timezone: str
    last_fire_at: datetime | None


class RunService:
    """Creates run rows and hands their jobs to the executor."""

    def __init__(
        self,
        settings: ServerSettings,
        sessions: sessionmaker[Session],
        attachments: AttachmentStore,
        sink: DatabaseRunSink,
        instance: ServerInstance,
    ) -> None:
        self.settings = settings
        self.executor: RunExecutor | None = None
        self._sessions = sessions
        self._attachments = attachments
        self._sink = sink
        self._instance = instance

    async def start(self, spec_id: int) -> Run:
        """Start (or queue) a run of the spec; NotFound, Forbidden, Unprocessable (over a cap)."""
        if self.executor is None:
            raise Unavailable("This server has no run executor.")
        job = await asyncio.to_thread(self._create_run, spec_id)
        await self._submit(job)
        return await asyncio.to_thread(self.get, job.run_id)

    async def stop(self, run_id: int) -> Run:
        """Stop a run gracefully (a queued one at once); Conflict when it has already ended.

        A run another live server drives is stopped by that server: the stop is
        left in the database for it, and the run is answered as it is now.
        """
        run = await asyncio.to_thread(self.get, run_id)
        if RunState(run.status).is_final:
            raise Conflict(f"Run {run_id} has already ended ({run.status}).")
        owner = await asyncio.to_thread(self._owner, run_id)
        if owner != self._instance.id and await asyncio.to_thread(
            self._instance.owner_alive, owner
        ):
            await asyncio.to_thread(self._instance.request_stop, run_id)
            return run
        known = self.executor is not None and await self.executor.stop(run_id)
        run = await asyncio.to_thread(self.get, run_id)
        # Unknown to the executor (it ended meanwhile, or never had it), or dropped from
        # its queue: either way the run is over now; a running one (its process maybe
        # still starting) ends when the executor reports it stopped.
        dropped = known and self.executor is not None and not self.executor.is_active(run_id)
        if not RunState(run.status).is_final and (not known or dropped):
            await self._sink.run_finished(run_id, RunEnding(RunState.STOPPED))
            run = await asyncio.to_thread(self.get, run_id)
        return run

    async def delete(self, run_id: int) -> None:
        """Delete an ended run, its snapshots, console lines and results directory.

        Conflict while the run is queued or running: stop it first. The row
        is not turned into JSON on the way, so a run that cannot be shown can
        still be deleted.
        """
        if self.executor is not None and self.executor.is_active(run_id):
            raise Conflict(f"Run {run_id} is still active; stop it before deleting it.")
        results_dir = await asyncio.to_thread(self._delete_row, run_id)
        # The run's process writes everything under results_root/run-<id>/.
        for directory in {self.settings.results_root / f"run-{run_id}", results_dir}:
            if directory is not None:
                await asyncio.to_thread(shutil.rmtree, directory, True)

    def _delete_row(self, run_id: int) -> Path | None:
        with self._sessions.begin() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                raise NotFound(f"Run {run_id} does not exist.")
            if not RunState(row.status).is_final:
                raise Conflict(f"Run {run_id} is {row.status}; stop it before deleting it.")
            session.execute(delete(RunSnapshotRow).where(RunSnapshotRow.run_id == run_id))
            session.execute(delete(RunLogRow).where(RunLogRow.run_id == run_id))
            results_dir = row.results_dir
            session.delete(row)
        return self._own_results_dir(results_dir)

    def _own_results_dir(self, results_dir: str | None) -> Path | None:
        """The run's results directory, if it lies under this server's results root."""
        if results_dir is None:
            return None
        root = self.settings.results_root.resolve()
        path = Path(results_dir).resolve()
        return path if path.is_relative_to(root) and path != root else None

    async def start_run_for_firing(self, schedule_id: int, fire_time: datetime) -> int | None:
        """Record the firing and start its run; the run's id, or None when nothing was started.

        Called by the scheduler. None when this (schedule, fire time) already
        fired, here or on another server sharing the database, or when the
        schedule was deleted or disabled meanwhile. A spec the server's
        settings refuse still records the firing, with a run that ends
        `failed` saying why.
        """
        created = await asyncio.to_thread(self._create_firing, schedule_id, fire_time)
        if created is None:
            return None
        job, refusal = created
        if refusal is not None:
            await self._sink.run_finished(job.run_id, RunEnding(RunState.FAILED, error=refusal))
        elif self.executor is None:
            await self._sink.run_finished(
                job.run_id, RunEnding(RunState.FAILED, error="This server has no run executor.")
            )
        else:
            await self._submit(job)
        return job.run_id

    def enabled_schedules(self) -> list[ScheduledSpec]:
        """The enabled schedules, for the scheduler to compute their next firings."""
        with self._sessions() as session:
            rows = session.scalars(
                select(ScheduleRow).where(ScheduleRow.enabled).order_by(ScheduleRow.id)
            )
            return [
                ScheduledSpec(row.id, row.spec_id, row.cron, row.timezone, row.last_fire_at)
                for row in rows
            ]

    def _owner(self, run_id: int) -> str | None:
        with self._sessions() as session:
            return session.scalar(select(RunRow.owner_id).where(RunRow.id == run_id))

    def get(self, run_id: int) -> Run:
        """The run's JSON; NotFound for an unknown id."""
        with self._sessions() as session:
            row = session.get(RunRow, run_id)
            if row is None:
                raise NotFound(f"Run {run_id} does not exist.")
            return run_view(row)

    async def _submit(self, job: RunJob) -> None:
        assert self.executor is not None
        try:
            await self.executor.submit(job)
        except Exception as exc:
            log.exception("the executor refused run %s", job.run_id)
            await self._sink.run_finished(job.run_id, RunEnding(RunState.FAILED, error=str(exc)))

    def _create_run(self, spec_id: int) -> RunJob:
        with self._sessions.begin() as session:
            spec = session.get(SpecRow, spec_id)
            if spec is None:
                raise NotFound(f"Spec {spec_id} does not exist.")
            frozen = frozen_spec(spec)
            check_run_allowed(frozen, self.settings)
            check_limits(spec.load_profile, self.settings)
            return self._new_run(session, spec, frozen, schedule_id=None)

    def _create_firing(
        self, schedule_id: int, fire_time: datetime
    ) -> tuple[RunJob, str | None] | None:
        try:
            with self._sessions.begin() as session:
                schedule = session.get(ScheduleRow, schedule_id)
                if schedule is None or not schedule.enabled:
                    return None
                spec = session.get(SpecRow, schedule.spec_id)
                assert spec is not None  # schedules are deleted with their spec
                frozen = frozen_spec(spec)
                refusal = None
                try:
                    check_run_allowed(frozen, self.settings)
                    check_limits(spec.load_profile, self.settings)
                except (Forbidden, Unprocessable) as exc:
                    refusal = str(exc)
                job = self._new_run(session, spec, frozen, schedule_id=schedule_id)
                session.add(
                    ScheduleFiringRow(
                        schedule_id=schedule_id, fire_time=fire_time, run_id=job.run_id
                    )
                )
                schedule.last_fire_at = fire_time
                schedule.last_run_id = job.run_id
                schedule.next_fire_at = next_fire_time(schedule.cron, schedule.timezone, fire_time)
                session.flush()
                return job, refusal
        except IntegrityError:
            return None

    def _new_run(
        self,
        session: Session,
        spec: SpecRow,
        frozen: Mapping[str, object],
        schedule_id: int | None,
    ) -> RunJob:
        row = RunRow(
            spec_id=spec.id,
            spec=dict(frozen),
            status=RunState.QUEUED.value,
            schedule_id=schedule_id,
            created_at=utc_now(),
            elapsed_seconds=0.0,
            duration_seconds=planned_duration(spec.load_profile),
            thresholds=[],
            owner_id=self._instance.id,
        )
        session.add(row)
        session.flush()
        body_file: Path | None = None
        filename = content_type = None
        attachment_id = (spec.request or {}).get("attachment_id")
        if isinstance(attachment_id, int):
            attachment = session.get(AttachmentRow, attachment_id)
            if attachment is None:
                raise LoadForgeError(f"Attachment {attachment_id} of the spec is gone.")
            body_file = self._attachments.path_of(attachment.sha256).resolve()
            filename, content_type = attachment.filename, attachment.content_type
        return RunJob(
            run_id=row.id,
            spec=frozen,
            results_root=self.settings.results_root.resolve(),
            body_file=body_file,
            body_filename=filename,
            body_content_type=content_type,
            allow_targets=_allow_targets(self.settings),
            cluster=self.settings.cluster,
        )


def _allow_targets(settings: ServerSettings) -> tuple[str, ...] | None:
    policy = target_policy(settings)
    return None if policy is None else policy.texts


def planned_duration(profile: object) -> float:
    """How long a run of this profile is planned to last, so progress shows from the start.

    The profile was validated when the spec was saved; 0 (unknown) if it no longer reads.
    """
    try:
        return run_settings(profile).duration
    except ConfigError:
        return 0.0
