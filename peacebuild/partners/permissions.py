"""Who may see and change partner organisations and coordination groups: one access
function per object type, on the generic helper of `accounts.permissions`.

Organisations are reference data: changing them needs `edit_reference`. Coordination groups,
their members, meetings and action points are read by everyone in the office and written
with `coordinate`; an action point may also be closed by the colleague responsible for it,
whatever their role: follow-through is theirs."""

from typing import Any, cast

from django.http import HttpRequest

from peacebuild.accounts.permissions import (
    Actor,
    AnyUser,
    RoleRequired,
    allows,
    get_for_user,
    may,
    user_of,
)
from peacebuild.accounts.queries import membership_for
from peacebuild.accounts.roles import Can

from .models import ActionPoint, Group, GroupMeeting, GroupMember, Organisation


def get_organisation_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                              write: bool = False) -> Organisation:
    return get_for_user(Organisation.objects.all(), request_or_user, pk,
                        write=Can.EDIT_REFERENCE if write else None)


def get_group_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                       write: bool = False) -> Group:
    return get_for_user(Group.objects.select_related("office", "convener",
                                                     "terms_of_reference"),
                        request_or_user, pk, write=Can.COORDINATE if write else None)


def get_member_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                        write: bool = False) -> GroupMember:
    return get_for_user(GroupMember.objects.select_related("group__office", "organisation"),
                        request_or_user, pk, office_path="group__office",
                        write=Can.COORDINATE if write else None)


def get_meeting_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                         write: bool = False) -> GroupMeeting:
    return get_for_user(GroupMeeting.objects.select_related("group__office"),
                        request_or_user, pk, office_path="group__office",
                        write=Can.COORDINATE if write else None)


def get_action_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                        write: bool = False, closing: bool = False) -> ActionPoint:
    """`closing=True`: a coordinator, or the colleague responsible for the action point."""
    action = get_for_user(
        ActionPoint.objects.select_related("meeting__group__office", "owner", "owner_user"),
        request_or_user, pk, office_path="meeting__group__office",
        write=Can.COORDINATE if write else None)
    user = cast(AnyUser, request_or_user.user if isinstance(request_or_user, HttpRequest)
                else request_or_user)
    if closing and not actor_may_close(user, action):
        raise RoleRequired(Can.COORDINATE)
    return action


def may_coordinate(request: HttpRequest) -> bool:
    return may(request, Can.COORDINATE)


def actor_may_close(actor: Actor | None, action: ActionPoint) -> bool:
    """The rule for pages and services alike: the colleague responsible for the action
    point, or whoever coordinates in its office. (The system is let through by the
    services' `check_actor`.)"""
    user = user_of(actor)
    if user is not None and action.owner_user_id == user.pk:
        return True
    office = action.meeting.group.office
    return user is not None and allows(membership_for(user, office), Can.COORDINATE)
