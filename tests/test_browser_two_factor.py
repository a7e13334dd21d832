"""In a real browser: a human-rights officer with no authenticator signs in, is sent to set
one up (QR code, then a code from the app), keeps a recovery code, signs out, and signs in
again with a fresh code. The page runs under the content security policy."""

import re
import time

import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect

from conftest import PASSWORD, _totp_at
from peacebuild.accounts.models import Membership, User
from peacebuild.accounts.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code(key_hex: str, step: int) -> str:
    return f"{_totp_at(TOTPDevice(key=key_hex), step):06d}"


def test_human_rights_officer_enrols_and_signs_in_with_a_code(page: Page, live_server, office):
    officer = User.objects.create_user("officer", password=PASSWORD, first_name="Zarina")
    Membership.objects.create(user=officer, office=office, role=Role.HUMAN_RIGHTS)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    base = live_server.url
    page.goto(f"{base}/login/")
    page.get_by_label("User name").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Set up two-factor authentication")
    expect(page.locator(".qr svg")).to_be_visible()
    secret = page.locator("code.secret").text_content().replace(" ", "")
    from base64 import b32decode
    key = b32decode(secret + "=" * (-len(secret) % 8)).hex()
    step = int(time.time()) // 30
    page.get_by_label("Code from the app").fill(code(key, step))
    page.get_by_role("button", name="Confirm and turn on").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your recovery codes")
    codes = page.locator("ol.codes code").all_text_contents()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z0-9]{5}-[a-z0-9]{5}", c) for c in codes)
    page.get_by_role("link", name=re.compile("I have saved them")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Test Office")
    # Sign out, and in again with the next code.
    page.locator("details.usermenu summary").click()
    page.get_by_role("button", name="Sign out").click()
    page.get_by_label("User name").fill("officer")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Two-factor authentication")
    page.get_by_label("Code").fill(code(key, max(step + 1, int(time.time()) // 30)))
    page.get_by_role("button", name="Verify").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Test Office")
    # The office switcher still works without inline scripts (shell.js).
    assert not [e for e in errors if "Content Security Policy" in e], errors
