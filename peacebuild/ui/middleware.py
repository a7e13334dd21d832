"""Refuses query strings no page can use, at the door, before any view or query runs."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.utils.translation import gettext as _


class NullCharactersMiddleware:
    """A NUL byte in a query parameter is never something a person meant, and PostgreSQL
    refuses it in any text it is compared with: answer 400 rather than let a search, a
    filter or a cursor fail deep inside a query. (Form fields refuse NUL themselves, with a
    message next to the field.)"""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if any("\x00" in key or any("\x00" in v for v in values)
               for key, values in request.GET.lists()):
            return HttpResponseBadRequest(
                _("Null characters are not allowed."), content_type="text/plain; charset=utf-8")
        return self.get_response(request)
