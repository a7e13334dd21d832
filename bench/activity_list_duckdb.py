"""The activity list page's database work, filter by filter, against DuckDB on the same rows.

    .venv/bin/python bench/activity_list_duckdb.py --activities 200000 --attendance 2000000
    .venv/bin/python bench/activity_list_duckdb.py --workdir /tmp/pb-bench/sq1m --reuse \\
        --duckdb /tmp/pb-listbench/sqlite.duckdb --repeat 3

For each filter the list offers (none, type, kind, region, programme + type, whole-month
and month-cutting dates, partner, partner with dates or sex, text (111 matches and
1,111 at a million), sex, participant category, and both with dates)
it times what one page of the list asks of the database, as `activities.views.activity_list`
asks it, inside one figures scope like a request: the filter's check, a page of 50 (the
first page, and the keyset page 90 % of the way down), the activity count, the
participants and, with a sex or category filter, the attendees. DuckDB answers the same
page over the raw rows exported from the same database in the same run: the same rows in
the same order (starts_on desc, id desc, from the same cursor) with the names the page
shows, the count, participants and attendees. Ids and numbers are compared (exit 1 on a
difference). One line per filter: engine ms, DuckDB ms (first + deep page), ratio; then
`numbers equal: yes` and `ratio: X`, the worst filter's.

With `--reuse` the office found in the database is only read: no migration, no summary
table rebuild, no write (run it against a bench office generated earlier; without
`--reuse` a new office with three partners is generated as bench/synthetic.py does).
The DuckDB copy goes to `--duckdb` (default: list.duckdb in the work folder).
"""

import datetime as dt
import os
import shutil
import sys
import time
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic as base  # noqa: E402  (bench/synthetic.py: the office generator)

PAGE = 50
READ_APPS = {"activities", "figures", "mandates", "partners", "places", "programmes"}
CUT = {"date_from": dt.date(2003, 6, 15), "date_to": dt.date(2004, 4, 23)}
MONTHS = {"date_from": dt.date(2003, 6, 1), "date_to": dt.date(2004, 4, 30)}


def extra_args(p) -> None:
    p.add_argument("--duckdb", default="", help="the DuckDB file to write (default: "
                   "list.duckdb in the work folder); never the file another bench uses")


def open_read_only(args) -> None:
    """Django on the existing database, refusing (not running) pending migrations."""
    if args.database_url:
        os.environ["DATABASE_URL"] = args.database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["PEACEBUILD_DATA_DIR"] = args.workdir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacebuild.settings")
    import django

    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = [m for m, _backwards in
               executor.migration_plan(executor.loader.graph.leaf_nodes())]
    read = [m for m in pending if m.app_label in READ_APPS]
    if read:
        sys.exit(f"not applied to this database: {', '.join(map(str, read))}; this bench "
                 f"does not migrate an office it reuses")
    if pending:  # of apps the list does not read: they change nothing measured here
        base.say(f"not applied (not read by the list): {', '.join(map(str, pending))}")


def export(office_id: int, path: Path):
    """The raw rows the list reads, copied into a new DuckDB file."""
    import csv

    import duckdb
    from django.db import connection

    from peacebuild.activities.models import Activity, ActivityType, Attendance
    from peacebuild.places.models import Place
    from peacebuild.programmes.models import Programme

    path.unlink(missing_ok=True)
    con = duckdb.connect(str(path))
    through = Activity.partners.through._meta.db_table
    tables = [
        ("activity", f"SELECT id, office_id, programme_id, type_id, region_id, starts_on, "
                     f"ends_on, title, description, participants_total FROM "
                     f"{Activity._meta.db_table} WHERE office_id = {office_id}"),
        ("attendance", f"SELECT activity_id, category, sex, count FROM "
                       f"{Attendance._meta.db_table}"),
        ("activity_partners", f"SELECT activity_id, organisation_id FROM {through}"),
        ("activity_type", f"SELECT id, category, name FROM {ActivityType._meta.db_table}"),
        ("programme", f"SELECT id, name FROM {Programme._meta.db_table}"),
        ("place", f"SELECT id, name FROM {Place._meta.db_table}"),
    ]
    for table, select in tables:
        csv_path = path.with_suffix(f".{table}.csv")
        with connection.cursor() as cur, open(csv_path, "w", newline="") as fh:
            if connection.vendor == "postgresql":
                with cur.connection.cursor().copy(
                        f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                    for chunk in copy:
                        fh.write(bytes(chunk).decode())
            else:
                cur.execute(select)
                writer = csv.writer(fh)
                writer.writerow([c[0] for c in cur.description])
                while rows := cur.fetchmany(100_000):
                    writer.writerows(rows)
        con.execute(f"CREATE TABLE {table} AS SELECT * FROM read_csv('{csv_path}', "
                    f"header = true, types = {{'title': 'VARCHAR', 'description': 'VARCHAR'}})"
                    if table == "activity" else
                    f"CREATE TABLE {table} AS SELECT * FROM read_csv('{csv_path}', "
                    f"header = true)")
        csv_path.unlink()
    return con


def filters(office_id: int, partners: list[int]) -> dict:
    from peacebuild.activities.models import ActivityType
    from peacebuild.activities.queries import ActivityFilter
    from peacebuild.places.models import Place
    from peacebuild.programmes.models import Programme

    a_type = ActivityType.objects.get(code="bench-3")
    kind = ActivityType.objects.get(code="bench-1").category
    region = Place.objects.get(code="TJ-KT").pk
    programme = Programme.objects.filter(office_id=office_id).order_by("id").first().pk
    out = {
        "no filter": ActivityFilter(),
        "type": ActivityFilter(type=a_type.pk),
        "kind of activity": ActivityFilter(category=kind),
        "region": ActivityFilter(region=region),
        "programme + type": ActivityFilter(programme=programme, type=a_type.pk),
        "dates, whole months": ActivityFilter(**MONTHS),
        "dates cutting months": ActivityFilter(**CUT),
    }
    if partners:
        out["partner"] = ActivityFilter(partner=partners[0])
        out["partner + dates"] = ActivityFilter(partner=partners[1], **CUT)
        out["partner + sex"] = ActivityFilter(partner=partners[0], sex="f")
    out |= {
        "text": ActivityFilter(q="activity 4242"),
        # 1,111 matches at a million: shared ids that the page's own query must sort
        "text, many matches": ActivityFilter(q="activity 424"),
        "sex": ActivityFilter(sex="f"),
        "participant category": ActivityFilter(participant_category="teacher"),
        "sex + category + dates": ActivityFilter(sex="f", participant_category="teacher",
                                                 **CUT),
    }
    return out


def engine_page(office, flt, after: str | None) -> dict:
    """What activities.views.activity_list asks of the database for one page."""
    from peacebuild.activities.queries import (
        activities_page,
        filter_activities,
        shared_text_lookups,
    )
    from peacebuild.activities.views import _check_known
    from peacebuild.figures import engine as figures

    # as every request (figures/apps.py) and the list view
    with figures.figures_scope(), shared_text_lookups():
        _check_known(office, flt)
        rows, _cursor = activities_page(filter_activities(office, flt, for_page=True),
                                        after=after, size=PAGE)
        # what the template shows of each row: no further query (select_related)
        shown = [(a.pk, str(a.type), str(a.programme), str(a.region or "")) for a in rows]
        attendees = (figures.compute(office, figures.FigureQuery("attendance", flt)).total
                     .value if flt.sex or flt.participant_category else None)
        return {"ids": [r[0] for r in shown],
                "count": figures.activity_count(office, flt).value,
                "participants": figures.participants(office, flt).value or 0,
                "attendees": attendees}


def duck_where(flt, office_id: int) -> tuple[list[str], list]:
    """The list's filter in DuckDB's SQL: the office's activities, who took part as a
    subquery on the attendance."""
    where, params, who, who_params = base.duckdb_where(flt)
    if who:
        where.append(f"a.id IN (SELECT activity_id FROM attendance WHERE {' AND '.join(who)})")
        params += who_params
    return ["a.office_id = ?", *where], [office_id, *params]


def duck_page(con, office_id: int, flt, after: str | None) -> dict:
    """The same page from DuckDB: its rows with the names shown, the count, participants
    and attendees."""
    where, params = duck_where(flt, office_id)
    page_where, page_params = list(where), list(params)
    if after:
        day, pk = after.split(".")
        page_where.append("(a.starts_on < ? OR (a.starts_on = ? AND a.id < ?))")
        page_params += [dt.date.fromisoformat(day), dt.date.fromisoformat(day), int(pk)]
    rows = con.execute(
        f"SELECT a.id, a.starts_on, a.ends_on, a.title, a.participants_total, t.name, "
        f"p.name, r.name FROM activity a JOIN activity_type t ON t.id = a.type_id "
        f"JOIN programme p ON p.id = a.programme_id LEFT JOIN place r ON r.id = a.region_id "
        f"WHERE {' AND '.join(page_where)} ORDER BY a.starts_on DESC, a.id DESC "
        f"LIMIT {PAGE + 1}", page_params).fetchall()
    count, total = con.execute(
        f"SELECT count(*), coalesce(sum(a.participants_total), 0) FROM activity a "
        f"WHERE {' AND '.join(where)}", params).fetchone()
    attendees = None
    who, who_params = base.duckdb_where(flt)[2:]
    if who:
        # the activity filter without the who-subquery, then the cells themselves
        plain = replace(flt, sex="", participant_category="")
        where2, params2 = duck_where(plain, office_id)
        attendees = con.execute(
            f"SELECT coalesce(sum(t.count), 0) FROM attendance t JOIN activity a ON "
            f"a.id = t.activity_id WHERE {' AND '.join(where2)} AND "
            f"{' AND '.join('t.' + w for w in who)}", [*params2, *who_params]).fetchone()[0]
    return {"ids": [r[0] for r in rows[:PAGE]], "count": int(count),
            "participants": int(total), "attendees": None if attendees is None
            else int(attendees)}


def main() -> int:
    args = base.parse_args(extra_args)
    workdir = base.workdir_of(args)
    if args.reuse:
        if not args.workdir:
            sys.exit("--reuse needs --workdir (the folder of the office to read)")
        open_read_only(args)
        from peacebuild.mandates.models import Office
        from peacebuild.partners.models import Organisation

        office_id = Office.objects.get(code="bench").pk
        partners = list(Organisation.objects.filter(
            office_id=office_id, name__startswith="Partner ").order_by("pk")
            .values_list("pk", flat=True))
        load = 0.0
    else:
        ctx = base.setup(args, workdir, partners=True, duck=False)
        office_id, partners, load = ctx["office_id"], ctx["partners"], ctx["load_s"]
    from django.db import connection

    from peacebuild.activities.models import Activity, Attendance
    from peacebuild.activities.queries import filter_activities
    from peacebuild.mandates.models import Office

    office = Office.objects.get(pk=office_id)
    duck_path = Path(args.duckdb) if args.duckdb else workdir / "list.duckdb"
    duck_path.parent.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    con = export(office_id, duck_path)
    export_s = time.perf_counter() - t0
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"rows: {Activity.objects.filter(office=office).count():,} activities, "
          f"{Attendance.objects.count():,} attendance")
    print(f"load: {load:.1f} s; export to DuckDB: {export_s:.1f} s")
    print(f"median of {args.repeat} runs; a page of {PAGE}: first page + keyset page at 90 %,"
          f" with the count, participants (and attendees) the page shows")
    if not partners:
        print("no partner organisations in this office: the partner filters are left out")
    worst, differences = 0.0, 0
    for name, flt in filters(office_id, partners).items():
        qs = filter_activities(office, flt).order_by("-starts_on", "-id")
        n = qs.count()
        cursor = None
        if n > 1:
            row = qs.values("starts_on", "id")[int(n * 0.9)]
            cursor = f"{row['starts_on'].isoformat()}.{row['id']}"
        e_first, a_first = base.timed(lambda f=flt: engine_page(office, f, None), args.repeat)
        e_deep, a_deep = base.timed(lambda f=flt, c=cursor: engine_page(office, f, c),
                                    args.repeat)
        d_first, b_first = base.timed(lambda f=flt: duck_page(con, office_id, f, None),
                                      args.repeat)
        d_deep, b_deep = base.timed(lambda f=flt, c=cursor: duck_page(con, office_id, f, c),
                                    args.repeat)
        equal = a_first == b_first and a_deep == b_deep and a_first["count"] == n
        differences += not equal
        ratio = (e_first + e_deep) / (d_first + d_deep)
        worst = max(worst, ratio)
        print(f"{name}: {n:,} rows; engine {e_first * 1000:.1f} + {e_deep * 1000:.1f} ms, "
              f"duckdb {d_first * 1000:.1f} + {d_deep * 1000:.1f} ms, ratio {ratio:.2f}; "
              f"equal {'yes' if equal else 'NO'}")
        if not equal:
            for label, mine, theirs in (("first", a_first, b_first), ("deep", a_deep, b_deep)):
                if mine != theirs:
                    print(f"DIFFERS ({label} page): engine "
                          f"{ {k: v for k, v in mine.items() if k != 'ids'} } ids "
                          f"{mine['ids'][:3]}… duckdb "
                          f"{ {k: v for k, v in theirs.items() if k != 'ids'} } ids "
                          f"{theirs['ids'][:3]}…")
    con.close()
    if not args.duckdb:
        duck_path.unlink(missing_ok=True)
    print(f"numbers equal: {'yes' if not differences else f'NO, {differences} differ'}")
    print(f"ratio: {worst:.2f}")
    if not (args.keep or args.workdir):
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
