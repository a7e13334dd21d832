import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peacebuild.accounts.middleware import SESSION_KEY
from peacebuild.accounts.permissions import MemberRequest, OfficeRequest, office_view
from peacebuild.activities.queries import ActivityFilter, activities_page, filter_activities
from peacebuild.casework.permissions import case_officer
from peacebuild.casework.queries import follow_ups_for
from peacebuild.figures import engine as figures
from peacebuild.lib.ids import parse_id
from peacebuild.mandates.permissions import get_office_for_user
from peacebuild.mandates.queries import mandate_state
from peacebuild.mandates.timeline import timeline_svg
from peacebuild.partners.queries import actions_for_owner


def _as_of(request: MemberRequest, today: dt.date) -> tuple[dt.date, str]:
    """The day to view the office as of (?as_of=YYYY-MM-DD), and an error if it is bad."""
    raw = request.GET.get("as_of", "").strip()
    if not raw:
        return today, ""
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        return today, _("“%(value)s” is not a date (write YYYY-MM-DD); showing today.") % {
            "value": raw
        }
    return day, ""


@login_required
def home(request: OfficeRequest) -> HttpResponse:
    if request.office is None:
        return render(request, "ui/no_office.html")
    return overview(request)


@office_view()
def overview(request: MemberRequest) -> HttpResponse:
    office = request.office
    today = office.today()
    as_of, as_of_error = _as_of(request, today)
    state = mandate_state(office, as_of)
    up_to = ActivityFilter(date_to=as_of) if as_of < today else ActivityFilter()
    recent, _cursor = activities_page(filter_activities(office, up_to), after=None, size=5)
    context = {
        "office": office,
        "state": state,
        "as_of": as_of,
        "centres_day": min(as_of, office.closed_on or as_of),
        "as_of_error": as_of_error,
        "viewing_past": as_of != today,
        "timeline": timeline_svg(state),
        "figures": [
            figures.activity_count(office, up_to),
            figures.participants(office, up_to),
            # A closed office's centres are counted as they stood when it closed.
            figures.centres_open(office, min(as_of, office.closed_on or as_of)),
        ],
        "recent": recent,
        "heads": office.heads.all(),
        "my_actions": actions_for_owner(request.user, office, as_of),
        # A case officer's own open follow-ups (None for everyone else: no box at all).
        "case_follow_ups": list(follow_ups_for(request.user, office).filter(
            due_on__lte=as_of + dt.timedelta(days=7)))
        if case_officer(request.user, office) else None,
    }
    return render(request, "ui/overview.html", context)


@login_required
@require_POST
def switch_office(request: HttpRequest) -> HttpResponse:
    try:
        office = get_office_for_user(request, parse_id(request.POST.get("office")))
    except Http404:
        pass  # not one of theirs: stay in the current office
    else:
        request.session[SESSION_KEY] = office.pk
    target = request.POST.get("next") or reverse("ui:home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("ui:home")
    return HttpResponseRedirect(target)
