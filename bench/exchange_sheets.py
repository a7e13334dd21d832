"""How fast the spreadsheet import reads and checks an XLSX of activities, next to a plain
openpyxl read-only read of the same file; and how fast it saves them.

    .venv/bin/python bench/exchange_sheets.py --rows 100000 --save 2000

Builds an office and a workbook of `--rows` activities (with attendance) in a fresh SQLite
database under a temporary directory, times (1) openpyxl reading every cell of the sheet in
read-only mode, (2) the import's dry run of the same file (read + every check), and
(3) saving `--save` of those rows through the activity service in one transaction. Prints
peak memory (max RSS) after each step and ends with `ratio: X` (openpyxl read time /
dry-run time: the share of the plain read's speed the checked import keeps; goal ≥ 0.3).
"""

import argparse
import datetime as dt
import io
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def workbook(rows: int) -> bytes:
    from openpyxl import Workbook

    header = ["programme", "type", "title", "starts_on", "ends_on", "place", "partners",
              "participants_total", "civil_society/f", "civil_society/m", "youth/f",
              "youth/m", "party/u"]
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Activities")
    sheet.append(header)
    day = dt.datetime(2003, 1, 1)
    for n in range(rows):
        start = day + dt.timedelta(days=n % 1500)
        sheet.append(["dialogue", "discussion-club", f"Meeting {n}", start, start, "TJ-SU",
                      "", 15, 3, 4, 2, 5, 1])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--rows", type=int, default=100_000)
    p.add_argument("--save", type=int, default=2_000, help="rows to save (0: none)")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-sheets-"))
    os.environ.pop("DATABASE_URL", None)
    os.environ["PEACEBUILD_DATA_DIR"] = str(work)
    os.environ["TASKS_BACKEND"] = "immediate"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacebuild.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from openpyxl import load_workbook

    from peacebuild.accounts.permissions import SYSTEM
    from peacebuild.activities.models import Activity, ActivityType
    from peacebuild.exchange.models import Job
    from peacebuild.exchange.sheets.columns import Vocabulary
    from peacebuild.exchange.sheets.importing import _create, check
    from peacebuild.exchange.sheets.reading import open_table
    from peacebuild.mandates.models import Office
    from peacebuild.places.services import places_load_tajikistan
    from peacebuild.programmes.models import Programme

    call_command("migrate", verbosity=0)
    places_load_tajikistan()
    office = Office.objects.create(code="untop", name="UNTOP",
                                   established_on=dt.date(2000, 6, 1))
    Programme.objects.create(office=office, code="dialogue", name="Dialogue")
    ActivityType.objects.get_or_create(code="discussion-club", defaults={
        "name": "Discussion club", "category": "dialogue"})
    t0 = time.perf_counter()
    data = workbook(args.rows)
    path = work / "activities.xlsx"
    path.write_bytes(data)
    print(f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB written in "
          f"{time.perf_counter() - t0:.1f} s")

    t0 = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    cells = sum(len(r) for r in book["Activities"].iter_rows(values_only=True))
    book.close()
    plain = time.perf_counter() - t0
    print(f"openpyxl read-only read: {plain:.2f} s ({cells:,} cells), "
          f"peak memory {rss_mb():.0f} MB")

    t0 = time.perf_counter()
    vocab = Vocabulary.of(office, SYSTEM)
    table = open_table(path, "activities.xlsx")
    checked = check(table, vocab)
    table.close()
    dry = time.perf_counter() - t0
    assert checked.problem_count == 0 and len(checked.rows) == args.rows, checked.problems[:3]
    print(f"import dry run (read + checks): {dry:.2f} s "
          f"({args.rows / dry:,.0f} rows/s), peak memory {rss_mb():.0f} MB")

    if args.save:
        # as a worker has it once started: running, in its first attempt (the commit is
        # fenced by the attempt, peacebuild/exchange/jobs.py)
        job = Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT,
                                 input_name="activities.xlsx", state=Job.State.RUNNING,
                                 attempts=1)
        t0 = time.perf_counter()
        problems = _create(job, SYSTEM, checked.rows[:args.save], lambda *a, **k: None,
                           "Activities")
        saved = time.perf_counter() - t0
        assert not problems and Activity.objects.count() == args.save
        print(f"saving {args.save:,} rows through the activity service: {saved:.2f} s "
              f"({args.save / saved:,.0f} rows/s), peak memory {rss_mb():.0f} MB")
    print(f"ratio: {plain / dry:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
