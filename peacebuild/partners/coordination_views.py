"""Coordination pages: groups, members, meetings, action points. Parse, call a query or a
service, render; access through `permissions.py`."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Model
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_date
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from peacebuild.accounts.models import User
from peacebuild.accounts.permissions import office_view
from peacebuild.accounts.roles import Can
from peacebuild.figures.engine import (
    COORDINATION_MEASURES,
    FigureQuery,
    compute,
    coordination_table,
)
from peacebuild.lib.bidi import isolate
from peacebuild.lib.formatting import format_day
from peacebuild.lib.ids import parse_id
from peacebuild.ui.formpages import form_page

from . import queries, services
from .forms import ActionCloseForm, ActionPointForm, GroupForm, GroupMemberForm, MeetingForm
from .models import ActionPoint, Group, GroupMeeting, GroupMember, Organisation
from .permissions import (
    get_action_for_user,
    get_group_for_user,
    get_meeting_for_user,
    get_member_for_user,
    may_coordinate,
)

GROUPS = "partners:groups"


def _crumbs(*tail: tuple[str, str | None]) -> list[tuple[str, str | None]]:
    return [(_("Partners"), reverse("partners:list")),
            (_("Coordination groups"), reverse(GROUPS)), *tail]


FormMaker = Callable[[Any, Any, Any], BaseForm]


def _form_page(request: HttpRequest, *, make_form: FormMaker, instance: Model,
               save: Callable[[Any, str | None], Any], done: Callable[[Any], str],
               heading: str, back: str, crumbs: list[tuple[str, str | None]],
               intro: str = "", template: str = "partners/coordination_form.html"
               ) -> HttpResponse:
    """The project's one form-page flow (`ui.formpages`): a service's refusal shown next to
    its fields, a stale edit refused with what differs, everything typed kept."""
    return form_page(request, make_form=make_form, instance=instance, save=save, done=done,
                     success=_("Saved."), template=template,
                     context={"heading": heading, "cancel_url": back, "intro": intro,
                              "crumbs": [*crumbs, (heading, None)]})


def _meeting_label(meeting: GroupMeeting) -> str:
    return format_day(meeting.held_on, get_language(), "medium")


def _date(raw: str) -> dt.date | None:
    try:
        return parse_date(raw.strip())
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------
# Groups


@office_view()
def group_list(request: HttpRequest) -> HttpResponse:
    office = request.office  # type: ignore[attr-defined]
    return render(request, "partners/group_list.html", {
        "groups": queries.groups_of(office),
        "table": coordination_table(office, today=office.today()),
        "crumbs": [(_("Partners"), reverse("partners:list")), (_("Coordination groups"), None)],
    })


@office_view()
def group_detail(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request, pk)
    office = request.office  # type: ignore[attr-defined]
    today = office.today()
    figures = {m: compute(office, FigureQuery(m, group=group.pk), today=today).total
               for m in COORDINATION_MEASURES}
    return render(request, "partners/group_detail.html", {
        "group": group,
        "members": queries.members_of(group),
        "meetings": queries.meetings_of(office, group=group.pk)[:12],
        "open_actions": queries.group_actions(group),
        "decisions": queries.group_decisions(group),
        "figures": figures,
        "today": today,
        "can_coordinate": may_coordinate(request),
        "crumbs": _crumbs((group.localized_name, None)),
    })


@office_view(Can.COORDINATE)
def group_create(request: HttpRequest) -> HttpResponse:
    office = request.office  # type: ignore[attr-defined]
    return _form_page(
        request, instance=Group(office=office),
        make_form=lambda data, files, group: GroupForm(data, instance=group, office=office),
        save=lambda form, version: services.group_save(actor=request.user,
                                                       group=form.instance, version=version),
        done=lambda g: reverse("partners:group", args=[g.pk]),
        heading=_("New coordination group"), back=reverse(GROUPS), crumbs=_crumbs())


@office_view(Can.COORDINATE)
def group_edit(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request, pk, write=True)
    back = reverse("partners:group", args=[group.pk])
    return _form_page(
        request, instance=group,
        make_form=lambda data, files, g: GroupForm(data, instance=g, office=group.office),
        save=lambda form, version: services.group_save(actor=request.user,
                                                       group=form.instance, version=version),
        done=lambda g: back, heading=_("Edit the group"), back=back,
        crumbs=_crumbs((group.localized_name, back)))


@office_view(Can.COORDINATE)
def member_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request, pk, write=True)
    back = reverse("partners:group", args=[group.pk])
    return _form_page(
        request, instance=GroupMember(group=group),
        make_form=lambda data, files, m: GroupMemberForm(data, instance=m, office=group.office),
        save=lambda form, version: services.group_member_save(
            actor=request.user, member=form.instance, version=version),
        done=lambda m: back, heading=_("Add a member"), back=back,
        crumbs=_crumbs((group.localized_name, back)))


@office_view(Can.COORDINATE)
def member_edit(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request, pk, write=True)
    group = member.group
    back = reverse("partners:group", args=[group.pk])
    return _form_page(
        request, instance=member,
        make_form=lambda data, files, m: GroupMemberForm(data, instance=m, office=group.office),
        save=lambda form, version: services.group_member_save(
            actor=request.user, member=form.instance, version=version),
        done=lambda m: back, heading=_("Edit the member"), back=back,
        crumbs=_crumbs((group.localized_name, back)))


@office_view(Can.COORDINATE)
@require_POST
def member_delete(request: HttpRequest, pk: int) -> HttpResponse:
    member = get_member_for_user(request, pk, write=True)
    group = member.group
    services.group_member_delete(actor=request.user, member=member)
    messages.success(request, _("%(name)s is no longer a member of the group.")
                     % {"name": isolate(member.organisation)})
    return redirect("partners:group", pk=group.pk)


# ---------------------------------------------------------------------------------------
# Meetings


@office_view()
def meeting_list(request: HttpRequest) -> HttpResponse:
    office = request.office  # type: ignore[attr-defined]
    group = parse_id(request.GET.get("group", ""))
    date_from, date_to = _date(request.GET.get("date_from", "")), \
        _date(request.GET.get("date_to", ""))
    meetings = queries.meetings_of(office, group=group, date_from=date_from, date_to=date_to)
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    return render(request, "partners/meeting_list.html", {
        "page": page, "groups": Group.objects.filter(office=office).order_by("name"),
        "group": group, "date_from": date_from, "date_to": date_to,
        "crumbs": _crumbs((_("Meetings"), None)),
    })


@office_view()
def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk)
    language, minutes = meeting.minutes_in(request.LANGUAGE_CODE)
    group = meeting.group
    back = reverse("partners:group", args=[group.pk])
    present = list(meeting.attended.order_by("name"))
    present_ids = {o.pk for o in present}
    return render(request, "partners/meeting_detail.html", {
        "meeting": meeting,
        "group": group,
        "present": present,
        "absent": [m.organisation for m in queries.members_of(group)
                   if m.organisation_id not in present_ids],
        "actions": queries.meeting_actions(meeting),
        "activities": meeting.activities.select_related("type").order_by("starts_on"),
        "minutes": minutes,
        "minutes_language": language,
        "translated": language != meeting.minutes_language,
        "other_versions": sorted(k for k in (meeting.minutes or {}) if k != language),
        "today": group.office.today(),
        "can_coordinate": may_coordinate(request),
        "user_id": request.user.pk,
        "crumbs": _crumbs((group.localized_name, back), (_meeting_label(meeting), None)),
    })


@office_view(Can.COORDINATE)
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    group = get_group_for_user(request, pk, write=True)
    meeting = GroupMeeting(group=group, minutes_language=request.LANGUAGE_CODE)
    return _meeting_form(request, meeting, _("Record a meeting of %(group)s")
                         % {"group": group.localized_name})


@office_view(Can.COORDINATE)
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk, write=True)
    return _meeting_form(request, meeting, _("Edit the meeting"))


def _meeting_form(request: HttpRequest, meeting: GroupMeeting, heading: str) -> HttpResponse:
    group = meeting.group
    back = (reverse("partners:meeting", args=[meeting.pk]) if meeting.pk
            else reverse("partners:group", args=[group.pk]))
    return _form_page(
        request, instance=meeting,
        make_form=lambda data, files, m: MeetingForm(data, instance=m, office=group.office),
        save=lambda form, version: services.meeting_save(
            actor=request.user, meeting=form.instance,
            attended=form.cleaned_data["attended"], version=version),
        done=lambda m: reverse("partners:meeting", args=[m.pk]),
        heading=heading, back=back, template="partners/meeting_form.html",
        crumbs=_crumbs((group.localized_name, reverse("partners:group", args=[group.pk]))))


# ---------------------------------------------------------------------------------------
# Action points


@office_view()
def action_list(request: HttpRequest) -> HttpResponse:
    office = request.office  # type: ignore[attr-defined]
    today = office.today()
    get = request.GET
    owner_raw = get.get("owner", "")
    status = get.get("status", "open")
    flt = queries.ActionFilter(
        group=parse_id(get.get("group", "")),
        owner=parse_id(owner_raw[4:]) if owner_raw.startswith("org-") else None,
        owner_user=(request.user.pk if owner_raw == "me"
                    else parse_id(owner_raw[5:]) if owner_raw.startswith("user-") else None),
        status=status if status in queries.STATUSES else "",
        due_from=_date(get.get("due_from", "")), due_to=_date(get.get("due_to", "")),
    )
    on = _date(get.get("on", "")) or today
    actions = queries.filter_actions(office, flt, on)
    page = Paginator(actions, 50).get_page(get.get("page"))
    return render(request, "partners/action_list.html", {
        "page": page, "flt": flt, "owner": owner_raw, "status": flt.status, "on": on,
        "today": today,
        "groups": Group.objects.filter(office=office).order_by("name"),
        "organisations": [(f"org-{o.pk}", str(o)) for o in
                          Organisation.objects.filter(office=office).order_by("name")],
        "colleagues": [(f"user-{u.pk}", u.get_full_name() or u.username) for u in
                       User.objects.filter(memberships__office=office).order_by(
                           "first_name", "username")],
        "statuses": [("open", _("Open")), ("overdue", _("Overdue")), ("done", _("Done")),
                     ("on_time", _("Done on time")), ("dropped", _("Dropped")),
                     ("", _("All"))],
        "crumbs": _crumbs((_("Action points"), None)),
    })


@office_view(Can.COORDINATE)
def action_create(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for_user(request, pk, write=True)
    back = reverse("partners:meeting", args=[meeting.pk])
    return _form_page(
        request, instance=ActionPoint(meeting=meeting),
        make_form=lambda data, files, a: ActionPointForm(data, instance=a,
                                                         office=meeting.group.office),
        save=lambda form, version: services.action_save(
            actor=request.user, action=form.instance, version=version),
        done=lambda a: back, heading=_("Add an action point"), back=back,
        crumbs=_crumbs((meeting.group.localized_name,
                        reverse("partners:group", args=[meeting.group_id])),
                       (_meeting_label(meeting), back)),
        intro=_("Agreed at the meeting of %(date)s.") % {"date": meeting.held_on})


@office_view(Can.COORDINATE)
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, write=True)
    meeting = action.meeting
    back = reverse("partners:meeting", args=[meeting.pk])
    return _form_page(
        request, instance=action,
        make_form=lambda data, files, a: ActionPointForm(data, instance=a,
                                                         office=meeting.group.office),
        save=lambda form, version: services.action_save(
            actor=request.user, action=form.instance, version=version),
        done=lambda a: back, heading=_("Edit the action point"), back=back,
        crumbs=_crumbs((meeting.group.localized_name,
                        reverse("partners:group", args=[meeting.group_id])),
                       (_meeting_label(meeting), back)))


@office_view()
def action_close(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, closing=True)
    meeting = action.meeting
    back = reverse("partners:meeting", args=[meeting.pk])
    if not action.is_open:
        messages.info(request, _("This action point is already closed."))
        return redirect(back)

    def make_form(data: Any, files: Any, instance: ActionPoint) -> ActionCloseForm:
        return ActionCloseForm(data, instance=instance, office=meeting.group.office,
                               initial={"closed_on": meeting.group.office.today()})

    def save(form: ActionCloseForm, version: str | None) -> ActionPoint:
        data = form.cleaned_data
        return services.action_close(
            actor=request.user, action=action, status=data["status"],
            closed_on=data["closed_on"], evidence=data["evidence"],
            evidence_document=data["evidence_document"], drop_reason=data["drop_reason"],
            version=version)

    return _form_page(
        request, instance=action, make_form=make_form, save=save,
        heading=_("Close the action point"), back=back,
        done=lambda a: (request.POST.get("next") or back) if _safe(request) else back,
        crumbs=_crumbs((meeting.group.localized_name, reverse("partners:group",
                                                    args=[meeting.group_id])),
                       (_meeting_label(meeting), back)),
        intro=action.text)


def _safe(request: HttpRequest) -> bool:
    nxt = request.POST.get("next", "")
    return nxt.startswith("/") and not nxt.startswith("//")


@office_view(Can.COORDINATE)
@require_POST
def action_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_action_for_user(request, pk, write=True)
    services.action_reopen(actor=request.user, action=action)
    messages.success(request, _("The action point is open again."))
    return redirect("partners:meeting", pk=action.meeting_id)

