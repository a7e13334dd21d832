"""Who may use the IATI pages.

- Export: `Can.VIEW_RECORDS`. The file says what the office's pages already show everyone
  who may read its records (programmes, results, partners, places, documents); it is a
  reading, and publishing it to the Registry is a step outside Peacebuild.
- Import: `Can.EDIT_RESULTS`. It creates and replaces programmes and their results
  frameworks — the monitoring officer's work; the services it calls check the same.
"""

from typing import Any

from django.http import HttpRequest

from peacebuild.accounts.permissions import AnyUser, get_for_user
from peacebuild.accounts.roles import Can

from ..models import Job

EXPORT = Can.VIEW_RECORDS
IMPORT = Can.EDIT_RESULTS
KINDS = (Job.Kind.IATI_EXPORT, Job.Kind.IATI_IMPORT)


def capability_for(job: Job) -> Can:
    return IMPORT if job.kind == Job.Kind.IATI_IMPORT else EXPORT


def get_iati_job_for_user(request_or_user: HttpRequest | AnyUser, pk: Any) -> Job:
    """An IATI job of the user's office: 404 for another office's; an import's report and
    file only for those who may import (403 otherwise)."""
    job = get_for_user(Job.objects.filter(kind__in=KINDS).defer("output"), request_or_user,
                       pk)
    if job.kind == Job.Kind.IATI_IMPORT:
        job = get_for_user(Job.objects.filter(kind__in=KINDS).defer("output"),
                           request_or_user, pk, write=IMPORT)
    return job
