"""Make or revoke an API token from the command line (as the system, for a member):

    peacebuild api_token --user programme --office untop --name "IATI publisher" --scope write
    peacebuild api_token --revoke pb_Xy12ab3
"""

import datetime as dt
import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date

from peacebuild.accounts.models import User
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.exchange.api import services
from peacebuild.exchange.api.models import ApiToken
from peacebuild.mandates.models import Office


class Command(BaseCommand):
    help = "Make an API token for a member of an office (the key is printed once), or revoke one."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", help="The username the token acts as.")
        parser.add_argument("--office", help="The office code the token works in.")
        parser.add_argument("--name", default="", help="What the token is for.")
        parser.add_argument("--scope", choices=ApiToken.Scope.values,
                            default=ApiToken.Scope.READ)
        parser.add_argument("--expires", help="The last day it works (YYYY-MM-DD).")
        parser.add_argument("--revoke", metavar="PREFIX",
                            help="Revoke the token whose key starts so (as the list shows).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["revoke"]:
            tokens = list(ApiToken.objects.filter(prefix=options["revoke"][:10],
                                                  revoked_at__isnull=True))
            if len(tokens) != 1:
                raise CommandError(f"No single live token starts with {options['revoke']}.")
            services.token_revoke(actor=SYSTEM, token=tokens[0])
            self.stdout.write(f"Revoked {tokens[0]}.")
            return
        if not options["user"] or not options["office"]:
            raise CommandError("Give --user and --office (or --revoke).")
        user = User.objects.filter(username=options["user"]).first()
        office = Office.objects.filter(code=options["office"]).first()
        if user is None or office is None:
            raise CommandError("No such user or office.")
        expires = None
        if options["expires"]:
            try:
                day = parse_date(options["expires"])
            except ValueError:
                day = None
            if day is None:
                raise CommandError("Write --expires as YYYY-MM-DD.")
            expires = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(),
                                          tzinfo=zoneinfo.ZoneInfo(office.time_zone))
        try:
            token, key = services.token_create(
                actor=SYSTEM, user=user, office=office, scope=options["scope"],
                name=options["name"] or "command line", expires_at=expires)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        self.stdout.write(f"{token}: {key}")
        self.stdout.write("Keep the key now: it is not stored and will not be shown again.")
