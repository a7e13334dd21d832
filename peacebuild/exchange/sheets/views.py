"""The spreadsheet pages: the import (template, upload, dry run report, commit, progress)
and the exports (XLSX, HXL), each a background job whose page polls its progress."""

from __future__ import annotations

import io

from django import forms
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from peacebuild.accounts.permissions import MemberRequest, RoleRequired, may, office_view
from peacebuild.accounts.roles import Can
from peacebuild.exchange import jobs
from peacebuild.exchange.models import Job
from peacebuild.ui.downloads import XLSX

from . import services
from .columns import Vocabulary
from .reading import MAX_BYTES
from .template import csv_template, xlsx_template

IMPORT_KINDS = (Job.Kind.SHEET_IMPORT,)
EXPORT_KINDS = (Job.Kind.SHEET_EXPORT, Job.Kind.HXL_EXPORT)
PROBLEMS_PER_PAGE = 50


class UploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (XLSX or CSV)"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))


def _crumbs(*more: tuple[str, str]) -> list[tuple[str, str]]:
    return [(_("Activities"), reverse("activities:list")), *more]


def get_job_for_user(request: MemberRequest, pk: int) -> Job:
    """A spreadsheet job of the current office, seen only by whoever asked for it (an
    upload may hold anything); 404 otherwise."""
    job = (Job.objects.filter(office=request.office, requested_by=request.user.pk,
                              kind__in=IMPORT_KINDS + EXPORT_KINDS)
           .defer("output").select_related("applies").filter(pk=pk).first())
    if job is None:
        raise Http404
    if job.kind in IMPORT_KINDS and not may(request, Can.EDIT_ACTIVITIES):
        raise RoleRequired(Can.EDIT_ACTIVITIES)
    return job


@office_view(Can.EDIT_ACTIVITIES)
def import_page(request: MemberRequest) -> HttpResponse:
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            job = services.import_start(actor=request.user, office=request.office,
                                        name=upload.name, chunks=upload.chunks())
        except jobs.JobFailed as failure:
            form.add_error("file", str(failure))
        else:
            return redirect("sheets:job", job.pk)
    recent = Job.objects.filter(office=request.office, requested_by=request.user.pk,
                                kind__in=IMPORT_KINDS).defer("output")[:10]
    return render(request, "sheets/import.html", {
        "form": form, "recent": recent, "limit": MAX_BYTES // 1_000_000,
        "crumbs": _crumbs((_("Import from a spreadsheet"), ""))},
        status=400 if form.errors else 200)


@office_view(Can.EDIT_ACTIVITIES)
def template_xlsx(request: MemberRequest) -> FileResponse:
    data = xlsx_template(Vocabulary.of(request.office, request.user))
    return FileResponse(io.BytesIO(data), as_attachment=True, content_type=XLSX,
                        filename=f"{request.office.code}-activities-template.xlsx")


@office_view(Can.EDIT_ACTIVITIES)
def template_csv(request: MemberRequest) -> HttpResponse:
    response = HttpResponse("".join(csv_template(Vocabulary.of(request.office, request.user))),
                            content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{request.office.code}-activities-template.csv"')
    return response


@office_view()
def job_page(request: MemberRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request, pk)
    problems = Paginator(job.report.get("problems", []), PROBLEMS_PER_PAGE).get_page(
        request.GET.get("page"))
    applied = Job.objects.filter(applies=job).exclude(state=Job.State.FAILED).first()
    context = {"job": job, "problems": problems, "page": problems, "applied": applied,
               "importing": job.kind in IMPORT_KINDS,
               "may_commit": job.dry_run and job.state == Job.State.DONE and applied is None
               and not job.report.get("problem_count")}
    if getattr(request, "htmx", False):
        return render(request, "sheets/_job.html", context)
    heading = _("Import from a spreadsheet") if job.kind in IMPORT_KINDS else _("Export")
    url = reverse("sheets:import") if job.kind in IMPORT_KINDS else reverse("sheets:exports")
    return render(request, "sheets/job.html", context | {
        "crumbs": _crumbs((heading, url), (job.input_name or job.get_kind_display(), ""))})


@require_POST
@office_view()  # the job first: someone else's is a 404, whatever the role
def commit(request: MemberRequest, pk: int) -> HttpResponse:
    dry = get_job_for_user(request, pk)
    if not dry.dry_run or dry.state != Job.State.DONE or dry.report.get("problem_count"):
        raise Http404
    job = services.import_commit(actor=request.user, dry=dry)
    return redirect("sheets:job", job.pk)


@require_POST
@office_view()
def export_start(request: MemberRequest) -> HttpResponse:
    kind = {"xlsx": Job.Kind.SHEET_EXPORT, "hxl": Job.Kind.HXL_EXPORT}.get(
        request.POST.get("format", ""))
    if kind is None:
        return HttpResponse(_("Choose XLSX or HXL."), status=400)
    job = services.export_start(actor=request.user, office=request.office, kind=kind)
    return redirect("sheets:job", job.pk)


@office_view()
def exports(request: MemberRequest) -> HttpResponse:
    recent = Job.objects.filter(office=request.office, requested_by=request.user.pk,
                                kind__in=EXPORT_KINDS).defer("output")[:10]
    return render(request, "sheets/exports.html", {
        "recent": recent, "crumbs": _crumbs((_("Export"), ""))})


@office_view()
def download(request: MemberRequest, pk: int) -> FileResponse:
    job = get_job_for_user(request, pk)
    stored = Job.objects.filter(pk=job.pk).values_list("output", flat=True).first()
    if job.state != Job.State.DONE or not stored or job.kind not in EXPORT_KINDS:
        raise Http404(_("This file is not ready."))
    types: dict[str, str] = {Job.Kind.SHEET_EXPORT: XLSX,
                             Job.Kind.HXL_EXPORT: "text/csv; charset=utf-8"}
    return FileResponse(io.BytesIO(bytes(stored)), as_attachment=True,
                        content_type=types[job.kind], filename=job.output_name)


