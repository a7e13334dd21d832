"""Need-to-know, deny by default: a case is seen by its team only; heads of office see
anonymised summaries and open a case through break-glass, for a while, with a reason the
team is told; nobody else — other teams, viewers, programme and M&E officers, superusers —
reaches a case, and a case they may not see does not exist for them."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from conftest import make_user
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.accounts.roles import Role
from peacebuild.casework import services
from peacebuild.casework.models import (
    Act,
    BreakGlass,
    CaseTeam,
    CaseTeamMember,
    Event,
    Information,
    Intervention,
    Person,
    TrailEntry,
)
from peacebuild.casework.permissions import get_event_for_user, visible_events, visible_persons
from peacebuild.casework.queries import case_summaries, interventions_due, verify_trail
from peacebuild.partners.models import Organisation

VICTIM = "Farrukh Sharipov (invented)"


@pytest.fixture
def cases(office, other_office, users, places):
    hr = users["human_rights"]
    hr.email = "hr@example.org"
    hr.save()
    reader = make_user("hr_reader", office, Role.HUMAN_RIGHTS)
    other_hr = make_user("hr_other", office, Role.HUMAN_RIGHTS)
    root = make_user("root", None, None)
    root.is_superuser = root.is_staff = True
    root.save()
    team = services.team_save(actor=users["head"], team=CaseTeam(office=office, name="Sughd"))
    other = services.team_save(actor=users["head"], team=CaseTeam(office=office, name="Khatlon"))
    for user, t, write in [(hr, team, True), (reader, team, False), (other_hr, other, True)]:
        services.team_member_save(actor=users["head"],
                                  member=CaseTeamMember(team=t, user=user, can_write=write))
    victim = services.person_save(actor=hr, person=Person(
        office=office, team=team, name=VICTIM, contact="+992 92 000 00 00", sex="m"))
    event = services.event_save(actor=hr, event=Event(
        office=office, team=team, title="Detention of a journalist (invented)",
        description=f"{VICTIM} was held for three days.", started_on=dt.date(2004, 3, 12),
        region=places["TJ-SU"]))
    act = services.act_save(actor=hr, act=Act(event=event, violation="detention",
                                              victim=victim, happened_on=dt.date(2004, 3, 12)))
    source = services.person_save(actor=hr, person=Person(office=office, team=team,
                                                          name="A colleague (invented)"))
    services.information_save(actor=hr, information=Information(
        event=event, source=source, received_on=dt.date(2004, 3, 14),
        content="Saw the arrest.", reliability="high", consent_to_use=True))
    ministry = Organisation.objects.create(office=office, name="Ministry of Internal Affairs",
                                           kind="government")
    services.intervention_save(actor=hr, intervention=Intervention(
        event=event, made_on=dt.date(2004, 3, 15), authority=ministry, channel="letter",
        request="Release or charge.", follow_up_due=dt.date(2004, 3, 29)))
    other_event = services.event_save(actor=other_hr, event=Event(
        office=office, team=other, title="Another team's case", started_on=dt.date(2004, 1, 5)))
    return {"team": team, "other": other, "event": event, "act": act, "victim": victim,
            "other_event": other_event, "reader": reader, "other_hr": other_hr, "root": root}


def test_only_the_team_sees_its_case(cases, users, office):
    event = cases["event"]
    assert list(visible_events(users["human_rights"], office)) == [event]
    assert list(visible_events(cases["reader"], office)) == [event]
    assert list(visible_events(cases["other_hr"], office)) == [cases["other_event"]]
    for name in ["head", "programme", "monitoring", "viewer", "outsider", "anonymous"]:
        assert not visible_events(users[name], office).exists(), name
    assert not visible_events(cases["root"], office).exists()  # superusers: no bypass


def test_a_case_one_may_not_see_is_a_404_like_one_that_does_not_exist(cases, users, office):
    hidden = cases["event"].pk
    for user in [cases["other_hr"], users["head"], users["viewer"], cases["root"]]:
        for pk in [hidden, 10**9]:
            with pytest.raises(Http404):
                get_event_for_user(user, office, pk)
    assert get_event_for_user(users["human_rights"], office, hidden) == cases["event"]


def test_a_reader_of_the_team_may_not_change_the_case(cases, users, office):
    with pytest.raises(PermissionDenied):
        get_event_for_user(cases["reader"], office, cases["event"].pk, write=True)
    event = cases["event"]
    event.status = "closed"
    for actor in [cases["reader"], cases["other_hr"], users["head"], cases["root"], None]:
        with pytest.raises(PermissionDenied):
            services.event_save(actor=actor, event=event)
    assert Event.objects.get(pk=event.pk).status == "open"


def test_persons_are_seen_by_their_team_only(cases, users, office):
    assert cases["victim"] in visible_persons(users["human_rights"], office)
    assert not visible_persons(cases["other_hr"], office).exists()
    assert not visible_persons(users["head"], office).exists()


def test_a_case_cannot_name_another_teams_person(cases, users, office):
    stranger = services.person_save(actor=cases["other_hr"], person=Person(
        office=office, team=cases["other"], name="Someone else (invented)"))
    with pytest.raises(ValidationError, match="own team"):
        services.act_save(actor=users["human_rights"], act=Act(
            event=cases["event"], violation="torture", victim=stranger))


def test_nobody_changes_their_own_case_team(cases, users, office):
    head = users["head"]
    Membership = type(head.memberships.get())
    # A head of office who could put themselves in a team would bypass break-glass.
    with pytest.raises(PermissionDenied, match="own case teams"):
        services.team_member_save(actor=head, member=CaseTeamMember(team=cases["team"],
                                                                    user=head))
    with pytest.raises(PermissionDenied):  # a human-rights officer does not manage teams
        services.team_member_save(actor=users["human_rights"], member=CaseTeamMember(
            team=cases["other"], user=users["human_rights"]))
    with pytest.raises(ValidationError, match="human-rights officers"):
        services.team_member_save(actor=head, member=CaseTeamMember(team=cases["team"],
                                                                    user=users["viewer"]))
    assert Membership.objects.filter(user=head).count() == 1


def test_heads_see_anonymised_summaries_only(cases, users, office):
    summaries = case_summaries(users["head"], office)
    assert [s.pk for s in summaries] == [cases["event"].pk, cases["other_event"].pk]
    first = summaries[0]
    assert (first.began, first.region, first.violations, first.victims, first.pending) == (
        "2004-03", "TJ-SU", ("detention",), 1, 1)
    assert VICTIM not in repr(summaries) and "journalist" not in repr(summaries)
    for name in ["viewer", "programme", "monitoring", "human_rights"]:
        assert case_summaries(users[name], office) == []


def test_break_glass_opens_one_case_for_a_while_tells_the_team_and_is_recorded(
        cases, users, office):
    head, event = users["head"], cases["event"]
    with pytest.raises(ValidationError, match="full sentence"):
        services.break_glass_open(actor=head, event=event, reason="need it")
    with pytest.raises(PermissionDenied):
        services.break_glass_open(actor=users["viewer"], event=event,
                                  reason="The viewer wants to read this case today.")
    with pytest.raises(PermissionDenied):
        services.break_glass_open(actor=SYSTEM, event=event,
                                  reason="The system has no reason to break glass.")
    reason = "The Ombudsman asked about this detention on 20 March."
    grant = services.break_glass_open(actor=head, event=event, reason=reason, minutes=30)
    assert get_event_for_user(head, office, event.pk) == event
    assert not visible_events(head, office).filter(pk=cases["other_event"].pk).exists()
    with pytest.raises(PermissionDenied):  # break-glass reads, never writes
        get_event_for_user(head, office, event.pk, write=True)
    entry = TrailEntry.objects.get(action=TrailEntry.Action.BREAK_GLASS)
    assert entry.purpose == reason and entry.target == f"event:{event.pk}"
    assert mail.outbox[0].to == ["hr@example.org"] and reason in mail.outbox[0].body
    assert VICTIM not in mail.outbox[0].body and "journalist" not in mail.outbox[0].body
    BreakGlass.objects.filter(pk=grant.pk).update(expires_at=timezone.now())
    with pytest.raises(Http404):
        get_event_for_user(head, office, event.pk)


def test_every_change_is_in_the_trail_by_field_name_never_by_value(cases, users):
    event = cases["event"]
    event.description = "Released after a week."
    services.event_save(actor=users["human_rights"], event=event)
    change = TrailEntry.objects.filter(action="change", target=f"event:{event.pk}").get()
    assert change.detail == {"fields": ["description"]}
    assert services.event_save(actor=users["human_rights"], event=event) == event
    assert TrailEntry.objects.filter(action="change", target=f"event:{event.pk}").count() == 1
    everything = repr(list(TrailEntry.objects.values()))
    assert VICTIM not in everything and "Released" not in everything
    assert verify_trail().whole


def test_raw_rows_hold_no_identifying_plaintext(cases):
    with connection.cursor() as cursor:
        for table in ["casework_person", "casework_event", "casework_information",
                      "casework_intervention", "casework_act"]:
            cursor.execute(f"SELECT * FROM {table}")
            dump = repr(cursor.fetchall())
            for secret in [VICTIM, "Farrukh", "+992", "journalist", "three days",
                           "Saw the arrest", "Release or charge"]:
                assert secret not in dump, (table, secret)


def test_the_interventions_due_are_the_teams_own(cases, users, office):
    today = dt.date(2004, 4, 1)
    assert [i.event for i in interventions_due(users["human_rights"], office, today)] == [
        cases["event"]]
    assert not interventions_due(cases["other_hr"], office, today).exists()
    assert not interventions_due(users["head"], office, today).exists()


def test_the_admin_site_holds_no_case_data():
    from django.contrib import admin

    registered = {model._meta.app_label for model in admin.site._registry}
    assert "casework" not in registered


def test_a_person_named_by_a_case_cannot_be_deleted_alone(cases, office):
    from django.db.models import RestrictedError

    with pytest.raises(RestrictedError):
        cases["victim"].delete()
    with pytest.raises(RestrictedError):
        cases["team"].delete()
