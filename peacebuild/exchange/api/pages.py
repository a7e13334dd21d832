"""The "API tokens" page: a user's tokens for the current office; make one (its key is
shown once), revoke one."""

import datetime as dt
import zoneinfo
from typing import cast

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from peacebuild.accounts.models import User
from peacebuild.accounts.permissions import MemberRequest, office_view
from peacebuild.lib.ids import parse_id

from . import services
from .forms import TokenForm
from .models import ApiToken

NEW_KEY = "api_new_key"  # the key just made, shown once on the next page and forgotten


def _expiry(request: MemberRequest, day: dt.date | None) -> dt.datetime | None:
    """A token "expiring on" a day works to the end of that day at the office."""
    if day is None:
        return None
    zone = zoneinfo.ZoneInfo(request.office.time_zone)
    return dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)


@office_view()
@require_http_methods(["GET", "POST"])
def tokens(request: MemberRequest) -> HttpResponse:
    user = cast(User, request.user)  # office_view: signed in
    form = TokenForm(request.POST if request.method == "POST" and "revoke" not in request.POST
                     else None,
                     today=request.office.today())
    if request.method == "POST" and "revoke" in request.POST:
        token = ApiToken.objects.filter(pk=parse_id(request.POST["revoke"]) or 0, user=user,
                                        office=request.office).first()
        if token is None:
            raise Http404
        services.token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token “%(name)s” was revoked; it no longer works.")
                         % {"name": token.name})
        return redirect("tokens:list")
    if request.method == "POST" and form.is_valid():
        try:
            token, key = services.token_create(
                actor=user, user=user, office=request.office,
                name=form.cleaned_data["name"], scope=form.cleaned_data["scope"],
                expires_at=_expiry(request, form.cleaned_data["expires_on"]))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            request.session[NEW_KEY] = {"id": token.pk, "key": key}
            return redirect("tokens:list")
    new = request.session.pop(NEW_KEY, None)
    rows = ApiToken.objects.filter(user=user, office=request.office)
    return render(request, "api/tokens.html", {
        "form": form, "tokens": rows, "new": new,
        "schema_url": reverse("api:schema"), "docs_url": reverse("api:docs"),
        "crumbs": [(_("API tokens"), None)],
    })
