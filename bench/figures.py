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

import argparse
import csv
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CATEGORIES = ["central_government", "local_administration", "party", "civil_society",
              "teacher", "law_enforcement", "journalist", "election_official", "youth",
              "community_leader", "former_combatant", "other"]
SEXES = ["f", "m", "u"]
AGES = ["unknown", "0-17", "18-29", "30-59", "60+"]
CELLS = len(CATEGORIES) * len(SEXES) * len(AGES)  # 180 distinct cells per activity
FIRST_DAY = dt.date(2000, 6, 1)
DAYS = 2600  # about seven years, the life of UNTOP


def parse_args() -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--activities", type=int, default=100_000)
    p.add_argument("--attendance", type=int, default=1_000_000,
                   help="attendance rows in all (spread evenly over the activities)")
    p.add_argument("--database-url", default="",
                   help="PostgreSQL URL whose database is recreated (default: SQLite)")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--keep", action="store_true", help="keep the generated database files")
    return p.parse_args()


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def prepare_database(url: str, workdir: Path) -> None:
    if url:
        import psycopg

        name = url.rsplit("/", 1)[1]
        admin = url.rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
            conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = url
    else:
        os.environ.pop("DATABASE_URL", None)
    os.environ["PEACEBUILD_DATA_DIR"] = str(workdir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacebuild.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def generate(n_activities: int, n_attendance: int) -> int:
    """Fill the database with one synthetic office; returns its id."""
    from django.db import connection, transaction

    from peacebuild.activities.models import Activity, ActivityType, Attendance
    from peacebuild.mandates.models import Office
    from peacebuild.places.models import Place
    from peacebuild.places.services import places_load_tajikistan
    from peacebuild.programmes.models import Programme

    per = max(1, min(CELLS, n_attendance // max(n_activities, 1)))
    places_load_tajikistan()
    office = Office.objects.create(code="bench", name="Benchmark office",
                                   established_on=FIRST_DAY)
    programmes = [Programme.objects.create(office=office, code=f"p{i}", name=f"Programme {i}")
                  for i in range(6)]
    categories = [c for c, _ in ActivityType.Category.choices]
    types = [ActivityType.objects.get_or_create(
        code=f"bench-{i}", defaults={"name": f"Type {i}", "category": categories[i % 5]})[0]
        for i in range(11)]
    regions = list(Place.objects.filter(level=Place.Level.REGION).order_by("code"))
    pg = connection.vendor == "postgresql"
    act = Activity._meta.db_table
    att = Attendance._meta.db_table
    p_ids = ",".join(str(p.pk) for p in programmes)
    t_ids = ",".join(str(t.pk) for t in types)
    r_ids = ",".join(str(r.pk) for r in regions)
    now = "now()" if pg else "datetime('now')"
    with transaction.atomic(), connection.cursor() as cur:
        say(f"generating {n_activities:,} activities…")
        if pg:
            series = f"generate_series(1::bigint, {n_activities}) AS s(i)"
            pick = "(ARRAY[{ids}])[CAST(1 + (i * {mul} + {add}) % {n} AS integer)]"
            start = f"DATE '{FIRST_DAY}' + CAST((i * 7919) % {DAYS} AS integer)"
        else:
            cur.execute("PRAGMA cache_size = -800000")
            series = (f"(WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s "
                      f"WHERE i < {n_activities}) SELECT i FROM s)")
            pick = "json_extract('[{ids}]', '$[' || ((i * {mul} + {add}) % {n}) || ']')"
            start = f"date('{FIRST_DAY}', '+' || ((i * 7919) % {DAYS}) || ' days')"
        programme = pick.format(ids=p_ids, mul=31, add=7, n=len(programmes))
        type_ = pick.format(ids=t_ids, mul=17, add=3, n=len(types))
        region = pick.format(ids=r_ids, mul=13, add=1, n=len(regions))
        cur.execute(
            f"INSERT INTO {act} (office_id, programme_id, type_id, region_id, place_id, title, "
            f"description, starts_on, ends_on, source_kind, source_note, outputs, follow_up, "
            f"created_at, updated_at, language) SELECT {office.pk}, {programme}, {type_}, "
            f"{region}, {region}, 'Synthetic activity ' || i, '', {start}, {start}, "
            f"'invented', 'bench', '', '', {now}, {now}, 'en' FROM {series}"
        )
        say(f"generating {n_activities * per:,} attendance rows ({per} per activity)…")
        combo = f"((a.id * 7 + j * 13) % {CELLS})"  # 13 is prime to 180: distinct cells
        cat = "(ARRAY[{}])[CAST(1 + {} / 15 AS integer)]" if pg else \
            "json_extract('[{}]', '$[' || ({} / 15) || ']')"
        sex = "(ARRAY[{}])[CAST(1 + ({} / 5) % 3 AS integer)]" if pg else \
            "json_extract('[{}]', '$[' || (({} / 5) % 3) || ']')"
        age = "(ARRAY[{}])[CAST(1 + {} % 5 AS integer)]" if pg else \
            "json_extract('[{}]', '$[' || ({} % 5) || ']')"

        def quoted(values: list[str]) -> str:
            return ",".join(f"'{v}'" if pg else f'"{v}"' for v in values)

        cells = (f"generate_series(0, {per - 1}) AS c(j)" if pg else
                 f"(WITH RECURSIVE c(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM c "
                 f"WHERE j < {per - 1}) SELECT j FROM c)")
        cur.execute(
            f"INSERT INTO {att} (activity_id, category, sex, age_group, count) "
            f"SELECT a.id, {cat.format(quoted(CATEGORIES), combo)}, "
            f"{sex.format(quoted(SEXES), combo)}, {age.format(quoted(AGES), combo)}, "
            f"CAST(1 + (a.id * 37 + j * 11) % 40 AS integer) FROM {act} a CROSS JOIN {cells} "
            f"WHERE a.office_id = {office.pk}"
        )
        say("setting reported totals to the breakdown…")
        cur.execute(
            f"UPDATE {act} SET participants_total = s.n FROM (SELECT activity_id, "
            f"SUM(count) AS n FROM {att} GROUP BY activity_id) AS s "
            f"WHERE s.activity_id = {act}.id AND {act}.office_id = {office.pk}"
        )
    return office.pk


def build_cubes(office_id: int) -> float:
    from django.db import connection

    from peacebuild.figures.cubes import cubes_rebuild

    t0 = time.perf_counter()
    cubes_rebuild(office_id)
    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    return time.perf_counter() - t0


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


def engine_answers(office_id: int, queries: list) -> list[dict]:
    from peacebuild.figures.engine import compute
    from peacebuild.mandates.models import Office

    office = Office.objects.get(pk=office_id)
    out = []
    for q in queries:
        result = compute(office, q)
        out.append({tuple(str(r.breakdown[d]) for d in q.by): r.value for r in result.rows}
                   if q.by else {(): result.total.value})
    return out


def export_to_duckdb(office_id: int, workdir: Path):
    """Copy the raw activity and attendance rows into DuckDB tables, once."""
    import duckdb
    from django.db import connection

    from peacebuild.activities.models import Activity, Attendance

    con = duckdb.connect(str(workdir / "bench.duckdb"))
    for model, columns in (
        (Activity, ["id", "office_id", "programme_id", "type_id", "region_id", "starts_on",
                    "participants_total"]),
        (Attendance, ["activity_id", "category", "sex", "age_group", "count"]),
    ):
        path = workdir / f"{model._meta.db_table}.csv"
        table = model._meta.db_table
        select = f"SELECT {', '.join(columns)} FROM {table}"
        if model is Activity:
            select += f" WHERE office_id = {office_id}"
        with connection.cursor() as cur, open(path, "w", newline="") as fh:
            if connection.vendor == "postgresql":
                with cur.connection.cursor().copy(
                        f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                    for chunk in copy:
                        fh.write(bytes(chunk).decode())
            else:
                writer = csv.writer(fh)
                writer.writerow(columns)
                cur.execute(select)
                while rows := cur.fetchmany(100_000):
                    writer.writerows(rows)
        con.execute(f"CREATE TABLE {table.split('_', 1)[1]} AS "
                    f"SELECT * FROM read_csv('{path}', header = true)")
        path.unlink()
    return con


def duckdb_sql(q) -> tuple[str, list]:
    """The same aggregate as the engine's, written for DuckDB over the raw rows."""
    f = q.filters
    where, params = ["a.office_id = ?"], []
    if f.programme:
        where.append("a.programme_id = ?")
        params.append(f.programme)
    if f.date_from:
        where.append("a.starts_on >= ?")
        params.append(f.date_from)
    if f.date_to:
        where.append("a.starts_on <= ?")
        params.append(f.date_to)
    cols = {"quarter": "strftime(a.starts_on, '%Y') || '-Q' || quarter(a.starts_on)",
            "region": "CAST(coalesce(a.region_id, 0) AS VARCHAR)",
            "sex": "t.sex", "category": "t.category", "age_group": "t.age_group"}
    keys = [cols[d] for d in q.by]
    value = {"activities": "count(*)", "participants": "sum(a.participants_total)",
             "attendance": "sum(t.count)"}[q.measure]
    source = "activity a" if q.measure != "attendance" else \
        "attendance t JOIN activity a ON a.id = t.activity_id"
    select = ", ".join([*keys, value])
    sql = f"SELECT {select} FROM {source} WHERE {' AND '.join(where)}"
    if keys:
        sql += f" GROUP BY {', '.join(keys)}"
    return sql, params


def duckdb_answers(con, office_id: int, queries: list) -> list[dict]:
    out = []
    for q in queries:
        sql, params = duckdb_sql(q)
        rows = con.execute(sql, [office_id, *params]).fetchall()
        out.append({tuple(str(v) for v in row[:-1]): int(row[-1] or 0) for row in rows
                    if row[-1]})
    return out


def timed(fn, repeat: int) -> tuple[float, list]:
    times, answer = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        answer = fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), answer


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="peacebuild-bench-"))
    prepare_database(args.database_url, workdir)
    from django.db import connection

    engine_name = f"{connection.vendor} ({connection.settings_dict['NAME']})"
    t0 = time.perf_counter()
    office_id = generate(args.activities, args.attendance)
    load_s = time.perf_counter() - t0
    cube_s = build_cubes(office_id)
    say("exporting the raw rows to DuckDB…")
    t0 = time.perf_counter()
    con = export_to_duckdb(office_id, workdir)
    export_s = time.perf_counter() - t0
    queries = dashboard_queries(office_id)

    engine_s, engine = timed(lambda: engine_answers(office_id, queries), args.repeat)
    duck_s, duck = timed(lambda: duckdb_answers(con, office_id, queries), args.repeat)

    from peacebuild.activities.models import Activity, Attendance

    print(f"database: {engine_name}")
    print(f"rows: {Activity.objects.count():,} activities, "
          f"{Attendance.objects.count():,} attendance")
    print(f"load: {load_s:.1f} s; summary tables: {cube_s:.1f} s; "
          f"export to DuckDB: {export_s:.1f} s")
    print(f"dashboard: {len(queries)} figures, median of {args.repeat} runs")
    differences = 0
    for q, mine, theirs in zip(queries, engine, duck, strict=True):
        mine = {k: v for k, v in mine.items() if v}
        if mine != theirs:
            differences += 1
            print(f"DIFFERS: {q.measure} by {q.by} {q.filters.as_query()}: "
                  f"engine {sorted(mine.items())[:5]} duckdb {sorted(theirs.items())[:5]}")
    print(f"numbers equal: {'yes' if not differences else f'NO, {differences} differ'}")
    print(f"engine: {engine_s * 1000:.1f} ms")
    print(f"duckdb: {duck_s * 1000:.1f} ms")
    print(f"ratio: {engine_s / duck_s:.3f}")
    con.close()
    if not args.keep:
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
