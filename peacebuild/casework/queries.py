"""Reads of the casework ground: is the trail's chain whole, are the case keys right."""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import DatabaseError, connection, models
from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from peacebuild.accounts.models import User
from peacebuild.accounts.permissions import allows
from peacebuild.accounts.queries import membership_for
from peacebuild.accounts.roles import CAPABILITY_ROLES, Can
from peacebuild.lib.formatting import format_day

from .crypto import CaseKeyError, keyring
from .models import (
    GENESIS,
    Act,
    BreakGlass,
    CaseTeam,
    CaseTeamMember,
    Event,
    FollowUp,
    Information,
    Intervention,
    Involvement,
    KeyCheck,
    Person,
    Precision,
    Revision,
    TrailEntry,
)
from .permissions import visible_events

if TYPE_CHECKING:
    from peacebuild.mandates.models import Office

log = logging.getLogger(__name__)

CHECK_TEXT = "peacebuild case key check"
CHECK_LABEL = "casework.KeyCheck.sealed"


CHECKPOINT_TARGET = "trail:checkpoint"
CHECKPOINT_EVERY = 500  # entries verified past the last checkpoint before a new one


@dataclass(frozen=True)
class TrailCheck:
    entries: int  # entries verified before the break (all of them if whole)
    head: str  # the last good entry's digest: record it elsewhere to detect a cut tail
    broken_at: int | None = None  # the first entry that fails, by id
    reason: str = ""
    kind: str = ""  # "altered", or "out_of_order" (removed, inserted or reordered before it)
    last_id: int = 0  # the last good entry's id
    # A check from a checkpoint walked only the entries after the checkpoint's entry:
    since: int | None = None  # that entry's id (None: the whole chain was walked)
    since_at: dt.datetime | None = None  # when that checkpoint was made
    walked: int = 0  # entries read by this check

    @property
    def whole(self) -> bool:
        return self.broken_at is None

    @property
    def full(self) -> bool:
        return self.since is None


def latest_checkpoint() -> TrailEntry | None:
    return (TrailEntry.objects.filter(office_id=None, target=CHECKPOINT_TARGET,
                                      action=TrailEntry.Action.CHECKPOINT)
            .order_by("-id").first())


def verify_trail(*, from_checkpoint: bool = False) -> TrailCheck:
    """Walk the chain and name the first entry that does not hold: from its first entry,
    or, `from_checkpoint`, from the entry the last checkpoint vouches for.

    A checkpoint is itself an entry of the chain (`services.trail_checkpoint`): it names
    the last entry a check found whole, its digest and how many entries there were. It is
    verified like any entry (it comes after the entry it vouches for, so the walk reads
    it), and the entry after the vouched one must follow the vouched digest; so a
    checkpoint cannot be edited, removed or moved without the check failing. What is before
    the checkpoint is only read by the full check (`peacebuild verify_case_trail`, or
    *Verify the whole trail* on the page)."""
    expected, count, after, since, since_at = GENESIS, 0, 0, None, None
    checkpoint = latest_checkpoint() if from_checkpoint else None
    if checkpoint is not None:
        detail = checkpoint.detail if isinstance(checkpoint.detail, dict) else {}
        through, head, entries = detail.get("through"), detail.get("head"), detail.get("entries")
        if (checkpoint.computed_digest() != checkpoint.digest or not isinstance(through, int)
                or not isinstance(head, str) or not isinstance(entries, int)
                or not 0 < through < checkpoint.pk):
            return TrailCheck(0, GENESIS, checkpoint.pk,
                              f"entry #{checkpoint.pk} (a checkpoint) was altered after it "
                              "was written", "altered", since=checkpoint.pk,
                              since_at=checkpoint.at)
        expected, count, after = head, entries, through
        since, since_at = through, checkpoint.at
    last_id, walked = after, 0
    for entry in TrailEntry.objects.filter(id__gt=after).order_by("id").iterator(
            chunk_size=2000):
        walked += 1
        if entry.previous != expected:
            return TrailCheck(count, expected, entry.pk,
                              f"entry #{entry.pk} does not follow the entry before it: an entry "
                              "was removed, inserted or reordered just before it",
                              "out_of_order", last_id, since, since_at, walked)
        if entry.computed_digest() != entry.digest:
            return TrailCheck(count, expected, entry.pk,
                              f"entry #{entry.pk} was altered after it was written",
                              "altered", last_id, since, since_at, walked)
        expected, count, last_id = entry.digest, count + 1, entry.pk
    return TrailCheck(count, expected, last_id=last_id, since=since, since_at=since_at,
                      walked=walked)


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


# Oversight: the trail of one office, and the revisions of one case.


def office_trail(office: Office, *, action: str = "", username: str = "",
                 since: dt.date | None = None, until: dt.date | None = None
                 ) -> QuerySet[TrailEntry]:
    """The office's trail entries, newest first, filtered. They name records and fields,
    never their values: the page shows them whole."""
    entries = TrailEntry.objects.filter(office_id=office.pk)
    if action:
        entries = entries.filter(action=action)
    if username:
        entries = entries.filter(username__iexact=username)
    if since is not None:
        entries = entries.filter(at__date__gte=since)
    if until is not None:
        entries = entries.filter(at__date__lte=until)
    return entries.order_by("-id")


def running_break_glass(office: Office) -> QuerySet[BreakGlass]:
    """The break-glass accesses of the office that have not expired yet."""
    return (BreakGlass.objects.filter(event__office=office, expires_at__gt=timezone.now())
            .select_related("user", "event__team").order_by("expires_at", "pk"))


@dataclass(frozen=True)
class Change:
    field: str  # the field's label
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    at: dt.datetime
    username: str
    record: str  # the record type's label
    record_id: int
    changes: tuple[Change, ...]
    deleted: bool = False  # the record itself was deleted (an attachment)


def case_revisions(event: Event) -> QuerySet[Revision]:
    """The revisions of a case: its own records', and those of the persons it names (a
    person is a team's, so theirs show in each case that names them). Newest first.
    The caller has checked that the user may open the case."""
    persons = set(Act.objects.filter(event=event).values_list("victim_id", flat=True))
    persons |= set(Involvement.objects.filter(act__event=event)
                   .values_list("perpetrator_id", flat=True))
    persons |= set(Information.objects.filter(event=event).values_list("source_id", flat=True))
    return (Revision.objects.filter(office_id=event.office_id)
            .filter(Q(event_id=event.pk) | Q(record_type="person", record_id__in=persons))
            .order_by("-id"))


def history_entries(revisions: list[Revision]) -> list[HistoryEntry]:
    """Revisions as a reader sees them: field labels, choices by their label, related
    records by their name (the reader may open the case, so may read its persons)."""
    opened = [(r, json.loads(r.snapshot)) for r in revisions]
    wanted: dict[type[models.Model], set[Any]] = {}
    for revision, snapshot in opened:
        model = _record_model(revision.record_type)
        for name in revision.fields:
            field = _field(model, name)
            if field is not None and field.is_relation and field.related_model is not None:
                for side in ("before", "after"):
                    value = snapshot.get(side, {}).get(name)
                    if value is not None:
                        wanted.setdefault(field.related_model, set()).add(value)
    names = {model: {obj.pk: _name_of(obj) for obj in model._default_manager.filter(pk__in=pks)}
             for model, pks in wanted.items()}
    entries = []
    for revision, snapshot in opened:
        model = _record_model(revision.record_type)
        changes = []
        for name in revision.fields:
            field = _field(model, name)
            label = str(field.verbose_name) if field is not None else name
            changes.append(Change(label, *(
                _shown(field, snapshot.get(side, {}).get(name), names)
                for side in ("before", "after"))))
        entries.append(HistoryEntry(
            at=revision.at, username=revision.username,
            record=str(model._meta.verbose_name) if model else revision.record_type,
            record_id=revision.record_id, changes=tuple(changes),
            deleted=bool(snapshot.get("deleted"))))
    return entries


def _record_model(record_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model("casework", record_type)
    except LookupError:
        return None


def _field(model: type[models.Model] | None, name: str) -> Any:
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _name_of(obj: models.Model) -> str:
    if isinstance(obj, Person | CaseTeam):
        return obj.name
    get_full_name = getattr(obj, "get_full_name", None)
    if callable(get_full_name):
        return str(get_full_name() or obj.get_username())  # type: ignore[attr-defined]
    name = getattr(obj, "name", None)
    if isinstance(name, str) and name:
        return name
    return f"{obj._meta.verbose_name} {obj.pk}"


def _shown(field: Any, value: Any,
           names: dict[type[models.Model], dict[Any, str]]) -> str:
    if value is None or value == "":
        return "—"
    if field is None:
        return str(value)
    if field.is_relation and field.related_model is not None:
        return names.get(field.related_model, {}).get(value, f"#{value}")
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(field, models.DateField) and not isinstance(field, models.DateTimeField):
        try:
            return format_day(dt.date.fromisoformat(value), get_language())
        except (TypeError, ValueError):
            return str(value)
    return str(value)


def office_teams(office: Office) -> QuerySet[CaseTeam]:
    """The office's case teams with their members (people only: never their cases)."""
    return (CaseTeam.objects.filter(office=office)
            .prefetch_related(Prefetch("members", queryset=CaseTeamMember.objects
                                       .select_related("user").order_by("user__username")))
            .order_by("name"))


def case_officers(office: Office) -> list[User]:
    """The office's members whose role may belong to a case team."""
    roles = [str(r) for r in CAPABILITY_ROLES[Can.VIEW_CASES]]
    return list(User.objects.filter(memberships__office=office, memberships__role__in=roles,
                                    is_active=True).order_by("username"))
