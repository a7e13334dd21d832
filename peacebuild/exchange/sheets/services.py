"""Starting the spreadsheet jobs: an upload's dry run, the commit of a dry run, an export.
Each checks its actor, saves the job and hands it to the background worker."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import get_language

from peacebuild.accounts.audit import record
from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import (
    Actor,
    RoleRequired,
    SystemActor,
    allows,
    check_actor,
    user_of,
)
from peacebuild.accounts.queries import membership_for
from peacebuild.accounts.roles import Can
from peacebuild.exchange import jobs
from peacebuild.exchange.models import Job
from peacebuild.mandates.models import Office

from .reading import MAX_BYTES


def check_importer(actor: Actor, office: Office) -> None:
    """Importing needs the right to record activities (for some programme: each row's
    programme is checked by the importer, and again by the activity service)."""
    if isinstance(actor, SystemActor):
        return
    check_actor(actor, office, Can.VIEW_RECORDS)  # refuses a missing actor
    if not allows(membership_for(actor, office), Can.EDIT_ACTIVITIES):
        raise RoleRequired(Can.EDIT_ACTIVITIES)


def _audit(actor: Actor, job: Job) -> None:
    """Who started which import or export, of which file, is on the audit trail."""
    record(actor=actor, action=AuditEntry.Action.CREATE, instance=job, office=job.office,
           after={"kind": job.kind, "dry_run": job.dry_run, "file": job.input_name,
                  "checksum": job.checksum, "applies": job.applies_id})


def _language() -> str:
    return get_language() or "en"


@transaction.atomic
def import_start(*, actor: Actor, office: Office, name: str, chunks: Iterable[bytes]) -> Job:
    """Store an uploaded sheet and queue its dry run. Raises JobFailed when too large."""
    check_importer(actor, office)
    job = Job(office=office, kind=Job.Kind.SHEET_IMPORT, dry_run=True,
              requested_by=user_of(actor), report={"language": _language()})
    jobs.store_input(job, name, chunks, limit=MAX_BYTES)
    job.save()
    _audit(actor, job)
    jobs.enqueue(job)
    return job


@transaction.atomic
def import_commit(*, actor: Actor, dry: Job) -> Job:
    """Queue the import of exactly the file the dry run checked (its stored copy and its
    checksum, re-checked by the runner)."""
    check_importer(actor, dry.office)
    job = Job.objects.create(
        office=dry.office, kind=Job.Kind.SHEET_IMPORT, dry_run=False, applies=dry,
        requested_by=user_of(actor), input_name=dry.input_name, input_path=dry.input_path,
        checksum=dry.checksum, total=dry.report.get("activities", 0),
        report={"language": _language()})
    _audit(actor, job)
    jobs.enqueue(job)
    return job


@transaction.atomic
def export_start(*, actor: Actor, office: Office, kind: str) -> Job:
    check_actor(actor, office, Can.VIEW_RECORDS)
    if kind not in (Job.Kind.SHEET_EXPORT, Job.Kind.HXL_EXPORT):
        raise ValueError(kind)
    job = Job.objects.create(office=office, kind=kind, requested_by=user_of(actor),
                             report={"language": _language()})
    _audit(actor, job)
    jobs.enqueue(job)
    return job
