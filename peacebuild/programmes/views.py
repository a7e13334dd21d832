"""Results pages: parse the request, call a query or a service, render."""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.db.models import Model
from django.http import HttpResponse, HttpResponseBadRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peacebuild.accounts.permissions import MemberRequest, office_view
from peacebuild.accounts.roles import Can
from peacebuild.activities.queries import ActivityFilter
from peacebuild.figures import engine as figures
from peacebuild.figures.disclosure import THRESHOLD
from peacebuild.places.maps import ATTRIBUTION
from peacebuild.ui.downloads import csv_download, xlsx_download
from peacebuild.ui.formpages import FormMaker, form_page

from . import charts, queries, rights, services
from .forms import (
    ActualForm,
    AssessmentForm,
    BenchmarkForm,
    IndicatorForm,
    OutcomeForm,
    OutputForm,
    TargetForm,
)
from .models import Actual, Assessment, Benchmark, Indicator, Outcome, Output, Programme, Target
from .permissions import (
    get_actual_for_user,
    get_benchmark_for_user,
    get_indicator_for_user,
    get_outcome_for_user,
    get_output_for_user,
    get_programme_for_user,
    get_target_for_user,
)

# ---------------------------------------------------------------------------------------
# Dashboards


def _dashboard(request: MemberRequest, programme: Programme | None) -> HttpResponse:
    office = request.office
    dflt, problems = queries.parse_dashboard_filter(office, request.GET, programme)
    flt = dflt.activity_filter
    map_measure = request.GET.get("map", "activities")
    if map_measure not in charts.MAP_MEASURES:
        map_measure = "activities"
    values = queries.indicator_values(office, dflt.period, dflt.programme)
    for iv in values:
        iv.progress_svg = charts.progress_svg(iv)
    quarters = charts.quarter_rows(office, flt)
    regions = charts.region_table(office, flt)
    by_sex = charts.attendance_rows(office, flt, "sex")
    by_category = charts.attendance_rows(office, flt, "category")
    centres_day = min(dflt.period.last, office.closed_on or dflt.period.last)
    context = {
        "dflt": dflt,
        "problems": problems,
        "programme": programme,
        "programmes": Programme.objects.filter(office=office),
        "period_options": queries.period_options(office),
        "headline": [figures.activity_count(office, flt), figures.participants(office, flt),
                     figures.centres_open(office, centres_day)],
        "centres_day": centres_day,
        "indicators": values,
        "trend_activities": charts.trend_svg(office, flt, "activities", quarters),
        "trend_participants": charts.trend_svg(office, flt, "participants", quarters),
        "quarter_activities": [(q, a) for q, a, _p in quarters],
        "quarter_participants": [(q, p) for q, _a, p in quarters],
        "by_sex": charts.attendance_svg(office, flt, "sex", by_sex),
        "by_category": charts.attendance_svg(office, flt, "category", by_category),
        # The pictures' numbers as tables, for screen readers and for print.
        "sex_rows": [(figures.dim_label("sex", f.breakdown["sex"]), f) for f in by_sex],
        "category_rows": [(figures.dim_label("category", f.breakdown["category"]), f)
                          for f in by_category],
        "map": charts.map_svg(office, flt, map_measure, regions),
        "map_measure": map_measure,
        "regions": regions,
        "attribution": ATTRIBUTION,
        "benchmarks": queries.benchmarks(office, dflt.programme),
        # Coordination belongs to the office, not to one programme.
        "coordination": figures.coordination_table(office, flt) if programme is None else [],
        "download_query": urlencode(dflt.as_query()),
        "crumbs": [(_("Results"), reverse("programmes:dashboard") if programme else None)]
        + ([(programme.localized_name, None)] if programme else []),
    }
    template = ("programmes/_dashboard_body.html" if getattr(request, "htmx", False)
                and request.headers.get("HX-Target") == "dashboard-body"
                else "programmes/dashboard.html")
    return render(request, template, context)


@office_view()
def dashboard(request: MemberRequest) -> HttpResponse:
    return _dashboard(request, None)


@office_view()
def programme_dashboard(request: MemberRequest, pk: int) -> HttpResponse:
    return _dashboard(request, get_programme_for_user(request, pk))


@office_view()
def download(request: MemberRequest) -> HttpResponseBase:
    """A figure table of the dashboard as CSV or XLSX: ?table=quarters&format=xlsx&…"""
    office = request.office
    dflt, problems = queries.parse_dashboard_filter(office, request.GET)
    if problems:  # never export more than was asked for
        return HttpResponseBadRequest("\n".join(problems), content_type="text/plain")
    name, fmt = request.GET.get("table", ""), request.GET.get("format", "csv")
    values = queries.indicator_values(office, dflt.period, dflt.programme) \
        if name == "indicators" else None
    table = charts.tables(office, dflt.activity_filter, values).get(name)
    if table is None or fmt not in ("csv", "xlsx"):
        return HttpResponseBadRequest(_("Choose a table and a format (csv or xlsx)."),
                                      content_type="text/plain")
    filename = f"{office.code}-{table.name}-{dflt.period.key or dflt.period.kind}.{fmt}"
    rows: list[list[object]] = [list(table.headers), *table.rows]
    if fmt == "csv":
        return csv_download(rows, filename)
    return xlsx_download(rows, filename, title=table.title)


@office_view()
def human_rights(request: MemberRequest) -> HttpResponse:
    """Aggregates of the casework for a period: counts only, disclosure-controlled, for
    everyone who sees the office's records; never a case, never a link to one."""
    office = request.office
    dflt, problems = queries.parse_dashboard_filter(office, request.GET)
    flt = ActivityFilter(date_from=dflt.period.first, date_to=dflt.period.last)
    tables = rights.page_tables(office, flt)
    return render(request, "programmes/human_rights.html", {
        "dflt": dflt, "problems": problems, "period_options": queries.period_options(office),
        "tables": tables,
        "headline": [(tables[k].grand, label) for k, label in (
            ("events", _("events")), ("acts", _("violations recorded")),
            ("victims", _("victims")), ("interventions", _("interventions with the authorities")))],
        "successful": rights.successful(tables["interventions"])[0],
        "events_chart": rights.chart(tables["events"], horizontal=True),
        "acts_chart": rights.chart(tables["acts"], horizontal=True),
        "interventions_chart": rights.chart(tables["interventions"], horizontal=True),
        "threshold": THRESHOLD, "small": rights.small_label(),
        "crumbs": [(_("Results"), reverse("programmes:dashboard")), (_("Human rights"), None)],
    })


# ---------------------------------------------------------------------------------------
# The results framework


@office_view()
def framework(request: MemberRequest) -> HttpResponse:
    office = request.office
    return render(request, "programmes/framework.html", {
        "programmes": queries.framework(office),
        "benchmarks": queries.benchmarks(office),
        "crumbs": [(_("Results"), reverse("programmes:dashboard")),
                   (_("Results framework"), None)],
    })


@office_view()
def indicator_detail(request: MemberRequest, pk: int) -> HttpResponse:
    office = request.office
    indicator = get_indicator_for_user(request, pk)
    return render(request, "programmes/indicator.html", {
        "indicator": indicator,
        "programme": indicator.output.outcome.programme,
        "history": queries.indicator_history(office, indicator),
        "targets": indicator.targets.all(),
        "actuals": indicator.actuals.select_related("evidence_document"),
        "crumbs": [(_("Results"), reverse("programmes:dashboard")),
                   (_("Results framework"), reverse("programmes:framework")),
                   (str(indicator), None)],
    })


def _form_page(request: MemberRequest, make_form: FormMaker, instance: Model, *, heading: str,
               back: str, save: Callable[[Any, str | None], Any], done: str | None = None
               ) -> HttpResponse:
    """A results-framework form page; `save(instance, version)` calls the service."""
    return form_page(
        request, make_form=make_form, instance=instance,
        save=lambda form, version: save(form.instance, version),
        done=done or back, success=_("Saved."),
        context={"heading": heading, "cancel_url": back, "crumbs": [
            (_("Results"), reverse("programmes:dashboard")),
            (_("Results framework"), reverse("programmes:framework")), (heading, None)]},
    )


FRAMEWORK = "programmes:framework"


@office_view()
def outcome_create(request: MemberRequest, pk: int) -> HttpResponse:
    programme = get_programme_for_user(request, pk, write=True)
    return _form_page(
        request, lambda data, files, i: OutcomeForm(data, instance=i),
        Outcome(programme=programme),
        heading=_("New outcome of %(programme)s") % {"programme": programme.localized_name},
        back=reverse(FRAMEWORK),
        save=lambda o, v: services.outcome_save(actor=request.user, outcome=o, version=v))


@office_view()
def outcome_edit(request: MemberRequest, pk: int) -> HttpResponse:
    outcome = get_outcome_for_user(request, pk, write=True)
    return _form_page(
        request, lambda data, files, i: OutcomeForm(data, instance=i), outcome,
        heading=_("Edit outcome"), back=reverse(FRAMEWORK),
        save=lambda o, v: services.outcome_save(actor=request.user, outcome=o, version=v))


@office_view()
def output_create(request: MemberRequest, pk: int) -> HttpResponse:
    outcome = get_outcome_for_user(request, pk, write=True)
    return _form_page(
        request, lambda data, files, i: OutputForm(data, instance=i), Output(outcome=outcome),
        heading=_("New output of outcome %(code)s") % {"code": outcome.code},
        back=reverse(FRAMEWORK),
        save=lambda o, v: services.output_save(actor=request.user, output=o, version=v))


@office_view()
def output_edit(request: MemberRequest, pk: int) -> HttpResponse:
    output = get_output_for_user(request, pk, write=True)
    return _form_page(
        request, lambda data, files, i: OutputForm(data, instance=i), output,
        heading=_("Edit output"), back=reverse(FRAMEWORK),
        save=lambda o, v: services.output_save(actor=request.user, output=o, version=v))


@office_view()
def indicator_create(request: MemberRequest, pk: int) -> HttpResponse:
    output = get_output_for_user(request, pk, write=True)
    return _form_page(
        request, lambda data, files, i: IndicatorForm(data, instance=i),
        Indicator(output=output),
        heading=_("New indicator of output %(code)s") % {"code": output.code},
        back=reverse(FRAMEWORK),
        save=lambda i, v: services.indicator_save(actor=request.user, indicator=i, version=v))


@office_view()
def indicator_edit(request: MemberRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request, pk, write=True)
    return _form_page(
        request, lambda data, files, i: IndicatorForm(data, instance=i), indicator,
        heading=_("Edit indicator"), back=reverse("programmes:indicator", args=[indicator.pk]),
        save=lambda i, v: services.indicator_save(actor=request.user, indicator=i, version=v))


@office_view()
def target_create(request: MemberRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request, pk, write=True)
    return _form_page(
        request, lambda data, files, i: TargetForm(data, instance=i),
        Target(indicator=indicator),
        heading=_("New target for %(indicator)s") % {"indicator": indicator},
        back=reverse("programmes:indicator", args=[indicator.pk]),
        save=lambda t, v: services.target_save(actor=request.user, target=t, version=v))


@office_view()
def actual_create(request: MemberRequest, pk: int) -> HttpResponse:
    indicator = get_indicator_for_user(request, pk, write=True)
    back = reverse("programmes:indicator", args=[indicator.pk])
    if indicator.is_computed:
        messages.info(request, _("This indicator is computed from the records by its rule; "
                                 "there is nothing to enter."))
        return redirect(back)
    office = request.office
    return _form_page(
        request, lambda data, files, i: ActualForm(data, instance=i, office=office),
        Actual(indicator=indicator),
        heading=_("Enter an actual for %(indicator)s") % {"indicator": indicator}, back=back,
        save=lambda a, v: services.actual_save(actor=request.user, actual=a, version=v))


@office_view()
@require_POST
def target_delete(request: MemberRequest, pk: int) -> HttpResponse:
    target = get_target_for_user(request, pk)
    services.period_value_delete(actor=request.user, instance=target)
    messages.success(request, _("Target removed."))
    return redirect("programmes:indicator", pk=target.indicator_id)


@office_view()
@require_POST
def actual_delete(request: MemberRequest, pk: int) -> HttpResponse:
    actual = get_actual_for_user(request, pk)
    services.period_value_delete(actor=request.user, instance=actual)
    messages.success(request, _("Actual removed."))
    return redirect("programmes:indicator", pk=actual.indicator_id)


@office_view(Can.EDIT_RESULTS)
def benchmark_create(request: MemberRequest) -> HttpResponse:
    office = request.office
    return _form_page(
        request, lambda data, files, i: BenchmarkForm(data, instance=i, office=office),
        Benchmark(office=office), heading=_("New benchmark"), back=reverse(FRAMEWORK),
        save=lambda b, v: services.benchmark_save(actor=request.user, benchmark=b, version=v))


@office_view()
def benchmark_edit(request: MemberRequest, pk: int) -> HttpResponse:
    benchmark = get_benchmark_for_user(request, pk, write=Can.EDIT_RESULTS)
    office = request.office
    return _form_page(
        request, lambda data, files, i: BenchmarkForm(data, instance=i, office=office),
        benchmark, heading=_("Edit benchmark"), back=reverse(FRAMEWORK),
        save=lambda b, v: services.benchmark_save(actor=request.user, benchmark=b, version=v))


@office_view()
def assessment_create(request: MemberRequest, pk: int) -> HttpResponse:
    benchmark = get_benchmark_for_user(request, pk, write=Can.APPROVE)
    office = request.office
    return _form_page(
        request, lambda data, files, i: AssessmentForm(data, instance=i, office=office),
        Assessment(benchmark=benchmark),
        heading=_("Assess: %(benchmark)s") % {"benchmark": benchmark.localized_title},
        back=reverse(FRAMEWORK),
        save=lambda a, v: services.assessment_add(actor=request.user, assessment=a))
