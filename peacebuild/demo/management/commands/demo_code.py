"""`peacebuild demo_code`: the code the demo human-rights officer's authenticator shows now
(the demo's secret is fixed and public, insecure by design: see demo/loader.py)."""

import time
from base64 import b32decode

from django.core.management.base import BaseCommand
from django_otp.oath import TOTP

from peacebuild.demo.loader import DEMO_TOTP_SECRET, DEMO_TOTP_USER


class Command(BaseCommand):
    help = "Print the current two-factor code of the demo human-rights officer (demo only)."

    def handle(self, *args, **options):
        totp = TOTP(b32decode(DEMO_TOTP_SECRET))
        left = 30 - int(time.time()) % 30
        self.stdout.write(f"{totp.token():06d}")
        self.stderr.write(f"({DEMO_TOTP_USER}'s code, valid for {left} more seconds)")
