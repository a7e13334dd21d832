"""A case team with a fully documented case, for the tests of the case pages: a writer
(`users["human_rights"]`), a reader of the same team, a human-rights officer of another
team with a case of their own, and a superuser who is a viewer of the office."""

import datetime as dt
from typing import Any

from conftest import make_user
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.accounts.roles import Role
from peacebuild.casework import services
from peacebuild.casework.models import (
    Act,
    CaseTeam,
    CaseTeamMember,
    Event,
    FollowUp,
    Information,
    Intervention,
    Involvement,
    Person,
)
from peacebuild.partners.models import Organisation

VICTIM = "Farrukh Sharipov (invented)"
TITLE = "Detention of a journalist (invented)"
LINES = "First line of the note.\nSecond line, after a break.\n\nA new paragraph."


def build(office: Any, users: dict, places: dict) -> dict[str, Any]:
    hr = users["human_rights"]
    reader = make_user("hr_reader", office, Role.HUMAN_RIGHTS)
    other_hr = make_user("hr_other", office, Role.HUMAN_RIGHTS)
    root = make_user("root", office, Role.VIEWER)
    root.is_superuser = root.is_staff = True
    root.save()
    team = services.team_save(actor=SYSTEM, team=CaseTeam(office=office, name="Sughd"))
    other = services.team_save(actor=SYSTEM, team=CaseTeam(office=office, name="Khatlon"))
    for user, t, write in [(hr, team, True), (reader, team, False), (other_hr, other, True)]:
        services.team_member_save(actor=SYSTEM,
                                  member=CaseTeamMember(team=t, user=user, can_write=write))
    victim = services.person_save(actor=hr, person=Person(
        office=office, team=team, kind="individual", name=VICTIM, other_names="F. Sharipov",
        sex="m", born_in=1970, contact="+992 92 000 00 00", id_number="A1234567",
        notes=LINES))
    source = services.person_save(actor=hr, person=Person(
        office=office, team=team, name="A colleague (invented)", sex="f"))
    police = services.person_save(actor=hr, person=Person(
        office=office, team=team, kind="organisation", name="District police (invented)"))
    event = services.event_save(actor=hr, event=Event(
        office=office, team=team, title=TITLE, description=f"{VICTIM} was held.\n{LINES}",
        started_on=dt.date(2004, 3, 12), start_precision="day", ended_on=dt.date(2004, 3, 20),
        end_precision="month", region=places["TJ-SU"], status="monitoring",
        confidentiality="strict"))
    act = services.act_save(actor=hr, act=Act(
        event=event, violation="detention", victim=victim, happened_on=dt.date(2004, 3, 12),
        precision="day", place="Khujand (invented)", consequences=LINES))
    involvement = services.involvement_save(actor=hr, involvement=Involvement(
        act=act, perpetrator=police, degree="direct", notes=LINES))
    information = services.information_save(actor=hr, information=Information(
        event=event, source=source, received_on=dt.date(2004, 3, 14), content=LINES,
        reliability="high", consent_to_use=True, consent_to_share=True,
        consent_notes="Not by name"))
    ministry = Organisation.objects.create(office=office, name="Ministry of Internal Affairs",
                                           kind="government")
    intervention = services.intervention_save(actor=hr, intervention=Intervention(
        event=event, made_on=dt.date(2004, 3, 15), authority=ministry, channel="letter",
        request="Release or charge.", response=LINES, outcome="pending",
        follow_up_due=dt.date(2004, 3, 29)))
    follow_up = services.follow_up_save(actor=hr, follow_up=FollowUp(
        event=event, intervention=intervention, due_on=dt.date(2004, 3, 30), assignee=hr,
        task="Call the ministry.", done_on=dt.date(2004, 4, 2)))
    other_event = services.event_save(actor=other_hr, event=Event(
        office=office, team=other, title="Another team's case (invented)",
        started_on=dt.date(2004, 1, 5)))
    return {"team": team, "other": other, "event": event, "act": act, "victim": victim,
            "source": source, "police": police, "involvement": involvement,
            "information": information, "intervention": intervention,
            "follow_up": follow_up, "ministry": ministry, "other_event": other_event,
            "reader": reader, "other_hr": other_hr, "root": root}
