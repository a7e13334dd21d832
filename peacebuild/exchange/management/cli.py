"""What the `import` and `export` commands share: the office named on the command line, the
kind of a file, and a progress line on the terminal."""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from peacebuild.exchange.models import Job
from peacebuild.mandates.models import Office


def office_for(code: str | None) -> Office:
    offices = Office.objects.all()
    if code:
        office = offices.filter(code=code).first()
        if office is None:
            raise CommandError(f"No office with the code {code!r}.")
        return office
    if offices.count() != 1:
        raise CommandError("Name the office with --office CODE.")
    return offices.get()


def kind_of(path: Path, given: str | None) -> str:
    if given:
        return {"iati": Job.Kind.IATI_IMPORT, "xlsx": Job.Kind.SHEET_IMPORT,
                "csv": Job.Kind.SHEET_IMPORT}[given]
    with open(path, "rb") as fh:
        head = fh.read(512).lstrip(b"\xef\xbb\xbf \t\r\n")
    return Job.Kind.IATI_IMPORT if head.startswith(b"<") else Job.Kind.SHEET_IMPORT


def show(job: Job) -> None:
    """One progress line on stderr, rewritten in place."""
    total = f"/{job.total}" if job.total else ""
    sys.stderr.write(f"\r{job.state}: {job.done}{total} {job.message}"[:120].ljust(120))
    if job.state in (Job.State.DONE, Job.State.FAILED):
        sys.stderr.write("\n")
    sys.stderr.flush()
