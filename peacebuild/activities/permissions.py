"""Who may see and change activities and centres: one access function per object type.

A record of another office is a 404 (we never reveal that it exists); a record the user
may see but not change is a 403 that says why.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from peacebuild.accounts.permissions import get_for_user, may_edit_programme
from peacebuild.accounts.roles import Can

from .models import Activity, Centre


def get_activity_for_user(request: HttpRequest, pk: object, *, write: bool = False) -> Activity:
    activity = get_for_user(
        Activity.objects.select_related("programme", "type", "place", "region", "centre",
                                        "source_document"),
        request, pk, write_capability=Can.EDIT_ACTIVITIES if write else None,
    )
    if write and not may_edit_programme(request, activity.programme_id):
        # A programme officer records activities only for the programmes assigned to them.
        raise PermissionDenied(
            _("Only the officers assigned to the programme “%(programme)s” may change its "
              "activities.") % {"programme": activity.programme}
        )
    return activity


def get_centre_for_user(request: HttpRequest, pk: object, *, write: bool = False) -> Centre:
    return get_for_user(
        Centre.objects.select_related("place", "partner", "programme"),
        request, pk, write_capability=Can.EDIT_REFERENCE if write else None,
    )
