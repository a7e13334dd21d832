"""How fast the figures engine answers a dashboard, against DuckDB on the same rows.

    .venv/bin/python bench/figures.py --activities 1000000 --attendance 10000000
    .venv/bin/python bench/figures.py --database-url postgres://postgres@127.0.0.1:5432/x ...

Generates a synthetic office at the given scale into a fresh database (SQLite by default;
with --database-url a PostgreSQL database of that name is dropped and created), builds the
summary tables, then times the dashboard's figures through the engine and, in the same
run, DuckDB computing the same aggregates from the same raw rows (exported once into
DuckDB tables). Checks that every number is equal, prints both times, and ends with
`ratio: X` (engine time / DuckDB time). Exits 1 if any number differs.
"""

import datetime as dt
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic as base  # noqa: E402  (bench/synthetic.py: the office and DuckDB)


def dashboard_queries(office_id: int) -> list:
    """The figures an office dashboard and a programme dashboard show."""
    from peacebuild.activities.queries import ActivityFilter
    from peacebuild.figures.engine import FigureQuery
    from peacebuild.programmes.models import Programme

    programme = Programme.objects.filter(office_id=office_id).order_by("id").first().pk
    scopes = [ActivityFilter(),
              ActivityFilter(programme=programme, date_from=dt.date(2004, 1, 1),
                             date_to=dt.date(2004, 12, 31))]
    shapes = [("activities", ()), ("participants", ()), ("activities", ("quarter",)),
              ("participants", ("quarter",)), ("activities", ("region",)),
              ("participants", ("region",)), ("attendance", ("sex",)),
              ("attendance", ("category",)), ("attendance", ("category", "sex")),
              ("attendance", ("age_group",))]
    return [FigureQuery(m, f, by) for f in scopes for m, by in shapes]


def main() -> int:
    args = base.parse_args()
    workdir = base.workdir_of(args)
    ctx = base.setup(args, workdir)
    from django.db import connection

    from peacebuild.activities.models import Activity, Attendance
    from peacebuild.mandates.models import Office

    office_id, con = ctx["office_id"], ctx["con"]
    office = Office.objects.get(pk=office_id)
    queries = dashboard_queries(office_id)
    engine_s, engine = base.timed(lambda: [base.engine_one(office, q) for q in queries],
                                  args.repeat)
    duck_s, duck = base.timed(lambda: [base.duck_one(con, office_id, q) for q in queries],
                              args.repeat)

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"rows: {Activity.objects.count():,} activities, "
          f"{Attendance.objects.count():,} attendance")
    print(f"load: {ctx['load_s']:.1f} s; summary tables: {ctx['cube_s']:.1f} s; "
          f"export to DuckDB: {ctx['export_s']:.1f} s")
    print(f"dashboard: {len(queries)} figures, median of {args.repeat} runs")
    differences = 0
    for q, mine, theirs in zip(queries, engine, duck, strict=True):
        if mine != theirs:
            differences += 1
            print(f"DIFFERS: {q.measure} by {q.by} {q.filters.as_query()}: "
                  f"engine {sorted(mine.items())[:5]} duckdb {sorted(theirs.items())[:5]}")
    print(f"numbers equal: {'yes' if not differences else f'NO, {differences} differ'}")
    print(f"engine: {engine_s * 1000:.1f} ms")
    print(f"duckdb: {duck_s * 1000:.1f} ms")
    print(f"ratio: {engine_s / duck_s:.3f}")
    con.close()
    if not (args.keep or args.workdir):
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
