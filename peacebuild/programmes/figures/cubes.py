"""Keeping the summary tables exact: every write to an activity or its attendance passes
its contribution before and after through `cubes_apply`, in the same transaction.

An activity contributes one activity and its reported participants to one ActivityCube
row, and each of its attendance cells to one CategoryCube and one AgeCube row. An update
subtracts the old contribution and adds the new one; rows that fall to zero are removed.
"""

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection, transaction

from peacebuild.activities.models import Activity, Attendance

from ..models import ActivityCube, AgeCube, CategoryCube

KEY = ("office", "programme", "type", "region", "month")


@dataclass(frozen=True)
class Contribution:
    """What one activity adds to the cubes."""

    key: tuple  # (office, programme, type, region, month)
    participants: int
    cells: tuple[tuple[str, str, str, int], ...]  # (category, sex, age_group, count)


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


def contribution(activity: Activity, cells: Iterable[Attendance] | None = None
                 ) -> Contribution:
    rows = activity.attendance.all() if cells is None else cells
    return Contribution(
        key=(activity.office_id, activity.programme_id, activity.type_id,
             activity.region_id or 0, month_of(activity.starts_on)),
        participants=activity.participants_total or 0,
        cells=tuple(sorted((a.category, a.sex, a.age_group, a.count) for a in rows)),
    )


def _upsert(model: type, keys: tuple[str, ...], values: tuple[str, ...],
            deltas: dict[tuple, tuple[int, ...]]) -> None:
    """Add `deltas` to the rows with these keys, creating them as needed; drop empty rows.
    INSERT … ON CONFLICT DO UPDATE works the same on SQLite (3.24+) and PostgreSQL."""
    deltas = {k: v for k, v in deltas.items() if any(v)}
    if not deltas:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    q = connection.ops.quote_name
    cols = ", ".join(q(c) for c in keys + values)
    marks = ", ".join(["%s"] * (len(keys) + len(values)))
    updates = ", ".join(f"{q(v)} = {table}.{q(v)} + excluded.{q(v)}" for v in values)
    sql = (f"INSERT INTO {table} ({cols}) VALUES ({marks}) "
           f"ON CONFLICT ({', '.join(q(k) for k in keys)}) DO UPDATE SET {updates}")
    zero = " AND ".join(f"{q(v)} = 0" for v in values)
    where = " AND ".join(f"{q(k)} = %s" for k in keys)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [(*k, *v) for k, v in deltas.items()])
        cursor.executemany(f"DELETE FROM {table} WHERE {where} AND {zero}", list(deltas))


def cubes_apply(*, before: Contribution | None, after: Contribution | None) -> None:
    """Replace an activity's old contribution (None for a new activity) with its new one
    (None for a deleted activity). Call inside the transaction that writes the activity."""
    acts: dict[tuple, list[int]] = {}
    cats: Counter[tuple] = Counter()
    ages: Counter[tuple] = Counter()
    for sign, c in ((-1, before), (1, after)):
        if c is None:
            continue
        row = acts.setdefault(c.key, [0, 0])
        row[0] += sign
        row[1] += sign * c.participants
        for category, sex, age_group, count in c.cells:
            cats[(*c.key, category, sex)] += sign * count
            ages[(*c.key, age_group, sex)] += sign * count
    _upsert(ActivityCube, KEY, ("activities", "participants"),
            {k: tuple(v) for k, v in acts.items()})
    _upsert(CategoryCube, (*KEY, "category", "sex"), ("people",),
            {k: (v,) for k, v in cats.items()})
    _upsert(AgeCube, (*KEY, "age_group", "sex"), ("people",),
            {k: (v,) for k, v in ages.items()})


@transaction.atomic
def cubes_rebuild(office_id: int | None = None) -> None:
    """Recompute the cubes from the raw rows, for one office or all: after a bulk load, a
    restore, or a delete that bypassed the services (e.g. removing a whole office)."""
    for model in (ActivityCube, CategoryCube, AgeCube):
        rows = model.objects.all()
        (rows.filter(office=office_id) if office_id else rows).delete()
    where = "WHERE a.office_id = %s" if office_id else ""
    params = [office_id] if office_id else []
    month = _month_sql("a.starts_on")
    act = connection.ops.quote_name(Activity._meta.db_table)
    att = connection.ops.quote_name(Attendance._meta.db_table)
    key_sql = f"a.office_id, a.programme_id, a.type_id, COALESCE(a.region_id, 0), {month}"
    statements = [
        (ActivityCube, "activities, participants",
         f"SELECT {key_sql}, COUNT(*), COALESCE(SUM(a.participants_total), 0) "
         f"FROM {act} a {where} GROUP BY {key_sql}"),
        (CategoryCube, "category, sex, people",
         f"SELECT {key_sql}, t.category, t.sex, SUM(t.count) FROM {att} t "
         f"JOIN {act} a ON a.id = t.activity_id {where} GROUP BY {key_sql}, t.category, t.sex"),
        (AgeCube, "age_group, sex, people",
         f"SELECT {key_sql}, t.age_group, t.sex, SUM(t.count) FROM {att} t "
         f"JOIN {act} a ON a.id = t.activity_id {where} GROUP BY {key_sql}, t.age_group, t.sex"),
    ]
    with connection.cursor() as cursor:
        for model, extra, select in statements:
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(
                f"INSERT INTO {table} (office, programme, type, region, month, {extra}) {select}",
                params,
            )


def _month_sql(column: str) -> str:
    """The first day of the month of a date column, in this database's dialect."""
    if connection.vendor == "postgresql":
        return f"CAST(date_trunc('month', {column}) AS date)"
    return f"date({column}, 'start of month')"
