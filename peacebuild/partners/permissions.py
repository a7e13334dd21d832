"""Who may see and change coordination groups, their meetings and action points.

Everyone in the office reads them; `Can.COORDINATE` writes them. An action point may also
be closed by the colleague who owns it, whatever their role: follow-through is theirs.
"""

from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from peacebuild.accounts.permissions import RoleRequired
from peacebuild.accounts.queries import user_can
from peacebuild.accounts.roles import Can

from .models import ActionPoint, Group, GroupMeeting, GroupMember

M = TypeVar("M", bound=Model)


def _get(queryset: QuerySet[M], request: HttpRequest, pk: Any, *, office_path: str,
         write_capability: Can | None) -> M:
    """The record with this pk reached from the current office through `office_path`:
    404 if it is another office's (or there is none), 403 if the user may only read."""
    office = getattr(request, "office", None)
    if office is None or not user_can(request.user, office, Can.VIEW_RECORDS):
        raise Http404
    try:
        obj = queryset.get(pk=pk, **{office_path: office})
    except (queryset.model.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    if write_capability is not None and not user_can(request.user, office, write_capability):
        raise RoleRequired(write_capability)
    return obj


def get_group_for_user(request: HttpRequest, pk: Any, *, write: bool = False) -> Group:
    return _get(Group.objects.select_related("convener", "terms_of_reference"), request, pk,
                office_path="office", write_capability=Can.COORDINATE if write else None)


def get_member_for_user(request: HttpRequest, pk: Any, *, write: bool = False) -> GroupMember:
    return _get(GroupMember.objects.select_related("group", "organisation"), request, pk,
                office_path="group__office",
                write_capability=Can.COORDINATE if write else None)


def get_meeting_for_user(request: HttpRequest, pk: Any, *, write: bool = False
                         ) -> GroupMeeting:
    return _get(GroupMeeting.objects.select_related("group"), request, pk,
                office_path="group__office",
                write_capability=Can.COORDINATE if write else None)


def get_action_for_user(request: HttpRequest, pk: Any, *, write: bool = False,
                        closing: bool = False) -> ActionPoint:
    """`closing=True`: a coordinator, or the colleague who owns the action point."""
    action = _get(ActionPoint.objects.select_related("meeting__group", "owner", "owner_user"),
                  request, pk, office_path="meeting__group__office",
                  write_capability=Can.COORDINATE if write else None)
    if closing and not may_close(request, action):
        raise RoleRequired(Can.COORDINATE)
    return action


def may_coordinate(request: HttpRequest) -> bool:
    office = getattr(request, "office", None)
    return office is not None and user_can(request.user, office, Can.COORDINATE)


def may_close(request: HttpRequest, action: ActionPoint) -> bool:
    return may_coordinate(request) or (
        action.owner_user_id is not None and action.owner_user_id == request.user.pk)


def actor_may_close(actor: Any, action: ActionPoint) -> bool:
    """The same rule for services, whose actor may come from a page, a command or a test."""
    office = action.meeting.group.office
    return user_can(actor, office, Can.COORDINATE) or (
        action.owner_user_id is not None and action.owner_user_id == getattr(actor, "pk", None))
