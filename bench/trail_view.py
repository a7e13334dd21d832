"""What the case trail page costs with a kept checkpoint, against walking the whole chain.

    .venv/bin/python bench/trail_view.py --entries 10000,100000 [--database-url URL]

For each size, fills a fresh database with one office's chained trail entries, then times
`/cases/trail/` as its head of office opens it (through the test client, with the page's
own reading and everything else it does), the median of `--repeat` views:

- *whole chain*: no checkpoint, so the page walks every entry (as it did before
  checkpoints);
- *checkpoint*: after `verify_case_trail` has recorded one, a few entries behind;
- *checkpoint, worst*: the checkpoint `CHECKPOINT_EVERY` entries behind (just before the
  page records the next one).

Prints one line per size and ends with `ratio: R`, the whole-chain time over the
checkpoint time at the largest size (how many times faster the page is).
"""

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(ROOT))

import synthetic as base  # noqa: E402  (bench/synthetic.py: the database preparation)


def fill(office, n: int, start: dt.datetime) -> None:
    """`n` chained entries of the office, written in batches (as `services.record` would
    write them one by one, without its per-entry transaction)."""
    from peacebuild.casework.models import GENESIS, TrailEntry

    previous = TrailEntry.objects.order_by("-id").values_list("digest", flat=True).first()
    previous = previous or GENESIS
    batch: list[TrailEntry] = []
    for i in range(n):
        entry = TrailEntry(at=start + dt.timedelta(seconds=i), user_id=None,
                           username=f"officer{i % 7}", office_id=office.pk,
                           action=("read", "search", "change", "denied")[i % 4],
                           target=f"event:{i % 900}", address="10.0.0.7",
                           detail={"fields": ["title"]} if i % 4 == 2 else {},
                           previous=previous)
        entry.digest = previous = entry.computed_digest()
        batch.append(entry)
        if len(batch) == 5000:
            TrailEntry.objects.bulk_create(batch)
            batch = []
    TrailEntry.objects.bulk_create(batch)


def timed(fn, repeat: int) -> float:
    return base.timed(fn, repeat)[0]


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--entries", default="10000,100000")
    p.add_argument("--repeat", type=int, default=5)
    p.add_argument("--database-url", default="")
    args = p.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="peacebuild-bench-trail-"))
    try:
        base.prepare_database(args.database_url, workdir)
        return measure(sorted(int(s) for s in args.entries.split(",")), args.repeat)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def measure(sizes: list[int], repeat: int) -> int:
    """One database, grown to each size in turn (the trail cannot be emptied)."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from conftest import login_verified, make_user
    from peacebuild.accounts.roles import Role
    from peacebuild.casework import queries
    from peacebuild.casework.models import TrailEntry
    from peacebuild.mandates.models import Office

    office = Office.objects.create(code="bench", name="Benchmark office",
                                   established_on=dt.date(2020, 1, 1))
    head = make_user("bench-head", office, Role.HEAD)
    client = login_verified(Client(HTTP_HOST="localhost"), head)
    page = reverse("casework:trail")

    def view() -> None:
        response = client.get(page)
        assert response.status_code == 200 and b"The trail verifies" in response.content, (
            response.status_code, response.content[:3000])

    every, latest = queries.CHECKPOINT_EVERY, queries.latest_checkpoint
    queries.CHECKPOINT_EVERY = 10**9  # no checkpoint recorded by the page while timing
    view()  # templates, translations and connections warmed before anything is timed
    print(f"database: {connection.vendor}; median of {repeat} views of /cases/trail/")
    ratio = 0.0
    for size in sizes:
        fill(office, size - TrailEntry.objects.count(), dt.datetime(2024, 1, 1, tzinfo=dt.UTC))
        queries.latest_checkpoint = lambda: None  # type: ignore[assignment]  # as before
        whole = timed(view, repeat)
        queries.latest_checkpoint = latest  # type: ignore[assignment]
        call_command("verify_case_trail", stdout=open("/dev/null", "w"))  # noqa: SIM115
        kept = timed(view, repeat)
        fill(office, every - repeat, dt.datetime(2025, 1, 1, tzinfo=dt.UTC))
        worst = timed(view, repeat)
        ratio = whole / kept
        print(f"{size:>9,} entries  whole chain {whole * 1000:8.1f} ms  checkpoint "
              f"{kept * 1000:7.1f} ms  checkpoint {every} behind {worst * 1000:7.1f} ms  "
              f"(x{ratio:.1f})")
    print(f"ratio: {ratio:.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
