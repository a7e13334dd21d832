"""Who may see and change partner organisations and coordination groups: one access
function per object type, on the generic helper of `accounts.permissions`. Both are
reference data: changing them needs `edit_reference`."""

from typing import Any

from django.http import HttpRequest

from peacebuild.accounts.permissions import AnyUser, get_for_user
from peacebuild.accounts.roles import Can

from .models import Group, Organisation


def get_organisation_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                              write: bool = False) -> Organisation:
    return get_for_user(Organisation.objects.all(), request_or_user, pk,
                        write=Can.EDIT_REFERENCE if write else None)


def get_group_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                       write: bool = False) -> Group:
    return get_for_user(Group.objects.prefetch_related("members"), request_or_user, pk,
                        write=Can.EDIT_REFERENCE if write else None)
