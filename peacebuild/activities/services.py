"""Writes for activities, attendance and centres. Each checks that its actor may make the
change (a programme officer only for their own programmes), validates fully, saves
atomically and logs to the audit trail; a failure saves nothing."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peacebuild.accounts.audit import before_change, record, record_delete, save_audited, snapshot
from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import Actor, check_actor, user_of
from peacebuild.accounts.roles import Can
from peacebuild.figures.cubes import contribution, cubes_apply
from peacebuild.mandates.models import Office

from .models import (
    MAX_PARTICIPANTS,
    Activity,
    AgeGroup,
    Attendance,
    Centre,
    ParticipantCategory,
    Sex,
    interface_language,
)


@dataclass(frozen=True)
class Cell:
    category: str
    sex: str
    age_group: str = AgeGroup.UNKNOWN


def _clean_attendance(cells: Mapping[Cell, Any]) -> dict[Cell, int]:
    """Counts as integers; zero cells dropped; bad keys and counts raise with a clear message."""
    clean: dict[Cell, int] = {}
    errors: list[str] = []
    for cell, raw in cells.items():
        if cell.category not in ParticipantCategory.values or cell.sex not in Sex.values or (
            cell.age_group not in AgeGroup.values
        ):
            errors.append(_("Unknown attendance cell: %(cell)s.") % {"cell": cell})
            continue
        try:
            count = int(raw or 0)
        except (TypeError, ValueError):
            errors.append(_("“%(value)s” is not a whole number.") % {"value": raw})
            continue
        if count < 0:
            errors.append(_("A count cannot be negative (%(value)s).") % {"value": count})
        elif count > MAX_PARTICIPANTS:
            errors.append(
                _("%(value)s people in one cell is more than any activity holds (at most "
                  "%(max)s).") % {"value": count, "max": MAX_PARTICIPANTS}
            )
        elif count:
            clean[cell] = count
    if errors:
        raise ValidationError({"attendance": errors})
    return clean


def _check_activity(activity: Activity, attendance: dict[Cell, int]) -> None:
    errors: dict[str, list[str]] = {}
    office: Office = activity.office
    first, last = office.life_range()
    for field in ("starts_on", "ends_on"):
        value = getattr(activity, field)
        if value and not (first <= value <= last):
            errors.setdefault(field, []).append(
                _("%(date)s is far outside the life of %(office)s (%(first)s to %(last)s).")
                % {"date": value, "office": office.code.upper(), "first": first, "last": last}
            )
    if activity.starts_on and activity.ends_on and activity.ends_on < activity.starts_on:
        errors.setdefault("ends_on", []).append(_("The end date is before the start date."))
    if activity.meeting is not None and activity.meeting.group.office_id != office.pk:
        errors.setdefault("meeting", []).append(_("That meeting is another office's."))
    if activity.programme_id and activity.programme.office_id != office.pk:
        errors.setdefault("programme", []).append(_("This programme belongs to another office."))
    if activity.centre is not None and activity.centre.office_id != office.pk:
        errors.setdefault("centre", []).append(_("This centre belongs to another office."))
    if activity.participants_total is not None and activity.participants_total > MAX_PARTICIPANTS:
        errors.setdefault("participants_total", []).append(
            _("%(value)s participants is more than any activity holds (at most %(max)s).")
            % {"value": activity.participants_total, "max": MAX_PARTICIPANTS}
        )
    if attendance:
        breakdown = sum(attendance.values())
        if activity.participants_total is None:
            activity.participants_total = breakdown
        elif breakdown != activity.participants_total:
            errors.setdefault("attendance", []).append(
                _("The breakdown adds up to %(breakdown)s but the total says %(total)s.")
                % {"breakdown": breakdown, "total": activity.participants_total}
            )
    if errors:
        raise ValidationError(errors)


def _check_writer(actor: Actor, activity: Activity) -> None:
    check_actor(actor, activity.office, Can.EDIT_ACTIVITIES, programme_id=activity.programme_id)


def _save(activity: Activity, *, actor: Actor, attendance: Mapping[Cell, Any] | None,
          partners: Iterable[Any] | None, before: dict[str, Any] | None) -> Activity:
    _check_writer(actor, activity)
    cells = _clean_attendance(attendance or {})
    _check_activity(activity, cells)
    activity.region = activity.place.region if activity.place is not None else None
    activity.full_clean(exclude=["region"])
    if before is not None and _as_saved(activity, cells if attendance is not None else None,
                                        partners, before) == before:
        return activity  # nothing changed: no write, no audit entry, the cubes untouched
    with transaction.atomic():
        stored = (
            Activity.objects.select_for_update().get(pk=activity.pk) if activity.pk else None
        )
        old = contribution(stored) if stored else None
        activity.save()
        if partners is not None:
            activity.partners.set(partners)
        if attendance is not None:
            activity.attendance.all().delete()
            Attendance.objects.bulk_create(
                Attendance(activity=activity, category=c.category, sex=c.sex,
                           age_group=c.age_group, count=n)
                for c, n in cells.items()
            )
        cubes_apply(before=old, after=contribution(activity))
        after = activity_snapshot(activity)
        action = AuditEntry.Action.CREATE if before is None else AuditEntry.Action.UPDATE
        record(actor=actor, action=action, instance=activity, before=before, after=after)
    return activity


def _as_saved(activity: Activity, cells: dict[Cell, int] | None,
              partners: Iterable[Any] | None, before: dict[str, Any]) -> dict[str, Any]:
    """The snapshot the activity would have once saved with these child rows."""
    state = snapshot(activity)
    state["attendance"] = before["attendance"] if cells is None else {
        _cell_key(c.category, c.sex, c.age_group): n for c, n in cells.items()}
    if partners is not None:
        state["partners"] = sorted(getattr(p, "pk", p) for p in partners)
    return state


def activity_create(
    *,
    actor: Actor,
    office: Office,
    attendance: Mapping[Cell, Any] | None = None,
    partners: Iterable[Any] | None = None,
    **fields: Any,
) -> Activity:
    """Record an activity with its attendance breakdown (cells → counts)."""
    fields.setdefault("language", interface_language())  # the creator's, unless said
    activity = Activity(office=office, created_by=user_of(actor),
                        **fields)
    return _save(activity, actor=actor, attendance=attendance, partners=partners, before=None)


def activity_update(
    *,
    actor: Actor,
    activity: Activity,
    attendance: Mapping[Cell, Any] | None = None,
    partners: Iterable[Any] | None = None,
    version: str | None = None,
    **fields: Any,
) -> Activity:
    """Change an activity; `attendance`, when given, replaces the whole breakdown. With
    `version` (of `activity_snapshot` as the form showed it), refuses with EditConflict
    when someone else saved the activity meanwhile."""
    _check_writer(actor, activity)  # as stored: moving it to a programme needs both
    with transaction.atomic():
        before = before_change(activity, version=version, state=activity_snapshot)
        for name, value in fields.items():
            setattr(activity, name, value)
        return _save(activity, actor=actor, attendance=attendance, partners=partners,
                     before=before)


@transaction.atomic
def activity_delete(*, actor: Actor, activity: Activity) -> None:
    stored = Activity.objects.select_for_update().get(pk=activity.pk)
    _check_writer(actor, stored)
    before = activity_snapshot(stored)
    cubes_apply(before=contribution(stored), after=None)
    record_delete(actor=actor, instance=stored, before=before)
    stored.delete()


def _cell_key(category: str, sex: str, age_group: str) -> str:
    return f"{category}/{sex}/{age_group}"


def attendance_snapshot(activity: Activity) -> dict[str, int]:
    return {
        _cell_key(a.category, a.sex, a.age_group): a.count
        for a in activity.attendance.all().order_by("category", "sex", "age_group")
    }


def activity_snapshot(activity: Activity) -> dict[str, Any]:
    """The activity with its partners and attendance: what its audit entries and its edit
    form's version are made of."""
    return snapshot(activity) | {"attendance": attendance_snapshot(activity)}


@transaction.atomic
def centre_save(*, actor: Actor, centre: Centre, version: str | None = None) -> Centre:
    """Create or update a centre (the caller has set its fields)."""
    check_actor(actor, centre.office, Can.EDIT_REFERENCE)
    before = before_change(centre, version=version)
    errors = centre.office.dates_outside_life(opened_on=centre.opened_on,
                                              closed_on=centre.closed_on)
    if errors:
        raise ValidationError(errors)
    if centre.partner is not None and centre.partner.office_id != centre.office_id:
        raise ValidationError({"partner": _("This organisation belongs to another office.")})
    save_audited(actor=actor, instance=centre, before=before)
    return centre
