"""`peacebuild verify_case_trail`: walk the case trail's whole hash chain, from its first
entry; name the first broken link and exit with an error, or print how many entries hold
and the head digest, and append a checkpoint (the trail page then verifies only what
follows it)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from peacebuild.casework.queries import verify_trail
from peacebuild.casework.services import trail_checkpoint


class Command(BaseCommand):
    help = ("Verify the whole hash chain of the case trail, name its first broken link, and "
            "record a checkpoint when it holds.")

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-checkpoint", action="store_true",
                            help="Only verify; append no checkpoint entry.")

    def handle(self, *args: Any, **options: Any) -> None:
        check = verify_trail()
        if not check.whole:
            raise CommandError(f"The case trail is broken at entry #{check.broken_at}: "
                               f"{check.reason}. {check.entries} entries before it hold.")
        self.stdout.write(f"The case trail holds: {check.entries} entries, head {check.head}.")
        if not options["no_checkpoint"]:
            entry = trail_checkpoint(check)
            if entry is not None:
                self.stdout.write(f"Checkpoint #{entry.pk} recorded: the trail page verifies "
                                  "from here on.")
        self.stdout.write("Keep the head digest outside this database: an entry cut from the "
                          "end is found by comparing it.")
