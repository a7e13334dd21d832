"""`peacebuild strip_case_photos`: remove the metadata (GPS position, device, time) of
photographs attached before uploads lost it. Run it once after upgrading; it is
resumable and leaves photographs already stripped alone."""

from typing import Any

from django.core.management.base import BaseCommand

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.casework.services import strip_photo_metadata


class Command(BaseCommand):
    help = "Remove the metadata of case photographs attached before uploads removed it."

    def handle(self, *args: Any, **options: Any) -> None:
        changed = strip_photo_metadata(actor=SYSTEM)
        self.stdout.write(f"{changed} photographs lost their metadata.")
