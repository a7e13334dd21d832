"""What keeping the summary tables exact costs a write, against the same writes without.

    .venv/bin/python bench/writes.py --activities 200000 --attendance 2000000 --bulk 100000
    .venv/bin/python bench/writes.py --database-url postgres://postgres@127.0.0.1:5432/x ...

Generates the synthetic office of bench/synthetic.py (its summary tables built), then:

- single saves: `activity_create` of one activity with 10 attendance cells and a partner,
  `--saves` times, each committed on its own, alternating with the same save made with the
  cube maintenance switched off (`contribution` and `cubes_apply` made no-ops); medians;
- a bulk load: `activities_create_many` of `--bulk` activities (10 cells each, spread over
  the office's seven years), without and with the summary tables kept, alternating for
  `--rounds` rounds, each in a transaction rolled back afterwards so that every load starts
  from the same rows (on PostgreSQL a VACUUM before each clears what the last one left, as
  autovacuum would); rows per second of the median load.

Prints `single save: X ms (bare Y ms), ratio R` (goal ≤ 2) and `bulk load: X rows/s (bare
Y rows/s), ratio R` (goal ≥ 0.5), checks that the tables equal a rebuild after the first
kept load (exit 1 if not; loads up to 20,000), and ends with `ratio: R` (the single-save ratio).
"""

import argparse
import datetime as dt
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic as base  # noqa: E402  (bench/synthetic.py: the generator)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--activities", type=int, default=100_000)
    p.add_argument("--attendance", type=int, default=1_000_000)
    p.add_argument("--bulk", type=int, default=100_000)
    p.add_argument("--saves", type=int, default=200)
    p.add_argument("--rounds", type=int, default=3,
                   help="bulk loads of each kind, alternating (the median is reported)")
    p.add_argument("--database-url", default="")
    return p.parse_args()


@contextmanager
def bare():
    """The activity services with the cube maintenance switched off."""
    from peacebuild.activities import services

    names = ("contribution", "cubes_apply", "cubes_add", "cubes_add_range")
    saved = {name: getattr(services, name) for name in names}
    for name in names:
        setattr(services, name, lambda *a, **k: None)
    try:
        yield
    finally:
        for name, fn in saved.items():
            setattr(services, name, fn)


def item(i: int, programmes, types, places, partner) -> dict:
    from peacebuild.activities.services import Cell

    day = base.FIRST_DAY + dt.timedelta(days=(i * 7919) % base.DAYS)
    cells = {}
    for j in range(10):
        combo = (i * 7 + j * 13) % base.CELLS
        cells[Cell(base.CATEGORIES[combo // 15], base.SEXES[(combo // 5) % 3],
                   base.AGES[combo % 5])] = 1 + (i + j) % 40
    return {"programme": programmes[i % len(programmes)], "type": types[i % len(types)],
            "place": places[i % len(places)], "title": f"Written {i}", "starts_on": day,
            "ends_on": day, "attendance": cells, "partners": [partner] if i % 3 == 0 else []}


def main() -> int:
    args = parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="peacebuild-bench-"))
    base.prepare_database(args.database_url, workdir)
    from django.db import connection, transaction

    from peacebuild.accounts.permissions import SYSTEM
    from peacebuild.activities.models import Activity, ActivityType
    from peacebuild.activities.services import activities_create_many, activity_create
    from peacebuild.figures.cubes import CUBES, cubes_rebuild
    from peacebuild.mandates.models import Office
    from peacebuild.partners.models import Organisation
    from peacebuild.places.models import Place

    office_id = base.generate(args.activities, args.attendance)
    base.build_cubes(office_id)
    office = Office.objects.get(pk=office_id)
    programmes = list(office.programmes.order_by("id"))
    types = list(ActivityType.objects.filter(code__startswith="bench-").order_by("id"))
    places = list(Place.objects.filter(level=Place.Level.REGION).order_by("code"))
    partner = Organisation.objects.create(office=office, name="Writes partner", kind="ngo")

    base.say(f"{args.saves} single saves, alternating kept and bare…")
    kept_s, bare_s = [], []
    for i in range(args.saves):
        fields = item(i, programmes, types, places, partner)
        t0 = time.perf_counter()
        with bare():
            activity_create(actor=SYSTEM, office=office, **item(i + 1, programmes, types,
                                                                 places, partner))
        bare_s.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        activity_create(actor=SYSTEM, office=office, **fields)
        kept_s.append(time.perf_counter() - t0)
    # the bare saves left their activities out of the tables: rebuild, then check the
    # kept writes below against a rebuild again
    cubes_rebuild(office_id)

    def load(kept: bool, check: bool = False) -> float:
        batch = [item(10_000_000 + i, programmes, types, places, partner)
                 for i in range(args.bulk)]
        t0 = time.perf_counter()
        with transaction.atomic():
            if kept:
                activities_create_many(actor=SYSTEM, office=office, items=batch)
            else:
                with bare():
                    activities_create_many(actor=SYSTEM, office=office, items=batch)
            elapsed = time.perf_counter() - t0
            if kept:
                rows = {c.model.__name__: sorted(
                    c.model.objects.filter(office=office_id).values_list(
                        *[f.attname for f in c.model._meta.fields if f.name != "id"]))
                    for c in CUBES} if check and args.bulk <= 20_000 else None
                if rows is not None:
                    cubes_rebuild(office_id)
                    again = {c.model.__name__: sorted(
                        c.model.objects.filter(office=office_id).values_list(
                            *[f.attname for f in c.model._meta.fields if f.name != "id"]))
                        for c in CUBES}
                    load.exact = rows == again  # type: ignore[attr-defined]
            transaction.set_rollback(True)
        return elapsed

    load.exact = True  # type: ignore[attr-defined]
    bare_loads, kept_loads = [], []
    for n in range(1, args.rounds + 1):
        for kept, times in ((False, bare_loads), (True, kept_loads)):
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
            base.say(f"bulk load of {args.bulk:,} activities, round {n} of {args.rounds}, "
                     f"{'with the summary tables kept' if kept else 'bare'}…")
            times.append(load(kept, check=kept and n == 1))
    bare_load, kept_load = statistics.median(bare_loads), statistics.median(kept_loads)

    print(f"database: {connection.vendor} ({connection.settings_dict['NAME']})")
    print(f"rows: {Activity.objects.count():,} activities before the bulk load")
    single, single_bare = statistics.median(kept_s), statistics.median(bare_s)
    print(f"single save: {single * 1000:.1f} ms (bare {single_bare * 1000:.1f} ms), "
          f"ratio {single / single_bare:.2f}")
    rate, rate_bare = args.bulk / kept_load, args.bulk / bare_load
    print(f"bulk load: {rate:,.0f} rows/s (bare {rate_bare:,.0f} rows/s), "
          f"ratio {rate / rate_bare:.2f} (median of {args.rounds}; each round "
          + ", ".join(f"{b / k:.2f}" for b, k in zip(bare_loads, kept_loads, strict=True))
          + ")")
    exact = load.exact  # type: ignore[attr-defined]
    checked = args.bulk <= 20_000
    print("summary tables equal a rebuild after the bulk load: "
          f"{('yes' if exact else 'NO') if checked else 'not checked (over 20,000)'}")
    print(f"ratio: {single / single_bare:.3f}")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if exact else 1


if __name__ == "__main__":
    sys.exit(main())
