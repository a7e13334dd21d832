"""One shape for every error the API answers (docs/api.md):

    {"error": {"code": "not_found", "message": "…", "fields": {"title": ["…"]}}}

`fields` is present for refused input (400) and edit conflicts (412, with `current`: the
stored values of the fields the request would change)."""

import logging
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import InterfaceError, OperationalError
from django.db.models import ProtectedError, RestrictedError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response

from peacebuild.accounts.audit import EditConflict
from peacebuild.ui.middleware import drop_broken_connections

log = logging.getLogger(__name__)


class PreconditionRequired(exceptions.APIException):
    status_code = 428
    default_code = "precondition_required"


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"

    def __init__(self, detail: str, fields: dict[str, list[str]], current: dict[str, Any],
                 version: str) -> None:
        super().__init__(detail)
        self.fields, self.current, self.version = fields, current, version


CODES = {400: "invalid", 401: "unauthenticated", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 406: "not_acceptable", 409: "conflict",
         412: "precondition_failed", 415: "unsupported_media_type",
         428: "precondition_required", 429: "throttled", 500: "server_error",
         503: "unavailable"}
RETRY_SECONDS = 10  # after a lost database connection


def body(status_code: int, message: str, fields: dict[str, list[str]] | None = None,
         **extra: Any) -> dict[str, Any]:
    error: dict[str, Any] = {"code": CODES.get(status_code, "error"), "message": message}
    if fields:
        error["fields"] = fields
    return {"error": error | extra}


def flatten(detail: Any, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error details as {"field": [...], "attendance.0.count": [...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = "non_field_errors" if key in ("__all__",) else str(key)
            out |= flatten(value, f"{prefix}.{name}" if prefix else name)
    elif isinstance(detail, list) and any(isinstance(d, dict | list) for d in detail):
        for i, value in enumerate(detail):
            if value:
                out |= flatten(value, f"{prefix}.{i}" if prefix else str(i))
    elif isinstance(detail, list):
        out[prefix or "non_field_errors"] = [str(d) for d in detail]
    else:
        out[prefix or "non_field_errors"] = [str(detail)]
    return out


def handler(exc: Exception, context: dict[str, Any]) -> Response:
    headers: dict[str, str] = {}
    if isinstance(exc, EditConflict):
        exc = PreconditionFailed(str(exc.messages[0]), {}, {}, exc.version)
    if isinstance(exc, PreconditionFailed):
        return Response(body(412, str(exc.detail), exc.fields, current=exc.current),
                        status=412, headers={"ETag": f'"{exc.version}"'})
    if isinstance(exc, DjangoValidationError):
        fields = {("non_field_errors" if k == "__all__" else k): [str(m) for m in v]
                  for k, v in exc.message_dict.items()} if hasattr(exc, "error_dict") else {
            "non_field_errors": [str(m) for m in exc.messages]}
        return Response(body(400, _("The request was refused; see the fields."), fields),
                        status=400)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, ProtectedError | RestrictedError):
        return Response(body(409, _("Other records depend on this one; it cannot be "
                                    "deleted.")), status=409)
    if isinstance(exc, exceptions.ValidationError):
        return Response(body(400, _("The request was refused; see the fields."),
                             flatten(exc.detail)), status=400)
    if isinstance(exc, exceptions.APIException):
        wait = getattr(exc, "wait", None)
        if isinstance(exc, exceptions.Throttled) and wait is not None:
            headers["Retry-After"] = str(int(wait) + 1)
        if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
            headers["WWW-Authenticate"] = "Bearer"
            exc.status_code = 401
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        return Response(body(exc.status_code, str(detail)), status=exc.status_code,
                        headers=headers)
    if isinstance(exc, OperationalError | InterfaceError):  # the database is out of reach
        log.warning("database unavailable: %s", type(exc).__name__)
        drop_broken_connections()  # the next query reconnects
        return Response(body(503, _("The database is unreachable; try again in a moment.")),
                        status=503, headers={"Retry-After": str(RETRY_SECONDS)})
    log.exception("API error", exc_info=exc)
    return Response(body(500, _("Something went wrong on our side; nothing was saved.")),
                    status=500)
