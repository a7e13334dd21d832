"""`peacebuild verify_case_trail`: walk the case trail's hash chain; name the first broken
link and exit with an error, or print how many entries hold and the head digest."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from peacebuild.casework.queries import verify_trail


class Command(BaseCommand):
    help = "Verify the hash chain of the case trail and name its first broken link."

    def handle(self, *args: Any, **options: Any) -> None:
        check = verify_trail()
        if not check.whole:
            raise CommandError(f"The case trail is broken at entry #{check.broken_at}: "
                               f"{check.reason}. {check.entries} entries before it hold.")
        self.stdout.write(f"The case trail holds: {check.entries} entries, head {check.head}.")
        self.stdout.write("Keep the head digest outside this database: an entry cut from the "
                          "end is found by comparing it.")
