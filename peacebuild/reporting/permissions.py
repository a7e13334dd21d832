"""Who may see and change reports, their sections and their renderings: one access function
per object type, on the generic helper of `accounts.permissions`, and the actions the report
page offers, from the same rule.

Reading needs `view_records`; drafting and editing sections `draft_reports`; approving,
returning to draft and issuing `approve` (see `workflow.TRANSITIONS`). A section is reached
through its report: it is found only under the report named in the address.
"""

from typing import Any

from django.http import Http404, HttpRequest

from peacebuild.accounts.permissions import AnyUser, get_for_user, may
from peacebuild.accounts.roles import Can

from .models import RenderJob, Report, Section
from .workflow import allowed_actions


def get_report_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                        write: Can | None = None) -> Report:
    return get_for_user(Report.objects.select_related("office"), request_or_user, pk,
                        write=write)


def get_section_for_user(request_or_user: HttpRequest | AnyUser, report_pk: Any, pk: Any, *,
                         write: bool = False) -> Section:
    try:
        sections = Section.objects.filter(report_id=report_pk)
    except (TypeError, ValueError) as exc:
        raise Http404 from exc
    return get_for_user(sections.select_related("report__office", "programme"),
                        request_or_user, pk, office_path="report__office",
                        write=Can.DRAFT_REPORTS if write else None)


def get_job_for_user(request_or_user: HttpRequest | AnyUser, pk: Any) -> RenderJob:
    return get_for_user(RenderJob.objects.select_related("report"), request_or_user, pk)


def report_actions(request: HttpRequest, report: Report) -> set[str]:
    """What the user may do to this report now: "edit" and the workflow's steps."""
    return allowed_actions(report.status, lambda capability: may(request, capability))
