"""Report pages: list, new draft, the draft with its preview, the section editor with a
live preview (htmx), approval and issue, and rendering as a background job."""

from django.contrib import messages
from django.core.exceptions import BadRequest, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peacebuild.accounts.permissions import MemberRequest, office_view
from peacebuild.accounts.roles import Can
from peacebuild.activities.queries import ActivityFilter
from peacebuild.lib.unformat import LANGUAGE_NAMES, LANGUAGES
from peacebuild.ui.formpages import form_page

from . import services, tasks
from .catalogue import NO_DEFINITIONS, Cache
from .content import build_content, period_of
from .forms import IssueForm, RenderForm, ReportDetailsForm, ReportForm, SectionForm
from .models import RenderJob, Report, Section
from .permissions import (
    get_job_for_user,
    get_report_for_user,
    get_section_for_user,
    report_actions,
)
from .queries import catalogue_for, reports_of
from .render import content_for


def _language(request: MemberRequest, report: Report) -> str:
    """The language version asked for (?lang=), else the report's own. An unknown code is
    refused: falling back would show, or save over, another language's text."""
    lang = request.GET.get("lang") or request.POST.get("lang") or report.language
    if lang not in LANGUAGES:
        raise UnknownLanguage(lang)
    return lang


class UnknownLanguage(BadRequest):
    pass


def _unknown_language(error: UnknownLanguage) -> HttpResponse:
    return HttpResponseBadRequest(
        _("Reports have no language version “%(code)s”; choose one of: %(list)s.")
        % {"code": error.args[0], "list": ", ".join(LANGUAGES)},
        content_type="text/plain; charset=utf-8")


def _crumbs(report: Report | None = None, *more: tuple[str, str]) -> list[tuple[str, str]]:
    crumbs = [(_("Reports"), reverse("reporting:list"))]
    if report is not None:
        crumbs.append((str(report), reverse("reporting:detail", args=[report.pk])))
    return [*crumbs, *more]


@office_view()
def report_list(request: MemberRequest) -> HttpResponse:
    return render(request, "reporting/list.html", {
        "reports": reports_of(request.office), "crumbs": [(_("Reports"), "")]})


@office_view(Can.DRAFT_REPORTS)
def report_create(request: MemberRequest) -> HttpResponse:
    heading = _("New report")
    return form_page(
        request, instance=None, make_form=lambda data, files, instance: ReportForm(data),
        save=lambda form, version: services.report_create(
            actor=request.user, office=request.office, **form.cleaned_data),
        done=lambda report: reverse("reporting:detail", args=[report.pk]),
        success=_("The draft was made from the standard text and the records of the period."),
        context={"heading": heading, "cancel_url": reverse("reporting:list"),
                 "crumbs": _crumbs(None, (heading, ""))},
    )


@office_view(Can.DRAFT_REPORTS)
def report_edit(request: MemberRequest, pk: int) -> HttpResponse:
    """The date, signatory and original language of a draft."""
    report = get_report_for_user(request, pk, write=Can.DRAFT_REPORTS)
    heading = _("Date and signatory")
    return form_page(
        request, instance=report,
        # The form writes onto its instance while it validates: it gets its own copy.
        make_form=lambda data, files, instance: ReportDetailsForm(
            data, instance=Report.objects.get(pk=instance.pk)),
        save=lambda form, version: services.report_update(
            actor=request.user, report=report, version=version, **form.cleaned_data),
        done=reverse("reporting:detail", args=[report.pk]), success=_("The report was saved."),
        context={"heading": heading,
                 "cancel_url": reverse("reporting:detail", args=[report.pk]),
                 "crumbs": _crumbs(report, (heading, ""))},
    )


@office_view()
def report_detail(request: MemberRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    try:
        language = _language(request, report)
    except UnknownLanguage as error:
        return _unknown_language(error)
    cache = Cache(period_of(report))
    content = content_for(report, language, cache)
    errors = services.report_errors(report, cache) \
        if report.status != Report.Status.ISSUED else []
    sections = list(report.sections.all())
    stale = _stale(sections) if report.status != Report.Status.ISSUED else {}
    return render(request, "reporting/detail.html", {
        "report": report, "c": content, "language": language,
        "doc_languages": [(code, LANGUAGE_NAMES[code], code in stale) for code in LANGUAGES],
        "stale_here": stale.get(language, []),
        "sections": sections, "errors": errors,
        "actions": report_actions(request, report),
        "render_form": RenderForm(initial={"language": language, "format": "pdf"}),
        "jobs": report.jobs.defer("output")[:5], "links": True, "annex": True,
        "chart": _chart(report),
        "crumbs": _crumbs(None, (str(report), "")),
    })


def _stale(sections: list[Section]) -> dict[str, list[tuple[str, str]]]:
    """By language: the sections whose text may lag behind a later edit in another
    language, with that language's name."""
    out: dict[str, list[tuple[str, str]]] = {}
    for section in sections:
        for lang, source in section.stale_languages().items():
            out.setdefault(lang, []).append((section.key, LANGUAGE_NAMES[source]))
    return out


def _chart(report: Report) -> str:
    """The results dashboard's participants-by-quarter picture for the period, shown beside
    the preview (the PDF carries it in its annex of pictures)."""
    try:
        from peacebuild.programmes.charts import trend_svg
    except ImportError:  # the dashboards are optional for reports
        return ""
    flt = ActivityFilter(date_from=report.period_start, date_to=report.period_end)
    return trend_svg(report.office, flt, "participants")


def _section(request: MemberRequest, pk: int, section_pk: int) -> tuple[Report, Section]:
    section = get_section_for_user(request, pk, section_pk, write=True)
    return section.report, section


@office_view(Can.DRAFT_REPORTS)
def section_edit(request: MemberRequest, pk: int, section_pk: int) -> HttpResponse:
    report, section = _section(request, pk, section_pk)
    try:
        language = _language(request, report)
    except UnknownLanguage as error:
        return _unknown_language(error)
    cache = Cache(period_of(report))

    def context(form: SectionForm) -> dict:
        text = form.data.get("text") if form.is_bound else form.initial["text"]
        return {
            "report": report, "section": section, "language": language,
            "doc_languages": [(code, LANGUAGE_NAMES[code]) for code in LANGUAGES],
            "preview": _preview(report, section, language, text or "", cache),
            "catalogue": catalogue_for(report, language, cache),
            "no_definitions": NO_DEFINITIONS if cache.office_defines_none else "",
            "editable": report.status == Report.Status.DRAFT,
            "crumbs": _crumbs(report, (_("Edit section"), "")),
        }

    return form_page(
        request, instance=section,
        make_form=lambda data, files, instance: SectionForm(
            data, initial={"text": (instance.texts or {}).get(language, "")}),
        save=lambda form, version: services.section_update(
            actor=request.user, section=section, language=language,
            text=form.cleaned_data["text"], version=version),
        done=f"{reverse('reporting:detail', args=[report.pk])}?lang={language}",
        success=_("The section was saved."), template="reporting/section_edit.html",
        context=context, state=lambda s: services.section_state(s, language),
    )


def _preview(report: Report, section: Section, language: str, text: str,
             cache: Cache) -> dict:
    draft = Section(report=report, key=section.key, programme=section.programme,
                    texts={language: text})
    return build_content(report, [draft], language, cache)


@require_POST
@office_view(Can.DRAFT_REPORTS)
def section_preview(request: MemberRequest, pk: int, section_pk: int) -> HttpResponse:
    report, section = _section(request, pk, section_pk)
    try:
        language = _language(request, report)
    except UnknownLanguage as error:
        return _unknown_language(error)
    content = _preview(report, section, language, request.POST.get("text", ""),
                       Cache(period_of(report)))
    return render(request, "reporting/_preview.html", {"c": content, "links": True})


def _step(request: MemberRequest, pk: int, action: str) -> HttpResponse:
    report = get_report_for_user(request, pk, write=Can.APPROVE)
    try:
        getattr(services, f"report_{action}")(actor=request.user, report=report)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, {"approve": _("The report is approved."),
                                   "reopen": _("The report is a draft again.")}[action])
    return redirect("reporting:detail", report.pk)


@require_POST
@office_view(Can.APPROVE)
def report_approve(request: MemberRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "approve")


@require_POST
@office_view(Can.APPROVE)
def report_reopen(request: MemberRequest, pk: int) -> HttpResponse:
    return _step(request, pk, "reopen")


@office_view(Can.APPROVE)
def report_issue(request: MemberRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk, write=Can.APPROVE)
    heading = _("Issue the report")
    return form_page(
        request, instance=None, make_form=lambda data, files, instance: IssueForm(
            data, initial={"issued_on": report.office.today()}),
        save=lambda form, version: services.report_issue(
            actor=request.user, report=report, **form.cleaned_data),
        done=reverse("reporting:detail", args=[report.pk]),
        success=_("The report is issued; this version is frozen."),
        context={"heading": heading,
                 "cancel_url": reverse("reporting:detail", args=[report.pk]),
                 "crumbs": _crumbs(report, (heading, ""))},
    )


@require_POST
@office_view()
def render_start(request: MemberRequest, pk: int) -> HttpResponse:
    report = get_report_for_user(request, pk)
    form = RenderForm(request.POST)
    if not form.is_valid():
        return render(request, "reporting/_job.html", {"form_errors": form.errors}, status=400)
    job = services.job_create(actor=request.user, report=report, **form.cleaned_data)
    return render(request, "reporting/_job.html", {"job": RenderJob.objects.defer(
        "output").get(pk=job.pk)})


@office_view()
def job_status(request: MemberRequest, pk: int) -> HttpResponse:
    tasks.fail_stale()  # a rendering whose worker died shows as failed, not running for ever
    job = get_job_for_user(request, pk)
    return render(request, "reporting/_job.html", {"job": job})


@office_view()
def job_download(request: MemberRequest, pk: int) -> HttpResponse:
    job = get_job_for_user(request, pk)
    if job.state != RenderJob.State.DONE or job.output is None:
        raise Http404(_("This rendering is not ready."))
    types = {"pdf": "application/pdf", "html": "text/html; charset=utf-8",
             "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
    response = HttpResponse(bytes(job.output), content_type=types[job.format])
    response["Content-Disposition"] = f'attachment; filename="{job.filename}"'
    return response
