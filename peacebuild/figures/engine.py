"""The figures engine: the only code in Peacebuild that counts.

Any figure is a measure × filters × breakdown:

    compute(office, FigureQuery("attendance", ActivityFilter(programme=3), by=("sex",)))

Measures: `activities` (count), `participants` (sum of the totals reported per activity),
`attendance` (sum of the attendance breakdown: the measure that splits by sex, category
and age group), `distinct_participants` (registered people, each once), `centres_open`
(on a day). Filters: those of `ActivityFilter`. Breakdowns:
programme, type, region, month, quarter, year, and for `attendance` also sex, category and
age_group.

Each number comes back as a `Figure` with its provenance: the filter and breakdown that
produced it, and `records_url`, the list of the records behind it. Small cells can be
suppressed (`min_cell`), for counts drawn from casework.

The answers come from summary tables kept exact on every write (`cubes.py`): whole months
from a month cube, the cut days at the edges of a window from a day-level table (a
partner's from its own, `DayPartnerCube`); or from the raw rows alone for the few shapes
no table holds (free text, a partner's attendance by category with a type or region,
and the cut edges of a partner's attendance); a partner with who took part from
`DayPartnerCube` over the whole window, which no month table holds; all give the same
numbers, which the property tests check.
`FigureResult.source` says which.
Inside `figures_scope()` (every request) the office's vocabulary is read once; inside
`activities.queries.shared_text_lookups()` (a page that only reads) a free text's matches
are read once, and its activities and participants counted from them.
"""

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacebuild.activities.models import (
    Activity,
    ActivityType,
    Attendance,
    Centre,
    Participant,
    ParticipantCategory,
    Sex,
)
from peacebuild.activities.queries import (
    TEXT_INDEX_MIN,
    ActivityFilter,
    TextMatch,
    filter_activities,
    known_matches,
)
from peacebuild.lib.periodkeys import TIME_DIMENSIONS, period_bounds, time_key
from peacebuild.mandates.models import Office

from . import casework, coordination
from .casework import CASE_MEASURES
from .coordination import COORDINATION_DIMENSIONS
from .coordination import COORDINATION_MEASURES as COORDINATION_MEASURES
from .cubes import (
    Cube,
    cube_for,
    cube_rows,
    day_cube_for,
    day_rows,
    whole_window_cube,
)
from .disclosure import TOTAL, Protected

MEASURES = {
    "activities": gettext_lazy("activities"),
    "participants": gettext_lazy("participants"),
    "attendance": gettext_lazy("participants (by breakdown)"),
    "centres_open": gettext_lazy("centres open"),
    "distinct_participants": gettext_lazy("distinct people (registry)"),
    **COORDINATION_MEASURES,
    **CASE_MEASURES,
}
ACTIVITY_DIMENSIONS = ("programme", "type", "region", "month", "quarter", "year")
ATTENDANCE_DIMENSIONS = ("sex", "category", "age_group")
DIMENSIONS = ACTIVITY_DIMENSIONS + ATTENDANCE_DIMENSIONS


class FigureError(ValidationError):
    """A figure that cannot be computed as asked: the message says why."""


@dataclass(frozen=True)
class FigureQuery:
    measure: str
    filters: ActivityFilter = field(default_factory=ActivityFilter)
    by: tuple[str, ...] = ()
    on: dt.date | None = None  # for centres_open
    centre_kind: str = ""
    min_cell: int = 0  # values from 1 to min_cell - 1 are suppressed
    group: int | None = None  # for the coordination measures: one group only


@dataclass(frozen=True)
class Figure:
    measure: str
    value: int | None
    office: Office
    filters: ActivityFilter = field(default_factory=ActivityFilter)
    breakdown: dict[str, object] = field(default_factory=dict)  # dimension → key
    suppressed: bool = False
    group: int | None = None  # coordination measures: the query's group
    on: dt.date | None = None  # actions_overdue: the day the state is read on

    @property
    def label(self) -> str:
        return str(MEASURES[self.measure])

    @property
    def record_filters(self) -> ActivityFilter:
        """The filter that lists the records behind this number: the query's filter
        narrowed by the breakdown keys that activities can be filtered by."""
        flt = self.filters
        for dim, key in self.breakdown.items():
            if dim in ("programme", "type", "region") and key:
                keyed: dict[str, Any] = {dim: int(str(key))}
                flt = replace(flt, **keyed)
            elif dim == "sex":
                flt = replace(flt, sex=str(key))
            elif dim == "category":
                flt = replace(flt, participant_category=str(key))
            elif dim in TIME_DIMENSIONS:
                first, last = period_bounds(dim, str(key))
                flt = replace(flt, date_from=max(first, flt.date_from or first),
                              date_to=min(last, flt.date_to or last))
        return flt

    @property
    def records_url(self) -> str:
        if self.measure in COORDINATION_MEASURES:
            return self._coordination_url()
        if self.measure in CASE_MEASURES:  # the aggregates' page, never a case
            return casework.page_url(self.filters, self.breakdown)
        if self.measure == "centres_open":
            return reverse("activities:centres")
        query = self.record_filters.as_query()
        base = reverse("activities:list")
        return f"{base}?{urlencode(query)}" if query else base


    def _coordination_url(self) -> str:
        """The meetings or action points behind a coordination figure."""
        first, last = self.filters.date_from, self.filters.date_to
        group = self.breakdown.get("group") or self.group
        for dim, key in self.breakdown.items():
            if dim in TIME_DIMENSIONS:
                a, b = period_bounds(dim, str(key))
                first, last = max(a, first or a), min(b, last or b)
        query: dict[str, object] = {"group": group} if group else {}
        if self.measure in ("meetings_held", "member_attendance"):
            query |= {"date_from": first, "date_to": last}
            base = reverse("partners:meetings")
        else:
            base = reverse("partners:actions")
            if self.measure == "actions_overdue":
                query |= {"status": "overdue", "on": self.on}
            else:
                query |= {"due_from": first, "due_to": last}
                if self.measure == "actions_done_on_time":
                    query["status"] = "on_time"
        clean = {k: (v.isoformat() if isinstance(v, dt.date) else v)
                 for k, v in query.items() if v}
        return f"{base}?{urlencode(clean)}" if clean else base


@dataclass(frozen=True)
class FigureResult:
    query: FigureQuery
    total: Figure
    rows: list[Figure]
    # which tables answered, for the curious: "cube:<table>", "raw" ("raw:text-index"
    # when the free text comes from the text index), or parts joined by
    # "+": "cube:figures_activitycube+cube:figures_dayactivitycube" for a window that
    # cuts a month (the whole months from a month cube, the edges from a day table)
    source: str
    protected: Protected | None = None  # case figures: the table with its totals, withheld

    def value_of(self, **breakdown: object) -> int | None:
        for row in self.rows:
            if all(row.breakdown.get(k) == v for k, v in breakdown.items()):
                return row.value
        return 0


def dim_label(dim: str, key: object) -> str:
    """A breakdown key as people read it: "f" → "women"; other keys as they are."""
    if dim == "sex":
        return str(Sex(str(key)).label) if key in Sex.values else str(key)
    if dim == "category":
        return str(ParticipantCategory(str(key)).label) if key in ParticipantCategory.values \
            else str(key)
    return str(key)




# ---------------------------------------------------------------------------------------
# Per-page work once: the office's vocabulary


@dataclass(frozen=True)
class Vocabulary:
    """What validating a figure and choosing its rows need to know of the office: its
    programmes and the kind of every activity type. Small reference data."""

    programmes: frozenset[int]
    type_categories: dict[int, str]

    def types_of(self, category: str) -> list[int]:
        return sorted(pk for pk, kind in self.type_categories.items() if kind == category)


_scope: ContextVar[dict[int, Vocabulary] | None] = ContextVar("figures_scope", default=None)


@contextmanager
def figures_scope() -> Iterator[None]:
    """Within it, the office's programmes and activity types are read once and shared by
    every figure (a page, a report, a batch). Every request runs inside one (the app
    opens it on `request_started`); saving or deleting a programme or an activity type
    forgets what was read, so a figure never sees a stale vocabulary."""
    token = _scope.set({})
    try:
        yield
    finally:
        _scope.reset(token)


def scope_open() -> None:
    """Open a scope for the rest of this context (a request: see apps.py)."""
    _scope.set({})


def scope_close() -> None:
    _scope.set(None)


def scope_forget() -> None:
    """Forget the vocabulary read in the current scope (a programme or type changed)."""
    cache = _scope.get()
    if cache is not None:
        cache.clear()


def vocabulary(office: Office) -> Vocabulary | None:
    """The office's vocabulary when a scope is open (read once per scope), else None:
    then each figure asks the two small questions it needs itself."""
    cache = _scope.get()
    if cache is None:
        return None
    if office.pk not in cache:
        cache[office.pk] = Vocabulary(
            frozenset(office.programmes.values_list("pk", flat=True)),
            dict(ActivityType.objects.values_list("pk", "category")),
        )
    return cache[office.pk]


def compute_many(office: Office, queries: Iterable[FigureQuery], *,
                 today: dt.date | None = None) -> list[FigureResult]:
    """Several figures of one office, the vocabulary read once for all of them."""
    with figures_scope():
        return [compute(office, q, today=today) for q in queries]


def _programme_known(office: Office, pk: int) -> bool:
    vocab = vocabulary(office)
    if vocab is not None:
        return pk in vocab.programmes
    return office.programmes.filter(pk=pk).exists()


def _type_category(office: Office, pk: int) -> str | None:
    vocab = vocabulary(office)
    if vocab is not None:
        return vocab.type_categories.get(pk)
    return ActivityType.objects.filter(pk=pk).values_list("category", flat=True).first()


def _types_of(office: Office, category: str) -> list[int]:
    vocab = vocabulary(office)
    if vocab is not None:
        return vocab.types_of(category)
    return list(ActivityType.objects.filter(category=category).values_list("pk", flat=True))


def validate(office: Office, q: FigureQuery) -> None:
    """Refuse a figure that cannot be computed as asked, saying why."""
    errors: list[str] = []
    if q.measure in COORDINATION_MEASURES:
        _validate_coordination(office, q)
        return
    if q.measure in CASE_MEASURES:
        if errors := casework.validate(q):
            raise FigureError(errors)
        return
    if q.measure not in MEASURES:
        errors.append(_("There is no measure called “%(name)s”.") % {"name": q.measure})
    unknown = [d for d in q.by if d not in DIMENSIONS]
    if unknown:
        errors.append(_("Figures cannot be broken down by “%(name)s”.") % {"name": unknown[0]})
    if q.measure in ("activities", "participants") and set(q.by) & set(ATTENDANCE_DIMENSIONS):
        errors.append(_("Activities and reported totals cannot be split by sex, category or "
                        "age group; use the attendance breakdown instead."))
    if q.measure == "centres_open" and q.by:
        errors.append(_("Centres open cannot be broken down."))
    if q.measure == "distinct_participants" and q.by:
        errors.append(_("Distinct people cannot be broken down."))
    if len(set(q.by)) != len(q.by) or len(set(q.by) & set(TIME_DIMENSIONS)) > 1:
        errors.append(_("Each breakdown may be used once, and only one of month, quarter and "
                        "year."))
    if q.min_cell < 0:
        errors.append(_("The suppression threshold cannot be negative."))
    f = q.filters
    if f.date_from and f.date_to and f.date_to < f.date_from:
        errors.append(_("The end of the period is before its start."))
    if f.programme and not _programme_known(office, f.programme):
        errors.append(
            _("Programme %(id)s is not a programme of this office.") % {"id": f.programme}
        )
    if f.type:
        kind = _type_category(office, f.type)
        if kind is None:
            errors.append(_("Activity type %(id)s does not exist.") % {"id": f.type})
        elif f.category and kind != f.category:
            errors.append(_("The activity type and the kind of activity contradict each other: "
                            "no activity can match both."))
    if f.category and f.category not in ActivityType.Category.values:
        errors.append(_("There is no kind of activity called “%(name)s”.") % {"name": f.category})
    if errors:
        raise FigureError(errors)


def _validate_coordination(office: Office, q: FigureQuery) -> None:
    errors: list[str] = []
    unknown = [d for d in q.by if d not in COORDINATION_DIMENSIONS]
    if unknown:
        errors.append(_("Coordination figures cannot be broken down by “%(name)s”.")
                      % {"name": unknown[0]})
    if len(set(q.by)) != len(q.by) or len(set(q.by) & set(TIME_DIMENSIONS)) > 1:
        errors.append(_("Each breakdown may be used once, and only one of month, quarter and "
                        "year."))
    f = q.filters
    if f.date_from and f.date_to and f.date_to < f.date_from:
        errors.append(_("The end of the period is before its start."))
    if q.group and not office.groups.filter(pk=q.group).exists():
        errors.append(_("Group %(id)s is not a coordination group of this office.")
                      % {"id": q.group})
    if errors:
        raise FigureError(errors)


def _compute_coordination(office: Office, q: FigureQuery, today: dt.date) -> FigureResult:
    scope = coordination.Scope(q.group, q.filters.date_from, q.filters.date_to, q.on)
    values, ratios = coordination.grouped(office, q.measure, q.by, scope, today)
    on = coordination.status_day(scope, today) if q.measure == "actions_overdue" else None

    def fig(breakdown: dict[str, object], value: int) -> Figure:
        return Figure(q.measure, value, office, q.filters, breakdown, False, q.group, on)

    rows = [fig(dict(zip(q.by, key, strict=True)), value)
            for key, value in sorted(values.items(), key=lambda kv: _sort_key(kv[0]))]
    if q.measure == "member_attendance":
        present = sum(p for p, _s in ratios.values())
        seats = sum(s for _p, s in ratios.values())
        total_value = coordination.percent(present, seats)
    else:
        total_value = sum(values.values())
    return FigureResult(q, fig({}, total_value), rows if q.by else [], "raw")


def _compute_casework(office: Office, q: FigureQuery) -> FigureResult:
    """A case figure: every cell of its protected table (`casework.py`), a withheld one
    with no number; the table itself, with its totals and labels, as `protected`."""
    protected, as_text = casework.protected_table(office, q)

    def fig(key: tuple[str, ...]) -> Figure:
        shown = protected.shown(key)
        breakdown = {d: as_text[i][k] for i, (d, k) in enumerate(zip(q.by, key, strict=True))
                     if k != TOTAL}
        return Figure(q.measure, shown, office, q.filters, breakdown, shown is None)

    rows = [fig(k) for k in protected.values if TOTAL not in k]
    return FigureResult(q, fig(tuple(TOTAL for _d in q.by)),
                        rows if q.by else [], "raw:casework", protected=protected)


def compute(office: Office, q: FigureQuery, *, today: dt.date | None = None) -> FigureResult:
    validate(office, q)
    if q.measure in COORDINATION_MEASURES:
        return _compute_coordination(office, q, today or office.today())
    if q.measure in CASE_MEASURES:  # always through disclosure control
        return _compute_casework(office, q)
    if q.measure == "centres_open":
        value = _centres_open(office, q.on or office.today(), q.centre_kind)
        total = Figure("centres_open", value, office, q.filters,
                       breakdown={"kind": q.centre_kind} if q.centre_kind else {})
        return FigureResult(q, total, [], "raw")
    if q.measure == "distinct_participants":
        total = _figure(office, q, {}, _distinct_participants(office, q.filters))
        return FigureResult(q, total, [], _raw(q.filters))
    grouped, source = _answer(office, q)
    rows = [_figure(office, q, dict(zip(q.by, key, strict=True)), value)
            for key, value in sorted(grouped.items(), key=lambda kv: _sort_key(kv[0]))]
    total_value = sum(grouped.values()) if q.by else grouped.get((), 0)
    total = _figure(office, q, {}, total_value)
    return FigureResult(q, total, rows if q.by else [], source)


def _answer(office: Office, q: FigureQuery) -> tuple[dict[tuple[object, ...], int], str]:
    """The grouped numbers and which tables gave them: a cube when one covers the query;
    for a window that cuts a month, the month cube for the whole months inside it plus
    the day-level table for the cut days at either edge (or the day-level table alone
    when the window holds no whole month; a partner's: `DayPartnerCube`); a partner's
    activities with who took part from `DayPartnerCube` over the whole window; else the
    raw rows; a free text's activities and participants, where its matches are known
    (`known_matches`), from them."""
    f = q.filters
    if f.q and q.measure in ("activities", "participants"):
        known = known_matches(office, f, using=router.db_for_read(Activity),
                              kind_types=_types_of(office, f.category) if f.category else ())
        if known is not None:
            return _from_matches(known, q), "raw:text-matches"
    cube = cube_for(measure=q.measure, filters=f, by=q.by)
    if cube:
        return _from_cube(office, q, cube), f"cube:{cube.model._meta.db_table}"
    all_days = whole_window_cube(measure=q.measure, filters=f)
    if all_days is not None:  # no month table holds it: the day table for the whole window
        window = (f.date_from or dt.date.min, f.date_to or dt.date.max)
        return (_from_day(office, q, all_days, [window]),
                f"cube:{all_days.model._meta.db_table}")
    months, edges = split_window(f.date_from, f.date_to)
    if not edges:
        return _from_raw(office, q), _raw(f)
    whole = replace(q, filters=replace(f, date_from=months[0], date_to=months[1])) \
        if months is not None else None
    month_cube = cube_for(measure=q.measure, filters=whole.filters, by=q.by) if whole \
        else None
    day = day_cube_for(measure=q.measure, filters=f, by=q.by)
    if whole and not month_cube or not (day or month_cube):
        return _from_raw(office, q), _raw(f)
    parts: list[dict[tuple[object, ...], int]] = []
    sources: list[str] = []
    if whole and month_cube:
        parts.append(_from_cube(office, whole, month_cube))
        sources.append(f"cube:{month_cube.model._meta.db_table}")
    if day:
        parts.append(_from_day(office, q, day, edges))
        sources.append(f"cube:{day.model._meta.db_table}")
    else:  # both edges in one query of the raw rows (fewer round trips)
        parts.append(_from_raw(office, q, windows=edges))
        sources.append("raw:edges")
    out: dict[tuple[object, ...], int] = defaultdict(int)
    for part in parts:
        for key, value in part.items():
            out[key] += value
    return {k: v for k, v in out.items() if v}, "+".join(sources)


def _raw(f: ActivityFilter) -> str:
    """"raw", or "raw:text-index" when the free text is looked up in the text index
    (migration activities 0007) rather than tested on every row."""
    return "raw:text-index" if len(f.q) >= TEXT_INDEX_MIN else "raw"


def split_window(date_from: dt.date | None, date_to: dt.date | None
                 ) -> tuple[tuple[dt.date | None, dt.date | None] | None,
                            list[tuple[dt.date, dt.date]]]:
    """A window as its whole months (first day, last day; None when it holds no whole
    month) and the cut months at its edges (first day, last day of each part)."""
    edges: list[tuple[dt.date, dt.date]] = []
    first, last = date_from, date_to
    if date_from and date_from.day != 1:
        end = _month_end(date_from)
        if date_to and date_to <= end:
            return None, [(date_from, date_to)]
        edges.append((date_from, end))
        if end == dt.date.max:  # the calendar's last month: no whole month follows
            return None, edges
        first = end + dt.timedelta(days=1)
    if date_to and date_to != _month_end(date_to):
        start = date_to.replace(day=1)
        edges.append((start, date_to))
        if start == dt.date.min:  # the calendar's first month: no whole month before
            return None, edges
        last = start - dt.timedelta(days=1)
    if first and last and last < first:
        return None, edges
    return (first, last), edges


def _month_end(day: dt.date) -> dt.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _sort_key(key: tuple[object, ...]) -> tuple[tuple[int, object], ...]:
    return tuple((0, v) if isinstance(v, int) else (1, str(v)) for v in key)


def _figure(office: Office, q: FigureQuery, breakdown: dict[str, object], value: int
            ) -> Figure:
    suppressed = bool(q.min_cell) and 0 < value < q.min_cell
    return Figure(q.measure, None if suppressed else value, office, q.filters, breakdown,
                  suppressed)


# ---------------------------------------------------------------------------------------
# Summary tables


def _from_cube(office: Office, q: FigureQuery, cube: Cube) -> dict[tuple[object, ...], int]:
    types = _types_of(office, q.filters.category) if q.filters.category else None
    rows = cube_rows(office.pk, cube, q.filters, types=types)
    value = "people" if cube.cell_keys else q.measure
    return _group(rows, q.by, value, month_field="month")


def _from_day(office: Office, q: FigureQuery, cube: Cube,
              windows: list[tuple[dt.date, dt.date]]) -> dict[tuple[object, ...], int]:
    """The figure over the days of `windows` from a day-level table."""
    types = _types_of(office, q.filters.category) if q.filters.category else None
    rows = day_rows(office.pk, cube, q.filters, windows, types=types)
    value = "people" if cube.cell_keys else q.measure
    return _group(rows, q.by, value, month_field="day")


def _group(rows: QuerySet[Any], by: Iterable[str], value: str | Count, *, month_field: str,
           fields: dict[str, str] | None = None) -> dict[tuple[object, ...], int]:
    """Sum `value` (a column, or an aggregate such as Count) over `rows` grouped by the
    breakdown; months folded into quarters or years in Python (at most a few hundred)."""
    fields = fields or {}
    by = tuple(by)
    total = value if isinstance(value, Count) else Sum(value)
    columns = [fields.get(d, d) if d not in TIME_DIMENSIONS else month_field for d in by]
    if not columns:
        return {(): rows.aggregate(n=Coalesce(total, 0))["n"]}
    out: dict[tuple[object, ...], int] = defaultdict(int)
    for row in rows.values(*columns).annotate(n=total).order_by():
        key = tuple(
            time_key(d, _as_date(row[c])) if d in TIME_DIMENSIONS else _plain(row[c])
            for d, c in zip(by, columns, strict=True)
        )
        out[key] += row["n"] or 0
    return {k: v for k, v in out.items() if v}


def _as_date(value: dt.date | dt.datetime) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value


def _plain(value: object) -> object:
    return 0 if value is None else value


# ---------------------------------------------------------------------------------------
# Raw rows: partner and free-text filters, or dates that cut a month


def _from_raw(office: Office, q: FigureQuery,
              windows: list[tuple[dt.date, dt.date]] | None = None
              ) -> dict[tuple[object, ...], int]:
    """The figure from the raw rows; with `windows`, from the activities starting in any
    of those (first day, last day) spans instead of the filter's own dates (the cut
    edge months of a window, read in one query)."""
    f = q.filters
    if windows:
        f = replace(f, date_from=None, date_to=None)
    if q.measure in ("activities", "participants"):
        activities = filter_activities(office, f)
        if windows:
            activities = activities.filter(_within(windows, "starts_on"))
        if f.partner:  # the partner join may repeat rows; count each activity once
            activities = Activity.objects.filter(pk__in=activities.values("pk"))
        rows = activities.annotate(month_of=TruncMonth("starts_on"))
        value = Count("id") if q.measure == "activities" else "participants_total"
        return _group(rows, q.by, value, month_field="month_of", fields=ACTIVITY_FIELDS)
    cells = _cells(office, f)
    if windows:
        cells = cells.filter(_within(windows, "activity__starts_on"))
    cells = cells.annotate(
        month_of=TruncMonth("activity__starts_on"),
        programme=F("activity__programme_id"),
        type=F("activity__type_id"),
        region=F("activity__region_id"),
    )
    return _group(cells, q.by, "count", month_field="month_of")


def _from_matches(known: list[TextMatch], q: FigureQuery) -> dict[tuple[object, ...], int]:
    """Activities or participants of a text's known matches, grouped as `_group` groups
    the raw rows (no cell of zero, a region-less activity under region 0)."""
    out: dict[tuple[object, ...], int] = defaultdict(int)
    for m in known:
        key = tuple(time_key(d, m.starts_on) if d in TIME_DIMENSIONS
                    else _plain(getattr(m, ACTIVITY_FIELDS[d])) for d in q.by)
        out[key] += 1 if q.measure == "activities" else m.participants_total or 0
    if not q.by:
        return {(): out[()]}
    return {k: v for k, v in out.items() if v}


def _within(windows: list[tuple[dt.date, dt.date]], column: str) -> Q:
    spans = Q()
    for first, last in windows:
        spans |= Q(**{f"{column}__range": (first, last)})
    return spans


def _cells(office: Office, f: ActivityFilter) -> QuerySet[Attendance]:
    """The attendance rows under the filter, as one join of attendance and activity on
    the activity's own columns (the planner then drives it from the activities' indexes;
    an `IN (subquery)` made PostgreSQL scan all the attendance). Who took part filters
    the rows themselves: a woman's row is of an activity women attended. A partner is
    joined too (its links along the activities found; as a subquery PostgreSQL first
    listed all the partner's activities, 700 ms for a window's edges at a million); free
    text keeps the subquery."""
    cells = Attendance.objects.filter(activity__office=office)
    if f.programme:
        cells = cells.filter(activity__programme_id=f.programme)
    if f.type:
        cells = cells.filter(activity__type_id=f.type)
    if f.category:
        cells = cells.filter(activity__type_id__in=_types_of(office, f.category))
    if f.region:
        cells = cells.filter(activity__region_id=f.region)
    if f.date_from:
        cells = cells.filter(activity__starts_on__gte=f.date_from)
    if f.date_to:
        cells = cells.filter(activity__starts_on__lte=f.date_to)
    if f.partner:  # one link per activity and partner: the join repeats no row
        cells = cells.filter(activity__partners__id=f.partner)
    if f.q:
        plain = ActivityFilter(q=f.q, date_from=f.date_from, date_to=f.date_to)
        cells = cells.filter(activity__in=filter_activities(office, plain).values("pk"))
    if f.sex:
        cells = cells.filter(sex=f.sex)
    if f.participant_category:
        cells = cells.filter(category=f.participant_category)
    return cells


ACTIVITY_FIELDS = {"programme": "programme_id", "type": "type_id", "region": "region_id"}


def _distinct_participants(office: Office, f: ActivityFilter) -> int:
    """Registered people who took part in the selected activities, each counted once.
    The registry is small next to attendance, so the raw rows answer."""
    activities = filter_activities(office, f).values("pk")
    return (Participant.objects.filter(office=office, activities__in=activities)
            .distinct().count())


def _centres_open(office: Office, on: dt.date, kind: str) -> int:
    centres = Centre.objects.filter(office=office, opened_on__lte=on).exclude(closed_on__lte=on)
    if kind:
        centres = centres.filter(kind=kind)
    return centres.count()


# ---------------------------------------------------------------------------------------
# Shorthands used by pages


def activity_count(office: Office, flt: ActivityFilter | None = None) -> Figure:
    return compute(office, FigureQuery("activities", flt or ActivityFilter())).total


def participants(office: Office, flt: ActivityFilter | None = None) -> Figure:
    """The sum of the participants reported per activity (people may be counted twice
    when they attend several activities)."""
    return compute(office, FigureQuery("participants", flt or ActivityFilter())).total


def participants_by(office: Office, dimension: str, flt: ActivityFilter | None = None
                    ) -> list[Figure]:
    """Participants broken down by an attendance dimension: sex, category or age_group."""
    if dimension not in ATTENDANCE_DIMENSIONS:
        raise ValueError(f"unknown dimension {dimension!r}")
    return compute(office, FigureQuery("attendance", flt or ActivityFilter(),
                                       by=(dimension,))).rows


def distinct_participants(office: Office, flt: ActivityFilter | None = None) -> Figure:
    """People in the participant registry who took part, each counted once."""
    return compute(office, FigureQuery("distinct_participants", flt or ActivityFilter())).total


def centres_open(office: Office, on: dt.date, kind: str = "") -> Figure:
    """Centres open on a day (opened by then, not yet closed), optionally of one kind."""
    return compute(office, FigureQuery("centres_open", on=on, centre_kind=kind)).total


@dataclass(frozen=True)
class CoordinationRow:
    """One coordination group's figures for a period (group None: all groups)."""

    group: object
    figures: dict[str, Figure]


def coordination_table(office: Office, flt: ActivityFilter | None = None, *,
                       today: dt.date | None = None) -> list[CoordinationRow]:
    """Every coordination measure by group for the filter's period, and a total row last.
    Five engine questions, each one or two queries, whatever the number of groups."""
    flt = ActivityFilter(date_from=(flt or ActivityFilter()).date_from,
                         date_to=(flt or ActivityFilter()).date_to)
    results = {m: compute(office, FigureQuery(m, flt, by=("group",)), today=today)
               for m in COORDINATION_MEASURES}
    groups = list(office.groups.order_by("name", "id"))
    rows = []
    for group in groups:
        figures = {}
        for measure, result in results.items():
            row = next((r for r in result.rows if r.breakdown["group"] == group.pk), None)
            figures[measure] = row or Figure(measure, 0, office, flt, {"group": group.pk},
                                             False, None, result.total.on)
        rows.append(CoordinationRow(group, figures))
    if groups:
        rows.append(CoordinationRow(None, {m: r.total for m, r in results.items()}))
    return rows


@dataclass(frozen=True)
class AttendanceTable:
    """One activity's attendance by category × sex (age groups summed), with its margins."""

    cells: dict[tuple[str, str], int]  # (category, sex) → people
    by_category: dict[str, int]
    by_sex: dict[str, int]
    total: int


def attendance_table(activity: Activity) -> AttendanceTable:
    rows = (
        Attendance.objects.filter(activity=activity)
        .values("category", "sex")
        .annotate(n=Sum("count"))
        .order_by()
    )
    cells: dict[tuple[str, str], int] = {}
    by_category: dict[str, int] = defaultdict(int)
    by_sex: dict[str, int] = defaultdict(int)
    for row in rows:
        cells[(row["category"], row["sex"])] = row["n"]
        by_category[row["category"]] += row["n"]
        by_sex[row["sex"]] += row["n"]
    return AttendanceTable(cells, dict(by_category), dict(by_sex), sum(cells.values()))
