"""`peacebuild serve`: the production web server (gunicorn; docs/deploy.md)."""

from typing import Any

from django.core.management.base import BaseCommand

from peacebuild.deploy.server import serve


class Command(BaseCommand):
    help = ("Serve Peacebuild with gunicorn: several worker processes, a graceful stop on "
            "SIGTERM. Settings from the environment (BIND, WEB_CONCURRENCY…).")
    requires_system_checks: list[str] = []  # the WSGI module checks the case keys itself

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", action="append",
                            help="address:port (default BIND or 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int,
                            help="worker processes (default WEB_CONCURRENCY or 2 × CPUs + 1)")

    def handle(self, *args: Any, **options: Any) -> None:
        serve(bind=options["bind"], workers=options["workers"])
