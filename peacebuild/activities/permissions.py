"""Who may see and change activities and centres: one access function per object type, on
the generic helper of `accounts.permissions`, and the "may I" flags of their pages.

A record of another office is a 404 (we never reveal that it exists); a record the user
may see but not change is a 403 that says why. A programme officer records and changes
activities only for the programmes assigned to them.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.utils.translation import gettext as _

from peacebuild.accounts.permissions import AnyUser, allows, get_for_user, may
from peacebuild.accounts.queries import membership_for
from peacebuild.accounts.roles import Can

from .models import Activity, Centre


def get_activity_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                          write: bool = False) -> Activity:
    activity = get_for_user(
        Activity.objects.select_related("office", "programme", "type", "place", "region",
                                        "centre", "source_document", "meeting__group"),
        request_or_user, pk, write=Can.EDIT_ACTIVITIES if write else None,
    )
    user = request_or_user.user if isinstance(request_or_user, HttpRequest) else request_or_user
    if write and not allows(membership_for(user, activity.office), Can.EDIT_ACTIVITIES,
                            activity.programme_id):
        raise PermissionDenied(
            _("Only the officers assigned to the programme “%(programme)s” may change its "
              "activities.") % {"programme": activity.programme}
        )
    return activity


def get_centre_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                        write: bool = False) -> Centre:
    return get_for_user(
        Centre.objects.select_related("office", "place", "partner", "programme"),
        request_or_user, pk, write=Can.EDIT_REFERENCE if write else None,
    )


def may_record_activities(request: HttpRequest) -> bool:
    """Whether the user records activities in the current office (for some programme)."""
    return may(request, Can.EDIT_ACTIVITIES)


def may_edit_activity(request: HttpRequest, activity: Activity) -> bool:
    return may(request, Can.EDIT_ACTIVITIES, activity.programme_id)


def may_edit_centres(request: HttpRequest) -> bool:
    return may(request, Can.EDIT_REFERENCE)
