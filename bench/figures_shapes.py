"""How fast the figures engine answers the shapes beyond the month-aligned dashboard, group
by group, against DuckDB on the same raw rows.

    .venv/bin/python bench/figures_shapes.py --activities 200000 --attendance 2000000
    .venv/bin/python bench/figures_shapes.py --database-url postgres://postgres@127.0.0.1:5432/x

The same synthetic office as bench/figures.py (which generates it), plus three partner
organisations linked to every third, seventh and eleventh activity. Groups:

- `cut window`: windows that cut a month at both ends (15 June 2003 – 23 April 2004, and a
  programme's 10 February – 19 November 2005), every dashboard measure and breakdown;
- `attendee`: who took part (women; teachers; women teachers) with no window;
- `attendee + window`: the same inside a window that cuts months;
- `partner`: one partner's activities and participants, in all and by quarter, with and
  without a window.

Each group is timed through the engine and through DuckDB over the raw rows exported from
the same database in the same run; every number is compared (exit 1 on a difference).
Prints a line per group (engine ms, DuckDB ms, ratio, slowest single figure) and ends
with `ratio: X`, the worst group's ratio.
"""

import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import figures as base  # noqa: E402  (bench/figures.py: the generator and DuckDB export)

SHAPES = [("activities", ()), ("participants", ()), ("activities", ("quarter",)),
          ("participants", ("region",)), ("attendance", ("sex",)),
          ("attendance", ("category",)), ("attendance", ("age_group", "sex"))]
CUT = {"date_from": dt.date(2003, 6, 15), "date_to": dt.date(2004, 4, 23)}
CUT_2 = {"date_from": dt.date(2005, 2, 10), "date_to": dt.date(2005, 11, 19)}
WHO = [{"sex": "f"}, {"participant_category": "teacher"},
       {"sex": "f", "participant_category": "teacher"}]


def add_partners(office_id: int) -> list[int]:
    """Three partner organisations, linked to every 3rd, 7th and 11th activity."""
    from django.db import connection, transaction

    from peacebuild.activities.models import Activity
    from peacebuild.partners.models import Organisation

    through = Activity.partners.through._meta.db_table
    act = Activity._meta.db_table
    kind = Organisation._meta.get_field("kind").choices[0][0]
    ids = []
    with transaction.atomic(), connection.cursor() as cur:
        for step in (3, 7, 11):
            org = Organisation.objects.create(office_id=office_id, name=f"Partner {step}",
                                              kind=kind)
            ids.append(org.pk)
            cur.execute(f"INSERT INTO {through} (activity_id, organisation_id) SELECT id, "
                        f"{org.pk} FROM {act} WHERE office_id = {office_id} AND id % {step} = 0")
    return ids


def groups(office_id: int, partners: list[int]) -> dict[str, list]:
    from peacebuild.activities.queries import ActivityFilter
    from peacebuild.figures.engine import FigureQuery
    from peacebuild.programmes.models import Programme

    programme = Programme.objects.filter(office_id=office_id).order_by("id").first().pk

    def queries(*filters: dict, measures: tuple[str, ...] = ()) -> list:
        return [FigureQuery(m, ActivityFilter(**f), by) for f in filters for m, by in SHAPES
                if not measures or m in measures]

    return {
        "cut window": queries(CUT, {**CUT_2, "programme": programme}),
        "attendee": queries(*WHO),
        "attendee + window": queries(*({**w, **CUT} for w in WHO)),
        "partner": queries({"partner": partners[0]}, {"partner": partners[1], **CUT},
                           measures=("activities", "participants")),
    }


def duckdb_sql(q) -> tuple[str, list]:
    f = q.filters
    where, params = ["a.office_id = ?"], []
    for name, column in (("programme", "a.programme_id"), ("region", "a.region_id")):
        if getattr(f, name):
            where.append(f"{column} = ?")
            params.append(getattr(f, name))
    if f.date_from:
        where.append("a.starts_on >= ?")
        params.append(f.date_from)
    if f.date_to:
        where.append("a.starts_on <= ?")
        params.append(f.date_to)
    if f.partner:
        where.append("a.id IN (SELECT activity_id FROM activity_partners "
                     "WHERE organisation_id = ?)")
        params.append(f.partner)
    who, who_params = [], []
    if f.sex:
        who.append("sex = ?")
        who_params.append(f.sex)
    if f.participant_category:
        who.append("category = ?")
        who_params.append(f.participant_category)
    cols = {"quarter": "strftime(a.starts_on, '%Y') || '-Q' || quarter(a.starts_on)",
            "region": "CAST(coalesce(a.region_id, 0) AS VARCHAR)",
            "sex": "t.sex", "category": "t.category", "age_group": "t.age_group"}
    keys = [cols[d] for d in q.by]
    value = {"activities": "count(*)", "participants": "sum(a.participants_total)",
             "attendance": "sum(t.count)"}[q.measure]
    if q.measure == "attendance":
        source = "attendance t JOIN activity a ON a.id = t.activity_id"
        where += [f"t.{w}" for w in who]
        params += who_params
    else:
        source = "activity a"
        if who:
            where.append(f"a.id IN (SELECT activity_id FROM attendance WHERE "
                         f"{' AND '.join(who)})")
            params += who_params
    sql = f"SELECT {', '.join([*keys, value])} FROM {source} WHERE {' AND '.join(where)}"
    if keys:
        sql += f" GROUP BY {', '.join(keys)}"
    return sql, params


def export_partners(con, workdir: Path) -> None:
    import csv

    from django.db import connection

    from peacebuild.activities.models import Activity

    through = Activity.partners.through._meta.db_table
    path = workdir / "partners.csv"
    with connection.cursor() as cur, open(path, "w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["activity_id", "organisation_id"])
        cur.execute(f"SELECT activity_id, organisation_id FROM {through}")
        while rows := cur.fetchmany(100_000):
            writer.writerows(rows)
    con.execute(f"CREATE TABLE activity_partners AS SELECT * FROM read_csv('{path}', "
                f"header = true)")
    path.unlink()


def engine_one(office, q) -> dict:
    from peacebuild.figures.engine import compute

    result = compute(office, q)
    if q.by:
        return {tuple(str(r.breakdown[d]) for d in q.by): r.value for r in result.rows
                if r.value}
    return {(): result.total.value} if result.total.value else {}


def duck_one(con, office_id: int, q) -> dict:
    sql, params = duckdb_sql(q)
    rows = con.execute(sql, [office_id, *params]).fetchall()
    return {tuple(str(v) for v in row[:-1]): int(row[-1] or 0) for row in rows if row[-1]}


def run_group(office, con, queries: list, repeat: int, batch) -> dict:
    """Median over `repeat` runs of the whole group, and the slowest single figure (its
    median). `batch` is the engine's per-page scope, when it has one."""
    per_engine: list[list[float]] = [[] for _ in queries]
    per_duck: list[list[float]] = [[] for _ in queries]
    engine_runs, duck_runs = [], []
    answers_e, answers_d = [], []
    for _ in range(repeat):
        t_run = time.perf_counter()
        with batch():
            answers_e = []
            for i, q in enumerate(queries):
                t0 = time.perf_counter()
                answers_e.append(engine_one(office, q))
                per_engine[i].append(time.perf_counter() - t0)
        engine_runs.append(time.perf_counter() - t_run)
        t_run = time.perf_counter()
        answers_d = []
        for i, q in enumerate(queries):
            t0 = time.perf_counter()
            answers_d.append(duck_one(con, office.pk, q))
            per_duck[i].append(time.perf_counter() - t0)
        duck_runs.append(time.perf_counter() - t_run)
    differ = [(q, a, b) for q, a, b in zip(queries, answers_e, answers_d, strict=True)
              if a != b]
    slowest = max(range(len(queries)), key=lambda i: statistics.median(per_engine[i]))
    return {"engine": statistics.median(engine_runs), "duck": statistics.median(duck_runs),
            "slowest": statistics.median(per_engine[slowest]),
            "slowest_query": queries[slowest], "differ": differ}


def main() -> int:
    args = base.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="peacebuild-bench-"))
    base.prepare_database(args.database_url, workdir)
    from contextlib import nullcontext

    from django.db import connection

    from peacebuild.activities.models import Activity, Attendance
    from peacebuild.figures import engine
    from peacebuild.mandates.models import Office

    batch = getattr(engine, "figures_scope", nullcontext)
    t0 = time.perf_counter()
    office_id = base.generate(args.activities, args.attendance)
    partners = add_partners(office_id)
    load_s = time.perf_counter() - t0
    cube_s = base.build_cubes(office_id)
    base.say("exporting the raw rows to DuckDB…")
    con = base.export_to_duckdb(office_id, workdir)
    export_partners(con, workdir)
    office = Office.objects.get(pk=office_id)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"rows: {Activity.objects.count():,} activities, "
          f"{Attendance.objects.count():,} attendance")
    print(f"load: {load_s:.1f} s; summary tables: {cube_s:.1f} s")
    print(f"median of {args.repeat} runs per group")
    worst, differences = 0.0, 0
    for name, queries in groups(office_id, partners).items():
        r = run_group(office, con, queries, args.repeat, batch)
        ratio = r["engine"] / r["duck"]
        worst = max(worst, ratio)
        sq = r["slowest_query"]
        print(f"{name}: {len(queries)} figures, engine {r['engine'] * 1000:.1f} ms, "
              f"duckdb {r['duck'] * 1000:.1f} ms, ratio {ratio:.3f}; slowest figure "
              f"{r['slowest'] * 1000:.1f} ms ({sq.measure} by {sq.by} "
              f"{sq.filters.as_query()})")
        for q, mine, theirs in r["differ"]:
            differences += 1
            print(f"DIFFERS: {q.measure} by {q.by} {q.filters.as_query()}: "
                  f"engine {sorted(mine.items())[:5]} duckdb {sorted(theirs.items())[:5]}")
    print(f"numbers equal: {'yes' if not differences else f'NO, {differences} differ'}")
    print(f"ratio: {worst:.3f}")
    con.close()
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
