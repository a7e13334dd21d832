"""How the activity list's keyset pagination holds up deep into a million rows.

    .venv/bin/python bench/activity_list.py --activities 1000000 [--database-url URL]

Generates a synthetic office (as bench/synthetic.py does, without attendance), then times a
page of 50 at the top of the list and 90% of the way down, for several filters, with the
keyset cursor the list uses and, for reference, with OFFSET. The last line is
`ratio: X` (deepest keyset page / first page, worst filter): near 1 means depth is free.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic as data  # noqa: E402  (bench/synthetic.py: the generator)


def timed(fn, repeat: int = 5) -> float:
    return data.timed(fn, repeat)[0]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--activities", type=int, default=100_000)
    p.add_argument("--database-url", default="")
    args = p.parse_args()
    import tempfile

    workdir = Path(tempfile.mkdtemp(prefix="peacebuild-bench-list-"))
    data.prepare_database(args.database_url, workdir)
    office_id = data.generate(args.activities, 0)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("ANALYZE")
    from peacebuild.activities.models import ActivityType
    from peacebuild.activities.queries import ActivityFilter, activities_page, filter_activities
    from peacebuild.mandates.models import Office
    from peacebuild.places.models import Place
    from peacebuild.programmes.models import Programme

    office = Office.objects.get(pk=office_id)
    a_type = ActivityType.objects.filter(code="bench-3").get().pk
    region = Place.objects.get(code="TJ-KT").pk
    programme = Programme.objects.filter(office=office).order_by("id").first().pk
    filters = {
        "no filter": ActivityFilter(),
        "type": ActivityFilter(type=a_type),
        "region": ActivityFilter(region=region),
        "programme + type": ActivityFilter(programme=programme, type=a_type),
    }
    print(f"database: {connection.vendor}; {args.activities:,} activities; pages of 50")
    worst = 0.0
    for name, flt in filters.items():
        qs = filter_activities(office, flt).order_by("-starts_on", "-id")
        n = qs.count()
        depth = int(n * 0.9)
        row = qs.values("starts_on", "id")[depth]
        cursor = f"{row['starts_on'].isoformat()}.{row['id']}"
        first = timed(lambda q=qs: activities_page(q, after=None, size=50))
        deep = timed(lambda q=qs, c=cursor: activities_page(q, after=c, size=50))
        offset = timed(lambda q=qs, d=depth: list(q.select_related(
            "type", "programme", "region", "place")[d:d + 50]), repeat=3)
        worst = max(worst, deep / first)
        print(f"{name:18} {n:>9,} rows  first page {first * 1000:7.1f} ms  "
              f"keyset at 90% {deep * 1000:7.1f} ms  OFFSET at 90% {offset * 1000:8.1f} ms")
    import shutil

    shutil.rmtree(workdir, ignore_errors=True)
    print(f"ratio: {worst:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
