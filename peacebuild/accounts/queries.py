"""Reads about who may do what, in which office."""

from django.db.models import QuerySet

from peacebuild.mandates.models import Office

from .models import AuditEntry, Membership, User
from .roles import Can


def offices_for_user(user: User) -> QuerySet[Office]:
    if not user.is_authenticated:
        return Office.objects.none()
    return Office.objects.filter(memberships__user=user).order_by("established_on", "code")


def membership_for(user: User, office: Office | None) -> Membership | None:
    if office is None or not user.is_authenticated:
        return None
    cache = getattr(user, "_membership_cache", None)
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


def user_can(user: User, office: Office | None, capability: Can) -> bool:
    membership = membership_for(user, office)
    return membership is not None and membership.can(capability)


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
