"""Token authentication: `Authorization: Bearer <key>`.

The token names one office: the request works in that office exactly as a page does in the
office chosen with the switcher (`request.office`, `request.membership`), so the access
functions of the apps answer the same 404s and 403s. The user's role is read on every
request, so a changed or removed membership applies at once; a token never grants more
than its user's role in its office."""

import datetime as dt
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.request import Request

from peacebuild.accounts.queries import membership_for

from .models import ApiToken
from .services import hash_key

# Record the last use at most this often: one write per token per minute, not per request.
LAST_USED_EVERY = dt.timedelta(minutes=1)


class TokenAuthentication(BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() not in (b"bearer", b"token"):
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Give the token after the word Bearer, with nothing else."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("This token is not valid.")) from exc
        token = (ApiToken.objects.select_related("user", "office")
                 .filter(key_hash=hash_key(key)).first())
        if token is None or not token.is_live() or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("This token is not valid."))
        membership = membership_for(token.user, token.office)
        if membership is None:
            raise exceptions.AuthenticationFailed(
                _("The token's user is no longer a member of its office."))
        now = timezone.now()
        if token.last_used_at is None or now - token.last_used_at > LAST_USED_EVERY:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
            token.last_used_at = now
        # The request works in the token's office, as a page works in the current office.
        django_request = request._request
        django_request.office = token.office  # type: ignore[attr-defined]
        django_request.membership = membership  # type: ignore[attr-defined]
        django_request.user = token.user
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
