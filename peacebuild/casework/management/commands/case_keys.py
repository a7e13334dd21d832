"""`peacebuild case_keys --new ID`: print a new random case key line (`ID:base64`), for
PEACEBUILD_CASE_KEYS or its key file. Without --new, say whether the keys are right."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from peacebuild.casework.crypto import new_key
from peacebuild.casework.queries import key_problems


class Command(BaseCommand):
    help = "Make a new case key, or check the configured ones against the database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--new", metavar="ID", help="print a new key with this id")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["new"]:
            if not options["new"].isidentifier():
                raise CommandError("A key id is letters, digits and underscores.")
            self.stdout.write(f"{options['new']}:{new_key()}")
            return
        problems = key_problems()
        if problems:
            raise CommandError(" ".join(problems))
        self.stdout.write("The case keys open every key check in the database.")
