"""Writes for activities, attendance and centres. Each checks that its actor may make the
change (a programme officer only for their own programmes), validates fully, saves
atomically and logs to the audit trail; a failure saves nothing."""

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.forms.models import model_to_dict
from django.utils.translation import gettext as _

from peacebuild.accounts.audit import before_change, record, record_delete, save_audited, snapshot
from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import Actor, check_actor, user_of
from peacebuild.accounts.roles import Can
from peacebuild.figures.cubes import (
    contribution,
    cubes_add,
    cubes_add_range,
    cubes_apply,
)
from peacebuild.lib.faults import pause_point
from peacebuild.mandates.models import Office

from .models import (
    MAX_PARTICIPANTS,
    Activity,
    ActivityType,
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


CATEGORIES = frozenset(ParticipantCategory.values)
SEXES = frozenset(Sex.values)
AGE_GROUPS = frozenset(AgeGroup.values)


def _clean_attendance(cells: Mapping[Cell, Any]) -> dict[Cell, int]:
    """Counts as integers; zero cells dropped; bad keys and counts raise with a clear message."""
    clean: dict[Cell, int] = {}
    errors: list[str] = []
    for cell, raw in cells.items():
        if cell.category not in CATEGORIES or cell.sex not in SEXES or (
            cell.age_group not in AGE_GROUPS
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
    partners = None if partners is None else list(partners)  # read more than once below
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
        rows = None
        if attendance is not None:
            activity.attendance.all().delete()
            rows = Attendance.objects.bulk_create(
                Attendance(activity=activity, category=c.category, sex=c.sex,
                           age_group=c.age_group, count=n)
                for c, n in cells.items()
            )
        elif stored is None:
            rows = []
        # What was just written need not be read back; what was left alone is read.
        partner_ids = None if partners is None else [getattr(p, "pk", p) for p in partners]
        if partner_ids is None and stored is None:
            partner_ids = []
        cubes_apply(before=old, after=contribution(activity, rows, partner_ids))
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
        saved = _save(activity, actor=actor, attendance=attendance, partners=partners,
                      before=before)
        pause_point("activity-saved", activity=saved.pk)  # the fault tests' kill point
        return saved


# Related records of an activity that a bulk load looks up once per distinct record.
_BULK_LOOKED_UP = ("centre", "meeting", "source_document")


def _new_snapshot(activity: Activity, partners: Sequence[Any], cells: dict[Cell, int]
                  ) -> dict[str, Any]:
    """`activity_snapshot` of a just-created activity, without reading it back."""
    data = model_to_dict(activity, exclude=["partners"])
    data["partners"] = sorted({getattr(p, "pk", p) for p in partners})
    data["id"] = activity.pk
    state: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    state["attendance"] = {_cell_key(c.category, c.sex, c.age_group): n
                           for c, n in sorted(cells.items(), key=lambda kv: (
                               kv[0].category, kv[0].sex, kv[0].age_group))}
    return state


@transaction.atomic
def activity_delete(*, actor: Actor, activity: Activity) -> None:
    stored = Activity.objects.select_for_update().get(pk=activity.pk)
    _check_writer(actor, stored)
    before = activity_snapshot(stored)
    cubes_apply(before=contribution(stored), after=None)
    record_delete(actor=actor, instance=stored, before=before)
    stored.delete()


BULK_BATCH = 2000


class BulkItemsInvalid(ValidationError):
    """Some items of `activities_create_many` were refused; nothing was saved. Its
    messages are {"item 3": [messages], …} (positions from 1); `items` has each refused
    item's error by index (from 0), keyed by field where the check names one."""

    def __init__(self, items: dict[int, ValidationError]) -> None:
        super().__init__({f"item {i + 1}": e.messages for i, e in sorted(items.items())})
        self.items = dict(sorted(items.items()))


def activities_create_many(*, actor: Actor, office: Office,
                           items: Iterable[Mapping[str, Any]],
                           progress: Callable[[int], None] | None = None) -> list[Activity]:
    """Record many activities of one office at once (the spreadsheet import, bulk loads).

    Each item is what `activity_create` takes besides `actor` and `office`: the activity's
    fields (`programme`, `type`, `title`, `starts_on`, `ends_on`, and optionally `place`,
    `participants_total`, `description`, `centre`, …; `programme`, `type` and `place`
    may be instances or primary keys), `attendance` (Cell → count) and `partners`
    (organisations or their primary keys). Every item is validated as `activity_create`
    validates it; if any is refused nothing is saved and BulkItemsInvalid (a
    ValidationError) lists the refused items by position (from 1): {"item 3": [messages],
    ...}. The actor is checked once per programme named; the related records (centre,
    meeting, source document) are looked up once per distinct record. `progress` is
    called with the number of items checked, every 1,000. Then everything is inserted in
    one transaction (bulk inserts, one audit entry per activity) and the summary tables
    are brought up to date set-based: the database sums the new rows into every cube
    (`cubes_add_range`: one INSERT … SELECT … GROUP BY … ON CONFLICT per cube, work that
    grows with the load, not with the office), or, if the new ids are not one block, their
    contributions are summed in memory and upserted once per cube. Returns the saved
    activities, in the order of `items`."""
    from peacebuild.places.models import Place

    if actor is None:
        check_actor(actor, office, Can.EDIT_ACTIVITIES)  # refuses: a change needs an actor
    rows = [dict(item) for item in items]
    programmes = {p.pk: p for p in office.programmes.all()}
    types = {t.pk: t for t in ActivityType.objects.all()}
    place_ids = {getattr(r.get("place"), "pk", r.get("place")) for r in rows} - {None}
    places = {p.pk: p for p in Place.objects.filter(pk__in=place_ids)}
    region_of = {pk: p.region for pk, p in places.items()}  # a walk up the tree per place
    user = user_of(actor)
    refused: dict[int, ValidationError] = {}
    checked: set[int | None] = set()
    built: list[tuple[Activity, dict[Cell, int], list[int]]] = []
    positions: list[int] = []  # the item of each built activity
    unknown = {
        "programme": _("Programme %(id)s is not a programme of this office."),
        "type": _("Activity type %(id)s does not exist."),
        "place": _("Place %(id)s does not exist."),
    }
    for index, row in enumerate(rows):
        if progress is not None and index and index % 1000 == 0:
            progress(index)
        attendance = row.pop("attendance", None) or {}
        partners = [getattr(p, "pk", p) for p in row.pop("partners", None) or ()]
        problems: dict[str, list[str]] = {}
        for name, known in (("programme", programmes), ("type", types), ("place", places)):
            value = row.get(name)
            if value is None:
                continue
            if isinstance(value, models.Model):
                if value.pk not in known:  # deleted meanwhile, or another office's
                    problems.setdefault(name, []).append(
                        _("This record no longer exists.") if name != "programme"
                        else unknown[name] % {"id": value.pk})
            else:
                row[name] = known.get(value)
                if row[name] is None:
                    problems.setdefault(name, []).append(unknown[name] % {"id": value})
        if (row.get("programme") is None or row.get("type") is None) and not problems:
            problems.setdefault(NON_FIELD_ERRORS, []).append(
                _("Each activity needs a programme and a type."))
        if problems:
            refused[index] = ValidationError(problems)
            continue
        try:
            activity = Activity(office=office, created_by=user, **row)
            if activity.programme_id not in checked:
                _check_writer(actor, activity)
                checked.add(activity.programme_id)
            cells = _clean_attendance(attendance)
            _check_activity(activity, cells)
            activity.region = region_of.get(activity.place_id) if activity.place_id else None
            # The two check constraints are _check_activity's first lines; the foreign
            # keys are resolved above or looked up below: no query per item.
            activity.full_clean(exclude=["region", "office", "programme", "type", "place",
                                         "created_by", *_BULK_LOOKED_UP],
                                validate_constraints=False)
        except ValidationError as error:
            refused[index] = error
            continue
        except (TypeError, ValueError) as error:
            refused[index] = ValidationError(str(error))
            continue
        built.append((activity, cells, partners))
        positions.append(index)
    for name in _BULK_LOOKED_UP:  # each related record once, however many items name it
        wanted = {getattr(a, f"{name}_id") for a, _c, _p in built} - {None}
        if not wanted:
            continue
        model: Any = Activity._meta.get_field(name).related_model
        found = set(model._default_manager.filter(pk__in=wanted).values_list("pk", flat=True))
        for (activity, _c, _p), index in zip(built, positions, strict=True):
            if getattr(activity, f"{name}_id") in wanted - found:
                refused[index] = ValidationError({name: _("This record no longer exists.")})
    if refused:
        raise BulkItemsInvalid(refused)
    partner_ids = {p for _a, _c, ps in built for p in ps}
    if partner_ids:
        from peacebuild.partners.models import Organisation

        mine = set(Organisation.objects.filter(office=office, pk__in=partner_ids)
                   .values_list("pk", flat=True))
        if partner_ids - mine:
            raise ValidationError({"partners": _("A partner organisation belongs to another "
                                                 "office or does not exist.")})
    activities = [a for a, _c, _p in built]
    with transaction.atomic():
        Activity.objects.bulk_create(activities, batch_size=BULK_BATCH)
        # The child rows are plain values: one executemany each, no model instances.
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {q(Attendance._meta.db_table)} (activity_id, category, sex, "
                f"age_group, count) VALUES (%s, %s, %s, %s, %s)",
                [(a.pk, c.category, c.sex, c.age_group, n)
                 for a, cells, _p in built for c, n in cells.items()])
            cursor.executemany(
                f"INSERT INTO {q(Activity.partners.through._meta.db_table)} (activity_id, "
                f"organisation_id) VALUES (%s, %s)",
                [(a.pk, p) for a, _c, ps in built for p in ps])
        AuditEntry.objects.bulk_create([
            AuditEntry(actor=user, office=office, action=AuditEntry.Action.CREATE,
                       model=Activity._meta.label, object_id=str(a.pk),
                       object_repr=str(a)[:300],
                       after=_new_snapshot(a, partners, cells))
            for a, cells, partners in built], batch_size=BULK_BATCH)
        ids = sorted(a.pk for a in activities)
        if ids and ids[-1] - ids[0] + 1 == len(ids):  # one block: summed by the database
            cubes_add_range(office.pk, ids[0], ids[-1])
        else:
            cubes_add([contribution(a, [Attendance(category=c.category, sex=c.sex,
                                                   age_group=c.age_group, count=n)
                                        for c, n in cells.items()], ps)
                       for a, cells, ps in built])
    return activities


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
