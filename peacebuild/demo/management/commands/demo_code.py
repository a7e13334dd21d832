"""`peacebuild demo_code [USER]`: the code a demo human-rights officer's authenticator shows
now (the demo's secrets are fixed and public, insecure by design: see demo/loader.py)."""

import time
from base64 import b32decode

from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from peacebuild.demo.loader import DEMO_TOTP, DEMO_TOTP_USER


class Command(BaseCommand):
    help = "Print the current two-factor code of a demo human-rights officer (demo only)."

    def add_arguments(self, parser):
        parser.add_argument("user", nargs="?", default=DEMO_TOTP_USER,
                            help=f"One of {', '.join(DEMO_TOTP)} (default {DEMO_TOTP_USER}).")

    def handle(self, *args, **options):
        user = options["user"]
        if user not in DEMO_TOTP:
            raise CommandError(f"{user!r} is not a demo user with two factors; choose one of "
                               f"{', '.join(DEMO_TOTP)}.")
        totp = TOTP(b32decode(DEMO_TOTP[user][0]))
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{totp.token():06d}")
        self.stderr.write(f"({user}'s code, valid for {left} more seconds)")
