"""Writes for partner organisations and coordination groups: checked against the actor,
validated, atomic, audited."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from peacebuild.accounts.audit import before_change, record, save_audited, snapshot
from peacebuild.accounts.models import AuditEntry, Membership
from peacebuild.accounts.permissions import Actor, SystemActor, check_actor
from peacebuild.accounts.roles import Can
from peacebuild.mandates.models import Document, Office

from .models import (
    ActionPoint,
    ActionPointReminder,
    Group,
    GroupMeeting,
    GroupMember,
    Organisation,
)
from .permissions import actor_may_close
from .queries import days_after


@transaction.atomic
def organisation_save(*, actor: Actor, organisation: Organisation, version: str | None = None
                      ) -> Organisation:
    check_actor(actor, organisation.office, Can.EDIT_REFERENCE)
    before = before_change(organisation, version=version)
    organisation.name = organisation.name.strip()
    save_audited(actor=actor, instance=organisation, before=before)
    return organisation


# ---------------------------------------------------------------------------------------
# Coordination: groups, their members, meetings and action points


def _require_coordinator(actor: Actor | None, office: Office) -> None:
    """Defence in depth: whichever door called, the actor must coordinate in the office."""
    check_actor(actor, office, Can.COORDINATE)


def _save(*, actor: Any, instance: Any, before: dict[str, Any] | None, office: Office,
          validate: bool = True, saved: bool = False) -> None:
    """Validate, save and log a row of the office's coordination records (members, meetings
    and action points carry no office of their own, so it is given). An edit that changes
    nothing is not written and not logged. `saved`: the caller saved the row already (with
    its many-to-many rows) and only the log is left."""
    if validate:
        instance.full_clean()
    if before is not None and snapshot(instance) == before:
        return
    if not saved:
        instance.save()
    if before is None:
        record(actor=actor, action=AuditEntry.Action.CREATE, instance=instance,
               after=snapshot(instance), office=office)
    elif snapshot(instance) != before:
        record(actor=actor, action=AuditEntry.Action.UPDATE, instance=instance,
               before=before, after=snapshot(instance), office=office)


def _same_office(errors: dict[str, list[str]], field: str, obj: Any, office: Office) -> None:
    if obj is not None and obj.office_id != office.pk:
        errors.setdefault(field, []).append(
            _("%(name)s belongs to another office.") % {"name": obj})


def _within_life(errors: dict[str, list[str]], office: Office,
                 **dates: dt.date | None) -> None:
    first, last = office.life_range()
    for field, value in dates.items():
        if value and not (first <= value <= last):
            errors.setdefault(field, []).append(
                _("%(date)s is far outside the life of %(office)s (%(first)s to %(last)s).")
                % {"date": value, "office": office.code.upper(), "first": first, "last": last})


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def group_save(*, actor: Any, group: Group, version: str | None = None) -> Group:
    _require_coordinator(actor, group.office)
    errors: dict[str, list[str]] = {}
    _same_office(errors, "convener", group.convener, group.office)
    _same_office(errors, "terms_of_reference", group.terms_of_reference, group.office)
    _raise(errors)
    group.name = group.name.strip()
    before = before_change(group, version=version)
    _save(actor=actor, instance=group, before=before, office=group.office)
    return group


@transaction.atomic
def group_member_save(*, actor: Any, member: GroupMember, version: str | None = None
                      ) -> GroupMember:
    office = member.group.office
    _require_coordinator(actor, office)
    errors: dict[str, list[str]] = {}
    _same_office(errors, "organisation", member.organisation, office)
    _raise(errors)
    member.attendee = member.attendee.strip()
    before = before_change(member, version=version)
    _save(actor=actor, instance=member, before=before, office=office)
    return member


@transaction.atomic
def group_member_delete(*, actor: Any, member: GroupMember) -> None:
    office = member.group.office
    _require_coordinator(actor, office)
    record(actor=actor, action=AuditEntry.Action.DELETE, instance=member,
           before=snapshot(member), office=office)
    member.delete()


def _meeting_check(meeting: GroupMeeting, attended: Iterable[Organisation]) -> None:
    office = meeting.group.office
    errors: dict[str, list[str]] = {}
    for organisation in attended:
        _same_office(errors, "attended", organisation, office)
    texts = {k: v.strip() for k, v in (meeting.minutes or {}).items() if v and v.strip()}
    if texts and not texts.get(meeting.minutes_language):
        errors.setdefault("minutes", []).append(
            _("Write the minutes in the language they were drafted in first; translations "
              "come beside them."))
    _within_life(errors, office, held_on=meeting.held_on)
    _raise(errors)
    meeting.minutes = texts


@transaction.atomic
def meeting_save(*, actor: Any, meeting: GroupMeeting,
                 attended: Iterable[Organisation] | None = None,
                 version: str | None = None) -> GroupMeeting:
    """Create or update a meeting; `attended` (organisations present) replaces the list
    when given, and is kept when None."""
    _require_coordinator(actor, meeting.group.office)
    before = before_change(meeting, version=version)
    present = list(attended) if attended is not None else (
        list(meeting.attended.all()) if meeting.pk else [])
    _meeting_check(meeting, present)
    meeting.full_clean()
    meeting.save()
    if attended is not None:
        meeting.attended.set(present)
    _save(actor=actor, instance=meeting, before=before, office=meeting.group.office,
          validate=False, saved=True)
    return meeting


def _action_check(action: ActionPoint) -> None:
    meeting = action.meeting
    office = meeting.group.office
    errors: dict[str, list[str]] = {}
    _same_office(errors, "owner", action.owner, office)
    _same_office(errors, "evidence_document", action.evidence_document, office)
    if action.owner_user_id and not Membership.objects.filter(
            user_id=action.owner_user_id, office=office).exists():
        errors.setdefault("owner_user", []).append(
            _("%(name)s is not a member of this office.") % {"name": action.owner_user})
    _within_life(errors, office, due_on=action.due_on, closed_on=action.closed_on)
    if action.due_on and meeting.held_on and action.due_on < meeting.held_on:
        errors.setdefault("due_on", []).append(
            _("The due date is before the meeting (%(date)s) that agreed the action point.")
            % {"date": meeting.held_on})
    if action.closed_on and meeting.held_on and action.closed_on < meeting.held_on:
        errors.setdefault("closed_on", []).append(
            _("It cannot be closed before the meeting (%(date)s) that agreed it.")
            % {"date": meeting.held_on})
    _raise(errors)


@transaction.atomic
def action_save(*, actor: Any, action: ActionPoint, version: str | None = None
                ) -> ActionPoint:
    """Create or edit an action point's promise: what, who, by when."""
    _require_coordinator(actor, action.meeting.group.office)
    before = before_change(action, version=version)
    _action_check(action)
    action.text = action.text.strip()
    _save(actor=actor, instance=action, before=before, office=action.meeting.group.office)
    return action


@transaction.atomic
def action_close(*, actor: Any, action: ActionPoint, status: str, closed_on: dt.date | None,
                 evidence: str = "", evidence_document: Document | None = None,
                 drop_reason: str = "", version: str | None = None) -> ActionPoint:
    """Close an open action point as done (with its evidence) or dropped (with the reason).
    Coordinators and the colleague who owns it may close it."""
    if isinstance(actor, SystemActor) or not actor_may_close(actor, action):
        check_actor(actor, action.meeting.group.office, Can.COORDINATE)
    before = before_change(action, version=version)
    if before is None or before["status"] != ActionPoint.Status.OPEN:
        raise ValidationError(_("This action point is already closed."))
    if status not in (ActionPoint.Status.DONE, ActionPoint.Status.DROPPED):
        raise ValidationError({"status": [_("Close it as done or as dropped.")]})
    action.status = status
    action.closed_on = closed_on
    if status == ActionPoint.Status.DONE:
        action.evidence, action.evidence_document = evidence.strip(), evidence_document
        action.drop_reason = ""
    else:
        action.drop_reason, action.evidence, action.evidence_document = \
            drop_reason.strip(), "", None
    errors: dict[str, list[str]] = {}
    if closed_on is None:
        errors["closed_on"] = [_("Say on which day it was done or dropped.")]
    if status == ActionPoint.Status.DONE and not (action.evidence or evidence_document):
        errors["evidence"] = [_("Give the evidence that closes it: what shows it was done.")]
    if status == ActionPoint.Status.DROPPED and not action.drop_reason:
        errors["drop_reason"] = [_("Say why it is dropped.")]
    _raise(errors)
    _action_check(action)
    _save(actor=actor, instance=action, before=before, office=action.meeting.group.office)
    return action


@transaction.atomic
def action_reopen(*, actor: Any, action: ActionPoint) -> ActionPoint:
    """Undo a closing made in error; the evidence or reason stays in the audit log."""
    _require_coordinator(actor, action.meeting.group.office)
    before = before_change(action)  # the stored row, locked: what the page showed may be old
    action.refresh_from_db()
    if action.is_open:
        return action
    action.status, action.closed_on = ActionPoint.Status.OPEN, None
    action.evidence, action.evidence_document, action.drop_reason = "", None, ""
    _save(actor=actor, instance=action, before=before, office=action.meeting.group.office)
    return action


# ---------------------------------------------------------------------------------------
# Reminders


REMIND_DAYS_BEFORE = 7


@dataclass(frozen=True)
class ReminderSent:
    user: Any
    office: Office
    actions: list[ActionPoint]


def action_reminders_send(*, actor: Any, today: dt.date | None = None,
                          office: Office | None = None, days_before: int = REMIND_DAYS_BEFORE,
                          connection: Any = None) -> list[ReminderSent]:
    """E-mail each owner once before an action point falls due (within `days_before`
    days) and once when it is overdue: one message per owner and office, in the owner's
    language, listing their items. "Today" is each office's own unless given. A reminder is
    recorded only once its message is sent, so a failed run is simply repeated the next day."""
    if office is not None:
        _require_coordinator(actor, office)
        offices = [office]
    elif not isinstance(actor, SystemActor):  # every office at once: the scheduler's job
        raise PermissionDenied("Reminders for every office are sent by the system.")
    else:
        offices = list(Office.objects.filter(
            groups__meetings__actions__status=ActionPoint.Status.OPEN).distinct())
    out: list[ReminderSent] = []
    for each in offices:
        out += _remind(each, today or each.today(), days_before, connection)
    return out


def _remind(office: Office, today: dt.date, days_before: int, connection: Any
            ) -> list[ReminderSent]:
    actions = (ActionPoint.objects.filter(meeting__group__office=office,
                                          status=ActionPoint.Status.OPEN,
                                          owner_user__isnull=False,
                                          meeting__held_on__lte=today,
                                          due_on__lte=days_after(today, days_before))
               .exclude(owner_user__email="")
               .select_related("meeting__group", "owner", "owner_user")
               .prefetch_related("reminders").order_by("due_on", "id"))
    due: dict[int, list[tuple[ActionPoint, str]]] = defaultdict(list)
    for action in actions:
        assert action.owner_user_id is not None  # filtered above
        kind = (ActionPointReminder.Kind.OVERDUE if action.due_on < today
                else ActionPointReminder.Kind.BEFORE)
        sent = {(r.user_id, r.kind) for r in action.reminders.all()}
        if (action.owner_user_id, kind) not in sent:
            due[action.owner_user_id].append((action, kind))
    out: list[ReminderSent] = []
    for items in due.values():
        user = items[0][0].owner_user
        assert user is not None
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            context = {"user": user, "office": office, "today": today,
                       "site": settings.SITE_URL,
                       "items": [(a, kind, (a.due_on - today).days) for a, kind in items]}
            subject = render_to_string("partners/email/reminder_subject.txt", context).strip()
            body = render_to_string("partners/email/reminder.txt", context)
        with transaction.atomic():
            send_mail(subject, body, None, [user.email], connection=connection)
            ActionPointReminder.objects.bulk_create(
                [ActionPointReminder(action=a, user=user, kind=kind, sent_on=today)
                 for a, kind in items])
        out.append(ReminderSent(user, office, [a for a, _k in items]))
    return out
