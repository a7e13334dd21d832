"""Pages for activities and centres: parse the request, call a query or a service, render."""

import copy
import datetime as dt
from collections.abc import Iterator
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import (
    HttpResponse,
    HttpResponseBadRequest,
    QueryDict,
)
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peacebuild.accounts.permissions import MemberRequest, office_view
from peacebuild.accounts.roles import Can
from peacebuild.figures import engine as figures
from peacebuild.lib.bidi import isolate
from peacebuild.lib.ids import parse_id
from peacebuild.ui.downloads import csv_download
from peacebuild.ui.formpages import form_page

from . import services
from .forms import ActivityFilterForm, ActivityForm, CentreForm
from .models import Activity, Attendance, Centre, ParticipantCategory, Sex
from .permissions import (
    get_activity_for_user,
    get_centre_for_user,
    may_edit_activity,
    may_edit_centres,
    may_record_activities,
)
from .queries import ActivityFilter, activities_page, filter_activities, shared_text_lookups

PAGE_SIZE = 50


def _check_known(office: Any, flt: ActivityFilter) -> None:
    """Refuse filters that name nothing in the office (a programme of another office, a type
    that does not exist) or contradict each other, keyed by the filter, as the figures
    engine would refuse them."""
    errors: dict[str, list[str]] = {}
    for name in ("programme", "type", "category"):
        if value := getattr(flt, name):
            try:
                figures.validate(office, figures.FigureQuery(
                    "activities", ActivityFilter(**{name: value})))
            except figures.FigureError as error:
                errors[name] = error.messages
    if not errors:
        try:
            figures.validate(office, figures.FigureQuery("activities", flt))
        except figures.FigureError as error:
            errors["category"] = error.messages
    if errors:
        raise ValidationError(errors)


def _parse_filter(query: QueryDict, form: ActivityFilterForm, office: Any
                  ) -> tuple[ActivityFilter, list]:
    """The filter from the query string. A bad value does not break the page: it is left
    out and reported as (label, message), so people see what was and was not applied."""
    query = query.copy()
    problems: list[tuple[str, str]] = []
    for _attempt in range(3):
        try:
            flt = ActivityFilter.from_query(query)
            _check_known(office, flt)
            return flt, problems
        except ValidationError as error:
            for name, messages_ in error.message_dict.items():
                label = form.fields[name].label if name in form.fields else name
                problems += [(str(label), m) for m in messages_]
                query.pop(name, None)
    return ActivityFilter(), problems


@office_view()
def activity_list(request: MemberRequest) -> HttpResponse:
    with shared_text_lookups():  # the page only reads: its text is looked up once
        return _activity_list(request)


def _activity_list(request: MemberRequest) -> HttpResponse:
    office = request.office
    filter_form = ActivityFilterForm(request.GET or None, office=office)
    flt, problems = _parse_filter(request.GET, filter_form, office)
    activities = filter_activities(office, flt, for_page=True)
    after = request.GET.get("after") or None
    try:
        rows, next_cursor = activities_page(activities, after=after, size=PAGE_SIZE)
    except ValidationError as error:
        problems += [(_("Page"), m) for m in error.messages]
        after = None
        rows, next_cursor = activities_page(activities, after=None, size=PAGE_SIZE)
    return render(request, "activities/activity_list.html", {
        "filter_form": filter_form,
        "filters": flt,
        "problems": problems,
        "rows": rows,
        "after": after,
        "next_cursor": next_cursor,
        "count": figures.activity_count(office, flt),
        "participants": figures.participants(office, flt),
        # With a sex or participant-category filter: how many such people took part.
        "attendees": figures.compute(office, figures.FigureQuery("attendance", flt)).total
        if flt.sex or flt.participant_category else None,
        "can_record": may_record_activities(request),
        "crumbs": [(_("Activities"), None)],
    })


# CSV exports

def _export_filter(request: MemberRequest) -> ActivityFilter | HttpResponse:
    try:
        flt = ActivityFilter.from_query(request.GET)
        _check_known(request.office, flt)
        return flt
    except ValidationError as error:
        # An export is not a page to correct filters on: refuse rather than export more
        # than was asked for.
        return HttpResponseBadRequest(
            "\n".join(error.messages), content_type="text/plain; charset=utf-8"
        )


def _filename(request: MemberRequest, what: str) -> str:
    office = request.office
    return f"{office.code}-{what}-{office.today().isoformat()}.csv"


# Column names are stable keys for the people and programs that read the files, so they
# are not translated.
ACTIVITY_COLUMNS = ["id", "starts_on", "ends_on", "title", "type", "category", "programme",
                    "region", "place", "centre", "participants_total", "source"]
ATTENDANCE_COLUMNS = ["activity_id", "starts_on", "ends_on", "programme", "type", "region",
                      "category", "sex", "age_group", "count"]


@office_view()
def activity_export(request: MemberRequest) -> HttpResponseBase:
    flt = _export_filter(request)
    if isinstance(flt, HttpResponse):
        return flt
    activities = (
        filter_activities(request.office, flt)
        .select_related("type", "programme", "region", "place", "centre", "source_document")
        .order_by("-starts_on", "-id")
    )

    def rows() -> Iterator[list[Any]]:
        yield ACTIVITY_COLUMNS
        for a in activities.iterator(chunk_size=2000):
            yield [a.pk, a.starts_on.isoformat(), a.ends_on.isoformat(), a.title, a.type.code,
                   a.type.category, a.programme.code, a.region.code if a.region else "",
                   a.place.code if a.place else "", a.centre.localized_name if a.centre else "",
                   a.participants_total if a.participants_total is not None else "",
                   a.source_kind]

    return csv_download(rows(), _filename(request, "activities"), stream=True)


@office_view()
def attendance_export(request: MemberRequest) -> HttpResponseBase:
    flt = _export_filter(request)
    if isinstance(flt, HttpResponse):
        return flt
    cells = (
        Attendance.objects.filter(
            activity__in=filter_activities(request.office, flt)
        )
        .select_related("activity__programme", "activity__type", "activity__region")
        .order_by("-activity__starts_on", "-activity_id", "category", "sex", "age_group")
    )

    def rows() -> Iterator[list[Any]]:
        yield ATTENDANCE_COLUMNS
        for c in cells.iterator(chunk_size=2000):
            a = c.activity
            yield [a.pk, a.starts_on.isoformat(), a.ends_on.isoformat(), a.programme.code,
                   a.type.code, a.region.code if a.region else "", c.category, c.sex,
                   c.age_group, c.count]

    return csv_download(rows(), _filename(request, "attendance"), stream=True)


# One activity


@office_view()
def activity_detail(request: MemberRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk)
    table = figures.attendance_table(activity)
    sexes = [(s.value, s.label) for s in Sex]
    rows = [
        (category.label, [table.cells.get((category.value, s)) for s, _label in sexes],
         table.by_category[category.value])
        for category in ParticipantCategory if category.value in table.by_category
    ]
    return render(request, "activities/activity_detail.html", {
        "activity": activity,
        "partners": activity.partners.all(),
        "attendance": table,
        "attendance_rows": rows,
        "sexes": sexes,
        "sex_totals": [table.by_sex.get(s) for s, _label in sexes],
        "can_edit": may_edit_activity(request, activity),
        "crumbs": [(_("Activities"), reverse("activities:list")), (activity.title, None)],
    })


def _activity_page(request: MemberRequest, activity: Activity | None) -> HttpResponse:
    crumbs: list[tuple[str, str | None]] = [(_("Activities"), reverse("activities:list"))]
    if activity is None:
        crumbs.append((_("Record an activity"), None))
    else:
        crumbs += [(activity.title, reverse("activities:detail", args=[activity.pk])),
                   (_("Edit"), None)]

    # "Record an activity it led to" on a meeting's page comes with ?meeting=<pk>.
    meeting = parse_id(request.GET.get("meeting")) if activity is None else None

    def make_form(data: Any, files: Any, instance: Activity | None) -> ActivityForm:
        # The form writes the typed values onto its instance while it validates; the
        # service reads the record as stored itself, so the form gets a copy.
        return ActivityForm(data, instance=copy.copy(instance), request=request,
                            initial={"meeting": meeting} if meeting else None)

    def save(form: ActivityForm, version: str | None) -> Activity:
        if activity is None:
            return services.activity_create(
                actor=request.user, office=request.office,
                attendance=form.attendance(), partners=form.cleaned_data["partners"],
                **form.activity_fields(),
            )
        return services.activity_update(
            actor=request.user, activity=activity, attendance=form.attendance(),
            partners=form.cleaned_data["partners"], version=version,
            **form.activity_fields(),
        )

    def success(form: ActivityForm) -> str:
        title = isolate(form.cleaned_data["title"])
        if activity is None:
            return _("The activity “%(title)s” was recorded.") % {"title": title}
        return _("The changes to “%(title)s” were saved.") % {"title": title}

    return form_page(
        request, make_form=make_form, instance=activity, save=save,
        done=lambda saved: reverse("activities:detail", args=[saved.pk]),
        success=success, template="activities/activity_form.html",
        context={"activity": activity, "crumbs": crumbs},
        state=services.activity_snapshot,
    )


@office_view(Can.EDIT_ACTIVITIES)
def activity_create(request: MemberRequest) -> HttpResponse:
    return _activity_page(request, None)


@office_view()
def activity_edit(request: MemberRequest, pk: int) -> HttpResponse:
    return _activity_page(request, get_activity_for_user(request, pk, write=True))


@office_view()
@require_http_methods(["GET", "POST"])
def activity_delete(request: MemberRequest, pk: int) -> HttpResponse:
    activity = get_activity_for_user(request, pk, write=True)
    if request.method == "POST":
        title = activity.title
        services.activity_delete(actor=request.user, activity=activity)
        messages.success(request, _("The activity “%(title)s” was deleted.") % {
            "title": isolate(title)})
        return redirect("activities:list")
    return render(request, "activities/activity_confirm_delete.html", {
        "activity": activity,
        "crumbs": [(_("Activities"), reverse("activities:list")),
                   (activity.title, reverse("activities:detail", args=[activity.pk])),
                   (_("Delete"), None)],
    })


# Centres


@office_view()
def centre_list(request: MemberRequest) -> HttpResponse:
    office = request.office
    today = office.today()
    centres = Centre.objects.filter(office=office).select_related("place", "partner")
    return render(request, "activities/centre_list.html", {
        "centres": [(c, _is_open(c, today)) for c in centres],
        "open_now": figures.centres_open(office, today),
        "today": today,
        "can_edit": may_edit_centres(request),
        "crumbs": [(_("Centres"), None)],
    })


def _is_open(centre: Centre, day: dt.date) -> bool:
    return centre.opened_on <= day and (centre.closed_on is None or centre.closed_on > day)


def _centre_form_page(request: MemberRequest, centre: Centre) -> HttpResponse:
    office = request.office
    crumbs = [(_("Centres"), reverse("activities:centres")),
              (_("Edit") if centre.pk else _("Add a centre"), None)]
    return form_page(
        request, instance=centre,
        make_form=lambda data, files, instance: CentreForm(data, instance=instance,
                                                           office=office),
        save=lambda form, version: services.centre_save(
            actor=request.user, centre=form.instance, version=version),
        done=reverse("activities:centres"),
        success=lambda form: _("The centre “%(name)s” was saved.") % {
            "name": isolate(form.instance.name)},
        template="activities/centre_form.html", context={"centre": centre, "crumbs": crumbs},
    )


@office_view(Can.EDIT_REFERENCE)
def centre_create(request: MemberRequest) -> HttpResponse:
    return _centre_form_page(request, Centre(office=request.office))


@office_view()
def centre_edit(request: MemberRequest, pk: int) -> HttpResponse:
    return _centre_form_page(request, get_centre_for_user(request, pk, write=True))
