"""Access decisions for pages and API handlers.

`office_view(Can.X)` guards a view that works within the current office. Object access
goes through one function per type (e.g. `get_activity_for_user`), built on
`get_for_user`: a record of an office the user is not in is a 404 (we never reveal
that it exists); a record the user may see but not change is a 403 naming the role
that would be needed.
"""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .queries import membership_for, user_can
from .roles import CAPABILITY_ROLES, Can, Role

M = TypeVar("M", bound=Model)


class RoleRequired(PermissionDenied):
    """A 403 that says which roles would allow the action."""

    def __init__(self, capability: Can) -> None:
        roles = ", ".join(str(Role(r).label) for r in CAPABILITY_ROLES[capability])
        super().__init__(format_lazy(_("This needs one of these roles: {roles}."), roles=roles))
        self.capability = capability


def require(request: HttpRequest, capability: Can) -> None:
    office = getattr(request, "office", None)
    if office is None:
        raise Http404(_("You are not a member of any office."))
    if not user_can(request.user, office, capability):
        raise RoleRequired(capability)


def office_view(capability: Can = Can.VIEW_RECORDS) -> Callable[..., Any]:
    """Login required, a current office required, and the capability in that office."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            require(request, capability)
            return view(request, *args, **kwargs)

        wrapped.capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator


def get_for_user(
    queryset: QuerySet[M], request: HttpRequest, pk: Any, *, write_capability: Can | None = None
) -> M:
    """The record of the current office with this pk; 404 if hidden, 403 if read-only."""
    office = getattr(request, "office", None)
    if office is None or not user_can(request.user, office, Can.VIEW_RECORDS):
        raise Http404
    try:
        obj = queryset.get(pk=pk, office=office)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write_capability is not None and not user_can(request.user, office, write_capability):
        raise RoleRequired(write_capability)
    return obj


def may_edit_programme(request: HttpRequest, programme_id: int | None) -> bool:
    """Programme officers record activities only for the programmes they are assigned."""
    membership = membership_for(request.user, getattr(request, "office", None))
    if membership is None or not membership.can(Can.EDIT_ACTIVITIES):
        return False
    if membership.role != Role.PROGRAMME:
        return True
    return any(p.pk == programme_id for p in membership.programmes.all())
