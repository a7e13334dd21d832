"""Who may see and change offices, mandate periods and documents: one access function per
object type, on the generic helper of `accounts.permissions`.

Documents are reference data (`edit_reference`); mandate periods are the office's mandate
(`edit_mandate`, heads of office). An office is found only among the user's own offices.
"""

from typing import Any

from django.http import Http404, HttpRequest

from peacebuild.accounts.permissions import AnyUser, get_for_user
from peacebuild.accounts.queries import offices_for_user
from peacebuild.accounts.roles import Can

from .models import Document, MandatePeriod, Office


def get_office_for_user(request_or_user: HttpRequest | AnyUser, pk: Any) -> Office:
    """One of the offices the user is a member of (to work in); any other is a 404."""
    user = request_or_user.user if isinstance(request_or_user, HttpRequest) else request_or_user
    try:
        return offices_for_user(user).get(pk=pk)  # type: ignore[arg-type]
    except (Office.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc


def get_document_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                          write: bool = False) -> Document:
    return get_for_user(Document.objects.all(), request_or_user, pk,
                        write=Can.EDIT_REFERENCE if write else None)


def get_period_for_user(request_or_user: HttpRequest | AnyUser, pk: Any, *,
                        write: bool = False) -> MandatePeriod:
    return get_for_user(MandatePeriod.objects.all(), request_or_user, pk,
                        write=Can.EDIT_MANDATE if write else None)
