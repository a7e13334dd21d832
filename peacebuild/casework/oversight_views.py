"""The oversight pages: case teams and break-glass for heads of office, the trail of every
access to case data, and each case's history of changes for those who may open it.

Access: the teams and trail pages need their capability in the current office (403 names
the role). The history and break-glass pages answer 404 to anyone who may not reach the
case, whether it exists or not, and record the attempt as denied.
"""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from peacebuild.accounts.audit import client_address
from peacebuild.accounts.permissions import MemberRequest, allows, office_view, reauth_redirect
from peacebuild.accounts.roles import Can

from . import queries, services
from .models import CaseTeam, CaseTeamMember, Event, TrailEntry
from .oversight_forms import (
    BreakGlassForm,
    MemberAddForm,
    MemberWriteForm,
    TeamForm,
    TrailFilterForm,
)
from .permissions import get_event_for_user

PER_PAGE = 50

# Case teams


@office_view(Can.MANAGE_CASE_TEAMS)
@never_cache
def teams(request: MemberRequest) -> HttpResponse:
    """The office's case teams and their members; a new team (POST)."""
    form = TeamForm(request.POST if request.method == "POST" else None, office=request.office)
    if form.is_valid():
        team = CaseTeam(office=request.office, name=form.cleaned_data["name"])
        if _saved(form, lambda: services.team_save(actor=request.user, team=team)):
            messages.success(request, _("The case team %(name)s was created.")
                             % {"name": team.name})
            return redirect("casework:teams")
    return _teams_page(request, team_form=form, status=400 if form.errors else 200)


@office_view(Can.MANAGE_CASE_TEAMS)
@require_POST
def team_member_add(request: MemberRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(CaseTeam, pk=pk, office=request.office)
    form = MemberAddForm(request.POST, office=request.office, offered=_offered(request, team),
                         prefix=f"t{team.pk}")
    if form.is_valid():
        member = CaseTeamMember(team=team, user=form.cleaned_data["user"],
                                can_write=form.cleaned_data["can_write"])
        if _saved(form, lambda: services.team_member_save(actor=request.user, member=member)):
            messages.success(request, _("%(name)s joined the team %(team)s.")
                             % {"name": _person(member.user), "team": team.name})
            return redirect("casework:teams")
    return _teams_page(request, add_forms={team.pk: form}, status=400)


@office_view(Can.MANAGE_CASE_TEAMS)
@require_POST
def team_member_write(request: MemberRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    form = MemberWriteForm(request.POST)
    form.is_valid()  # a checkbox: absent means no
    member.can_write = bool(form.cleaned_data.get("can_write"))
    _act(request, lambda: services.team_member_save(actor=request.user, member=member),
         _("%(name)s may now change the cases of %(team)s.") if member.can_write else
         _("%(name)s may now only read the cases of %(team)s."), member)
    return redirect("casework:teams")


@office_view(Can.MANAGE_CASE_TEAMS)
@require_POST
def team_member_remove(request: MemberRequest, pk: int) -> HttpResponse:
    member = _member(request, pk)
    _act(request, lambda: services.team_member_delete(actor=request.user, member=member),
         _("%(name)s left the team %(team)s."), member)
    return redirect("casework:teams")


def _member(request: MemberRequest, pk: int) -> CaseTeamMember:
    return get_object_or_404(CaseTeamMember.objects.select_related("team", "user"), pk=pk,
                             team__office=request.office)


def _offered(request: MemberRequest, team: CaseTeam) -> list[Any]:
    taken = {m.user_id for m in team.members.all()}
    return [u for u in queries.case_officers(request.office) if u.pk not in taken]


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.get_username())


def _saved(form: Any, save: Any) -> bool:
    """Call the service; its refusal becomes the form's error and nothing is saved."""
    try:
        save()
    except ValidationError as error:
        for message in error.messages:
            form.add_error(None, message)
        return False
    except PermissionDenied as error:
        form.add_error(None, str(error))
        return False
    return True


def _act(request: MemberRequest, save: Any, done: str, member: CaseTeamMember) -> None:
    try:
        save()
    except (ValidationError, PermissionDenied) as error:
        for message in getattr(error, "messages", [str(error)]):
            messages.error(request, message)
        return
    messages.success(request, done % {"name": _person(member.user), "team": member.team.name})


def _teams_page(request: MemberRequest, *, team_form: TeamForm | None = None,
                add_forms: dict[int, MemberAddForm] | None = None,
                status: int = 200) -> HttpResponse:
    office = request.office
    officers = queries.case_officers(office)
    rows = []
    for team in queries.office_teams(office):
        taken = {m.user_id for m in team.members.all()}
        offered = [u for u in officers if u.pk not in taken]
        form = (add_forms or {}).get(team.pk) or MemberAddForm(office=office, offered=offered,
                                                               prefix=f"t{team.pk}")
        rows.append({"team": team, "form": form, "offered": offered})
    return render(request, "casework/oversight/teams.html", {
        "rows": rows, "team_form": team_form or TeamForm(office=office),
        "grants": queries.running_break_glass(office), "officers": officers,
        "crumbs": [(_("Case teams"), "")],
    }, status=status)


# Break-glass


@office_view()
@never_cache
def break_glass(request: MemberRequest, pk: int) -> HttpResponseBase:
    """A head of office opens one case outside their teams, for a while, for a stated
    reason, after signing in again. Without the capability this is a 404, as for a case
    that does not exist."""
    event = None
    if allows(request.membership, Can.BREAK_GLASS):
        event = Event.objects.filter(office=request.office, pk=pk).select_related("team").first()
    if event is None:
        _denied(request, f"event:{pk}/break-glass")
        raise Http404
    again = reauth_redirect(request)
    if again is not None:
        return again
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        minutes = form.cleaned_data["minutes"]
        if _saved(form, lambda: services.break_glass_open(
                actor=request.user, event=event, reason=form.cleaned_data["reason"],
                minutes=minutes)):
            messages.success(request, _("You may read case %(case)s for %(minutes)d minutes. "
                                        "Its team has been told.")
                             % {"case": event.pk, "minutes": minutes})
            return redirect("casework:detail", pk=event.pk)
    running = queries.running_break_glass(request.office).filter(
        event=event, user_id=cast(int, request.user.pk)).last()
    return render(request, "casework/oversight/break_glass.html", {
        "event": event, "form": form, "running": running,
        "crumbs": [(_("Break-glass access"), "")],
    }, status=400 if form.errors else 200)


# The trail


@office_view(Can.VIEW_AUDIT)
@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def trail(request: MemberRequest) -> HttpResponse:
    """The office's trail, newest first, with the chain's verification on top: of the
    entries since the last checkpoint (a new one every few hundred entries), or, posted
    (*Verify the whole trail*), of the whole chain. Reading it is recorded."""
    return _trail_page(request, _trail_check(request, full=request.method == "POST"))


def _trail_check(request: MemberRequest, *, full: bool) -> queries.TrailCheck:
    form = TrailFilterForm(request.GET or None)
    filters = _trail_filters(form)
    services.record(actor=request.user, office=request.office, action=TrailEntry.Action.READ,
                    target="trail", address=client_address(request),
                    detail={"what": "trail", **({"verified": "whole"} if full else {}),
                            **({k: str(v) for k, v in filters.items() if v})})
    check = queries.verify_trail(from_checkpoint=not full)
    if full or check.walked >= queries.CHECKPOINT_EVERY:
        services.trail_checkpoint(check)
    return check


def _trail_filters(form: TrailFilterForm) -> dict[str, Any]:
    if not form.is_valid():
        return {}
    data = form.cleaned_data
    return {"action": data["action"], "username": data["user"].strip(),
            "since": data["since"], "until": data["until"]}


def _trail_page(request: MemberRequest, check: queries.TrailCheck) -> HttpResponse:
    office = request.office
    form = TrailFilterForm(request.GET or None)
    filters = _trail_filters(form)
    page = Paginator(queries.office_trail(office, **filters), PER_PAGE).get_page(
        request.GET.get("page"))
    rows = [{"e": e, "detail": _detail(e.detail)} for e in page]
    return render(request, "casework/oversight/trail.html", {
        "form": form, "page": page, "rows": rows, "check": check,
        "filtered": any(filters.values()),
        "grants": queries.running_break_glass(office),
        "crumbs": [(_("Case trail"), "")],
    })


def _detail(detail: Any) -> list[str]:
    """An entry's detail as "key: value" lines (it names records and fields only)."""
    if not isinstance(detail, dict):
        return [str(detail)]
    return [f"{key}: {', '.join(map(str, value)) if isinstance(value, list) else value}"
            for key, value in detail.items()]


# The history of a case


@office_view()
@never_cache
def history(request: MemberRequest, pk: int) -> HttpResponse:
    """Every change to the case's records: who, when, which fields, before and after.
    For those who may open the case (its team; a head of office during break-glass)."""
    try:
        event = get_event_for_user(request.user, request.office, pk)
    except Http404:
        _denied(request, f"event:{pk}/history")
        raise
    services.record_read(actor=request.user, event=event, address=client_address(request),
                         what="history")
    page = Paginator(queries.case_revisions(event), PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "casework/oversight/history.html", {
        "event": event, "page": page, "entries": queries.history_entries(list(page)),
        "crumbs": [(_("Case %(case)s") % {"case": event.pk}, ""), (_("History"), "")],
    })


def _denied(request: MemberRequest, target: str) -> None:
    services.record_denied(actor=request.user, office=request.office, target=target,
                           address=client_address(request))
