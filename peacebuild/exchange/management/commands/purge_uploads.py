"""`peacebuild purge_uploads [--days 7]`: remove uploaded import files left in the inbox
for more than DAYS days (dry runs never committed, jobs whose worker died). A job removes
its own file when it ends, unless a commit may still apply it; run this once a day, e.g.
from cron: `23 5 * * * peacebuild purge_uploads`."""

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peacebuild.exchange import jobs


class Command(BaseCommand):
    help = "Remove uploaded import files older than --days that no job still needs."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--days", type=int, default=7,
                            help="remove files older than this many days (default 7)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["days"] < 0:
            raise CommandError("--days cannot be negative.")
        removed = jobs.purge_inputs(dt.timedelta(days=options["days"]))
        self.stdout.write(f"{removed} uploaded file(s) removed.")
