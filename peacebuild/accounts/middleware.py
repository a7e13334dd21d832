"""Puts the office the user is working in on the request (chosen with the office switcher)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .queries import offices_for_user

SESSION_KEY = "office_id"


class CurrentOfficeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.office = None  # type: ignore[attr-defined]
        if request.user.is_authenticated:
            offices = offices_for_user(request.user)
            chosen = request.session.get(SESSION_KEY)
            office = offices.filter(pk=chosen).first() if chosen else None
            request.office = office or offices.first()  # type: ignore[attr-defined]
        return self.get_response(request)
