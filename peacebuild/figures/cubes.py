"""The summary tables ("cubes") behind the figures engine, and keeping them exact.

Every write to an activity or its attendance passes the activity's contribution before
and after through `cubes_apply`, in the same transaction: an update subtracts the old
contribution and adds the new one, and rows that fall to zero are removed. The cubes hold
derived data only and `cubes_rebuild` recomputes them from the raw rows at any time.

Which cube answers a figure is decided by `cube_for`: the smallest cube whose keys cover
the figure's filters and breakdowns (DHIS2's analytics tables, but exact and immediate).

Layers: activities' services call this module, so it imports only the activity models and
the cube tables, never the engine or anything that reads through it (a contract in
pyproject.toml checks this). The arrow runs activities.services → figures.cubes →
activities.models, one way, although the two apps meet in both directions.
"""

import calendar
import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Protocol

from django.db import connection, transaction
from django.db.models import F, Model, Q, QuerySet

from peacebuild.activities.models import (
    Activity,
    ActivityType,
    Attendance,
    ParticipantCategory,
    Sex,
)

from .models import (
    ActivityCube,
    AgeCube,
    AgeLiteCube,
    AttendeeCube,
    CategoryCube,
    CategoryLiteCube,
    CellLiteCube,
    DayActivityCube,
    DayAgeLiteCube,
    DayCategoryLiteCube,
    DayCellCube,
    DayPartnerCube,
    PartnerAgeCube,
    PartnerCellCube,
    PartnerCube,
)

ACTIVITY_KEYS = ("programme", "type", "region", "month")
DAY_KEYS = ("day", "programme", "type", "region")


class CubeFilter(Protocol):
    """What the cubes read of a figure's filter (`activities.queries.ActivityFilter`, which
    this module may not import)."""

    @property
    def date_from(self) -> dt.date | None: ...
    @property
    def date_to(self) -> dt.date | None: ...


@dataclass(frozen=True)
class Cube:
    model: type[Model]
    keys: tuple[str, ...]  # activity-level keys besides the office
    cell_keys: tuple[str, ...]  # attendance keys; () for the activity cubes
    values: tuple[str, ...]
    breadth: int  # rows per activity-level key at most: categories × sexes, ages × sexes
    split: str = ""  # "who" or "partner": a key that selects activities, one row each
    grain: str = "month"  # "day": the day-level tables that answer the edges of a window

    @property
    def size_rank(self) -> int:
        """Fewer keys first; between equals, fewer cells per key (age groups < categories)."""
        return len(self.keys) * 1000 + self.breadth

    @property
    def unique_key(self) -> tuple[str, ...]:
        return ("office", *((self.split,) if self.split else ()), *self.keys, *self.cell_keys)


ACTIVITY_VALUES = ("activities", "participants")
CUBES = (
    Cube(ActivityCube, ACTIVITY_KEYS, (), ACTIVITY_VALUES, 1),
    Cube(CategoryLiteCube, ("programme", "month"), ("category", "sex"), ("people",), 36),
    Cube(AgeLiteCube, ("programme", "month"), ("age_group", "sex"), ("people",), 15),
    Cube(CellLiteCube, ("programme", "month"), ("category", "age_group", "sex"), ("people",),
         180),
    Cube(CategoryCube, ACTIVITY_KEYS, ("category", "sex"), ("people",), 36),
    Cube(AgeCube, ACTIVITY_KEYS, ("age_group", "sex"), ("people",), 15),
    Cube(AttendeeCube, ACTIVITY_KEYS, (), ACTIVITY_VALUES, 1, split="who"),
    Cube(PartnerCube, ACTIVITY_KEYS, (), ACTIVITY_VALUES, 1, split="partner"),
    Cube(PartnerCellCube, ("programme", "month"), ("category", "sex"), ("people",), 36,
         split="partner"),
    # its keys in the order of its one index (month first), which a bulk load's upserts
    # follow (`_clustered`)
    Cube(PartnerAgeCube, ("month", "programme", "type", "region"), ("age_group", "sex"),
         ("people",), 15, split="partner"),
    # The day-level tables: the cut months at the edges of a window, and the finest rows
    # the month cubes are rolled up from by `cubes_rebuild`.
    Cube(DayActivityCube, DAY_KEYS + ("who_bits",), (), ACTIVITY_VALUES, 1, grain="day"),
    Cube(DayCellCube, DAY_KEYS, ("category", "age_group", "sex"), ("people",), 180,
         grain="day"),
    Cube(DayCategoryLiteCube, ("day", "programme"), ("category", "sex"), ("people",), 36,
         grain="day"),
    Cube(DayAgeLiteCube, ("day", "programme"), ("age_group", "sex"), ("people",), 15,
         grain="day"),
    Cube(DayPartnerCube, DAY_KEYS + ("who_bits",), (), ACTIVITY_VALUES, 1, split="partner",
         grain="day"),
)
MONTH_CUBES = tuple(c for c in CUBES if c.grain == "month")
DAY_CUBES = {c.model: c for c in CUBES if c.grain == "day"}

# Who took part, as bits: one per (participant category, sex) pair; a sex or a category
# alone is the union of its pairs. 12 × 3 = 36 bits, well inside a signed 64-bit integer.
WHO_PAIRS = tuple((c, s) for c in ParticipantCategory.values for s in Sex.values)
_PAIR_BIT = {pair: 1 << n for n, pair in enumerate(WHO_PAIRS)}


def who_mask(sex: str, category: str) -> int:
    """The bits of the pairs a who-took-part filter selects (0: a value with no bit)."""
    return sum(bit for (c, s), bit in _PAIR_BIT.items()
               if (not sex or s == sex) and (not category or c == category))


def who_keys() -> list[tuple[str, int]]:
    """Every AttendeeCube key with its bits: each sex, each category, each pair."""
    keys = [(s, who_mask(s, "")) for s in Sex.values]
    keys += [(c, who_mask("", c)) for c in ParticipantCategory.values]
    return keys + [(who_key(s, c), _PAIR_BIT[(c, s)]) for c, s in WHO_PAIRS]


def who_key(sex: str, category: str) -> str:
    """The AttendeeCube key of a who-took-part filter: "f", "teacher" or "teacher/f"."""
    return f"{category}/{sex}" if sex and category else sex or category


# ---------------------------------------------------------------------------------------
# Writing


@dataclass(frozen=True)
class Contribution:
    """What one activity adds to the cubes."""

    office: int
    keys: dict[str, object]  # programme, type, region, month
    participants: int
    cells: tuple[tuple[str, str, str, int], ...]  # (category, sex, age_group, count)
    partners: tuple[int, ...] = ()

    @property
    def who(self) -> tuple[str, ...]:
        """Every who-took-part key the activity answers to (see AttendeeCube)."""
        keys = set()
        for category, sex, _age, count in self.cells:
            if count:
                keys |= {sex, category, who_key(sex, category)}
        return tuple(sorted(keys))


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def contribution(activity: Activity, cells: Iterable[Attendance] | None = None,
                 partners: Iterable[int] | None = None) -> Contribution:
    cells = list(activity.attendance.all() if cells is None else cells)
    if partners is None:
        partners = activity.partners.values_list("pk", flat=True) if activity.pk else ()
    return Contribution(
        office=activity.office_id,
        keys={"programme": activity.programme_id, "type": activity.type_id,
              "region": activity.region_id or 0, "month": month_of(activity.starts_on),
              "day": activity.starts_on, "who_bits": who_bits(cells)},
        participants=activity.participants_total or 0,
        cells=tuple(sorted((a.category, a.sex, a.age_group, a.count) for a in cells)),
        partners=tuple(sorted(set(partners))),
    )


def who_bits(cells: Iterable[Attendance]) -> int:
    """The DayActivityCube bits of an activity's attendance (cells with people only)."""
    bits = 0
    for a in cells:
        if a.count:
            bits |= _PAIR_BIT.get((a.category, a.sex), 0)
    return bits


def _deltas(cube: Cube, c: Contribution, sign: int, out: Counter[tuple[Any, ...]]
            ) -> None:
    keys = tuple(c.keys[k] for k in cube.keys)
    heads: list[tuple[object, ...]] = [(c.office,)]
    if cube.split:  # one row under each who-took-part key, or each partner
        splits: Iterable[object] = c.who if cube.split == "who" else c.partners
        heads = [(c.office, split) for split in splits]
    for head in heads:
        if not cube.cell_keys:
            out[(*head, *keys, "activities")] += sign
            out[(*head, *keys, "participants")] += sign * c.participants
            continue
        for category, sex, age_group, count in c.cells:
            cell = {"category": category, "sex": sex, "age_group": age_group}
            out[(*head, *keys, *(cell[k] for k in cube.cell_keys), "people")] += \
                sign * count


def _upsert(cube: Cube, deltas: Counter[tuple[Any, ...]]) -> None:
    """Add the deltas to the cube's rows, creating them as needed; drop empty rows.
    INSERT … ON CONFLICT DO UPDATE works the same on SQLite (3.24+) and PostgreSQL."""
    rows: dict[tuple[Any, ...], dict[str, int]] = {}
    for (*key, value), delta in deltas.items():
        rows.setdefault(tuple(key), dict.fromkeys(cube.values, 0))[value] += delta
    rows = {k: v for k, v in rows.items() if any(v.values())}
    if not rows:
        return
    q = connection.ops.quote_name
    table = q(cube.model._meta.db_table)
    keys = cube.unique_key
    cols = ", ".join(q(c) for c in keys + cube.values)
    marks = ", ".join(["%s"] * (len(keys) + len(cube.values)))
    updates = ", ".join(f"{q(v)} = {table}.{q(v)} + excluded.{q(v)}" for v in cube.values)
    zero = " AND ".join(f"{q(v)} = 0" for v in cube.values)
    where = " AND ".join(f"{q(k)} = %s" for k in keys)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({cols}) VALUES ({marks}) "
            f"ON CONFLICT ({', '.join(q(k) for k in keys)}) DO UPDATE SET {updates}",
            [(*k, *(v[name] for name in cube.values)) for k, v in rows.items()],
        )
        if any(sign < 0 for v in rows.values() for sign in v.values()):
            cursor.executemany(f"DELETE FROM {table} WHERE {where} AND {zero}",
                               [k for k, v in rows.items()
                                if any(n < 0 for n in v.values())])


def cubes_apply(*, before: Contribution | None, after: Contribution | None) -> None:
    """Replace an activity's old contribution (None for a new activity) with its new one
    (None for a deleted activity). Call inside the transaction that writes the activity."""
    _apply([(sign, c) for sign, c in ((-1, before), (1, after)) if c is not None])


def _apply(signed: list[tuple[int, Contribution]]) -> None:
    """Add each contribution (sign 1) or take it away (-1): per cube, the deltas summed in
    memory, then one upsert; all the cubes' statements in one pipeline."""
    with _pipeline():
        for cube in CUBES:
            deltas: Counter[tuple[Any, ...]] = Counter()
            for sign, c in signed:
                _deltas(cube, c, sign, deltas)
            _upsert(cube, deltas)


@contextmanager
def _pipeline() -> Iterator[None]:
    """On PostgreSQL, the cubes' statements sent together and their results awaited once
    (psycopg's pipeline mode) rather than a round trip per table; elsewhere nothing. An
    error that the pipeline reports on leaving is raised as Django's own (an
    `OperationalError` when the database went away, as from any other statement)."""
    if connection.vendor != "postgresql":
        yield
        return
    connection.ensure_connection()
    with connection.wrap_database_errors, connection.connection.pipeline():
        yield


def cubes_add(contributions: Iterable[Contribution]) -> None:
    """Add many new activities' contributions at once: the deltas summed in memory, then
    one upsert per cube (a bulk load into a large office, where rebuilding the touched
    months would re-read more rows than the load brings)."""
    _apply([(1, c) for c in contributions])


@transaction.atomic
def cubes_rebuild(office_id: int | None = None, months: Iterable[dt.date] | None = None
                  ) -> None:
    """Recompute the cubes from the raw rows, for one office or all, and for some months
    only (the first day of each) or all: after a restore, or a write that bypassed the
    services (raw SQL). Set-based: one DELETE and one INSERT … SELECT … GROUP BY per cube.
    Only the day-level activity, cell and partner tables and the partner attendance table
    (no finer table holds a partner's cells) read the raw rows; every other cube is summed
    from a finer one already rebuilt (`ROLL_UP`): far fewer rows than the attendance, no
    join. Deleting an office needs no rebuild: its rows cascade."""
    where: list[str] = ["1 = 1"]
    params: list[int | dt.date] = []
    cube_where: list[str] = ["1 = 1"]
    cube_params: list[int | dt.date] = []
    if office_id:
        where.append("a.office_id = %s")
        params.append(office_id)
        cube_where.append("office = %s")
        cube_params.append(office_id)
    if months is not None:
        firsts = sorted({month_of(m) for m in months})
        if not firsts:
            return
        spans = _spans(firsts)
        where.append("(" + " OR ".join(["(a.starts_on >= %s AND a.starts_on < %s)"] *
                                       len(spans)) + ")")
        params += [d for span in spans for d in span]
        cube_where.append("(" + " OR ".join(["(month >= %s AND month < %s)"] * len(spans))
                          + ")")
        cube_params += [d for span in spans for d in span]
    by_model = {c.model: c for c in CUBES}
    q = connection.ops.quote_name
    with connection.cursor() as cursor:
        for cube in sorted(CUBES, key=_rebuild_order):
            table = q(cube.model._meta.db_table)
            mine = " AND ".join(cube_where)
            if cube.grain == "day":
                mine = mine.replace("month", "day")
            cursor.execute(f"DELETE FROM {table} WHERE {mine}", cube_params)
            source = ROLL_UP.get(cube.model)
            if source is not None:
                finer = by_model[source]
                # a whole office: read the finer table straight through, not row by row
                # along its (office, …) index
                theirs = " AND ".join(cube_where if months is not None else
                                      [w.replace("office =", "+office =") for w in cube_where])
                if finer.grain == "day":
                    theirs = theirs.replace("month", "day")
                for sql in _roll_up(cube, finer, theirs):
                    cursor.execute(sql, cube_params)
            else:
                sql, sql_params = _aggregate(cube, " AND ".join(where), params)
                cursor.execute(sql, sql_params)


# Which cube each is summed from on a rebuild (the others read the raw rows).
ROLL_UP: dict[type[Model], type[Model]] = {
    CategoryCube: DayCellCube, AgeCube: DayCellCube, CellLiteCube: DayCellCube,
    CategoryLiteCube: CategoryCube, AgeLiteCube: AgeCube,
    DayCategoryLiteCube: DayCellCube, DayAgeLiteCube: DayCellCube,
    ActivityCube: DayActivityCube, AttendeeCube: DayActivityCube,
    PartnerCube: DayPartnerCube,
}


def _rebuild_order(cube: Cube) -> int:
    """Raw-row cubes first, then those summed from them, then those summed from those."""
    depth, model = 0, cube.model
    while model in ROLL_UP:
        depth, model = depth + 1, ROLL_UP[model]
    return depth


def _roll_up(cube: Cube, source: Cube, where: str) -> list[str]:
    """INSERT … SELECT of a cube's rows summed from a finer cube's (rebuilt first), its
    parameters those of `where`. From the day-level activity table the attendee cube is
    one statement per who-took-part key, over the rows whose bits hold it: 51 small
    GROUP BYs took 30 s where one over the join of table and keys took 49 s (SQLite,
    200,000 activities)."""
    q = connection.ops.quote_name
    columns = {k: f"s.{q(k)}" for k in cube.unique_key}
    if source.grain == "day" and "month" in columns:
        columns["month"] = _month_sql(f"s.{q('day')}")
    sums = ", ".join(f"SUM(s.{q(v)})" for v in cube.values)
    keys = ", ".join(q(k) for k in cube.unique_key + cube.values)
    head = f"INSERT INTO {q(cube.model._meta.db_table)} ({keys}) SELECT"
    table = q(source.model._meta.db_table)
    if cube.split != "who":
        group = ", ".join(columns[k] for k in cube.unique_key)
        return [f"{head} {group}, {sums} FROM {table} s WHERE {where} GROUP BY {group}"
                + _clustered(cube, group, upsert=False)]
    group = ", ".join(columns[k] for k in cube.unique_key if k != "who")
    return [f"{head} s.{q('office')}, '{who}', {group.split(', ', 1)[1]}, {sums} "
            f"FROM {table} s WHERE ({where}) AND (s.{q('who_bits')} & {bits}) <> 0 "
            f"GROUP BY {group}" for who, bits in who_keys()]


def _clustered(cube: Cube, group: str, *, upsert: bool) -> str:
    """Rows written in the order of the table's key. A day table's, so that the few days
    of a window's edges sit together on disk: PostgreSQL's hash aggregate otherwise
    scatters them (30,000 rows of two edges on 16,680 heap pages). A bulk load's upserts,
    so that they walk the unique index and the rows they add to in order, each page
    visited once, not once per row in hash order."""
    return f" ORDER BY {group}" if upsert or cube.grain == "day" else ""


def _who_keys_sql() -> str:
    """Every who-took-part key and its bits, as a derived table (who, bits)."""
    rows = [f"SELECT '{who}' AS who, CAST({bits} AS BIGINT) AS bits"
            for who, bits in who_keys()]
    return "(" + " UNION ALL ".join(rows) + ")"


def _bits_sql(att: str) -> str:
    """The scalar subquery of an activity's who-took-part bits (`a` the activity): the
    sum of its distinct pairs' bits, which is their union."""
    cats = " ".join(f"WHEN '{c}' THEN {n * len(Sex.values)}"
                    for n, c in enumerate(ParticipantCategory.values))
    sexes = " ".join(f"WHEN '{s}' THEN {n}" for n, s in enumerate(Sex.values))
    bit = f"CAST(1 AS BIGINT) << (CASE t.category {cats} END + CASE t.sex {sexes} END)"
    return (f"COALESCE((SELECT CAST(SUM(DISTINCT {bit}) AS BIGINT) FROM {att} t "
            f"WHERE t.activity_id = a.id AND t.count > 0), 0)")


def cubes_add_range(office_id: int, first_id: int, last_id: int) -> None:
    """Add the contributions of the office's activities with ids first_id … last_id (a
    bulk load's, just inserted and not yet counted), set-based: one INSERT … SELECT …
    GROUP BY … ON CONFLICT DO UPDATE per cube, whose work grows with the load, not with
    the office. Call inside the transaction that inserted them."""
    # the office's index out of play (`+`): the load is found by its ids' range, never by
    # scanning the whole office (SQLite would otherwise choose that for the bits)
    where = "+a.office_id = %s AND a.id >= %s AND a.id <= %s"
    with connection.cursor() as cursor:
        for cube in CUBES:
            sql, params = _aggregate(cube, where, [office_id, first_id, last_id],
                                     upsert=True)
            cursor.execute(sql, params)


def _aggregate(cube: Cube, where: str, params: list[int | dt.date], *,
               upsert: bool = False) -> tuple[str, list[int | dt.date]]:
    """INSERT … SELECT of the cube's rows from the raw rows matching `where` (on the
    activity, `a`); with `upsert`, added to the rows already there. Who took part comes
    from each activity's bits (one probe of the attendance index per activity), never
    from DISTINCTs over the whole attendance."""
    q = connection.ops.quote_name
    act, att = q(Activity._meta.db_table), q(Attendance._meta.db_table)
    through = q(Activity.partners.through._meta.db_table)
    columns = {"programme": "a.programme_id", "type": "a.type_id",
               "region": "COALESCE(a.region_id, 0)", "month": _month_sql("a.starts_on"),
               "day": "a.starts_on", "who_bits": "a.who_bits",
               "category": "t.category", "sex": "t.sex", "age_group": "t.age_group",
               "who": "w.who", "partner": "p.organisation_id"}
    with_bits = (f"(SELECT a.id, a.office_id, a.programme_id, a.type_id, a.region_id, "
                 f"a.starts_on, a.participants_total, {_bits_sql(att)} AS who_bits "
                 f"FROM {act} a WHERE {where}{_fence()}) a")
    if cube.split == "who" or "who_bits" in cube.keys:
        where = "1 = 1"  # applied inside the derived table
    activities = with_bits if "who_bits" in cube.keys else f"{act} a"
    sources = {
        "": activities,
        "who": f"{with_bits} JOIN {_who_keys_sql()} w ON (a.who_bits & w.bits) <> 0",
        "partner": f"{through} p JOIN {activities} ON a.id = p.activity_id",
    }
    keys = cube.unique_key
    group = ", ".join(["a.office_id", *(columns[k] for k in keys[1:])])
    if cube.cell_keys:
        select = f"SELECT {group}, SUM(t.count) FROM {att} t JOIN {act} a " \
                 f"ON a.id = t.activity_id"
        if cube.split == "partner":
            select += f" JOIN {through} p ON p.activity_id = a.id"
    else:
        select = f"SELECT {group}, COUNT(*), COALESCE(SUM(a.participants_total), 0) " \
                 f"FROM {sources[cube.split]}"
    table = q(cube.model._meta.db_table)
    sql = (f"INSERT INTO {table} ({', '.join(q(k) for k in keys + cube.values)}) "
           f"{select} WHERE {where} GROUP BY {group}")
    sql += _clustered(cube, group, upsert=upsert)
    if upsert:
        updates = ", ".join(f"{q(v)} = {table}.{q(v)} + excluded.{q(v)}"
                            for v in cube.values)
        sql += f" ON CONFLICT ({', '.join(q(k) for k in keys)}) DO UPDATE SET {updates}"
    return sql, params


def _fence() -> str:
    """The end of a derived table that the planner must compute once, not merge into the
    query around it: PostgreSQL otherwise folds the activities' bits into their join with
    the who-took-part keys and probes the attendance once per activity and key (255,000
    probes for 5,000 activities, 1.3 of the attendee upsert's 2.4 s). An OFFSET keeps
    both databases from flattening it; SQLite needs a LIMIT before it."""
    return " OFFSET 0" if connection.vendor == "postgresql" else " LIMIT -1 OFFSET 0"


def _spans(firsts: list[dt.date]) -> list[tuple[dt.date, dt.date]]:
    """Sorted first days of months as [start, end) spans of consecutive months."""
    spans: list[list[dt.date]] = []
    for first in firsts:
        end = _next_month(first)
        if spans and spans[-1][1] == first:
            spans[-1][1] = end
        else:
            spans.append([first, end])
    return [(a, b) for a, b in spans]


def _next_month(first: dt.date) -> dt.date:
    return (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _month_sql(column: str) -> str:
    """The first day of the month of a date column, in this database's dialect."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"


# ---------------------------------------------------------------------------------------
# Reading


def month_range(date_from: dt.date | None, date_to: dt.date | None
                ) -> tuple[dt.date | None, dt.date | None] | None:
    """The dates as whole months (first and last month), or None when they cut a month:
    then no cube, which knows months only, can answer."""
    if date_from and date_from.day != 1:
        return None
    if date_to and date_to.day != calendar.monthrange(date_to.year, date_to.month)[1]:
        return None
    return (date_from, date_to.replace(day=1) if date_to else None)


def cube_for(*, measure: str, filters: CubeFilter, by: Iterable[str]) -> Cube | None:
    """The smallest cube that can answer, or None (then the raw rows answer): free text,
    dates that cut a month (the engine then asks again for the whole months inside), a
    partner's activities with who took part (the partner day table answers,
    `whole_window_cube`), a partner's attendance by category with a type or region
    (`PartnerCellCube` holds programme × month × category × sex, `PartnerAgeCube`
    programme × type × region × month × age group × sex)."""
    f = filters
    if getattr(f, "q", "") or month_range(f.date_from, f.date_to) is None:
        return None
    by = set(by)
    time = {"month", "quarter", "year"}
    needed = {k for k in ("programme", "type", "region") if getattr(f, k, None) or k in by}
    if getattr(f, "category", ""):
        needed.add("type")
    if f.date_from or f.date_to or by & time:
        needed.add("month")
    cells = by & {"category", "sex", "age_group"}
    attendance = measure == "attendance"
    who = {k for k, attr in (("sex", "sex"), ("category", "participant_category"))
           if getattr(f, attr, "")}
    split = ""
    if getattr(f, "partner", None):
        if who and not attendance:
            # a partner's activities with who took part: the partner day table over the
            # whole window (`whole_window_cube`)
            return None
        split = "partner"  # its attendance: `PartnerCellCube` or `PartnerAgeCube`
    elif who and not attendance:
        split = "who"  # "activities attended by women": the attendee cube
    if attendance:
        cells |= who
    fits = [
        c for c in MONTH_CUBES
        if c.split == split and bool(c.cell_keys) == attendance and needed <= set(c.keys)
        and cells <= set(c.cell_keys)
    ]
    return min(fits, key=lambda c: c.size_rank) if fits else None


def cube_rows(office_id: int, cube: Cube, filters: CubeFilter,
              types: list[int] | None = None) -> QuerySet[Any]:
    """The cube's rows for the office under the filter (the cube was chosen to have every
    key the filter needs). `types`: the activity types of the filter's kind of activity,
    when the caller knows them already."""
    f: Any = filters  # the other fields are read with getattr, as cube_for does
    rows = cube.model._default_manager.filter(office=office_id)
    if cube.split == "who":
        rows = rows.filter(who=who_key(getattr(f, "sex", ""),
                                       getattr(f, "participant_category", "")))
    rows = _keyed(rows, cube, f, types)
    first, last = month_range(f.date_from, f.date_to) or (None, None)
    if first:
        rows = rows.filter(month__gte=first)
    if last:
        rows = rows.filter(month__lte=last)
    return rows


def _keyed(rows: QuerySet[Any], cube: Cube, f: Any, types: list[int] | None
           ) -> QuerySet[Any]:
    """Rows narrowed by the filter's programme, type, kind of activity, region, partner
    (of a partner table, month or day), and the who-took-part cells of an attendance
    cube."""
    if cube.split == "partner":
        rows = rows.filter(partner=f.partner)
    if getattr(f, "programme", None):
        rows = rows.filter(programme=f.programme)
    if getattr(f, "type", None):
        rows = rows.filter(type=f.type)
    if getattr(f, "category", ""):
        rows = rows.filter(type__in=types if types is not None else list(
            ActivityType.objects.filter(category=f.category).values_list("pk", flat=True)))
    if getattr(f, "region", None):
        rows = rows.filter(region=f.region)
    if getattr(f, "sex", "") and "sex" in cube.cell_keys:
        rows = rows.filter(sex=f.sex)
    if getattr(f, "participant_category", "") and "category" in cube.cell_keys:
        rows = rows.filter(category=f.participant_category)
    return rows


def day_cube_for(*, measure: str, filters: CubeFilter, by: Iterable[str] = ()
                 ) -> Cube | None:
    """The smallest day-level table that answers a window's cut edge months, or None
    (free text, a partner's attendance: the raw rows answer those edges). Activities and
    participants: `DayActivityCube`, with or without who took part (its bits), and a
    partner's `DayPartnerCube`, with or without who took part (its bits too: no month
    table holds a partner with who took part, so the engine reads the whole window from
    it, see `whole_window_cube`); attendance: a lite table
    when the figure asks for programme and time only, else `DayCellCube`, which has
    every key."""
    f = filters
    if getattr(f, "q", ""):
        return None
    if getattr(f, "partner", None):
        return DAY_CUBES[DayPartnerCube] if measure in ACTIVITY_VALUES else None
    if measure in ACTIVITY_VALUES:
        return DAY_CUBES[DayActivityCube]
    if measure != "attendance":
        return None
    by = set(by)
    needed = {k for k in ("programme", "type", "region") if getattr(f, k, None) or k in by}
    if getattr(f, "category", ""):
        needed.add("type")
    cells = by & {"category", "sex", "age_group"}
    cells |= {k for k, attr in (("sex", "sex"), ("category", "participant_category"))
              if getattr(f, attr, "")}
    fits = [c for c in DAY_CUBES.values() if c.cell_keys and needed <= set(c.keys)
            and cells <= set(c.cell_keys)]
    return min(fits, key=lambda c: c.size_rank)


def whole_window_cube(*, measure: str, filters: CubeFilter) -> Cube | None:
    """The day-level table that answers the whole window, not only its cut edges, or
    None: for a partner's activities with who took part, which no month table holds, a
    partner's rows of `DayPartnerCube` (one per day and key) rather than the raw rows."""
    f: Any = filters
    who = getattr(f, "sex", "") or getattr(f, "participant_category", "")
    if getattr(f, "partner", None) and who and not getattr(f, "q", "") \
            and measure in ACTIVITY_VALUES:
        return DAY_CUBES[DayPartnerCube]
    return None


def day_rows(office_id: int, cube: Cube, filters: CubeFilter,
             windows: list[tuple[dt.date, dt.date]], types: list[int] | None = None
             ) -> QuerySet[Any]:
    """The day-level table's rows for the office under the filter, on the days of
    `windows` ((first, last) spans) instead of the filter's own dates. Who took part:
    on the activity table, the rows whose bits hold one of the pairs asked for."""
    f: Any = filters
    spans = Q()
    for first, last in windows:
        spans |= Q(day__range=(first, last))
    rows = _keyed(cube.model._default_manager.filter(spans, office=office_id), cube, f, types)
    sex, category = getattr(f, "sex", ""), getattr(f, "participant_category", "")
    if (sex or category) and not cube.cell_keys:
        rows = rows.alias(hit=F("who_bits").bitand(who_mask(sex, category))).exclude(hit=0)
    return rows
