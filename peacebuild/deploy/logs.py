"""Structured logs: JSON lines, one per request, and no personal data in any of them.

A request's line holds its method, its path without the query string (where search terms
and filters live), its status, its duration in milliseconds, the signed-in user's id (a
number: no name, no e-mail) and a request id (the client's `X-Request-ID` when it is a
plain token, else a new one, echoed in the response), and `"database": "replica"` when
the page's reads went to the standby (lib/dbrouting.py). No address, no browser, no form
field, no case content: what a request carried stays out of the log.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import time
import uuid
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from pythonjsonlogger.json import JsonFormatter

log = logging.getLogger("peacebuild.requests")

REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,64}")
FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


class UtcJsonFormatter(JsonFormatter):
    """`time` in UTC, ISO 8601 with milliseconds and offset: a log store that gathers
    several servers (or a server in Dushanbe and one in Geneva) sorts them right."""

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(
            timespec="milliseconds")


def json_formatter() -> logging.Formatter:
    return UtcJsonFormatter(FIELDS, rename_fields={"asctime": "time", "levelname": "level",
                                                   "name": "logger"})


class RequestLogMiddleware:
    """First in the chain: times the whole request, including the other middleware."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if REQUEST_ID.fullmatch(given) else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id
        if log.isEnabledFor(logging.INFO):
            fields = request_fields(request, response, started)
            log.info("%(method)s %(path)s %(status)s %(duration_ms)sms user=%(user_id)s "
                     "id=%(request_id)s", fields, extra=fields)
        return response


def request_fields(request: HttpRequest, response: HttpResponse,
                   started: float) -> dict[str, Any]:
    user = getattr(request, "user", None)
    replica = {"database": "replica"} if getattr(request, "reads_from_replica", False) else {}
    return replica | {
        "method": request.method,
        "path": request.path,
        "status": response.status_code,
        "duration_ms": round((time.perf_counter() - started) * 1000, 1),
        "user_id": user.pk if user is not None and user.is_authenticated else None,
        "request_id": request.request_id,  # type: ignore[attr-defined]
    }
