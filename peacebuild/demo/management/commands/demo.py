"""`peacebuild demo`: migrate, load the UNTOP demo office, print the logins and serve."""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from peacebuild.demo.loader import load_demo


class Command(BaseCommand):
    help = ("Create or update the database, load the UNTOP demo office (replacing any earlier "
            "copy of it) and serve it.")

    def add_arguments(self, parser):
        parser.add_argument("--no-serve", action="store_true",
                            help="Load the demo and stop; do not start the web server.")
        parser.add_argument("--addrport", default="127.0.0.1:8000",
                            help="Where to serve (default 127.0.0.1:8000).")

    def handle(self, *args, **options):
        out = self.stdout
        out.write(f"Database: {settings.DATABASES['default']['NAME']}")
        out.write("Applying migrations…")
        call_command("migrate", interactive=False, verbosity=0)
        summary = load_demo(progress=lambda line: out.write(f"  {line}"))
        out.write(self.style.SUCCESS(f"Loaded the demo office: {summary.office.name}"))
        for line in summary.lines():
            out.write(f"  {line}")
        addrport = options["addrport"]
        host = addrport if ":" in addrport else f"127.0.0.1:{addrport}"
        out.write("")
        out.write(f"Open http://{host}/ and sign in as one of these demo users")
        out.write(f"(password for all: {summary.password}):")
        width = max(len(u) for u, _r, _n in summary.users)
        for username, role, name in summary.users:
            out.write(f"  {username.ljust(width)}  {role} — {name}")
        out.write("")
        users = " and ".join(u for u, _s, _uri, _c in summary.two_factor)
        out.write(f"{users}, the human-rights officers of two case teams (each sees only "
                  "their own")
        out.write("team's invented cases), sign in with two factors. After the password, "
                  "enter the code of")
        out.write("an authenticator app to which you added their DEMO-ONLY secret (insecure "
                  "by design:")
        out.write("printed here, the same in every demo):")
        for user, secret, uri, code in summary.two_factor:
            out.write(f"  {user}")
            out.write(f"    secret       {secret}")
            out.write(f"    otpauth URI  {uri}")
            out.write(f"    or print the current code: peacebuild demo_code {user}")
            out.write(f"    recovery code (works once per demo load): {code}")
        if options["no_serve"]:
            return
        # Reports render in the background: a task worker runs beside the web server.
        worker = subprocess.Popen([sys.executable, "-m", "peacebuild", "worker",
                                   "--no-startup-delay", "--interval", "0.5"])
        out.write("Started the background task worker (reports, imports; see /health/).")
        try:
            call_command("runserver", addrport, use_reloader=False)
        finally:
            worker.terminate()
            worker.wait(timeout=10)
