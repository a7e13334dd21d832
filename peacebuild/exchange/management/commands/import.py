"""`peacebuild import FILE [--dry-run]`: an IATI file or a spreadsheet of activities into an
office, with progress on the terminal. The same job the import page runs."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peacebuild.exchange import jobs
from peacebuild.exchange.management.cli import kind_of, office_for, show
from peacebuild.exchange.models import Job

LIMIT = 2_000_000_000  # bytes; the formats' own caps are tighter


class Command(BaseCommand):
    help = "Import an IATI 2.03 file or a spreadsheet (XLSX, CSV) of activities."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file")
        parser.add_argument("--office", help="the office's code (needed if there are several)")
        parser.add_argument("--dry-run", action="store_true",
                            help="check the file and show what would change; change nothing")
        parser.add_argument("--format", choices=["iati", "xlsx", "csv"],
                            help="the file's format (found from its content if not given)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        office = office_for(options["office"])
        job = Job(office=office, kind=kind_of(path, options["format"]),
                  dry_run=options["dry_run"])
        with open(path, "rb") as fh:
            try:
                jobs.store_input(job, path.name, iter(lambda: fh.read(1 << 20), b""),
                                 limit=LIMIT)
            except jobs.JobFailed as failure:
                raise CommandError(str(failure)) from failure
        job.save()
        job = jobs.run_job(job.pk, listener=show)
        for line in job.report.get("summary", []):
            self.stdout.write(str(line))
        if job.state == Job.State.FAILED:
            raise CommandError(job.reason)
