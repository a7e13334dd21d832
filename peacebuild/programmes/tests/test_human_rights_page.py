"""The human-rights figures page: in every role's navigation, counts only, and an honest
empty state."""

import datetime as dt

import pytest

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.casework import services
from peacebuild.casework.models import Act, CaseTeam, Event, Person

pytestmark = pytest.mark.django_db


def test_every_role_finds_the_page_and_an_office_without_cases_sees_nothing_recorded(
        client_for):
    for role in ("head", "programme", "monitoring", "human_rights", "viewer"):
        home = client_for(role).get("/").content.decode()
        assert 'href="/results/human-rights/"' in home, role
    page = client_for("viewer").get("/results/human-rights/?period=all")
    assert page.status_code == 200
    assert "Nothing recorded in this period." in page.content.decode()


def test_small_counts_are_withheld_and_no_case_is_named_or_linked(office, places, client_for):
    team = CaseTeam.objects.create(office=office, name="Team")
    victim = services.person_save(actor=SYSTEM, person=Person(
        office=office, team=team, name="Nodira Invented-Aliyeva"))
    event = services.event_save(actor=SYSTEM, event=Event(
        office=office, team=team, title="A detention (invented)",
        started_on=dt.date(2004, 3, 1), region=places["TJ-SU"]))
    services.act_save(actor=SYSTEM, act=Act(event=event, violation="detention", victim=victim))
    html = client_for("viewer").get(
        "/results/human-rights/?date_from=2004-01-01&date_to=2004-12-31").content.decode()
    assert '<td class="num">\u2066&lt;5\u2069</td>' in html  # one act: never "1"
    assert "Nodira" not in html and "A detention" not in html and "/cases/" not in html
    assert 'selected>From 1 Jan 2004 to 31 Dec 2004</option>' in html
