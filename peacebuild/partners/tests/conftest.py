"""Coordination fixtures: a group of the test office with three members, a meeting with
two of them present, and an action point whose owner in the office is the viewer (so the
"owner may close" rule is visible in the matrix)."""

import datetime as dt

import pytest

from peacebuild.partners.models import ActionPoint, Group, GroupMeeting, GroupMember, Organisation


@pytest.fixture
def orgs(office) -> dict[str, Organisation]:
    rows = [("ohchr", "OHCHR", Organisation.Kind.UN),
            ("osce", "OSCE", Organisation.Kind.INTERNATIONAL),
            ("ec", "European Commission", Organisation.Kind.DONOR),
            ("sdc", "SDC", Organisation.Kind.DONOR)]
    return {key: Organisation.objects.create(office=office, name=name, kind=kind)
            for key, name, kind in rows}


@pytest.fixture
def group(office, orgs) -> Group:
    group = Group.objects.create(office=office, name="Human-rights thematic group",
                                 code="hr-group", chaired_by_office=True)
    for key in ("ohchr", "osce", "ec"):
        GroupMember.objects.create(group=group, organisation=orgs[key], attendee=f"{key} adviser")
    return group


@pytest.fixture
def meeting(group, orgs) -> GroupMeeting:
    meeting = GroupMeeting.objects.create(group=group, held_on=dt.date(2004, 1, 21),
                                          venue="Dushanbe", decisions="Speak with one voice.",
                                          minutes={"en": "Minutes."}, minutes_language="en")
    meeting.attended.set([orgs["ohchr"], orgs["osce"]])
    return meeting


@pytest.fixture
def action(meeting, orgs, users) -> ActionPoint:
    return ActionPoint.objects.create(meeting=meeting, text="Draft a joint note.",
                                      owner=orgs["osce"], owner_user=users["viewer"],
                                      due_on=dt.date(2004, 3, 1))


@pytest.fixture
def other_group(other_office) -> Group:
    return Group.objects.create(office=other_office, name="Other office's group")
