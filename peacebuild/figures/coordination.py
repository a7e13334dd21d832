"""Coordination figures: meetings held, member attendance, action points due, done on
time and overdue — by group and by month, quarter or year.

A group meets tens of times a year and agrees a few action points each time, so the raw
rows answer in a handful of queries; no summary table is needed (measured in
`partners/tests/test_figures.py` by query count).

Rules, written once here:
- a meeting counts in the period it was held in, if held by `today`;
- member attendance is the share, in per cent, of the group's member organisations present
  at its meetings (guests who are not members do not count); a total is the ratio of the
  sums, never an average of percentages;
- action points due and done on time count by due date; done on time means done on or
  before the due date;
- overdue is a state on a day: due before it and not done or dropped by it. For a period,
  the day is its last (or today, if earlier), and an item due before the period began
  that is still open then counts too.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F, Q, QuerySet
from django.utils.translation import gettext_lazy

from peacebuild.lib.periodkeys import time_key
from peacebuild.mandates.models import Office
from peacebuild.partners.models import ActionPoint, GroupMeeting, GroupMember

COORDINATION_MEASURES = {
    "meetings_held": gettext_lazy("meetings held"),
    "member_attendance": gettext_lazy("member attendance (per cent)"),
    "actions_due": gettext_lazy("action points due"),
    "actions_done_on_time": gettext_lazy("action points done on time"),
    "actions_overdue": gettext_lazy("action points overdue"),
}
COORDINATION_DIMENSIONS = ("group", "month", "quarter", "year")
Key = tuple[object, ...]  # one value per breakdown dimension



def _key(by: tuple[str, ...], group: int, day: dt.date) -> Key:
    return tuple(group if d == "group" else time_key(d, day) for d in by)


@dataclass(frozen=True)
class Scope:
    """What a coordination figure covers: one group or all, a period, and for overdue
    items the day their state is read on."""

    group: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    on: dt.date | None = None


def status_day(scope: Scope, today: dt.date) -> dt.date:
    end = scope.date_to or today
    return min(end, scope.on or end, today)


def grouped(office: Office, measure: str, by: tuple[str, ...], scope: Scope, today: dt.date
            ) -> tuple[dict[Key, int], dict[Key, tuple[int, int]]]:
    """Values by breakdown key; for member attendance also (present, seats) per key so
    that totals are ratios of sums."""
    if measure in ("meetings_held", "member_attendance"):
        meetings = GroupMeeting.objects.filter(group__office=office, held_on__lte=today)
        if scope.group:
            meetings = meetings.filter(group_id=scope.group)
        if scope.date_from:
            meetings = meetings.filter(held_on__gte=scope.date_from)
        if scope.date_to:
            meetings = meetings.filter(held_on__lte=scope.date_to)
        if measure == "meetings_held":
            out: dict[Key, int] = defaultdict(int)
            for group, held in meetings.values_list("group_id", "held_on"):
                out[_key(by, group, held)] += 1
            return dict(out), {}
        return _attendance(meetings, by)
    actions = ActionPoint.objects.filter(meeting__group__office=office,
                                         meeting__held_on__lte=today)
    if scope.group:
        actions = actions.filter(meeting__group_id=scope.group)
    if measure == "actions_overdue":
        day = status_day(scope, today)
        actions = actions.filter(Q(due_on__lt=day)
                                 & (Q(closed_on__isnull=True) | Q(closed_on__gt=day)))
    else:
        if scope.date_from:
            actions = actions.filter(due_on__gte=scope.date_from)
        if scope.date_to:
            actions = actions.filter(due_on__lte=scope.date_to)
        if measure == "actions_done_on_time":
            actions = actions.filter(status=ActionPoint.Status.DONE,
                                     closed_on__lte=F("due_on"))
    counts: dict[Key, int] = defaultdict(int)
    for group, due in actions.values_list("meeting__group_id", "due_on"):
        counts[_key(by, group, due)] += 1
    return dict(counts), {}


def _attendance(meetings: QuerySet[GroupMeeting], by: tuple[str, ...]
                ) -> tuple[dict[Key, int], dict[Key, tuple[int, int]]]:
    rows = list(meetings.values_list("pk", "group_id", "held_on"))
    group_ids = {g for _pk, g, _d in rows}
    members: dict[int, set[int]] = defaultdict(set)
    for group, organisation in GroupMember.objects.filter(group_id__in=group_ids).values_list(
            "group_id", "organisation_id"):
        members[group].add(organisation)
    present: dict[int, set[int]] = defaultdict(set)
    through = GroupMeeting.attended.through
    for meeting, organisation in through.objects.filter(
            groupmeeting_id__in=[pk for pk, _g, _d in rows]).values_list(
            "groupmeeting_id", "organisation_id"):
        present[meeting].add(organisation)
    sums: dict[Key, list[int]] = defaultdict(lambda: [0, 0])
    for pk, group, held in rows:
        key = _key(by, group, held)
        sums[key][0] += len(present[pk] & members[group])
        sums[key][1] += len(members[group])
    ratios = {k: (p, s) for k, (p, s) in sums.items() if s}
    return {k: percent(p, s) for k, (p, s) in ratios.items()}, ratios


def percent(part: int, whole: int) -> int:
    """Whole per cent, halves rounded up (as a report would state it)."""
    return (200 * part + whole) // (2 * whole) if whole else 0
