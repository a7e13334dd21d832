"""Reads about who may do what, in which office."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Exists, OuterRef, QuerySet
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuditEntry, Membership, RecoveryCode, User
from .roles import STRICT_ROLES

if TYPE_CHECKING:
    from peacebuild.mandates.models import Office

# accounts sits below every domain app, mandates included (their services and views use
# its audit log and access helpers), so it names the office model by its label, as its
# foreign keys do and as Django's auth names the user model, rather than importing it.
OFFICE_MODEL = "mandates.Office"


def offices_for_user(user: User | AnonymousUser) -> QuerySet[Office]:
    offices = cast("QuerySet[Office]", apps.get_model(OFFICE_MODEL)._default_manager.all())
    if not isinstance(user, User):  # anonymous
        return offices.none()
    return offices.filter(memberships__user=user).order_by("established_on", "code")


def membership_for(user: AbstractBaseUser | AnonymousUser, office: Office | None
                   ) -> Membership | None:
    if office is None or not user.is_authenticated:
        return None
    cache: dict[int, Membership | None] | None = getattr(user, "_membership_cache", None)
    if cache is None:
        cache = {}
        user._membership_cache = cache  # type: ignore[attr-defined]
    if office.pk not in cache:
        cache[office.pk] = (
            Membership.objects.filter(user=user, office=office)
            .prefetch_related("programmes")
            .first()
        )
    return cache[office.pk]


def audit_entries(office: Office, *, model: str = "", action: str = "",
                  actor: str = "") -> QuerySet[AuditEntry]:
    """The office's audit log, newest first, optionally narrowed."""
    entries = AuditEntry.objects.filter(office=office).select_related("actor")
    if model:
        entries = entries.filter(model=model)
    if action in AuditEntry.Action.values:
        entries = entries.filter(action=action)
    if actor:
        entries = entries.filter(actor__username=actor)
    return entries.order_by("-at", "-id")


def audit_models(office: Office) -> list[str]:
    return list(AuditEntry.objects.filter(office=office).order_by("model")
                .values_list("model", flat=True).distinct())


def two_factor_required(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Whether the user holds a role that must sign in with a second factor (and keeps one
    session at a time, with a short idle time). Asked once per request and kept."""
    if not isinstance(user, User):
        return False
    cached: bool | None = getattr(user, "_strict_cache", None)
    if cached is None:
        cached = Membership.objects.filter(user=user, role__in=STRICT_ROLES).exists()
        user._strict_cache = cached  # type: ignore[attr-defined]
    return cached


def totp_device_of(user: AbstractBaseUser | AnonymousUser) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they set one up."""
    if not isinstance(user, User):
        return None
    device: TOTPDevice | None = (TOTPDevice.objects.filter(user=user, confirmed=True)
                                 .order_by("pk").first())
    return device


def recovery_codes_left(user: User) -> int:
    return RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()


def office_accounts(office: Office) -> QuerySet[Membership]:
    """The office's members with what their accounts' security needs: role, whether a
    second factor is set up, whether their user name is locked out (from any address)."""
    devices = TOTPDevice.objects.filter(user=OuterRef("user"), confirmed=True)
    locks = AccessAttempt.objects.filter(
        username=OuterRef("user__username"),
        failures_since_start__gte=settings.AXES_FAILURE_LIMIT,
        attempt_time__gte=timezone.now() - settings.AXES_COOLOFF_TIME)
    return (Membership.objects.filter(office=office).select_related("user")
            .annotate(has_device=Exists(devices), locked=Exists(locks))
            .order_by("user__username"))


def office_member(office: Office, pk: object) -> User | None:
    return User.objects.filter(pk=pk, memberships__office=office).first()
