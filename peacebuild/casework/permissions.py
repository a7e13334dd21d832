"""Who may see and change case data. Deny by default.

- A case (an `Event` and all that hangs from it: acts, sources, interventions, follow-ups,
  and the persons of its team) is seen by the members of its case team who hold
  `Can.VIEW_CASES` in the office, and by a head of office during a running break-glass
  access to it. Nobody else: not other teams, not viewers, programme or M&E officers, and
  not superusers: nothing in this module looks at `is_superuser` or `is_staff`.
- A case the user may not see does not exist for them: `get_event_for_user` raises 404,
  and every list or count starts from `visible_events`, never filtered after the fact.
- Changing a case needs the team's `can_write`; break-glass access only reads.
- Heads of office (`Can.CASE_SUMMARIES`) see anonymised summaries of every case
  (`queries.case_summaries`): no title, text, name or exact date.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from peacebuild.accounts.permissions import SystemActor, allows
from peacebuild.accounts.queries import membership_for
from peacebuild.accounts.roles import Can

from .models import CaseTeam, CaseTeamMember, Event, Person

if TYPE_CHECKING:
    from peacebuild.mandates.models import Office


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and not isinstance(user, SystemActor)


def case_officer(user: Any, office: Office) -> bool:
    """A human-rights officer of the office (who may belong to its case teams)."""
    return _signed_in(user) and allows(membership_for(user, office), Can.VIEW_CASES)


def visible_events(user: Any, office: Office) -> QuerySet[Event]:
    """The office's cases the user may open: their teams' and their running break-glass."""
    if not _signed_in(user):
        return Event.objects.none()
    membership = membership_for(user, office)
    seen = Q(pk__in=[])
    if allows(membership, Can.VIEW_CASES):
        seen |= Q(team__members__user=user)
    if allows(membership, Can.BREAK_GLASS):
        seen |= Q(break_glass__user=user, break_glass__expires_at__gt=timezone.now())
    return Event.objects.filter(seen, office=office).distinct()


def visible_persons(user: Any, office: Office) -> QuerySet[Person]:
    """The persons of the user's teams (a person is not seen through break-glass alone)."""
    if not case_officer(user, office):
        return Person.objects.none()
    return Person.objects.filter(office=office, team__members__user=user).distinct()


def team_membership(user: Any, team: CaseTeam) -> CaseTeamMember | None:
    if not case_officer(user, team.office):
        return None
    return CaseTeamMember.objects.filter(team=team, user=user).first()


def may_write(user: Any, team: CaseTeam) -> bool:
    member = team_membership(user, team)
    return member is not None and member.can_write


def get_event_for_user(user: Any, office: Office, pk: Any, *, write: bool = False) -> Event:
    """The case, if the user may open it; 404 otherwise, whether it exists or not. A case
    the user sees but may not change is a 403 (they know it exists)."""
    try:
        event = visible_events(user, office).select_related("team", "region").get(pk=pk)
    except (Event.DoesNotExist, ValueError, TypeError, OverflowError) as exc:
        raise Http404 from exc
    if write and not may_write(user, event.team):
        raise PermissionDenied(_("Only the members of this case's team who may change its "
                                 "cases can do this."))
    return event


def check_case_writer(actor: Any, team: CaseTeam) -> None:
    """The services' second line: the actor changes the team's cases (or is SYSTEM)."""
    if isinstance(actor, SystemActor):
        return
    if actor is None:
        raise PermissionDenied("A change needs an actor: the user, or SYSTEM for the system.")
    if not may_write(actor, team):
        raise PermissionDenied(_("Only the members of this case's team who may change its "
                                 "cases can do this."))
