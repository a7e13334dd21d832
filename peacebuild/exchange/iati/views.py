"""The IATI pages: export the office's programmes and results, upload a file for a dry
run, read the report, commit exactly the file the dry run checked, download."""

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from peacebuild.accounts.permissions import (
    MemberRequest,
    may,
    office_view,
    require,
    user_of,
)

from .. import jobs
from ..models import Job
from .permissions import EXPORT, IMPORT, KINDS, get_iati_job_for_user

SEVERITIES = {"critical": gettext_lazy("critical"), "error": gettext_lazy("error"),
              "warning": gettext_lazy("warning")}
UPLOAD_LIMIT = 500_000_000  # bytes through the page; the command takes up to 2 GB


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("IATI activity file (XML)"))


def _recent(request: MemberRequest) -> list[Job]:
    kinds = list(KINDS) if may(request, IMPORT) else [Job.Kind.IATI_EXPORT]
    return list(Job.objects.filter(office=request.office, kind__in=kinds)
                .defer("output", "report").select_related("requested_by")[:10])


def grouped(validation: dict[str, Any]) -> list[dict[str, Any]]:
    """The report's problems by rule: a rule broken by 500 activities is one line."""
    rules: dict[tuple[str, str, str], dict[str, Any]] = {}
    for p in validation.get("problems", []):
        row = rules.setdefault((p["id"], p["severity"], p["message"]), {
            "id": p["id"], "severity": p["severity"], "message": p["message"],
            "label": SEVERITIES.get(p["severity"], p["severity"]),
            "count": 0, "where": []})
        row["count"] += 1
        if len(row["where"]) < 5:
            row["where"].append(p.get("activity") or (f"line {p['line']}" if p.get("line")
                                                      else ""))
    order = {"critical": 0, "error": 1, "warning": 2}
    return sorted(rules.values(), key=lambda r: (order.get(r["severity"], 3), r["id"]))


@office_view(EXPORT)
def iati_home(request: MemberRequest) -> HttpResponse:
    return render(request, "exchange/iati.html", {
        "form": UploadForm(), "jobs": _recent(request), "may_import": may(request, IMPORT),
        "office": request.office})


@require_POST
@office_view(EXPORT)
def iati_export(request: MemberRequest) -> HttpResponseBase:
    job = Job.objects.create(office=request.office, kind=Job.Kind.IATI_EXPORT,
                             requested_by=user_of(request.user))
    jobs.enqueue(job)
    return redirect("iati:job", job.pk)


@require_POST
@office_view(IMPORT)
def iati_upload(request: MemberRequest) -> HttpResponseBase:
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "exchange/iati.html", {
            "form": form, "jobs": _recent(request), "may_import": True,
            "office": request.office}, status=400)
    upload = form.cleaned_data["file"]
    job = Job(office=request.office, kind=Job.Kind.IATI_IMPORT, dry_run=True,
              requested_by=user_of(request.user))
    try:
        jobs.store_input(job, upload.name, upload.chunks(), limit=UPLOAD_LIMIT)
    except jobs.JobFailed as failure:
        form.add_error("file", str(failure))
        return render(request, "exchange/iati.html", {
            "form": form, "jobs": _recent(request), "may_import": True,
            "office": request.office}, status=400)
    job.save()
    jobs.enqueue(job)
    return redirect("iati:job", job.pk)


@office_view(EXPORT)
def iati_job(request: MemberRequest, pk: int) -> HttpResponse:
    jobs.fail_stale()
    job = get_iati_job_for_user(request, pk)
    template = "exchange/_iati_job.html" if request.headers.get("HX-Request") else \
        "exchange/iati_job.html"
    committed = (Job.objects.filter(applies=job).exclude(state=Job.State.FAILED)
                 .values_list("pk", flat=True).first() if job.dry_run else None)
    validation = job.report.get("validation", {})
    return render(request, template, {
        "job": job, "validation": validation, "problems": grouped(validation),
        "plan": job.report.get("plan", {}),
        "committed": committed,
        "may_commit": (job.kind == Job.Kind.IATI_IMPORT and job.dry_run
                       and job.state == Job.State.DONE and committed is None
                       and any(job.report.get("plan", {}).get("counts", {}).get(k)
                               for k in ("created", "updated"))),
    })


@require_POST
@office_view(EXPORT)  # the job first (another office's is a 404), then the capability
def iati_commit(request: MemberRequest, pk: int) -> HttpResponseBase:
    dry = get_iati_job_for_user(request, pk)
    require(request, IMPORT)
    if dry.kind != Job.Kind.IATI_IMPORT or not dry.dry_run or dry.state != Job.State.DONE:
        messages.error(request, _("Only a completed dry run can be imported."))
        return redirect("iati:job", dry.pk)
    if Job.objects.filter(applies=dry).exclude(state=Job.State.FAILED).exists():
        messages.error(request, _("This file is already being imported or was imported."))
        return redirect("iati:job", dry.pk)
    job = Job.objects.create(office=request.office, kind=Job.Kind.IATI_IMPORT, dry_run=False,
                             applies=dry, input_name=dry.input_name,
                             input_path=dry.input_path, checksum=dry.checksum,
                             requested_by=user_of(request.user))
    jobs.enqueue(job)
    return redirect("iati:job", job.pk)


@office_view(EXPORT)
def iati_download(request: MemberRequest, pk: int) -> HttpResponse:
    job = get_iati_job_for_user(request, pk)
    output = Job.objects.filter(pk=job.pk).values_list("output", flat=True).first()
    if job.kind != Job.Kind.IATI_EXPORT or job.state != Job.State.DONE or output is None:
        raise Http404(_("This file is not ready."))
    kind = "application/zip" if job.output_name.endswith(".zip") else \
        "application/xml; charset=utf-8"
    response = HttpResponse(bytes(output), content_type=kind)
    response["Content-Disposition"] = f'attachment; filename="{job.output_name}"'
    return response
