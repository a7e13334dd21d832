"""The demo's coordination groups, meetings and action points, from `data/coordination.json`.

The human-rights thematic group is in S/2004/331, as is the office's close contact with the
parties to the 1997 General Agreement; everything below the groups (attendees, meetings,
minutes, decisions, action points) is invented for plausibility and says so: source kind
"invented", source document the letter whose fact it illustrates. An action point carries
its meeting's source."""

import datetime as dt
from collections.abc import Callable
from typing import Any

from peacebuild.accounts.models import User
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity
from peacebuild.activities.services import activity_update
from peacebuild.mandates.models import Document, Office
from peacebuild.mandates.services import document_save
from peacebuild.partners.models import ActionPoint, Group, GroupMeeting, GroupMember, Organisation
from peacebuild.partners.services import (
    action_close,
    action_save,
    group_member_save,
    group_save,
    meeting_save,
)

from .files import read

# A data file's {"kind", "doc", "note"} as a record's source fields (the loader's).
Sources = Callable[[dict[str, Any]], Any]


def _d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def load_coordination(office: Office, orgs: dict[str, Organisation], source: Sources
                      ) -> dict[str, Group]:
    """Load the groups with their members, meetings and action points (the demo users must
    exist: they own action points)."""
    users = {u.username: u for u in User.objects.filter(memberships__office=office)}
    groups = {}
    for row in read("coordination.json")["groups"]:
        tor = None
        if "terms_of_reference" in row:
            spec = row["terms_of_reference"]
            tor = document_save(actor=SYSTEM, document=Document(
                office=office, title=spec["title"], kind=Document.Kind.OTHER,
                dated_on=_d(spec["dated_on"]), original_language="en", languages=["en"],
                **source(spec["source"]).fields()))
        group = group_save(actor=SYSTEM, group=Group(
            office=office, code=row["code"], name=row["name"], names=row["names"],
            purpose=row["purpose"], purposes=row["purposes"],
            chaired_by_office=True, terms_of_reference=tor, **source(row["source"]).fields()))
        for key, attendee in row["members"]:
            group_member_save(actor=SYSTEM, member=GroupMember(
                group=group, organisation=orgs[key], attendee=f"{attendee} (invented)"))
        for spec in row["meetings"]:
            _meeting(group, spec, orgs, users, source(spec["source"]).fields())
        groups[row["code"]] = group
    return groups


def _meeting(group: Group, spec: dict[str, Any], orgs: dict[str, Organisation],
             users: dict[str, User], sourced: dict[str, Any]) -> None:
    meeting = meeting_save(actor=SYSTEM, meeting=GroupMeeting(
        group=group, held_on=_d(spec["held_on"]), venue=spec["venue"],
        summary=spec["summary"], agenda=spec["agenda"], decisions=spec["decisions"],
        minutes_language=spec.get("minutes_language", "en"), minutes=spec["minutes"],
        **sourced), attended=[orgs[k] for k in spec["attended"]])
    for title in spec.get("led_to", []):
        for activity in Activity.objects.filter(office=group.office, title=title):
            activity_update(actor=SYSTEM, activity=activity, meeting=meeting)
    for item in spec["actions"]:
        action = action_save(actor=SYSTEM, action=ActionPoint(
            meeting=meeting, text=item["text"], owner=orgs.get(item.get("owner", "")),
            owner_user=users.get(item.get("owner_user", "")), due_on=_d(item["due_on"]),
            **sourced))
        if item["status"] != ActionPoint.Status.OPEN:
            action_close(actor=SYSTEM, action=action, status=item["status"],
                         closed_on=_d(item["closed_on"]), evidence=item.get("evidence", ""),
                         drop_reason=item.get("drop_reason", ""))
