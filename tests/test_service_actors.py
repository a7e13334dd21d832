"""Every write service checks its actor, whatever door called it (page, API, command,
import): an actor without the capability in the record's office is refused with
PermissionDenied and nothing is written; the system passes `SYSTEM`, and a missing actor
(`None`) is refused too. A new service fails `test_every_write_service_is_covered` until
its case is written down here."""

import datetime as dt
import importlib
import inspect
import pkgutil
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.utils import timezone

import peacebuild
from conftest import make_user
from peacebuild.accounts import services as accounts
from peacebuild.accounts.models import User
from peacebuild.accounts.permissions import SYSTEM, check_actor
from peacebuild.accounts.roles import Can, Role
from peacebuild.activities import services as activities
from peacebuild.activities.models import Activity, Centre
from peacebuild.casework import attachments as case_files
from peacebuild.casework import services as casework
from peacebuild.casework.models import (
    Act,
    Attachment,
    CaseExport,
    CaseTeam,
    CaseTeamMember,
    Event,
    FollowUp,
    Information,
    Intervention,
    Involvement,
    Person,
)
from peacebuild.casework.tests.files_helpers import witness_photo
from peacebuild.exchange.api import services as api_tokens
from peacebuild.exchange.api.models import ApiToken
from peacebuild.mandates import services as mandates
from peacebuild.mandates.models import Document, MandatePeriod, Office
from peacebuild.partners import services as partners
from peacebuild.partners.models import ActionPoint, Group, GroupMeeting, GroupMember, Organisation
from peacebuild.programmes import services as programmes
from peacebuild.programmes.models import (
    Actual,
    Assessment,
    Benchmark,
    Indicator,
    Outcome,
    Output,
    Programme,
    Target,
)
from peacebuild.reporting import services as reporting
from peacebuild.reporting.models import Report

PDF = b"%PDF-1.4\nInvented statement\n%%EOF\n"

# Users who may do nothing in the office: a viewer, a human-rights officer (no write but
# casework, later), the head of another office, and no actor at all.
NOBODY = ["viewer", "human_rights", "outsider", None]


class World:
    """One office with a record of every kind, made by the system."""

    def __init__(self, office: Office, programme: Any, other_programme: Any,
                 activity_type: Any, places: dict) -> None:
        self.office, self.programme, self.other_programme = office, programme, other_programme
        self.activity_type, self.place = activity_type, places["TJ-SU"]
        MandatePeriod.objects.create(office=office, starts_on=dt.date(2003, 6, 1),
                                     ends_on=dt.date(2004, 6, 1))
        self.activity = self.make_activity(programme)
        self.other_activity = self.make_activity(other_programme)
        outcome = programmes.outcome_save(actor=SYSTEM, outcome=Outcome(
            programme=programme, code="1", title="Dialogue sustained"))
        self.output = programmes.output_save(actor=SYSTEM, output=Output(
            outcome=outcome, code="1.1", title="Clubs held"))
        self.indicator = programmes.indicator_save(actor=SYSTEM, indicator=Indicator(
            output=self.output, code="1.1.1", title="Share of women",
            kind=Indicator.Kind.PERCENTAGE, rule={}))
        self.target = programmes.target_save(actor=SYSTEM, target=Target(
            indicator=self.indicator, period_kind="year", period_key="2003", value=30))
        self.benchmark = programmes.benchmark_save(actor=SYSTEM, benchmark=Benchmark(
            office=office, title="Free and non-violent elections in 2005"))
        self.report = reporting.report_create(
            actor=SYSTEM, office=office, kind=Report.Kind.LETTER,
            period_start=dt.date(2003, 6, 1), period_end=dt.date(2004, 5, 31),
            dated_on=dt.date(2004, 4, 23))
        self.group = partners.group_save(actor=SYSTEM, group=Group(
            office=office, name="Human-rights thematic group"))
        self.member = partners.group_member_save(actor=SYSTEM, member=GroupMember(
            group=self.group, organisation=Organisation.objects.create(
                office=office, name="OHCHR", kind="un")))
        self.guest = Organisation.objects.create(office=office, name="OSCE", kind="international")
        self.meeting = partners.meeting_save(actor=SYSTEM, meeting=GroupMeeting(
            group=self.group, held_on=dt.date(2004, 1, 21)))
        self.action = partners.action_save(actor=SYSTEM, action=ActionPoint(
            meeting=self.meeting, text="Send the joint note.", owner=self.guest,
            due_on=dt.date(2004, 3, 1)))

        self.casework()

    def casework(self) -> None:
        """A case team with the human-rights officer in it (who may write), one case with
        an act, a source and an intervention, and a second officer outside every team."""
        office = self.office
        self.team = CaseTeam.objects.create(office=office, name="Sughd")
        self.other_team = CaseTeam.objects.create(office=office, name="Khatlon")
        self.officer = User.objects.get(username="human_rights")
        CaseTeamMember.objects.create(team=self.team, user=self.officer, can_write=True)
        self.second = make_user("hr2", office, Role.HUMAN_RIGHTS)
        self.second_member = CaseTeamMember.objects.create(team=self.team, user=self.second)
        self.victim = casework.person_save(actor=SYSTEM, person=Person(
            office=office, team=self.team, name="Invented Victim"))
        self.perpetrator = casework.person_save(actor=SYSTEM, person=Person(
            office=office, team=self.team, name="Invented Officer"))
        self.event = casework.event_save(actor=SYSTEM, event=Event(
            office=office, team=self.team, title="Invented detention",
            started_on=dt.date(2004, 3, 12)))
        self.act = casework.act_save(actor=SYSTEM, act=Act(
            event=self.event, violation="detention", victim=self.victim))
        self.ministry = Organisation.objects.create(
            office=office, name="Prosecutor-General's Office", kind="government")

    def make_activity(self, programme: Any) -> Activity:
        return activities.activity_create(
            actor=SYSTEM, office=self.office, programme=programme, type=self.activity_type,
            title="Discussion club", starts_on=dt.date(2004, 3, 1),
            ends_on=dt.date(2004, 3, 1), participants_total=150)

    def prepare(self, case: str) -> None:
        """What a case needs beyond the world, made before the database is compared."""
        if case in ("reporting.report_reopen", "reporting.report_issue"):
            Report.objects.filter(pk=self.report.pk).update(status=Report.Status.APPROVED)
        if case == "partners.action_reopen":
            ActionPoint.objects.filter(pk=self.action.pk).update(
                status="done", closed_on=dt.date(2004, 2, 27), evidence="Sent.")
        if case == "exchange_api.token_revoke":
            api_tokens.token_create(actor=SYSTEM, user=User.objects.get(username="viewer"),
                                    office=self.office, name="mine", scope="read")
        if case == "partners.action_reminders_send":  # one owner to remind, with an address
            head = User.objects.get(username="head")
            User.objects.filter(pk=head.pk).update(email="head@example.org")
            ActionPoint.objects.filter(pk=self.action.pk).update(owner_user=head)
        if case in ("casework.attachment_read", "casework.export_open",
                    "casework.purge_case_files", "casework.attachment_delete"):
            self.attachment = casework.attachment_add(
                actor=SYSTEM, event=self.event, name="statement.pdf", content=PDF)
            self.export, _ = casework.export_make(
                actor=self.officer, office=self.office, event_ids=[self.event.pk],
                purpose="For the court hearing.")
        if case == "casework.strip_photo_metadata":  # a photograph attached before stripping
            stored_as, key_id = case_files.store_attachment(witness_photo())
            Attachment.objects.create(event=self.event, name="old.jpg", kind="jpeg", size=1,
                                      stored_as=stored_as, key_id=key_id)
        if case == "casework.purge_case_files":
            CaseExport.objects.filter(pk=self.export.pk).update(
                created_at=timezone.now() - dt.timedelta(days=2),
                expires_at=timezone.now() - dt.timedelta(days=1))


Call = Callable[[World, Any], Any]
Case = tuple[Call, str, list[str | None]]

# service → (the call, who may make it, who may not)
CASES: dict[str, Case] = {
    "activities.activity_create": (
        lambda w, a: activities.activity_create(
            actor=a, office=w.office, programme=w.programme, type=w.activity_type,
            title="Roundtable", starts_on=dt.date(2004, 4, 1), ends_on=dt.date(2004, 4, 1)),
        "programme", [*NOBODY, "head", "monitoring"]),
    "activities.activities_create_many": (
        lambda w, a: activities.activities_create_many(actor=a, office=w.office, items=[
            {"programme": w.programme, "type": w.activity_type, "title": "Roundtable",
             "starts_on": dt.date(2004, 4, 1), "ends_on": dt.date(2004, 4, 1)}]),
        "programme", [*NOBODY, "head", "monitoring"]),
    "activities.activity_update": (
        lambda w, a: activities.activity_update(actor=a, activity=w.activity, title="Changed"),
        "programme", [*NOBODY, "head", "monitoring"]),
    "activities.activity_delete": (
        lambda w, a: activities.activity_delete(actor=a, activity=w.activity),
        "programme", [*NOBODY, "head", "monitoring"]),
    "activities.centre_save": (
        lambda w, a: activities.centre_save(actor=a, centre=Centre(
            office=w.office, name="Resource centre", kind=Centre.Kind.RESOURCE,
            place=w.place, opened_on=dt.date(2004, 5, 1))),
        "head", [*NOBODY, "monitoring"]),
    "mandates.period_save": (
        lambda w, a: mandates.period_save(actor=a, period=MandatePeriod(
            office=w.office, starts_on=dt.date(2004, 6, 1), ends_on=dt.date(2005, 6, 1))),
        "head", [*NOBODY, "programme", "monitoring"]),
    "mandates.document_save": (
        lambda w, a: mandates.document_save(actor=a, document=Document(
            office=w.office, title="Letter", symbol="S/2004/331")),
        "programme", [*NOBODY, "monitoring"]),
    "mandates.office_save": (
        lambda w, a: mandates.office_save(actor=a, office=_renamed(w.office)),
        "head", [*NOBODY, "programme", "monitoring"]),
    "mandates.office_delete": (
        lambda w, a: mandates.office_delete(actor=a, office=w.office),
        "SYSTEM", [*NOBODY, "head", "programme", "monitoring"]),
    "partners.organisation_save": (
        lambda w, a: partners.organisation_save(actor=a, organisation=Organisation(
            office=w.office, name="Ministry of Justice", kind="government")),
        "head", [*NOBODY, "monitoring"]),
    "programmes.outcome_save": (
        lambda w, a: programmes.outcome_save(actor=a, outcome=Outcome(
            programme=w.programme, code="2", title="Rights respected")),
        "monitoring", [*NOBODY, "head", "programme"]),
    "programmes.output_save": (
        lambda w, a: programmes.output_save(actor=a, output=Output(
            outcome=w.output.outcome, code="1.2", title="Trainings held")),
        "monitoring", [*NOBODY, "head", "programme"]),
    "programmes.indicator_save": (
        lambda w, a: programmes.indicator_save(actor=a, indicator=Indicator(
            output=w.output, code="1.1.2", title="Meetings", kind=Indicator.Kind.COUNT,
            rule={})),
        "monitoring", [*NOBODY, "head", "programme"]),
    "programmes.target_save": (
        lambda w, a: programmes.target_save(actor=a, target=Target(
            indicator=w.indicator, period_kind="year", period_key="2004", value=40)),
        "monitoring", [*NOBODY, "head", "programme"]),
    "programmes.actual_save": (
        lambda w, a: programmes.actual_save(actor=a, actual=Actual(
            indicator=w.indicator, period_kind="year", period_key="2004",
            value=Decimal(35), evidence_note="Survey")),
        "monitoring", [*NOBODY, "head", "programme"]),
    "programmes.period_value_delete": (
        lambda w, a: programmes.period_value_delete(actor=a, instance=w.target),
        "monitoring", [*NOBODY, "head", "programme"]),
    "programmes.programme_save": (
        lambda w, a: programmes.programme_save(actor=a, programme=Programme(
            office=w.office, code="from-iati", name="Imported programme")),
        "monitoring", [*NOBODY, "head", "programme"]),
    "programmes.framework_clear": (
        lambda w, a: programmes.framework_clear(actor=a, programme=w.programme),
        "monitoring", [*NOBODY, "head", "programme"]),
    "programmes.frameworks_clear": (
        lambda w, a: programmes.frameworks_clear(actor=a, office=w.office,
                                                 programmes=[w.programme]),
        "monitoring", [*NOBODY, "head", "programme"]),
    "programmes.frameworks_save_many": (
        lambda w, a: programmes.frameworks_save_many(actor=a, office=w.office, items=[
            programmes.Framework(Programme(office=w.office, code="from-iati-many",
                                           name="Imported programme"))]),
        "monitoring", [*NOBODY, "head", "programme"]),
    "programmes.benchmark_save": (
        lambda w, a: programmes.benchmark_save(actor=a, benchmark=Benchmark(
            office=w.office, title="Return of refugees")),
        "monitoring", [*NOBODY, "head", "programme"]),
    "programmes.assessment_add": (
        lambda w, a: programmes.assessment_add(actor=a, assessment=Assessment(
            benchmark=w.benchmark, assessed_on=dt.date(2004, 4, 23), status="on_track",
            evidence_note="Commissions include the opposition", assessed_by_name="Head")),
        "head", [*NOBODY, "programme", "monitoring"]),
    "reporting.report_create": (
        lambda w, a: reporting.report_create(
            actor=a, office=w.office, kind=Report.Kind.PROGRESS,
            period_start=dt.date(2004, 6, 1), period_end=dt.date(2005, 5, 31)),
        "monitoring", [*NOBODY]),
    "reporting.report_update": (
        lambda w, a: reporting.report_update(actor=a, report=w.report, signatory="K. Annan"),
        "programme", [*NOBODY]),
    "reporting.section_update": (
        lambda w, a: reporting.section_update(actor=a, section=w.report.sections.first(),
                                              language="en", text="Changed."),
        "programme", [*NOBODY]),
    "reporting.report_approve": (
        lambda w, a: reporting.report_approve(actor=a, report=w.report),
        "head", [*NOBODY, "programme", "monitoring"]),
    "reporting.report_reopen": (
        lambda w, a: reporting.report_reopen(actor=a, report=w.report),
        "head", [*NOBODY, "programme", "monitoring"]),
    "reporting.report_issue": (
        lambda w, a: reporting.report_issue(actor=a, report=w.report, symbol="S/2004/331",
                                            issued_on=dt.date(2004, 4, 29)),
        "head", [*NOBODY, "programme", "monitoring"]),
    "reporting.job_create": (
        lambda w, a: reporting.job_create(actor=a, report=w.report, language="en",
                                          format="html"),
        "viewer", ["outsider", None]),  # every member may render
    "partners.group_save": (
        lambda w, a: partners.group_save(actor=a, group=Group(office=w.office,
                                                              name="Contact group")),
        "human_rights", ["viewer", "outsider", None, "monitoring"]),
    "partners.group_member_save": (
        lambda w, a: partners.group_member_save(actor=a, member=GroupMember(
            group=w.group, organisation=w.guest, attendee="Human-dimension officer")),
        "programme", ["viewer", "outsider", None, "monitoring"]),
    "partners.group_member_delete": (
        lambda w, a: partners.group_member_delete(actor=a, member=w.member),
        "head", ["viewer", "outsider", None, "monitoring"]),
    "partners.meeting_save": (
        lambda w, a: partners.meeting_save(actor=a, meeting=GroupMeeting(
            group=w.group, held_on=dt.date(2004, 4, 14)), attended=[w.guest]),
        "human_rights", ["viewer", "outsider", None, "monitoring"]),
    "partners.action_save": (
        lambda w, a: partners.action_save(actor=a, action=ActionPoint(
            meeting=w.meeting, text="Map donor support.", owner=w.guest,
            due_on=dt.date(2004, 6, 30))),
        "programme", ["viewer", "outsider", None, "monitoring"]),
    "partners.action_close": (
        lambda w, a: partners.action_close(actor=a, action=w.action, status="done",
                                           closed_on=dt.date(2004, 2, 27), evidence="Sent."),
        "head", ["viewer", "outsider", None, "monitoring"]),  # its owner too: see partners
    "partners.action_reopen": (
        lambda w, a: partners.action_reopen(actor=a, action=w.action),
        "programme", ["viewer", "outsider", None, "monitoring"]),
    "casework.team_save": (
        lambda w, a: casework.team_save(actor=a, team=CaseTeam(office=w.office, name="Rasht")),
        "head", ["viewer", "human_rights", "outsider", None, "programme", "monitoring"]),
    "casework.team_member_save": (
        lambda w, a: casework.team_member_save(actor=a, member=CaseTeamMember(
            team=w.other_team, user=w.second)),
        "head", ["viewer", "human_rights", "outsider", None, "programme", "monitoring"]),
    "casework.team_member_delete": (
        lambda w, a: casework.team_member_delete(actor=a, member=w.second_member),
        "head", ["viewer", "human_rights", "outsider", None, "programme", "monitoring"]),
    # Case records: only a writing member of the case's team (the head of office is not).
    "casework.event_save": (
        lambda w, a: casework.event_save(actor=a, event=Event(
            office=w.office, team=w.team, title="Invented case")),
        "human_rights", ["viewer", "head", "outsider", None, "programme", "monitoring"]),
    "casework.person_save": (
        lambda w, a: casework.person_save(actor=a, person=Person(
            office=w.office, team=w.team, name="Invented Witness")),
        "human_rights", ["viewer", "head", "outsider", None, "programme", "monitoring"]),
    "casework.act_save": (
        lambda w, a: casework.act_save(actor=a, act=Act(
            event=w.event, violation="torture", victim=w.victim)),
        "human_rights", ["viewer", "head", "outsider", None, "programme", "monitoring"]),
    "casework.involvement_save": (
        lambda w, a: casework.involvement_save(actor=a, involvement=Involvement(
            act=w.act, perpetrator=w.perpetrator, degree="direct")),
        "human_rights", ["viewer", "head", "outsider", None, "programme", "monitoring"]),
    "casework.information_save": (
        lambda w, a: casework.information_save(actor=a, information=Information(
            event=w.event, source=w.perpetrator, received_on=dt.date(2004, 3, 14),
            content="Invented statement.")),
        "human_rights", ["viewer", "head", "outsider", None, "programme", "monitoring"]),
    "casework.intervention_save": (
        lambda w, a: casework.intervention_save(actor=a, intervention=Intervention(
            event=w.event, made_on=dt.date(2004, 3, 15), authority=w.ministry,
            channel="letter", request="Invented request.")),
        "human_rights", ["viewer", "head", "outsider", None, "programme", "monitoring"]),
    "casework.follow_up_save": (
        lambda w, a: casework.follow_up_save(actor=a, follow_up=FollowUp(
            event=w.event, due_on=dt.date(2004, 4, 1), assignee=w.officer,
            task="Invented task.")),
        "human_rights", ["viewer", "head", "outsider", None, "programme", "monitoring"]),
    "casework.break_glass_open": (
        lambda w, a: casework.break_glass_open(
            actor=a, event=w.event, reason="The Ombudsman asked about this case today."),
        "head", ["viewer", "human_rights", "outsider", None, "programme", "monitoring"]),
    # Anyone's access to case data is recorded, an outsider's denied attempt first of all.
    "casework.record_read": (
        lambda w, a: casework.record_read(actor=a, event=w.event),
        "human_rights", [None]),
    "casework.record_denied": (
        lambda w, a: casework.record_denied(actor=a, office=w.office, target="event:1"),
        "outsider", [None]),
    "casework.record": (
        lambda w, a: casework.record(actor=a, office=w.office, action="denied",
                                     target="event:1"),
        "outsider", [None]),
    # Case files: a writing member attaches and exports; anyone who may open the case reads
    # its files (and is recorded); an export is its requester's; the system purges.
    "casework.attachment_add": (
        lambda w, a: casework.attachment_add(actor=a, event=w.event, name="a.pdf",
                                             content=PDF),
        "human_rights", ["viewer", "head", "outsider", None, "programme", "hr2"]),
    "casework.attachment_read": (
        lambda w, a: casework.attachment_read(actor=a, attachment=w.attachment),
        "human_rights", ["viewer", "head", "outsider", None, "programme", "monitoring"]),
    "casework.attachment_delete": (
        lambda w, a: casework.attachment_delete(actor=a, attachment=w.attachment),
        "human_rights", ["viewer", "head", "outsider", None, "programme", "hr2"]),
    "casework.strip_photo_metadata": (
        lambda w, a: casework.strip_photo_metadata(actor=a),
        "SYSTEM", ["head", "viewer", "human_rights", None]),
    "casework.export_make": (
        lambda w, a: casework.export_make(actor=a, office=w.office, event_ids=[w.event.pk],
                                          purpose="For the court hearing."),
        "human_rights", ["viewer", "head", "outsider", None, "programme", "hr2"]),
    "casework.export_open": (
        lambda w, a: casework.export_open(actor=a, export=w.export),
        "human_rights", ["viewer", "head", "outsider", None, "hr2"]),
    "casework.purge_case_files": (
        lambda w, a: casework.purge_case_files(actor=a),
        "SYSTEM", ["head", "viewer", "human_rights", None]),
    "casework.rotate_keys": (
        lambda w, a: casework.rotate_keys(actor=a),
        "SYSTEM", ["head", "viewer", "outsider", None]),
    "accounts.two_factor_reset": (
        lambda w, a: accounts.two_factor_reset(
            actor=a, office=w.office, user=User.objects.get(username="human_rights"),
            request=None),
        "head", [*NOBODY, "programme", "monitoring"]),
    "accounts.account_unlock": (
        lambda w, a: accounts.account_unlock(
            actor=a, office=w.office, user=User.objects.get(username="viewer"), request=None),
        "head", [*NOBODY, "programme", "monitoring"]),
    "partners.action_reminders_send": (
        lambda w, a: partners.action_reminders_send(actor=a, office=w.office,
                                                    today=dt.date(2004, 2, 25)),
        "head", ["viewer", "outsider", None, "monitoring"]),
    # A user makes and revokes only their own tokens, in an office they are a member of.
    "exchange_api.token_create": (
        lambda w, a: api_tokens.token_create(
            actor=a, user=User.objects.get(username="viewer"), office=w.office, name="t",
            scope="read"),
        "viewer", ["head", "programme", "human_rights", "outsider", None]),
    "exchange_api.token_revoke": (
        lambda w, a: api_tokens.token_revoke(actor=a, token=ApiToken.objects.get(name="mine")),
        "viewer", ["head", "programme", "human_rights", "outsider", None]),
}


def _renamed(office: Office) -> Office:
    office.name = "Renamed office"
    return office


@pytest.fixture
def world(office, programme, other_programme, activity_type, places, users, settings,
          tmp_path) -> World:
    settings.CASE_FILES_DIR = tmp_path / "case-files"
    return World(office, programme, other_programme, activity_type, places)


def _database() -> dict[str, list[tuple]]:
    """Every row of every Peacebuild table (the test database is small)."""
    return {
        model._meta.label: sorted(map(repr, model.objects.values_list()))
        for model in apps.get_models() if model.__module__.startswith("peacebuild.")
    }


def _actor(users: dict, name: str | None) -> Any:
    if name == "hr2":  # the case team's member who may not change its cases
        return User.objects.get(username="hr2")
    return SYSTEM if name == "SYSTEM" else None if name is None else users[name]


@pytest.mark.parametrize(("case", "who"),
                         [(c, r) for c, (_f, _a, refused) in CASES.items() for r in refused])
def test_refused_and_nothing_written(case, who, world, users):
    world.prepare(case)
    before = _database()
    with pytest.raises(PermissionDenied):
        CASES[case][0](world, _actor(users, who))
    assert _database() == before


@pytest.mark.parametrize("case", list(CASES))
def test_allowed_actor_gets_through(case, world, users):
    """The other side of the check: the role that may do it is not refused."""
    call, allowed, _refused = CASES[case]
    world.prepare(case)
    before = _database()
    call(world, _actor(users, allowed))
    assert _database() != before


def test_programme_officer_only_for_their_programmes(world, users):
    officer = users["programme"]  # assigned to `programme`, not to `other_programme`
    before = _database()
    with pytest.raises(PermissionDenied):
        activities.activity_update(actor=officer, activity=world.other_activity, title="X")
    with pytest.raises(PermissionDenied):
        activities.activity_delete(actor=officer, activity=world.other_activity)
    with pytest.raises(PermissionDenied):
        activities.activity_create(
            actor=officer, office=world.office, programme=world.other_programme,
            type=world.activity_type, title="X", starts_on=dt.date(2004, 4, 1),
            ends_on=dt.date(2004, 4, 1))
    with pytest.raises(PermissionDenied):  # moving one's own activity to another programme
        activities.activity_update(actor=officer, activity=world.activity,
                                   programme=world.other_programme)
    assert _database() == before


def test_only_the_system_creates_an_office(users, office):
    new = Office(code="new", name="New office", established_on=dt.date(2005, 1, 1))
    with pytest.raises(PermissionDenied):
        mandates.office_save(actor=users["head"], office=new)
    assert not Office.objects.filter(code="new").exists()
    mandates.office_save(actor=SYSTEM, office=new)
    assert Office.objects.filter(code="new").exists()


def test_a_missing_actor_is_refused_even_for_reading_capabilities(office):
    with pytest.raises(PermissionDenied):
        check_actor(None, office, Can.VIEW_RECORDS)
    check_actor(SYSTEM, office, Can.APPROVE)  # the system may do anything


def _write_services() -> set[str]:
    """Every function of an app's services module that takes an actor (the API's tokens
    are services of the exchange app's `api` package)."""
    found = set()
    names = [(app.name, f"peacebuild.{app.name}.services")
             for app in pkgutil.iter_modules(peacebuild.__path__)
             if app.ispkg]  # not modules such as wsgi (which checks the database as it starts)
    for app_name, module_name in [*names, ("exchange_api", "peacebuild.exchange.api.services")]:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError:
            continue
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if function.__module__ == module.__name__ and not name.startswith("_") and (
                    "actor" in inspect.signature(function).parameters):
                found.add(f"{app_name}.{name}")
    return found


def test_every_write_service_is_covered():
    assert _write_services() == set(CASES)
