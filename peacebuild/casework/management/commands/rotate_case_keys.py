"""`peacebuild rotate_case_keys`: re-seal every case value under the first configured key,
in small batches while the server runs, with progress; resumable."""

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.casework.services import rotate_keys


class Command(BaseCommand):
    help = ("Re-seal sealed case values under the current (first) case key; --reindex also "
            "recomputes the blind indexes after the index key changed.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch", type=int, default=500, help="rows per committed batch")
        parser.add_argument("--reindex", action="store_true",
                            help="recompute every blind index (after a new index key)")

    def handle(self, *args: Any, **options: Any) -> None:
        def progress(done: int, total: int, what: str) -> None:
            sys.stderr.write(f"\r{what}: {done}/{total} rows".ljust(60))
            sys.stderr.flush()

        counts = rotate_keys(actor=SYSTEM, batch=max(1, options["batch"]),
                             reindex=options["reindex"], progress=progress)
        sys.stderr.write("\n")
        self.stdout.write(f"{counts['resealed']} of {counts['values']} sealed values re-sealed; "
                          f"{counts['reindexed']} records re-indexed. Once this has run with "
                          "the new key first, the old key can be removed.")
