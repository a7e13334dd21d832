"""Reads for coordination: groups, meetings and action points, already narrowed to an
office and fetched with what their pages show (the suite counts the queries)."""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Q, QuerySet

from peacebuild.accounts.models import User
from peacebuild.mandates.models import Office

from .models import ActionPoint, Group, GroupMeeting, GroupMember

# Owners see an action point on their overview from this many days before it is due.
REMINDER_DAYS = 14


def groups_of(office: Office) -> QuerySet[Group]:
    return (Group.objects.filter(office=office).select_related("convener")
            .annotate(meeting_count=Count("meetings", distinct=True),
                      member_count=Count("memberships", distinct=True))
            .order_by("name", "id"))


def members_of(group: Group) -> QuerySet[GroupMember]:
    return group.memberships.select_related("organisation").order_by("organisation__name")


def meetings_of(office: Office, *, group: int | None = None, date_from: dt.date | None = None,
                date_to: dt.date | None = None) -> QuerySet[GroupMeeting]:
    meetings = GroupMeeting.objects.filter(group__office=office)
    if group:
        meetings = meetings.filter(group_id=group)
    if date_from:
        meetings = meetings.filter(held_on__gte=date_from)
    if date_to:
        meetings = meetings.filter(held_on__lte=date_to)
    return (meetings.select_related("group")
            .annotate(present=Count("attended", distinct=True),
                      action_count=Count("actions", distinct=True))
            .order_by("-held_on", "-id"))


def meeting_actions(meeting: GroupMeeting) -> QuerySet[ActionPoint]:
    return meeting.actions.select_related("owner", "owner_user", "evidence_document")


@dataclass(frozen=True)
class ActionFilter:
    group: int | None = None
    owner: int | None = None  # an organisation
    owner_user: int | None = None  # a colleague
    office_owned: bool = False  # owned by the office itself (no organisation)
    status: str = ""  # open, overdue, done, dropped, on_time; "" for all
    due_from: dt.date | None = None
    due_to: dt.date | None = None


STATUSES = ("open", "overdue", "done", "on_time", "dropped")


def filter_actions(office: Office, flt: ActionFilter, today: dt.date) -> QuerySet[ActionPoint]:
    actions = ActionPoint.objects.filter(meeting__group__office=office)
    if flt.group:
        actions = actions.filter(meeting__group_id=flt.group)
    if flt.owner:
        actions = actions.filter(owner_id=flt.owner)
    if flt.owner_user:
        actions = actions.filter(owner_user_id=flt.owner_user)
    if flt.office_owned:
        actions = actions.filter(owner__isnull=True)
    if flt.due_from:
        actions = actions.filter(due_on__gte=flt.due_from)
    if flt.due_to:
        actions = actions.filter(due_on__lte=flt.due_to)
    actions = actions.filter(status_q(flt.status, today))
    return (actions.select_related("meeting__group", "owner", "owner_user")
            .order_by("due_on", "id"))


def status_q(status: str, day: dt.date) -> Q:
    """Action points in a state on a day. Overdue: due before the day and not closed by
    it; on time: done on or before the due date."""
    if status == "open":
        return Q(status=ActionPoint.Status.OPEN)
    if status == "overdue":
        return Q(due_on__lt=day) & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
    if status == "done":
        return Q(status=ActionPoint.Status.DONE)
    if status == "on_time":
        return Q(status=ActionPoint.Status.DONE, closed_on__lte=F("due_on"))
    if status == "dropped":
        return Q(status=ActionPoint.Status.DROPPED)
    return Q()


def actions_for_owner(user: "User | AnonymousUser", office: Office, today: dt.date,
                      days: int = REMINDER_DAYS) -> list[ActionPoint]:
    """The user's open action points that are overdue or due within `days`, as of `today`
    (the overview's "view as of" day): what the owner must not forget."""
    if not user.is_authenticated:
        return []
    actions = list(
        ActionPoint.objects.filter(meeting__group__office=office, owner_user=user,
                                   due_on__lte=days_after(today, days))
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=today))
        .filter(meeting__held_on__lte=today)
        .select_related("meeting__group", "owner")
        .order_by("due_on", "id")
    )
    for action in actions:  # for the page: "due in 3 days", "overdue by 2 days"
        action.days_to_go = (action.due_on - today).days  # type: ignore[attr-defined]
        action.overdue_days = -action.days_to_go  # type: ignore[attr-defined]
    return actions


def days_after(day: dt.date, days: int) -> dt.date:
    """`day` + `days`, stopping at the last day a date can hold (a "view as of" 9999-12-31)."""
    return day + dt.timedelta(days=days) if (dt.date.max - day).days > days else dt.date.max


def group_decisions(group: Group, limit: int = 20) -> list[GroupMeeting]:
    return list(group.meetings.exclude(decisions="").order_by("-held_on", "-id")[:limit])


def group_actions(group: Group) -> QuerySet[ActionPoint]:
    """A group's open action points, the overdue first."""
    return (ActionPoint.objects.filter(meeting__group=group, status=ActionPoint.Status.OPEN)
            .select_related("meeting__group", "owner", "owner_user").order_by("due_on", "id"))

