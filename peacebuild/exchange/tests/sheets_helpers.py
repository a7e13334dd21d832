"""Building spreadsheets for the import tests, and a fingerprint of the database that a
refused import must leave as it was."""

import io
from pathlib import Path
from typing import Any

from peacebuild.accounts.models import AuditEntry
from peacebuild.activities.models import Activity, Attendance
from peacebuild.exchange import jobs
from peacebuild.exchange.models import Job
from peacebuild.exchange.sheets.columns import COLUMNS
from peacebuild.figures.models import ActivityCube, AgeCube, CategoryCube

HEADER = ["programme", "type", "title", "starts_on", "ends_on", "place", "partners",
          "participants_total", "civil_society/f", "civil_society/m", "youth/f"]


def row(n: int = 1, **over: Any) -> list[Any]:
    values = {"programme": "dialogue", "type": "discussion-club", "title": f"Meeting {n}",
              "starts_on": "2004-04-23", "ends_on": "2004-04-24", "place": "TJ-SU",
              "partners": "", "participants_total": 5, "civil_society/f": 2,
              "civil_society/m": 2, "youth/f": 1} | over
    return [values[h] for h in HEADER]


def xlsx(rows: list[list[Any]], header: list[str] = HEADER, *, epoch1904: bool = False,
         title: str = "Activities") -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    if epoch1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904
        book.epoch = CALENDAR_MAC_1904
    sheet = book.create_sheet(title)
    sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(rows: list[list[Any]], header: list[str] = HEADER, *, sep: str = ",",
              encoding: str = "utf-8") -> bytes:
    lines = [sep.join(header)] + [sep.join("" if v is None else str(v) for v in r)
                                  for r in rows]
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def upload(office, data: bytes, name: str = "activities.xlsx", *, dry_run: bool = True,
           user=None, applies: Job | None = None) -> Job:
    job = Job(office=office, kind=Job.Kind.SHEET_IMPORT, dry_run=dry_run,
              requested_by=user, applies=applies, report={"language": "en"})
    jobs.store_input(job, name, iter([data]), limit=100_000_000)
    job.save()
    return jobs.run_job(job.pk)


def import_file(office, data: bytes, name: str = "activities.xlsx", user=None) -> Job:
    return upload(office, data, name, dry_run=False, user=user)


def fingerprint() -> tuple[int, ...]:
    """Rows of the records an import writes, and audit entries other than the one that
    says who uploaded what (kept even when the file is refused)."""
    audit = AuditEntry.objects.exclude(model=Job._meta.label).count()
    return (Activity.objects.count(), Attendance.objects.count(), audit,
            ActivityCube.objects.count(), CategoryCube.objects.count(),
            AgeCube.objects.count())


def write(tmp: Path, data: bytes, name: str) -> Path:
    path = tmp / name
    path.write_bytes(data)
    return path


__all__ = ["COLUMNS"]
