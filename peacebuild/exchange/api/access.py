"""Who gets through the door: a live token, and for writes a read-write one; how often.

Kept apart from the views: REST framework loads these classes from its settings while it
loads its own views."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, permissions, throttling
from rest_framework.request import Request

from .models import ApiToken


class TokenScope(permissions.BasePermission):
    """A signed-in token is needed; a read-only token reads only. What the token's user may
    do beyond that is their role's in the token's office, decided by the access functions
    and the services as for the pages."""

    def has_permission(self, request: Request, view: Any) -> bool:
        token = request.auth
        if not isinstance(token, ApiToken):
            raise exceptions.NotAuthenticated(
                _("Send an API token: Authorization: Bearer <token>."))
        if request.method not in permissions.SAFE_METHODS and not token.writes:
            raise exceptions.PermissionDenied(
                _("This token is read-only: writing needs a read-write token."))
        return True


class TokenThrottle(throttling.SimpleRateThrottle):
    """Requests per token (per client address before a token is known); the rate comes from
    settings.API_RATE, e.g. "1200/min"."""

    scope = "api"

    def get_rate(self) -> str | None:
        return str(getattr(settings, "API_RATE", "1200/min"))

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        token = request.auth
        ident = f"token-{token.pk}" if isinstance(token, ApiToken) else self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}
