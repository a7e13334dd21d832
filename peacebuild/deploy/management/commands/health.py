"""`peacebuild health`: /health/'s answer from the shell, for monitoring (Nagios/Icinga
style exit status: 0 ok, 1 degraded, 2 unavailable), with no web server needed."""

import json
from typing import Any

from django.core.management.base import BaseCommand

from peacebuild.deploy.health import DEGRADED, OK, health_report

EXIT = {OK: 0, DEGRADED: 1}


class Command(BaseCommand):
    help = ("Check the database, the replica and the workers; print the result as JSON. "
            "Exit status 0: ok, 1: degraded (the replica is away), 2: unavailable.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = health_report()
        self.stdout.write(json.dumps(report))
        code = EXIT.get(str(report["status"]), 2)
        if code:
            raise SystemExit(code)
