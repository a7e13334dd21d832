"""How fast the figures engine answers the shapes beyond the month-aligned dashboard, group
by group, against DuckDB on the same raw rows.

    .venv/bin/python bench/figures_shapes.py --activities 200000 --attendance 2000000
    .venv/bin/python bench/figures_shapes.py --database-url postgres://postgres@127.0.0.1:5432/x

The synthetic office of bench/synthetic.py (shared with bench/figures.py), plus three partner
organisations linked to every third, seventh and eleventh activity. Groups:

- `cut window`: windows that cut a month at both ends (15 June 2003 – 23 April 2004, and a
  programme's 10 February – 19 November 2005), every dashboard measure and breakdown;
- `attendee`: who took part (women; teachers; women teachers) with no window;
- `attendee + window`: the same inside a window that cuts months;
- `partner`: one partner's activities and participants, in all and by quarter, with and
  without a window;
- `partner + who`: a partner's activities attended by women (no window), another's
  attended by teachers inside the cut window;
- `partner attendance`: the people in a partner's activities by type, region, age group
  and age group × sex (no window), and another's by region inside the cut window: the
  shapes no summary table holds (the partner attendance table is by programme, month,
  category and sex), answered from the raw rows.

`--group NAME` (repeatable) runs only those groups.

Each group is timed through the engine and through DuckDB over the raw rows exported from
the same database in the same run; every number is compared (exit 1 on a difference).
Prints a line per group (engine ms, DuckDB ms, ratio, slowest single figure) and ends
with `ratio: X`, the worst group's ratio.
"""

import datetime as dt
import shutil
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic as base  # noqa: E402  (bench/synthetic.py: the office and DuckDB)

SHAPES = [("activities", ()), ("participants", ()), ("activities", ("quarter",)),
          ("participants", ("region",)), ("attendance", ("sex",)),
          ("attendance", ("category",)), ("attendance", ("age_group", "sex"))]
CUT = {"date_from": dt.date(2003, 6, 15), "date_to": dt.date(2004, 4, 23)}
CUT_2 = {"date_from": dt.date(2005, 2, 10), "date_to": dt.date(2005, 11, 19)}
WHO = [{"sex": "f"}, {"participant_category": "teacher"},
       {"sex": "f", "participant_category": "teacher"}]


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
        "partner + who": queries({"partner": partners[0], "sex": "f"},
                                 {"partner": partners[1], "participant_category": "teacher",
                                  **CUT}, measures=("activities", "participants")),
        "partner attendance": [
            *(FigureQuery("attendance", ActivityFilter(partner=partners[0]), by)
              for by in (("type",), ("region",), ("age_group",), ("age_group", "sex"))),
            FigureQuery("attendance", ActivityFilter(partner=partners[1], **CUT), ("region",)),
        ],
    }


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
                answers_e.append(base.engine_one(office, q))
                per_engine[i].append(time.perf_counter() - t0)
        engine_runs.append(time.perf_counter() - t_run)
        t_run = time.perf_counter()
        answers_d = []
        for i, q in enumerate(queries):
            t0 = time.perf_counter()
            answers_d.append(base.duck_one(con, office.pk, q))
            per_duck[i].append(time.perf_counter() - t0)
        duck_runs.append(time.perf_counter() - t_run)
    differ = [(q, a, b) for q, a, b in zip(queries, answers_e, answers_d, strict=True)
              if a != b]
    slowest = max(range(len(queries)), key=lambda i: statistics.median(per_engine[i]))
    return {"engine": statistics.median(engine_runs), "duck": statistics.median(duck_runs),
            "slowest": statistics.median(per_engine[slowest]),
            "slowest_query": queries[slowest], "differ": differ}


def extra_args(p) -> None:
    p.add_argument("--group", action="append", default=[],
                   help="run only this group (repeatable; default: every group)")


def main() -> int:
    args = base.parse_args(extra_args)
    workdir = base.workdir_of(args)
    ctx = base.setup(args, workdir, partners=True)
    from contextlib import nullcontext

    from django.db import connection

    from peacebuild.activities.models import Activity, Attendance
    from peacebuild.figures import engine
    from peacebuild.mandates.models import Office

    batch = getattr(engine, "figures_scope", nullcontext)
    office_id, con, partners = ctx["office_id"], ctx["con"], ctx["partners"]
    office = Office.objects.get(pk=office_id)
    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"rows: {Activity.objects.count():,} activities, "
          f"{Attendance.objects.count():,} attendance")
    print(f"load: {ctx['load_s']:.1f} s; summary tables: {ctx['cube_s']:.1f} s")
    print(f"median of {args.repeat} runs per group")
    worst, differences = 0.0, 0
    chosen = groups(office_id, partners)
    unknown = set(args.group) - set(chosen)
    if unknown:
        sys.exit(f"no such group: {', '.join(sorted(unknown))} (groups: {', '.join(chosen)})")
    for name, queries in chosen.items():
        if args.group and name not in args.group:
            continue
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
    if not (args.keep or args.workdir):
        shutil.rmtree(workdir, ignore_errors=True)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
