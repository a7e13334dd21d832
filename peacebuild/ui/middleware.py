"""At the door: query strings no page can use are refused before any view or query runs,
and a lost database answers "try again in a moment" instead of a server error."""

import logging
import sys
from collections.abc import Callable

from django.db import InterfaceError, OperationalError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views import defaults

log = logging.getLogger(__name__)


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


UNAVAILABLE_RETRY_SECONDS = 10


def drop_broken_connections() -> None:
    """Close the connections a database error left unusable, so the next query reconnects
    (as Django does at the end of each request; here at once, for what runs after)."""
    for conn in connections.all(initialized_only=True):
        if conn.errors_occurred and not conn.in_atomic_block:
            conn.close_if_unusable_or_obsolete()


def database_unavailable(request: HttpRequest) -> HttpResponse:
    """The page shown while the database cannot be reached (503, with Retry-After). It
    touches no database: a plain page in the visitor's language, no menus."""
    drop_broken_connections()
    body = render_to_string("503.html")
    response = HttpResponse(body, status=503)
    response["Retry-After"] = str(UNAVAILABLE_RETRY_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    """A page whose database connection is lost answers 503 "try again in a moment"
    rather than a server error; the application reconnects by itself when the database is
    back (CONN_HEALTH_CHECKS, and the dropped connection). Errors raised before the view
    (loading the session, the user) reach `server_error` below, set as handler500."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, OperationalError | InterfaceError):
            log.warning("database unavailable: %s", type(exception).__name__)
            return database_unavailable(request)
        return None


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: the 503 page when the error was a lost database, else Django's own."""
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        return database_unavailable(request)
    return defaults.server_error(request)
