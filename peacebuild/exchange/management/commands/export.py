"""`peacebuild export --office UNTOP --format iati|xlsx|hxl --out FILE`: the same job the
export page runs, with progress on the terminal."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peacebuild.exchange import jobs
from peacebuild.exchange.management.cli import office_for, show
from peacebuild.exchange.models import Job

KINDS = {"iati": Job.Kind.IATI_EXPORT, "xlsx": Job.Kind.SHEET_EXPORT, "hxl": Job.Kind.HXL_EXPORT}


class Command(BaseCommand):
    help = "Export an office's records as an IATI 2.03 file, an XLSX workbook or HXL CSV."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", help="the office's code (needed if there are several)")
        parser.add_argument("--format", choices=sorted(KINDS), required=True)
        parser.add_argument("--out", required=True, help="the file to write")

    def handle(self, *args: Any, **options: Any) -> None:
        office = office_for(options["office"])
        job = Job.objects.create(office=office, kind=KINDS[options["format"]])
        job = jobs.run_job(job.pk, listener=show)
        if job.state == Job.State.FAILED:
            raise CommandError(job.reason)
        out = Path(options["out"])
        out.write_bytes(bytes(job.output or b""))
        for line in job.report.get("summary", []):
            self.stdout.write(str(line))
        self.stdout.write(f"{out}: {out.stat().st_size} bytes")
