"""The demo's human-rights cases (`data/cases.json`): a handful of INVENTED cases — every
name, detail and event made up, each title marked "(invented)" — in two case teams.

- "Human-rights team (demo)": five cases of the year of S/2004/331, documented by the
  demo human-rights officer `humanrights` (who may change them);
- "Rasht valley team (demo)": one case, of `humanrights2`, who sees none of the first
  team's (and whom the first team does not see).

Everything goes through `casework.services` as SYSTEM, so the identifying fields are sealed
with the machine's case keys (made in the data directory on first use) and every write is
in the case trail. The letter's human-rights sentence is bound to these interventions
(see `reporting/catalogue.py`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from peacebuild.accounts.models import User
from peacebuild.accounts.permissions import SYSTEM
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
from peacebuild.mandates.models import Office
from peacebuild.partners.models import Organisation
from peacebuild.places.models import Place

from .files import read


def _d(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def load_cases(office: Office, orgs: dict[str, Organisation]) -> dict[str, int]:
    data = read("cases.json")
    services.ensure_key_check()  # the database remembers which key sealed these
    regions = {p.code: p for p in Place.objects.filter(level=Place.Level.REGION,
                                                        parent__code=office.country)}
    users = {u.username: u for u in User.objects.filter(
        username__in={m[0] for t in data["teams"] for m in t["members"]})}
    teams: dict[str, CaseTeam] = {}
    for row in data["teams"]:
        team = services.team_save(actor=SYSTEM, team=CaseTeam(office=office, name=row["name"]))
        for username, can_write in row["members"]:
            services.team_member_save(actor=SYSTEM, member=CaseTeamMember(
                team=team, user=users[username], can_write=can_write))
        teams[row["key"]] = team
    for row in data["cases"]:
        _case(office, teams[row["team"]], row, regions, orgs, users)
    return {"case teams": len(teams), "cases (invented)": len(data["cases"])}


def _case(office: Office, team: CaseTeam, row: dict[str, Any], regions: dict[str, Place],
          orgs: dict[str, Organisation], users: dict[str, User]) -> Event:
    event = services.event_save(actor=SYSTEM, event=Event(
        office=office, team=team, title=row["title"], description=row["description"],
        started_on=_d(row["started_on"]), start_precision=row.get("start_precision", "day"),
        ended_on=_d(row.get("ended_on")), region=regions[row["region"]],
        status=row["status"], confidentiality=row["confidentiality"]))
    persons: dict[str, Person] = {}
    for key, p in row["persons"].items():
        persons[key] = services.person_save(actor=SYSTEM, person=Person(
            office=office, team=team, kind=p["kind"], name=p["name"], sex=p.get("sex", ""),
            born_in=p.get("born_in"), contact=p.get("contact", ""),
            id_number=p.get("id_number", ""), notes=p.get("notes", "")))
    for a in row["acts"]:
        act = services.act_save(actor=SYSTEM, act=Act(
            event=event, violation=a["violation"], victim=persons[a["victim"]],
            happened_on=_d(a.get("happened_on")), precision=a.get("precision", "day"),
            place=a.get("place", ""), consequences=a.get("consequences", "")))
        for perpetrator, degree in a.get("perpetrators", []):
            services.involvement_save(actor=SYSTEM, involvement=Involvement(
                act=act, perpetrator=persons[perpetrator], degree=degree))
    for i in row["information"]:
        services.information_save(actor=SYSTEM, information=Information(
            event=event, source=persons[i["source"]], received_on=_day(i["received_on"]),
            content=i["content"], reliability=i["reliability"],
            consent_to_use=i["consent_to_use"], consent_to_share=i["consent_to_share"],
            consent_notes=i.get("consent_notes", "")))
    made = []
    member = team.members.select_related("user").first()
    for i in row["interventions"]:
        made.append(services.intervention_save(actor=SYSTEM, intervention=Intervention(
            event=event, made_on=_day(i["made_on"]), made_by=member.user if member else None,
            authority=orgs[i["authority"]], channel=i["channel"], request=i["request"],
            response=i.get("response", ""), outcome=i["outcome"],
            follow_up_due=_d(i.get("follow_up_due")))))
    for f in row["follow_ups"]:
        services.follow_up_save(actor=SYSTEM, follow_up=FollowUp(
            event=event, due_on=_day(f["due_on"]), assignee=users[f["assignee"]],
            task=f["task"],
            intervention=made[f["intervention"]] if f.get("intervention") is not None
            else None))
    return event
