"""The world of the oversight tests: a case team with a writer and a reader, another team
with its own officer, a case with a victim, an act and a source, another team's case, and
a superuser who is a viewer of the office (superusers get no bypass)."""

import datetime as dt

import pytest

from conftest import make_user
from peacebuild.accounts.models import Membership
from peacebuild.accounts.roles import Role
from peacebuild.casework import services
from peacebuild.casework.models import Act, CaseTeam, CaseTeamMember, Event, Information, Person

VICTIM = "Farrukh Sharipov (invented)"
TITLE = "Detention of a journalist (invented)"


@pytest.fixture
def world(office, other_office, users, places):
    hr = users["human_rights"]
    hr.email = "hr@example.org"
    hr.save()
    reader = make_user("hr_reader", office, Role.HUMAN_RIGHTS)
    other_hr = make_user("hr_other", office, Role.HUMAN_RIGHTS)
    root = make_user("root", None, None)
    root.is_superuser = root.is_staff = True
    root.save()
    Membership.objects.create(user=root, office=office, role=Role.VIEWER)
    head = users["head"]
    team = services.team_save(actor=head, team=CaseTeam(office=office, name="Sughd"))
    other = services.team_save(actor=head, team=CaseTeam(office=office, name="Khatlon"))
    members = {}
    for user, t, write in [(hr, team, True), (reader, team, False), (other_hr, other, True)]:
        members[user.username] = services.team_member_save(
            actor=head, member=CaseTeamMember(team=t, user=user, can_write=write))
    victim = services.person_save(actor=hr, person=Person(
        office=office, team=team, name=VICTIM, contact="+992 92 000 00 00", sex="m"))
    event = services.event_save(actor=hr, event=Event(
        office=office, team=team, title=TITLE, description=f"{VICTIM} was held.",
        started_on=dt.date(2004, 3, 12), region=places["TJ-SU"]))
    act = services.act_save(actor=hr, act=Act(event=event, violation="detention",
                                              victim=victim, happened_on=dt.date(2004, 3, 12)))
    source = services.person_save(actor=hr, person=Person(office=office, team=team,
                                                          name="A colleague (invented)"))
    information = services.information_save(actor=hr, information=Information(
        event=event, source=source, received_on=dt.date(2004, 3, 14),
        content="Saw the arrest.", reliability="high", consent_to_use=True))
    other_event = services.event_save(actor=other_hr, event=Event(
        office=office, team=other, title="Another team's case", started_on=dt.date(2004, 1, 5)))
    return {"team": team, "other": other, "event": event, "act": act, "victim": victim,
            "source": source, "information": information, "other_event": other_event,
            "reader": reader, "other_hr": other_hr, "root": root, "members": members}
