"""Writes of API tokens: checked against the actor, validated, atomic, audited.

A user makes and revokes their own tokens (for an office they are a member of); the system
(the `api_token` command) makes them for any member. The key is returned once, here, and
stored only as its hash."""

import datetime as dt
import hashlib
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from peacebuild.accounts.audit import before_change, record_create, record_update
from peacebuild.accounts.models import User
from peacebuild.accounts.permissions import Actor, SystemActor, check_actor, user_of
from peacebuild.accounts.queries import membership_for
from peacebuild.accounts.roles import Can
from peacebuild.mandates.models import Office

from .models import ApiToken

KEY_PREFIX = "pb_"


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def _check_owner(actor: Actor, user: User, office: Office) -> None:
    check_actor(actor, office, Can.VIEW_RECORDS)
    if not isinstance(actor, SystemActor) and user_of(actor) != user:
        raise PermissionDenied(_("People make and revoke only their own API tokens."))


@transaction.atomic
def token_create(*, actor: Actor, user: User, office: Office, name: str, scope: str,
                 expires_at: dt.datetime | None = None) -> tuple[ApiToken, str]:
    """A new token and its key (shown once: only its hash is kept)."""
    _check_owner(actor, user, office)
    if membership_for(user, office) is None:
        raise ValidationError({"user": _("%(user)s is not a member of %(office)s.")
                               % {"user": user, "office": office}})
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("The expiry must be in the future.")})
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(user=user, office=office, name=name.strip(), scope=scope,
                     expires_at=expires_at, prefix=key[:10], key_hash=hash_key(key))
    token.full_clean()
    token.save()
    record_create(actor=actor, instance=token)
    return token, key


@transaction.atomic
def token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Stop a token from working; it stays listed as revoked."""
    _check_owner(actor, token.user, token.office)
    before = before_change(token)
    assert before is not None  # a stored token
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        record_update(actor=actor, instance=token, before=before)
    return token
