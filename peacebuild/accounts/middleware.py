"""Puts the office the user is working in on the request (chosen with the office switcher),
and their membership there: see `permissions.OfficeRequest`."""

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse

from .permissions import OfficeRequest
from .queries import membership_for, offices_for_user

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
