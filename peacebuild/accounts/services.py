"""Writes about accounts' security: signing in (one session at a time where the role asks
for it), the second factor (TOTP authenticator and single-use recovery codes), recent
re-authentication. Every change lands in the audit log as a security event, which never
holds a password, a code or a secret (audit.record_event takes none)."""

import secrets
import time
from binascii import unhexlify
from typing import TYPE_CHECKING

import django_otp
from axes.utils import reset as axes_reset
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.forms import PasswordChangeForm
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.crypto import get_random_string, salted_hmac
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from .audit import record_event
from .models import AuditEntry, RecoveryCode, User
from .permissions import REAUTH_SESSION_KEY, Actor, check_actor
from .queries import totp_device_of, two_factor_required
from .roles import Can

if TYPE_CHECKING:
    from peacebuild.mandates.models import Office

RECOVERY_CODES = 10
PENDING_KEY_SESSION_KEY = "otp_pending_key"
# The alphabet of recovery codes: no 0/o, 1/l/i to misread on paper.
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


# Signing in


def sign_in(request: HttpRequest, user: User) -> None:
    """Start the user's session after their password was accepted. A user who must keep
    one session at a time gets a new session token: every older session of theirs stops
    at its next request (the token is part of the session hash)."""
    if two_factor_required(user):
        user.session_token = get_random_string(32)
        user.save(update_fields=["session_token"])
    login(request, user)
    record_event(action=AuditEntry.Action.SIGN_IN, request=request, user=user)


def sign_in_refused(request: HttpRequest, username: str, *, locked_out: bool) -> None:
    """A wrong password, or any try while the account is locked out."""
    user = User.objects.filter(username=username).first()
    action = AuditEntry.Action.LOCKED_OUT if locked_out else AuditEntry.Action.SIGN_IN_FAILED
    record_event(action=action, request=request, user=user, username=username)


# The authenticator (TOTP)


def pending_key(request: HttpRequest) -> str:
    """The secret offered to a user setting up their authenticator, kept in their session
    (on the server) until they confirm it with a code, so that an abandoned set-up leaves
    nothing in the database."""
    key = request.session.get(PENDING_KEY_SESSION_KEY)
    if not isinstance(key, str) or len(key) != 40:
        key = default_key()
        request.session[PENDING_KEY_SESSION_KEY] = key
    return key


def code_matches(key_hex: str, code: str, *, at: float | None = None) -> int | None:
    """The time step a six-digit code belongs to for this secret (one step of 30 s either
    way is allowed for clocks that drift), or None."""
    if not (len(code) == 6 and code.isascii() and code.isdigit()):
        return None
    totp = TOTP(unhexlify(key_hex.encode()), step=30, t0=0, digits=6, drift=0)
    totp.time = time.time() if at is None else at
    matched: bool = totp.verify(int(code), tolerance=1)
    return int(totp.t()) if matched else None


@transaction.atomic
def totp_enrol(*, request: HttpRequest, user: User, code: str) -> list[str] | None:
    """Confirm the pending secret with a code from the app: the authenticator replaces any
    earlier one, the session counts as verified, and ten new recovery codes are returned
    (shown once; only their hashes are kept). None when the code does not match."""
    key = pending_key(request)
    step = code_matches(key, code)
    if step is None:
        return None
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, name="authenticator", key=key,
                                       confirmed=True, last_t=step)
    del request.session[PENDING_KEY_SESSION_KEY]
    django_otp.login(request, device)
    request.session[REAUTH_SESSION_KEY] = time.time()
    record_event(action=AuditEntry.Action.TWO_FACTOR_ENROLLED, request=request, user=user)
    return _new_recovery_codes(user)


def _normalise(code: str) -> str:
    return "".join(c for c in code.lower() if c.isalnum())


def _digest(code: str) -> str:
    # Recovery codes are random (50 bits each), so a keyed hash is enough and lets a code
    # be found by its hash; the key is derived from SECRET_KEY.
    return salted_hmac("peacebuild.accounts.recovery", _normalise(code),
                       algorithm="sha256").hexdigest()


def _new_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = []
    for _i in range(RECOVERY_CODES):
        raw = "".join(secrets.choice(_ALPHABET) for _j in range(10))
        codes.append(f"{raw[:5]}-{raw[5:]}")
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(c)) for c in codes)
    return codes


@transaction.atomic
def recovery_codes_renew(*, request: HttpRequest, user: User) -> list[str]:
    """Ten new recovery codes in place of the old ones (which stop working)."""
    codes = _new_recovery_codes(user)
    record_event(action=AuditEntry.Action.RECOVERY_CODES_MADE, request=request, user=user)
    return codes


def recovery_codes_set(user: User, codes: list[str]) -> None:
    """For the demo loader: store these codes (their hashes) as the user's."""
    RecoveryCode.objects.filter(user=user).delete()
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=_digest(c)) for c in codes)


def second_factor_check(*, user: User, code: str) -> tuple[TOTPDevice | None, bool]:
    """Whether the code is the authenticator's current code or one of the user's unused
    recovery codes (which is then used up). Returns the device and whether a recovery code
    was used. Wrong codes slow the next tries down (django-otp's throttling, which counts
    recovery codes too)."""
    device = totp_device_of(user)
    if device is None:
        return None, False
    code = code.strip()
    if len(code) == 6 and code.isascii() and code.isdigit():
        return (device if device.verify_token(code) else None), False
    allowed, _detail = device.verify_is_allowed()
    if not allowed:
        return None, False
    used = (RecoveryCode.objects.filter(user=user, digest=_digest(code), used_at__isnull=True)
            .update(used_at=timezone.now()))
    if used:
        device.throttle_reset()
        return device, True
    device.throttle_increment()
    return None, False


@transaction.atomic
def second_factor_verify(*, request: HttpRequest, user: User, code: str) -> bool:
    """The second step of signing in: on a good code the session counts as verified."""
    device, recovery = second_factor_check(user=user, code=code)
    if device is None:
        record_event(action=AuditEntry.Action.TWO_FACTOR_FAILED, request=request, user=user)
        return False
    django_otp.login(request, device)
    request.session[REAUTH_SESSION_KEY] = time.time()
    record_event(action=AuditEntry.Action.RECOVERY_CODE_USED if recovery
                 else AuditEntry.Action.TWO_FACTOR_VERIFIED, request=request, user=user)
    return True


def _remove_second_factor(user: User) -> bool:
    removed: int = TOTPDevice.objects.filter(user=user).delete()[0]
    RecoveryCode.objects.filter(user=user).delete()
    return removed > 0


@transaction.atomic
def two_factor_disable(*, request: HttpRequest, user: User) -> bool:
    """The user turns their second factor off (after re-authenticating). A user whose role
    requires it is sent to set up a new one at their next page."""
    if not _remove_second_factor(user):
        return False
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    record_event(action=AuditEntry.Action.TWO_FACTOR_DISABLED, request=request, user=user)
    return True


@transaction.atomic
def two_factor_reset(*, actor: Actor | None, office: "Office", user: User,
                     request: HttpRequest | None) -> bool:
    """A head of office resets the second factor of a member of their office (a lost
    phone): the authenticator and recovery codes go, and every session of the user ends,
    so that they sign in again and set up a new authenticator."""
    check_actor(actor, office, Can.MANAGE_ACCOUNTS)
    if not user.memberships.filter(office=office).exists():
        raise ValueError("The user is not a member of this office.")
    _remove_second_factor(user)
    user.session_token = get_random_string(32)
    user.save(update_fields=["session_token"])
    record_event(action=AuditEntry.Action.TWO_FACTOR_RESET, request=request, user=user,
                 actor=actor, office=office)
    return True


@transaction.atomic
def account_unlock(*, actor: Actor | None, office: "Office", user: User,
                   request: HttpRequest | None) -> int:
    """A head of office lifts the lock-out of a member's user name (from every address)
    before the cool-off ends. Returns how many locked records were cleared."""
    check_actor(actor, office, Can.MANAGE_ACCOUNTS)
    if not user.memberships.filter(office=office).exists():
        raise ValueError("The user is not a member of this office.")
    cleared: int = axes_reset(username=user.get_username())
    record_event(action=AuditEntry.Action.UNLOCKED, request=request, user=user, actor=actor,
                 office=office)
    return cleared


@transaction.atomic
def password_change(*, request: HttpRequest, form: PasswordChangeForm) -> None:
    """Save a new password (the form checked the old one and the password rules); this
    session stays signed in, the user's other sessions end."""
    user = form.save()
    update_session_auth_hash(request, user)
    record_event(action=AuditEntry.Action.PASSWORD_CHANGED, request=request, user=user)


# Re-authentication


@transaction.atomic
def reauthenticate(*, request: HttpRequest, user: User, password: str, code: str) -> bool:
    """The password again, and the second factor when the user has one: on success the
    session holds the time, for `permissions.reauth_required`."""
    if not user.check_password(password):
        return False
    if totp_device_of(user) is not None and second_factor_check(user=user, code=code)[0] is None:
        return False
    request.session[REAUTH_SESSION_KEY] = time.time()
    record_event(action=AuditEntry.Action.REAUTHENTICATED, request=request, user=user)
    return True
