"""Reads of the casework ground: is the trail's chain whole, are the case keys right."""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import DatabaseError, connection
from django.db.models import Count, Q, QuerySet

from peacebuild.accounts.permissions import allows
from peacebuild.accounts.queries import membership_for
from peacebuild.accounts.roles import Can

from .crypto import CaseKeyError, keyring
from .models import GENESIS, Act, Event, FollowUp, Intervention, KeyCheck, Precision, TrailEntry
from .permissions import visible_events

if TYPE_CHECKING:
    from peacebuild.mandates.models import Office

log = logging.getLogger(__name__)

CHECK_TEXT = "peacebuild case key check"
CHECK_LABEL = "casework.KeyCheck.sealed"


@dataclass(frozen=True)
class TrailCheck:
    entries: int  # entries verified before the break (all of them if whole)
    head: str  # the last good entry's digest: record it elsewhere to detect a cut tail
    broken_at: int | None = None  # the first entry that fails, by id
    reason: str = ""

    @property
    def whole(self) -> bool:
        return self.broken_at is None


def verify_trail() -> TrailCheck:
    """Walk the chain from its first entry; name the first entry that does not hold."""
    expected, count = GENESIS, 0
    for entry in TrailEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.previous != expected:
            return TrailCheck(count, expected, entry.pk,
                              f"entry #{entry.pk} does not follow the entry before it: an entry "
                              "was removed, inserted or reordered just before it")
        if entry.computed_digest() != entry.digest:
            return TrailCheck(count, expected, entry.pk,
                              f"entry #{entry.pk} was altered after it was written")
        expected, count = entry.digest, count + 1
    return TrailCheck(count, expected)


def key_problems() -> list[str]:
    """What stops the server: keys missing from the configuration or wrong. Empty when the
    keys open every key check the database holds (or the tables do not exist yet)."""
    try:
        ring = keyring()
    except CaseKeyError as error:
        return [str(error)]
    try:
        if KeyCheck._meta.db_table not in connection.introspection.table_names():
            return []
        checks = list(KeyCheck.objects.all())
    except DatabaseError:  # no database to compare with: the next start compares
        log.warning("The case keys could not be checked: the database is unreachable.")
        return []
    problems = []
    for check in checks:
        if check.key_id not in ring.keys:
            problems.append(f"The database holds data sealed with the case key "
                            f"{check.key_id!r}, which is not configured.")
            continue
        try:
            ok = ring.open(check.sealed, CHECK_LABEL) == CHECK_TEXT
        except CaseKeyError:
            ok = False
        if not ok:
            problems.append(f"The configured case key {check.key_id!r} is not the key the "
                            "database's data was sealed with.")
    return problems


@dataclass(frozen=True)
class CaseSummary:
    """What a head of office sees of any case: nothing that names or places a person.
    The month (or year) it began, its region, the kinds of violation, how many victims,
    its status and how its interventions stand."""

    pk: int
    team: str
    began: str  # "2004-03", "2004" or "" (never the day)
    region: str
    violations: tuple[str, ...]
    victims: int
    status: str
    interventions: int
    pending: int


def case_summaries(user: Any, office: Office) -> list[CaseSummary]:
    if not allows(membership_for(user, office), Can.CASE_SUMMARIES):
        return []
    events = (Event.objects.filter(office=office).select_related("team", "region")
              .only("pk", "team__name", "started_on", "start_precision", "region__code",
                    "status")
              .annotate(victims=Count("acts__victim", distinct=True),
                        interventions_made=Count("interventions", distinct=True),
                        pending=Count("interventions", distinct=True,
                                      filter=Q(interventions__outcome="pending")))
              .order_by("-started_on", "-pk"))
    kinds: dict[int, set[str]] = {}
    for event_id, violation in Act.objects.filter(event__office=office).values_list(
            "event_id", "violation"):
        kinds.setdefault(event_id, set()).add(violation)
    return [CaseSummary(
        pk=e.pk, team=e.team.name, began=_month(e.started_on, e.start_precision),
        region=e.region.code if e.region else "", violations=tuple(sorted(kinds.get(e.pk, ()))),
        victims=e.victims, status=e.status, interventions=e.interventions_made,
        pending=e.pending) for e in events]


def _month(day: dt.date | None, precision: str) -> str:
    if day is None:
        return ""
    return f"{day:%Y}" if precision == Precision.YEAR else f"{day:%Y-%m}"


def interventions_due(user: Any, office: Office, today: dt.date) -> QuerySet[Intervention]:
    """The interventions of the user's cases whose follow-up is due by today, oldest first."""
    return (Intervention.objects.filter(event__in=visible_events(user, office),
                                        follow_up_due__lte=today)
            .exclude(outcome__in=["resolved", "refused"]).select_related("event", "authority")
            .order_by("follow_up_due", "pk"))


def follow_ups_for(user: Any, office: Office) -> QuerySet[FollowUp]:
    """The open follow-ups assigned to the user, in the cases they may still open."""
    return (FollowUp.objects.filter(event__in=visible_events(user, office), assignee=user,
                                    done_on__isnull=True)
            .select_related("event").order_by("due_on", "pk"))
