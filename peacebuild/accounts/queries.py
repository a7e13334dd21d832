"""Reads about who may do what, in which office."""

from django.db.models import QuerySet

from peacebuild.mandates.models import Office

from .models import Membership, User
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
