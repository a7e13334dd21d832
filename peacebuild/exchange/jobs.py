"""Running an exchange `Job`: progress that the page and the command line can show, and a
failure that is recorded with its reason rather than left "running" for ever.

Each kind of job has one runner, named here by dotted path (so this module imports none of
them): `run(job, actor, progress) -> None`. A runner

- reports progress with `progress(done, total=None, message=None)` (saved at most twice a
  second, each save also the job's heartbeat);
- raises `JobFailed("what went wrong, in words a user can act on")` to fail cleanly;
- leaves what it found and did in `job.report` (a JSON dict), and a file in `job.output`
  with `job.output_name`; `run_job` saves them.

A runner does its writes in its own `transaction.atomic()` block, all or nothing. Progress
saved inside that block becomes visible to other connections only when it commits, so long
runners report the reading/checking phase outside it.

A job whose worker died is taken up again by another worker (peacebuild/deploy/
recovery.py calls `retry_lost`): it goes back to "queued" and runs again from its stored
input, its `attempts` counting the starts. Each start's writes are fenced with its attempt
number (`still_mine`), so an attempt that was given up for lost cannot commit over the
next. A job whose heartbeat is older than `STALE_AFTER` while "running" with no worker
left to take it up is marked failed by `fail_stale()` (run before every job and by the job
page).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import time
import uuid
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django_tasks import task

from peacebuild.accounts.permissions import SYSTEM, Actor

from .models import Job

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(minutes=5)
SAVE_EVERY = 0.5  # seconds between two progress saves

RUNNERS: dict[str, str] = {
    Job.Kind.IATI_IMPORT: "peacebuild.exchange.iati.importing.run",
    Job.Kind.IATI_EXPORT: "peacebuild.exchange.iati.exporting.run",
    Job.Kind.SHEET_IMPORT: "peacebuild.exchange.sheets.importing.run",
    Job.Kind.SHEET_EXPORT: "peacebuild.exchange.sheets.exporting.run",
    Job.Kind.HXL_EXPORT: "peacebuild.exchange.sheets.hxl.run",
}


class JobFailed(Exception):
    """A job cannot go on; the message is shown to the user as the reason."""


class Listener(Protocol):
    def __call__(self, job: Job) -> None: ...


class Progress:
    """Callable handed to a runner: `progress(done, total=None, message=None)`."""

    def __init__(self, job: Job, listener: Listener | None = None) -> None:
        self.job, self.listener, self._saved = job, listener, 0.0

    def __call__(self, done: int, total: int | None = None, message: str | None = None,
                 *, force: bool = False) -> None:
        job = self.job
        job.done = max(0, done)
        if total is not None:
            job.total = max(0, total)
        if message is not None:
            job.message = message[:300]
        now = time.monotonic()
        if force or now - self._saved >= SAVE_EVERY:
            self._saved = now
            job.heartbeat_at = timezone.now()
            Job.objects.filter(pk=job.pk).update(
                done=job.done, total=job.total, message=job.message,
                heartbeat_at=job.heartbeat_at)
        if self.listener is not None:
            self.listener(job)


Runner = Callable[[Job, Actor, Progress], None]


def actor_of(job: Job) -> Actor:
    """The user who asked for the job; SYSTEM for the command line (no user given)."""
    return job.requested_by if job.requested_by is not None else SYSTEM


def run_job(job_id: int, listener: Listener | None = None) -> Job:
    """Run a queued job to its end (done or failed) and return it. A job that is not queued
    (already run, or running elsewhere) is returned as it is: running twice is harmless."""
    fail_stale()
    with transaction.atomic():
        # of=("self",): PostgreSQL cannot lock the nullable side of the requester's join.
        job = (Job.objects.select_for_update(of=("self",))
               .select_related("office", "requested_by").get(pk=job_id))
        if job.state != Job.State.QUEUED:
            return job
        job.state, job.started_at = Job.State.RUNNING, timezone.now()
        job.heartbeat_at, job.attempts = job.started_at, job.attempts + 1
        job.save(update_fields=["state", "started_at", "heartbeat_at", "attempts"])
    progress = Progress(job, listener)
    try:
        runner: Runner = import_string(RUNNERS[job.kind])
        runner(job, actor_of(job), progress)
    except JobFailed as failure:
        _finish(job, Job.State.FAILED, reason=str(failure))
    except Exception as error:  # recorded, never left running; the log has the traceback
        log.exception("exchange job %s failed", job.pk)
        _finish(job, Job.State.FAILED, reason=_("The job stopped on an unexpected error "
                                                "(%(error)s).") % {"error": type(error).__name__})
    else:
        _finish(job, Job.State.DONE)
    discard_input(job)
    if listener is not None:
        listener(job)
    return job


def _finish(job: Job, state: str, *, reason: str = "") -> None:
    job.state, job.reason, job.finished_at = state, reason, timezone.now()
    job.heartbeat_at = job.finished_at
    if state == Job.State.DONE:
        job.message = job.message or _("Done.")
        if job.total:
            job.done = job.total
    fields = ["state", "reason", "finished_at", "heartbeat_at", "message", "done", "total",
              "report", "output", "output_name"]
    # Only this attempt's: one given up for lost leaves the job to the next.
    Job.objects.filter(pk=job.pk, attempts=job.attempts).update(
        **{name: getattr(job, name) for name in fields})


def still_mine(job: Job) -> None:
    """Inside a runner's transaction, before it commits: lock the job and make sure this
    attempt still owns it (it was not given up for lost and started again elsewhere); if
    not, JobFailed rolls the attempt's writes back."""
    current = Job.objects.select_for_update().only("state", "attempts").get(pk=job.pk)
    if current.state != Job.State.RUNNING or current.attempts != job.attempts:
        raise JobFailed(_("This attempt was taken over by another worker."))


def retry_lost(job_id: int, *, give_up: bool = False) -> bool:
    """The worker running this job died (peacebuild/deploy/recovery.py, inside its
    transaction): put the job back in the queue, or fail it when `give_up` (too many
    attempts). Returns whether its task should run again."""
    job = Job.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.state not in (Job.State.QUEUED, Job.State.RUNNING):
        return False  # gone, or it ended before its worker did
    if give_up:
        job.state, job.finished_at = Job.State.FAILED, timezone.now()
        job.reason = _("The workers running this job stopped %(n)s times; nothing of it was "
                       "saved. Start it again, or ask the administrator to look at the "
                       "workers' logs.") % {"n": job.attempts}
        job.save(update_fields=["state", "finished_at", "reason"])
        discard_input(job)
        return False
    job.state, job.heartbeat_at = Job.State.QUEUED, timezone.now()
    job.message = _("Its worker stopped; started again (attempt %(n)s).") % {
        "n": job.attempts + 1}
    job.save(update_fields=["state", "heartbeat_at", "message"])
    return True


@task()
def run_job_task(job_id: int) -> str:
    return run_job(job_id).state


def enqueue(job: Job) -> None:
    """Hand a saved, queued job to the background worker once the transaction commits."""
    transaction.on_commit(lambda: run_job_task.enqueue(job.pk))


def fail_stale(now: dt.datetime | None = None) -> int:
    """Mark failed the running jobs whose worker stopped giving signs of life."""
    now = now or timezone.now()
    return Job.objects.filter(state=Job.State.RUNNING, heartbeat_at__lt=now - STALE_AFTER).update(
        state=Job.State.FAILED, finished_at=now,
        reason=_("The worker running this job stopped (no sign of life for five minutes). "
                 "Nothing of it was saved; start it again."))


def inbox() -> Path:
    """Where uploaded files wait for their job: under the data directory, never the web
    root, readable by the server's user only."""
    path = Path(settings.DATA_DIR) / "exchange"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def store_input(job: Job, name: str, chunks: Iterable[bytes], *, limit: int) -> None:
    """Copy an uploaded file into the inbox for `job` (not yet saved or saved), recording its
    name, path and SHA-256; refuse it with JobFailed past `limit` bytes (nothing kept)."""
    digest, size = hashlib.sha256(), 0
    target = inbox() / f"{uuid.uuid4().hex}.upload"
    try:
        with open(target, "xb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > limit:
                    raise JobFailed(_("The file is larger than %(limit)s MB; split it.")
                                    % {"limit": limit // 1_000_000})
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    job.input_name, job.input_path, job.checksum = name[:255], str(target), digest.hexdigest()


def _in_inbox(path: Path) -> bool:
    return path.resolve().parent == inbox().resolve()


def input_needed(path: str) -> bool:
    """Whether a job may still read the stored file at `path`: one that is queued or
    running, or a finished dry run that a commit may still apply (no commit of it has
    succeeded or is under way; a failed commit may be tried again). A commit applies the
    very file its dry run stored, so the file stays until then."""
    for job in Job.objects.filter(input_path=path):
        if job.state in (Job.State.QUEUED, Job.State.RUNNING):
            return True
        if job.dry_run and job.state == Job.State.DONE and not (
                Job.objects.filter(applies=job).exclude(state=Job.State.FAILED).exists()):
            return True
    return False


def discard_input(job: Job) -> bool:
    """Remove the job's stored upload once no job needs it (run at the end of every job).
    Only files in the inbox are removed. Returns whether one was."""
    if not job.input_path or input_needed(job.input_path):
        return False
    path = Path(job.input_path)
    if not _in_inbox(path) or not path.is_file():
        return False
    try:
        path.unlink(missing_ok=True)
    except OSError:  # the job has ended either way; the purge will try again
        log.warning("could not remove the upload of exchange job %s", job.pk, exc_info=True)
        return False
    return True


def purge_inputs(older_than: dt.timedelta, now: dt.datetime | None = None) -> int:
    """Remove the uploads left in the inbox for longer than `older_than` that no queued or
    running job reads: dry runs never committed, files of jobs that were never saved or
    whose worker died. Their jobs keep their reports; a commit of a purged dry run says the
    file is no longer there. Returns how many files were removed."""
    cutoff = (now or timezone.now()).timestamp() - older_than.total_seconds()
    busy = set(Job.objects.filter(state__in=(Job.State.QUEUED, Job.State.RUNNING))
               .values_list("input_path", flat=True))
    removed = 0
    for path in inbox().glob("*.upload"):
        try:
            if path.stat().st_mtime < cutoff and str(path) not in busy:
                path.unlink()
                removed += 1
        except FileNotFoundError:  # removed meanwhile by its job's end
            continue
    return removed
