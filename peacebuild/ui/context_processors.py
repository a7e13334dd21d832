from typing import Any

from django.http import HttpRequest

from peacebuild.accounts.permissions import capabilities, membership_of
from peacebuild.accounts.queries import offices_for_user


def shell(request: HttpRequest) -> dict[str, Any]:
    """What the layout needs on every page: the office switcher and the user's role."""
    office = getattr(request, "office", None)
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_office": None}
    membership = membership_of(request)
    return {
        "current_office": office,
        "user_offices": offices_for_user(user),
        "current_membership": membership,
        # {% if can.edit_activities %}: what the user may do in the current office.
        "can": capabilities(request),
    }
