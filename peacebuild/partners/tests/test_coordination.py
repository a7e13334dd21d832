"""Recording coordination and following it through: meetings with attendance, minutes and
decisions; action points with owners, due dates and evidence; refusals that save nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from peacebuild.accounts.models import AuditEntry
from peacebuild.mandates.models import Document
from peacebuild.partners.models import ActionPoint, GroupMeeting, Organisation
from peacebuild.partners.services import action_close, action_save

pytestmark = pytest.mark.django_db


def test_a_meeting_is_recorded_with_attendance_minutes_and_decisions(client_for, group, orgs):
    response = client_for("programme").post(reverse("partners:meeting_create", args=[group.pk]), {
        "held_on": "2004-04-14", "venue": "OSCE Centre, Dushanbe",
        "attended": [orgs["ohchr"].pk, orgs["osce"].pk, orgs["sdc"].pk],
        "agenda": "1. Electoral needs assessment", "minutes_language": "ru",
        "minutes_ru": "Участники договорились.", "minutes_en": "Members agreed.",
        "decisions": "One joint note to the mission.\nDonors map their support.",
    })
    meeting = GroupMeeting.objects.get(held_on=dt.date(2004, 4, 14))
    assert response["Location"] == reverse("partners:meeting", args=[meeting.pk])
    assert meeting.minutes == {"ru": "Участники договорились.", "en": "Members agreed."}
    assert set(meeting.attended.values_list("name", flat=True)) == {"OHCHR", "OSCE", "SDC"}
    assert meeting.decision_list == ["One joint note to the mission.", "Donors map their support."]
    entry = AuditEntry.objects.get(model="partners.GroupMeeting", object_id=str(meeting.pk))
    assert entry.office == group.office and entry.action == "create"

    page = client_for("viewer").get(reverse("partners:meeting", args=[meeting.pk]),
                                    HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Members agreed." in page and "Translation in English" in page
    assert "European Commission" in page  # a member who was not there is named as absent
    group_page = client_for("viewer").get(reverse("partners:group", args=[group.pk])).content
    assert "Donors map their support." in group_page.decode()  # what the group decided


def test_minutes_translated_without_their_original_are_refused(client_for, group):
    response = client_for("programme").post(reverse("partners:meeting_create", args=[group.pk]), {
        "held_on": "2004-04-14", "minutes_language": "ru", "minutes_en": "Members agreed.",
    })
    assert response.status_code == 200
    assert "drafted in first" in response.content.decode()
    assert not GroupMeeting.objects.filter(held_on=dt.date(2004, 4, 14)).exists()


def test_a_meeting_long_before_the_office_existed_is_refused(client_for, group):
    response = client_for("programme").post(reverse("partners:meeting_create", args=[group.pk]), {
        "held_on": "1950-01-01", "minutes_language": "en"})
    assert "far outside the life of TST" in response.content.decode()
    assert not GroupMeeting.objects.filter(held_on=dt.date(1950, 1, 1)).exists()


def test_an_action_due_before_its_meeting_is_refused(client_for, meeting, orgs):
    response = client_for("programme").post(
        reverse("partners:action_create", args=[meeting.pk]),
        {"text": "Send the note.", "owner": orgs["ec"].pk, "due_on": "2004-01-20"})
    assert response.status_code == 200
    assert "The due date is before the meeting" in response.content.decode()
    assert not ActionPoint.objects.filter(text="Send the note.").exists()


def test_an_owner_from_another_office_is_refused(meeting, other_office, users):
    stranger = Organisation.objects.create(office=other_office, name="Elsewhere NGO",
                                           kind="ngo")
    with pytest.raises(Exception) as error:
        action_save(actor=users["programme"], action=ActionPoint(
            meeting=meeting, text="Send the note.", owner=stranger, due_on=dt.date(2004, 2, 1)))
    assert "belongs to another office" in str(error.value)
    outsider_colleague = users["outsider"]
    with pytest.raises(Exception) as error:
        action_save(actor=users["programme"], action=ActionPoint(
            meeting=meeting, text="Send the note.", owner_user=outsider_colleague,
            due_on=dt.date(2004, 2, 1)))
    assert "is not a member of this office" in str(error.value)
    assert not ActionPoint.objects.filter(text="Send the note.").exists()


def test_an_action_without_owner_is_refused(client_for, meeting):
    response = client_for("programme").post(
        reverse("partners:action_create", args=[meeting.pk]),
        {"text": "Someone should do it.", "due_on": "2004-02-01"})
    assert "Say who owns the action point" in response.content.decode()
    assert not ActionPoint.objects.filter(text="Someone should do it.").exists()


def test_closing_as_done_needs_its_evidence(client_for, action):
    url = reverse("partners:action_close", args=[action.pk])
    response = client_for("viewer").post(url, {"status": "done", "closed_on": "2004-02-27"})
    assert response.status_code == 200
    assert "Give the evidence that closes it" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open" and action.closed_on is None

    response = client_for("viewer").post(url, {"status": "dropped", "closed_on": "2004-02-27"})
    assert "Say why it is dropped" in response.content.decode()
    action.refresh_from_db()
    assert action.status == "open"


def test_the_owner_closes_it_with_evidence(client_for, action, office):
    response = client_for("viewer").post(
        reverse("partners:action_close", args=[action.pk]),
        {"status": "done", "closed_on": "2004-02-27", "evidence": "Note sent on 27 February.",
         "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    action.refresh_from_db()
    assert (action.status, action.closed_on, action.evidence) == (
        "done", dt.date(2004, 2, 27), "Note sent on 27 February.")
    assert action.done_on_time()
    entry = AuditEntry.objects.get(model="partners.ActionPoint", action="update")
    assert entry.office == office and entry.actor.username == "viewer"


def test_closing_with_a_document_as_evidence(action, users, office):
    doc = Document.objects.create(office=office, title="Joint note", kind="other")
    action_close(actor=users["head"], action=action, status="done",
                 closed_on=dt.date(2004, 3, 3), evidence_document=doc)
    action.refresh_from_db()
    assert action.evidence_document == doc and not action.done_on_time()


def test_a_closed_action_cannot_be_closed_again_and_can_be_reopened(client_for, action, users):
    action_close(actor=users["head"], action=action, status="dropped",
                 closed_on=dt.date(2004, 2, 2), drop_reason="Overtaken by events.")
    with pytest.raises(Exception, match="already closed"):
        action_close(actor=users["head"], action=action, status="done",
                     closed_on=dt.date(2004, 2, 3), evidence="x")
    client_for("programme").post(reverse("partners:action_reopen", args=[action.pk]))
    action.refresh_from_db()
    assert action.status == "open" and action.closed_on is None and action.drop_reason == ""


def test_services_check_their_actor_whatever_the_door(action, users, meeting):
    with pytest.raises(Exception, match="roles"):
        action_close(actor=users["monitoring"], action=action, status="done",
                     closed_on=dt.date(2004, 2, 2), evidence="x")
    with pytest.raises(Exception, match="roles"):
        action_save(actor=users["viewer"], action=ActionPoint(
            meeting=meeting, text="x", owner_user=users["viewer"], due_on=dt.date(2004, 2, 1)))
    action.refresh_from_db()
    assert action.status == "open"


def test_an_edit_that_changes_nothing_writes_no_audit_entry(client_for, action, meeting, group):
    client = client_for("head")
    before = AuditEntry.objects.count()
    for name, pk in [("action_edit", action.pk), ("meeting_edit", meeting.pk),
                     ("group_edit", group.pk), ("member_edit", group.memberships.first().pk)]:
        url = reverse(f"partners:{name}", args=[pk])
        form = client.get(url).context["form"]
        data = {}
        for field_name, field in form.fields.items():
            value = form[field_name].value()
            if value is None or value is False or field.disabled:
                continue
            data[field_name] = [str(v) for v in value] if isinstance(value, list) else value
        response = client.post(url, data)
        assert response.status_code == 302, (name, response.context["form"].errors)
    assert AuditEntry.objects.count() == before
    meeting.refresh_from_db()
    assert set(meeting.attended.values_list("name", flat=True)) == {"OHCHR", "OSCE"}
    assert meeting.minutes == {"en": "Minutes."}


def test_the_action_list_filters_by_owner_group_and_status(client_for, action, meeting, orgs,
                                                           users):
    ActionPoint.objects.create(meeting=meeting, text="Map donor support.", owner=orgs["ec"],
                               due_on=dt.date(2004, 6, 30))
    client = client_for("viewer")
    mine = client.get(reverse("partners:actions"), {"owner": "me"}).content.decode()
    assert "Draft a joint note." in mine and "Map donor support." not in mine
    ec = client.get(reverse("partners:actions"), {"owner": f"org-{orgs['ec'].pk}"})
    assert "Map donor support." in ec.content.decode()
    other = client.get(reverse("partners:actions"), {"group": "999999"}).content.decode()
    assert "No action point matches" in other
    overdue = client.get(reverse("partners:actions"),
                         {"status": "overdue", "on": "2004-04-01"}).content.decode()
    assert "Draft a joint note." in overdue and "Map donor support." not in overdue
    odd = client.get(reverse("partners:actions"), {"group": "²", "due_from": "2004-13-45",
                                                   "owner": "user-99999999999999999999"})
    assert odd.status_code == 200
