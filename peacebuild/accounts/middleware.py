"""Puts the office the user is working in on the request (chosen with the office switcher),
and their membership there: see `permissions.OfficeRequest`."""

from collections.abc import Callable
from typing import cast

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from .permissions import OfficeRequest, second_factor_redirect
from .queries import membership_for, offices_for_user, two_factor_required

SESSION_KEY = "office_id"


class CurrentOfficeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        typed = cast(OfficeRequest, request)
        typed.office = None
        if request.user.is_authenticated:
            offices = offices_for_user(request.user)
            chosen = request.session.get(SESSION_KEY)
            office = offices.filter(pk=chosen).first() if chosen else None
            typed.office = office or offices.first()
        typed.membership = membership_for(request.user, typed.office)
        return self.get_response(request)


# Pages a signed-in user may open before their second factor: its own steps, signing out,
# the language switch.
BEFORE_SECOND_FACTOR = {"accounts:verify", "accounts:enrol", "logout", "login", "set_language"}


class AccountSecurityMiddleware:
    """After django-otp's middleware: a user with an authenticator whose session has not
    passed it goes to the second step of signing in; a user whose role requires two-factor
    authentication and has none goes to set it up, before any other page. Their sessions
    also end after settings.HUMAN_RIGHTS_IDLE_TIMEOUT seconds without a request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and two_factor_required(request.user):
            # The expiry counts from the last request: saved with the session each time.
            request.session.set_expiry(settings.HUMAN_RIGHTS_IDLE_TIMEOUT)
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable[..., object],
                     args: object, kwargs: object) -> HttpResponseBase | None:
        match = request.resolver_match
        if match is None or match.view_name in BEFORE_SECOND_FACTOR:
            return None
        return second_factor_redirect(request)


class PermissionsPolicyMiddleware:
    """The Permissions-Policy header (Django has none of its own): no camera, microphone,
    location and the like for any page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
