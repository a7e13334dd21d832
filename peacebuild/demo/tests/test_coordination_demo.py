"""The demo's coordination groups: grounded in S/2004/331, invented below the groups and
marked so, and their follow-through counted by the figures engine."""

import datetime as dt

import pytest
from django.test import Client

from conftest import login_verified
from peacebuild.accounts.models import User
from peacebuild.activities.queries import ActivityFilter
from peacebuild.demo.loader import SEED_YEAR, load_demo
from peacebuild.figures.engine import FigureQuery, compute
from peacebuild.mandates.models import SourceKind
from peacebuild.partners.models import ActionPoint, Group, GroupMeeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def untop():
    return load_demo().office


def test_the_groups_their_sources_and_figures(untop):
    hr = Group.objects.get(office=untop, code="human-rights-group")
    contact = Group.objects.get(office=untop, code="general-agreement-contact-group")
    assert hr.source_document.symbol == "S/2004/331"
    assert {o.acronym for o in contact.members.all()} == {"", "UTO", "IRPT", "PDPT"}
    assert hr.terms_of_reference.source_kind == SourceKind.INVENTED
    meetings = GroupMeeting.objects.filter(group__office=untop)
    actions = ActionPoint.objects.filter(meeting__group__office=untop)
    assert meetings.count() == 8 and actions.count() == 17
    assert {m.source_kind for m in meetings} == {SourceKind.INVENTED}
    assert {a.source_kind for a in actions} == {SourceKind.INVENTED}
    assert all("(invented)" in m.attendee for m in hr.memberships.all())
    assert all(dt.date(2003, 6, 1) <= m.held_on <= dt.date(2004, 6, 30) for m in meetings)

    year = ActivityFilter(date_from=SEED_YEAR[0], date_to=SEED_YEAR[1])
    hr = hr.pk

    def value(measure, group=None):
        return compute(untop, FigureQuery(measure, year, group=group)).total.value

    assert value("meetings_held", hr) == 4
    assert value("member_attendance", hr) == 83  # 20 of 24 seats
    assert value("actions_due", hr) == 10
    assert value("actions_done_on_time", hr) == 5
    assert value("meetings_held") == 7  # the contact group's June 2004 meeting is after
    assert value("actions_overdue") == 0  # all were closed by 31 May 2004 or not yet due


def test_the_human_rights_officer_sees_their_items_as_of_the_letter_and_links(untop):
    client = login_verified(Client(), User.objects.get(username="humanrights"))
    page = client.get("/", {"as_of": "2004-04-23"}).content.decode()
    assert "overdue by 3 days" in page and "due in 7 days" in page
    assert "Confirm with the mission the date of its meeting with the group." in page
    meeting = GroupMeeting.objects.get(group__office=untop, held_on=dt.date(2003, 12, 10))
    assert [a.title for a in meeting.activities.all()] == [
        "Discussion-club recommendations on reform of the law on parliamentary elections"]
