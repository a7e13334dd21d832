"""`peacebuild purge_case_files`: delete the case exports that have expired (archive and
record) and attachment files left without their record. Run it from cron, e.g. hourly."""

from typing import Any

from django.core.management.base import BaseCommand

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.casework.services import purge_case_files


class Command(BaseCommand):
    help = "Delete expired case exports and attachment files whose record is gone."

    def handle(self, *args: Any, **options: Any) -> None:
        counts = purge_case_files(actor=SYSTEM)
        self.stdout.write(f"{counts['exports']} expired exports and {counts['orphans']} "
                          "orphaned attachment files deleted.")
