"""Accounts hardened: lock-out after wrong passwords, the second factor (required for
human-rights officers), recovery codes, one session and idle expiry, re-authentication,
Argon2, secure headers, and security events in the audit log without any secret."""

import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import PASSWORD, TOTP_KEY, login_verified, make_user, totp_code
from peacebuild.accounts.models import AuditEntry, Membership, RecoveryCode, Team, User
from peacebuild.accounts.roles import Role

ROOT = Path(__file__).resolve().parents[3]


def sign_in(client: Client, username: str, password: str = PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def events(user: User | None = None) -> list[str]:
    entries = AuditEntry.objects.filter(model="accounts.User").order_by("pk")
    if user is not None:
        entries = entries.filter(object_id=str(user.pk))
    return [e.action for e in entries]


def test_thirty_wrong_passwords_lock_the_account_until_unlocked(users, settings):
    client = Client()
    for _i in range(30):
        response = sign_in(client, "viewer", "wrong-password-123")
    assert response.status_code == 429
    page = response.content.decode()
    assert "Too many attempts" in page and "Try again at" in page
    # The right password does not sign in while the lock lasts.
    response = sign_in(client, "viewer")
    assert response.status_code == 429
    assert client.get(reverse("ui:home")).status_code == 302  # still signed out
    assert "sign_in_failed" in events() and "locked_out" in events()
    assert "sign_in" not in events()
    call_command("axes_reset_username", "viewer")  # the administrator unlocks it
    response = sign_in(client, "viewer")
    assert response.status_code == 302 and response["Location"] == reverse("ui:home")
    assert client.get(reverse("ui:home")).status_code == 200


def test_the_lock_ends_after_the_cool_off(users, settings):
    client = Client()
    for _i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "viewer", "wrong-password-123")
    assert sign_in(client, "viewer").status_code == 429
    from axes.models import AccessAttempt
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert sign_in(client, "viewer").status_code == 302


def test_the_test_clients_sign_in_still_works(users):
    client = Client()
    assert client.login(username="viewer", password=PASSWORD)
    assert client.get(reverse("ui:home")).status_code == 200


def test_passwords_are_hashed_with_argon2_and_old_hashes_upgrade_at_sign_in(users, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher",
                                 "django.contrib.auth.hashers.MD5PasswordHasher"]
    viewer = users["viewer"]
    assert viewer.password.startswith("md5$")  # as stored by an older hasher
    assert sign_in(Client(), "viewer").status_code == 302
    viewer.refresh_from_db()
    assert viewer.password.startswith("argon2")


def test_password_rules_refuse_short_common_and_numeric_passwords(users):
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ["short-pw", "123456789012", "password1234", "human_rights1"]:
        with pytest.raises(ValidationError):
            validate_password(weak, users["human_rights"])
    validate_password("peacebuild-demo", users["viewer"])  # the demo's password passes
    validate_password(PASSWORD, users["viewer"])


def test_a_human_rights_officer_without_authenticator_must_set_one_up_first(office):
    officer = User.objects.create_user("newofficer", password=PASSWORD)
    Membership.objects.create(user=officer, office=office, role=Role.HUMAN_RIGHTS)
    client = Client()
    response = sign_in(client, "newofficer")
    assert response["Location"].startswith(reverse("accounts:enrol"))
    for url in (reverse("ui:home"), reverse("partners:list"), reverse("accounts:security")):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("accounts:enrol"))
    page = client.get(reverse("accounts:enrol"))
    assert "<svg" in page.content.decode()  # the QR code, drawn on the server
    key = client.session["otp_pending_key"]
    assert client.post(reverse("accounts:enrol"), {"code": "000000"}).status_code == 200
    assert not TOTPDevice.objects.filter(user=officer).exists()
    device = TOTPDevice(user=officer, key=key)
    response = client.post(reverse("accounts:enrol"), {"code": code_for(device)})
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", response.content.decode())
    assert len(codes) == 10
    assert client.get(reverse("ui:home")).status_code == 200
    stored = list(RecoveryCode.objects.filter(user=officer).values_list("digest", flat=True))
    assert len(stored) == 10 and not set(codes) & set(stored)  # hashed at rest
    assert "2fa_enrolled" in events(officer)


def code_for(device: TOTPDevice) -> str:
    from conftest import _totp_at
    return f"{_totp_at(device, int(time.time()) // 30):06d}"


def test_sign_in_asks_for_the_code_and_a_recovery_code_works_once(users):
    officer = users["human_rights"]
    client = Client()
    response = sign_in(client, "human_rights")
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert client.get(reverse("ui:home"))["Location"].startswith(reverse("accounts:verify"))
    assert client.post(reverse("accounts:verify"), {"code": "123456"}).status_code == 200
    # A wrong code slows the next tries (django-otp's throttling): even the right code
    # is refused at once after it.
    assert client.post(reverse("accounts:verify"),
                       {"code": totp_code(officer)}).status_code == 200
    TOTPDevice.objects.filter(user=officer).update(throttling_failure_count=0)
    response = client.post(reverse("accounts:verify"), {"code": totp_code(officer)})
    assert response.status_code == 302
    assert client.get(reverse("ui:home")).status_code == 200
    from peacebuild.accounts.services import recovery_codes_set
    recovery_codes_set(officer, ["abcde-fghjk"])
    for expected in (302, 200):  # the second time, the used code is refused
        other = Client()
        sign_in(other, "human_rights")
        response = other.post(reverse("accounts:verify"), {"code": "ABCDE FGHJK"})
        assert response.status_code == expected
    assert {"sign_in", "2fa_failed", "2fa_verified", "recovery_used"} <= set(events(officer))


def test_a_new_sign_in_ends_the_older_sessions_of_a_human_rights_officer(users):
    first, second = Client(), Client()
    for client in (first, second):
        sign_in(client, "human_rights")
        client.post(reverse("accounts:verify"), {"code": totp_code(users["human_rights"])})
    assert second.get(reverse("ui:home")).status_code == 200
    assert first.get(reverse("ui:home")).status_code == 302  # signed out
    # Other roles may keep several sessions.
    a, b = Client(), Client()
    sign_in(a, "viewer")
    sign_in(b, "viewer")
    assert a.get(reverse("ui:home")).status_code == 200


def test_a_human_rights_officer_is_signed_out_when_idle(users, settings):
    client = login_verified(Client(), users["human_rights"])
    response = client.get(reverse("ui:home"))
    assert response.status_code == 200
    assert response.cookies["sessionid"]["max-age"] == settings.HUMAN_RIGHTS_IDLE_TIMEOUT
    Session.objects.update(expire_date=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get(reverse("ui:home")).status_code == 302
    viewer = login_verified(Client(), users["viewer"])
    assert viewer.get(reverse("ui:home")).cookies.get("sessionid") is None  # not renewed


def test_turning_the_second_factor_off_needs_a_recent_password(users):
    officer = users["human_rights"]
    client = login_verified(Client(), officer)
    url = reverse("accounts:two_factor_disable")
    response = client.post(url)
    assert response["Location"].startswith(reverse("accounts:reauth"))
    assert TOTPDevice.objects.filter(user=officer).exists()
    bad = client.post(reverse("accounts:reauth"), {"password": "not-it", "code": "1",
                                                   "next": url})
    assert bad.status_code == 200 and "not right" in bad.content.decode()
    response = client.post(reverse("accounts:reauth"), {
        "password": PASSWORD, "code": totp_code(officer), "next": url})
    assert response["Location"] == url
    response = client.post(url)
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert response["Location"] == reverse("accounts:enrol")  # required: set a new one up
    assert client.get(reverse("ui:home"))["Location"].startswith(reverse("accounts:enrol"))
    assert {"reauth", "2fa_disabled"} <= set(events(officer))


def test_recovery_codes_are_renewed_after_re_authentication(users):
    officer = users["human_rights"]
    client = login_verified(Client(), officer)
    session = client.session
    session["reauth_at"] = time.time()
    session.save()
    response = client.post(reverse("accounts:recovery_codes"))
    assert len(re.findall(r"<code>", response.content.decode())) == 10
    assert RecoveryCode.objects.filter(user=officer).count() == 10
    assert "recovery_made" in events(officer)


def test_too_many_wrong_re_authentications_end_the_session(users):
    client = login_verified(Client(), users["viewer"])
    for _i in range(5):
        response = client.post(reverse("accounts:reauth"), {"password": "wrong-wrong"})
    assert response["Location"] == reverse("login")
    assert client.get(reverse("ui:home")).status_code == 302


def test_a_head_of_office_resets_a_members_second_factor_and_it_is_audited(users, client_for):
    officer = users["human_rights"]
    head = client_for("head")
    url = reverse("accounts:reset_second_factor", kwargs={"pk": officer.pk})
    assert head.get(url)["Location"].startswith(reverse("accounts:reauth"))
    head.post(reverse("accounts:reauth"), {"password": PASSWORD, "next": url})
    assert head.get(url).status_code == 200
    officer_client = client_for("human_rights")
    assert head.post(url)["Location"] == reverse("accounts:people")
    assert not TOTPDevice.objects.filter(user=officer).exists()
    assert officer_client.get(reverse("ui:home")).status_code == 302  # signed out
    entry = AuditEntry.objects.get(action="2fa_reset")
    assert entry.actor == users["head"] and entry.object_id == str(officer.pk)
    # The outsider heads another office: not theirs to reset.
    assert client_for("outsider").get(url).status_code == 404


def test_the_audit_log_holds_no_password_code_or_secret(users, office):
    officer = users["human_rights"]
    client = Client()
    sign_in(client, "human_rights", "a-wrong-password-1")
    sign_in(client, "human_rights")
    code = totp_code(officer)
    client.post(reverse("accounts:verify"), {"code": code})
    client.post(reverse("accounts:reauth"), {"password": PASSWORD, "code": totp_code(officer)})
    response = client.post(reverse("accounts:recovery_codes"))
    recovery = re.findall(r"<code>([a-z0-9-]+)</code>", response.content.decode())
    assert recovery
    dump = json.dumps([[e.object_repr, e.before, e.after] for e in AuditEntry.objects.all()])
    device = TOTPDevice.objects.get(user=officer)
    import base64
    secrets = [PASSWORD, "a-wrong-password-1", code, TOTP_KEY, device.key,
               base64.b32encode(device.bin_key).decode(), *recovery, officer.password]
    assert AuditEntry.objects.filter(model="accounts.User").count() >= 5
    for secret in secrets:
        assert secret not in dump


def test_users_cannot_change_their_own_role_or_team(users, client_for, office):
    team = Team.objects.create(office=office, name="Team A")
    officer = users["human_rights"]
    client = client_for("human_rights")
    # No page of theirs takes a role or a team, and the admin is not open to them.
    for url in (reverse("accounts:security"), reverse("accounts:reauth")):
        client.post(url, {"role": Role.HEAD, "teams": [team.pk], "is_staff": "on"})
    assert client.get(reverse("admin:accounts_user_change", args=[officer.pk])).status_code \
        == 302
    officer.refresh_from_db()
    assert officer.memberships.get().role == Role.HUMAN_RIGHTS
    assert not officer.teams.exists() and not officer.is_staff
    # A staff member in the admin cannot edit their own memberships or add themself to a
    # team either.
    head = users["head"]
    head.is_staff = head.is_superuser = True
    head.save()
    admin = login_verified(Client(), head)
    page = admin.get(reverse("admin:accounts_team_change", args=[team.pk]))
    assert page.status_code == 200
    admin.post(reverse("admin:accounts_team_change", args=[team.pk]),
               {"office": office.pk, "name": "Team A", "members": [head.pk]})
    assert not team.members.filter(pk=head.pk).exists()
    own = admin.get(reverse("admin:accounts_user_change", args=[head.pk])).content.decode()
    assert 'name="memberships-0-role"' not in own


def test_secure_headers_and_no_inline_script(client_for):
    response = client_for("head").get(reverse("ui:home"))
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)  # every script is a file
    assert not re.search(r"\son[a-z]+=", html)  # no inline event handler


def test_templates_hold_no_inline_script():
    offenders = []
    for path in (ROOT / "peacebuild").rglob("templates/**/*.html"):
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)[^>]*>", text) or re.search(r"\son[a-z]+=\"",
                                                                           text):
            offenders.append(str(path))
    assert not offenders


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
    env.update({"PRODUCTION": "1", "DEBUG": "0", "SECRET_KEY": "k" * 10 + "x7Qp2#Zr9!" * 6,
                "ALLOWED_HOSTS": "peacebuild.example.org", "PEACEBUILD_DATA_DIR": str(tmp_path),
                "DJANGO_SETTINGS_MODULE": "peacebuild.settings",
                # Production names its database and case keys (the check does not connect).
                "DATABASE_URL": "postgres://peacebuild@127.0.0.1:5432/peacebuild",
                "PEACEBUILD_CASE_KEYS": "k1:" + "a" * 43 + "=",
                "PEACEBUILD_CASE_INDEX_KEY": "i" * 43 + "="})
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy",
                             "--fail-level", "WARNING"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
    # Without the production settings the same check warns.
    env.pop("PRODUCTION")
    result = subprocess.run([sys.executable, "manage.py", "check", "--deploy",
                             "--fail-level", "WARNING"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0


def test_a_member_without_authenticator_may_still_sign_in_with_password_only(office):
    make_user("plain", office, Role.VIEWER)
    client = Client()
    assert sign_in(client, "plain")["Location"] == reverse("ui:home")
    assert client.get(reverse("ui:home")).status_code == 200


def test_demo_style_password_hash_still_signs_in(office):
    user = make_user("demo", office, Role.VIEWER)
    user.password = make_password("peacebuild-demo")
    user.save()
    assert sign_in(Client(), "demo", "peacebuild-demo").status_code == 302


def test_a_head_of_office_unlocks_a_locked_member(users, client_for, settings):
    client = Client()
    for _i in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "viewer", "wrong-password-123")
    assert sign_in(client, "viewer").status_code == 429
    head = client_for("head")
    page = head.get(reverse("accounts:people")).content.decode()
    assert "locked" in page and reverse("accounts:unlock", kwargs={"pk": users["viewer"].pk}) \
        in page
    url = reverse("accounts:unlock", kwargs={"pk": users["viewer"].pk})
    assert head.get(url).status_code == 405
    assert client_for("outsider").post(url).status_code == 404
    assert head.post(url)["Location"] == reverse("accounts:people")
    assert sign_in(client, "viewer").status_code == 302
    entry = AuditEntry.objects.get(action="unlocked")
    assert entry.actor == users["head"] and entry.object_id == str(users["viewer"].pk)


def test_changing_the_password_applies_the_rules_and_ends_other_sessions(users):
    other = login_verified(Client(), users["viewer"])
    client = login_verified(Client(), users["viewer"])
    url = reverse("accounts:password")
    weak = client.post(url, {"old_password": PASSWORD, "new_password1": "1234567890",
                             "new_password2": "1234567890"})
    assert weak.status_code == 200
    assert "at least 12 characters" in weak.content.decode()
    strong = "river-lantern-apricot"
    response = client.post(url, {"old_password": PASSWORD, "new_password1": strong,
                                 "new_password2": strong})
    assert response["Location"] == reverse("accounts:security")
    assert client.get(reverse("ui:home")).status_code == 200  # this session stays
    assert other.get(reverse("ui:home")).status_code == 302  # the other one ends
    assert "password_changed" in events(users["viewer"])
    assert strong not in json.dumps([e.after for e in AuditEntry.objects.all()])
