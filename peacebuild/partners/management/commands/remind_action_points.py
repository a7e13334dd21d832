"""Remind owners of action points before they fall due and when they are overdue.

Run it once a day, e.g. from cron: `17 6 * * * peacebuild remind_action_points`.
Each reminder is sent once; the overview shows the same items to their owners anyway."""

import datetime as dt
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.mandates.models import Office
from peacebuild.partners.services import REMIND_DAYS_BEFORE, action_reminders_send


class Command(BaseCommand):
    help = "E-mail owners of action points due soon or overdue (once each)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", help="an office code; all offices by default")
        parser.add_argument("--days", type=int, default=REMIND_DAYS_BEFORE,
                            help="remind this many days before the due date (default 7)")
        parser.add_argument("--today", help="YYYY-MM-DD: the day to remind as of (tests, "
                                            "catching up)")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.EMAIL_CONFIGURED:
            self.stdout.write("E-mail is not configured (set EMAIL_HOST or EMAIL_BACKEND); "
                              "owners see their action points on the overview.")
            return
        # Without --today, each office's own date (offices may sit in several time zones).
        today = _day(options["today"]) if options["today"] else None
        office = None
        if options["office"]:
            office = Office.objects.filter(code=options["office"]).first()
            if office is None:
                raise CommandError(f"There is no office with the code {options['office']!r}.")
        sent = action_reminders_send(actor=SYSTEM, today=today, office=office,
                                     days_before=options["days"])
        for reminder in sent:
            self.stdout.write(f"{reminder.office.code}: {reminder.user.email} — "
                              f"{len(reminder.actions)} action point(s)")
        self.stdout.write(f"{len(sent)} reminder(s) sent.")


def _day(raw: str) -> dt.date:
    try:
        day = parse_date(raw)
    except ValueError:
        day = None
    if day is None:
        raise CommandError(f"{raw!r} is not a date (write YYYY-MM-DD).")
    return day
