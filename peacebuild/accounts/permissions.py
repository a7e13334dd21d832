"""Access decisions: the one place that says who may see and do what, in which office.

Every door into a record goes through here: pages, and tomorrow API handlers and imports.

- `office_view(Can.X)` guards a view that works within the current office.
- Each object type has one access function in its app's `permissions.py` (e.g.
  `get_activity_for_user`), built on `get_for_user`: a record of an office the user is not
  in is a 404 (we never reveal that it exists); a record the user may see but not change is
  a 403 naming the roles that would be needed. A record reached through another (a section
  through its report, a target through its indicator) names its "office path".
- The templates' "may I" flags come from `allows` (through `may`, `capabilities` and the
  apps' `may_*` functions), the same rule the access functions apply.
- Services check their actor with `check_actor`, whatever door called them. The system
  itself (the demo loader, management commands, data migrations) passes `SYSTEM`; an
  actor of `None` is refused, so a forgotten actor can never mean "anyone".
"""

import time
from collections.abc import Callable
from functools import wraps
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from .models import Membership, User
from .queries import membership_for, totp_device_of, two_factor_required
from .roles import CAPABILITY_ROLES, PROGRAMME_SCOPED, Can, Role

if TYPE_CHECKING:  # only a type: the office is the mandates app's model
    from peacebuild.mandates.models import Office

M = TypeVar("M", bound=Model)


class OfficeRequest(HttpRequest):
    """A request as `CurrentOfficeMiddleware` leaves it: the office the user works in (None
    when they belong to no office) and their membership there. For type checking only."""

    office: "Office | None"
    membership: Membership | None


class MemberRequest(OfficeRequest):
    """A request inside `office_view`: there is always an office and a membership."""

    office: "Office"
    membership: Membership


class SystemActor:
    """The system itself as the actor of a write: the demo loader, management commands,
    data migrations. Passed explicitly (`actor=SYSTEM`), never implied by a missing actor."""

    is_authenticated: Final = False  # the audit log records no user for it
    pk: Final = None

    def __repr__(self) -> str:
        return "SYSTEM"


SYSTEM: Final = SystemActor()

AnyUser = AbstractBaseUser | AnonymousUser
Actor = AnyUser | SystemActor


def user_of(actor: Actor | None) -> "User | None":
    """The signed-in user behind an actor, for "made by" fields; None for the system."""
    return actor if isinstance(actor, User) and actor.is_authenticated else None


class RoleRequired(PermissionDenied):
    """A 403 that says which roles would allow the action."""

    def __init__(self, capability: Can) -> None:
        roles = ", ".join(str(Role(r).label) for r in CAPABILITY_ROLES[capability])
        super().__init__(format_lazy(_("This needs one of these roles: {roles}."), roles=roles))
        self.capability = capability


# The rule


def allows(membership: Membership | None, capability: Can,
           programme_id: int | None = None) -> bool:
    """Whether a membership grants the capability. A programme officer holds the
    programme-scoped capabilities (recording activities) only for the programmes assigned to
    them: pass the record's programme; without one the question is "anywhere in the office"."""
    if membership is None or not membership.can(capability):
        return False
    if programme_id is None or capability not in PROGRAMME_SCOPED:
        return True
    if membership.role != Role.PROGRAMME:
        return True
    return any(p.pk == programme_id for p in membership.programmes.all())


def _user_and_office(who: "HttpRequest | AnyUser") -> tuple[AnyUser, "Office | None"]:
    if isinstance(who, HttpRequest):
        return who.user, getattr(who, "office", None)
    return who, None


def membership_of(request: HttpRequest) -> Membership | None:
    """The user's membership in the request's current office."""
    return membership_for(request.user, getattr(request, "office", None))


def may(request: HttpRequest, capability: Can, programme_id: int | None = None) -> bool:
    """For views and templates: may the user do this in the current office?"""
    return allows(membership_of(request), capability, programme_id)


def capabilities(request: HttpRequest) -> dict[str, bool]:
    """For templates (`{% if can.edit_reference %}`): what the user may do in the office."""
    membership = membership_of(request)
    return {str(c): True for c in Can if allows(membership, c)}


def may_edit_programme(request: HttpRequest, programme_id: int | None) -> bool:
    """Whether the user may record activities for this programme in the current office."""
    return programme_id is not None and may(request, Can.EDIT_ACTIVITIES, programme_id)


# Guarding views


def require(request: HttpRequest, capability: Can) -> None:
    office = getattr(request, "office", None)
    if office is None:
        raise Http404(_("You are not a member of any office."))
    if not may(request, capability):
        raise RoleRequired(capability)


def is_verified(request: HttpRequest) -> bool:
    """Whether this session passed the second factor (django-otp's middleware says)."""
    check = getattr(request.user, "is_verified", None)
    return bool(check()) if callable(check) else False


def second_factor_redirect(request: HttpRequest) -> HttpResponseBase | None:
    """Where a signed-in user must go before any page, or None: the second step of
    signing in when they have an authenticator and this session has not passed it; setting
    one up when their role requires it and they have none."""
    if not request.user.is_authenticated or is_verified(request):
        return None
    query = "?" + urlencode({"next": request.get_full_path()})
    if totp_device_of(request.user) is not None:
        return redirect(reverse("accounts:verify") + query)
    if two_factor_required(request.user):
        return redirect(reverse("accounts:enrol") + query)
    return None


def office_view(capability: Can = Can.VIEW_RECORDS) -> Callable[..., Any]:
    """Login required, the second factor where the user's role requires it (the
    middleware sends them there first; this refuses a session that slipped past), a current
    office required, and the capability in that office."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @login_required
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            second = second_factor_redirect(request)
            if second is not None:
                return second
            require(request, capability)
            return view(request, *args, **kwargs)

        wrapped.capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator


# Recent re-authentication: before what a stolen session must not do (turning the second
# factor off, new recovery codes; later break-glass and case exports).

REAUTH_SESSION_KEY = "reauth_at"


def reauthenticated_within(request: HttpRequest, max_age: int | None = None) -> bool:
    """Whether the user re-entered their password (and code) in the last `max_age` seconds
    (default settings.REAUTH_MAX_AGE) in this session."""
    limit = settings.REAUTH_MAX_AGE if max_age is None else max_age
    at = request.session.get(REAUTH_SESSION_KEY)
    return isinstance(at, int | float) and 0 <= time.time() - at <= limit


def reauth_redirect(request: HttpRequest, max_age: int | None = None) -> HttpResponseBase | None:
    """For a view that first finds its record (a 404 must come before asking for the
    password): the re-authentication page to go through, or None when recent enough."""
    if reauthenticated_within(request, max_age):
        return None
    return redirect(reverse("accounts:reauth") + "?" + urlencode({"next": request.get_full_path()}))


def reauth_required(max_age: int | None = None) -> Callable[..., Any]:
    """Login required, then a recent re-authentication (within `max_age` seconds, default
    settings.REAUTH_MAX_AGE); otherwise the re-authentication page, which comes back here."""

    def decorator(view: Callable[..., HttpResponseBase]) -> Callable[..., HttpResponseBase]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            again = reauth_redirect(request, max_age)
            if again is not None:
                return again
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


# Records


def office_of(obj: Model, office_path: str) -> "Office":
    """The office a record belongs to, following its office path ("report__office")."""
    target: Any = obj
    for name in office_path.split("__"):
        target = getattr(target, name)
    return cast("Office", target)


def get_for_user(queryset: QuerySet[M], who: HttpRequest | AnyUser, pk: Any, *,
                 office_path: str = "office", write: Can | None = None) -> M:
    """The record with this pk that the user may see; 404 if hidden, 403 if read-only.

    Given a request, only records of its current office are found (the pages work in one
    office at a time); given a user (an API handler, an import), records of any office
    they are a member of. `office_path` leads from the record to its office, through the
    records it hangs from: "office", "report__office", "indicator__output__outcome__
    programme__office". `write` is the capability a change needs."""
    user, office = _user_and_office(who)
    if not getattr(user, "is_authenticated", False):
        raise Http404
    if isinstance(who, HttpRequest):
        if office is None:
            raise Http404
        where: dict[str, Any] = {office_path: office}
    else:
        where = {f"{office_path}__memberships__user": user}
    try:
        obj = queryset.get(pk=pk, **where)
    except (ObjectDoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    membership = membership_for(user, office or office_of(obj, office_path))
    if not allows(membership, Can.VIEW_RECORDS):
        raise Http404
    if write is not None and not allows(membership, write):
        raise RoleRequired(write)
    return obj


# Services


def check_actor(actor: Actor | None, office: "Office | None", capability: Can, *,
                programme_id: int | None = None) -> None:
    """Refuse a write the actor may not make in the record's office, whoever calls the
    service (page, API, command, import). Pages check first and answer 404/403; this is the
    second line. For a programme-scoped capability pass the record's programme."""
    if isinstance(actor, SystemActor):
        return
    if actor is None:
        # A programming error, not a user's: no page ever passes None.
        raise PermissionDenied("A change needs an actor: the user, or SYSTEM for the system.")
    membership = membership_for(actor, office)
    if not allows(membership, capability, programme_id):
        raise RoleRequired(capability)
    if (capability in PROGRAMME_SCOPED and programme_id is None and membership is not None
            and membership.role == Role.PROGRAMME):
        raise RoleRequired(capability)  # a programme officer's write names its programme
