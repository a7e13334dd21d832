"""A team member who may change the case deletes one of its files: the sealed file goes,
the case's history shows what was deleted, and the trail records it. Anyone else — a
read-only member of the team included — meets the same 404 as for a file that does not
exist, and nothing is deleted."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from conftest import login_verified, make_user
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.accounts.roles import Role
from peacebuild.casework import attachments, services
from peacebuild.casework.models import Attachment, CaseTeamMember, Revision, TrailEntry

from .files_helpers import PDF


@pytest.fixture
def hr(client_for):
    return client_for("human_rights")


@pytest.fixture
def statement(case, case_files):
    return services.attachment_add(actor=SYSTEM, event=case, name="Statement of Farrukh.pdf",
                                   content=PDF, description="Signed at the hospital")


def _delete_url(case, pk):
    return reverse("casework:file_delete", args=[case.pk, pk])


def test_a_writer_deletes_a_file_and_the_history_and_trail_keep_it(
        hr, case, statement, django_capture_on_commit_callbacks):
    path = attachments.attachment_path(statement.stored_as)
    assert path.exists()
    confirm = hr.get(_delete_url(case, statement.pk))
    assert confirm.status_code == 200
    assert "Statement of Farrukh.pdf" in confirm.content.decode()
    assert Attachment.objects.exists()  # asking is not deleting

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once committed
        response = hr.post(_delete_url(case, statement.pk), follow=True)
    assert response.redirect_chain[-1][0] == reverse("casework:files", args=[case.pk])
    assert "The file was deleted." in response.content.decode()
    assert "Statement of Farrukh.pdf" not in response.content.decode()
    assert not Attachment.objects.exists() and not path.exists()
    assert hr.get(reverse("casework:file_download",
                          args=[case.pk, statement.pk])).status_code == 404

    entry = TrailEntry.objects.get(action="delete")
    assert (entry.target, entry.username) == (f"event:{case.pk}/attachment:{statement.pk}",
                                              "human_rights")
    assert "Farrukh" not in str(entry.detail)
    revision = Revision.objects.get(record_type="attachment")
    assert (revision.event_id, revision.record_id, revision.trail_entry_id) == (
        case.pk, statement.pk, entry.pk)
    history = hr.get(reverse("casework:history", args=[case.pk])).content.decode()
    assert "Statement of Farrukh.pdf" in history and "Signed at the hospital" in history
    assert "deleted</strong>" in history


def _normalised(response) -> bytes:
    body = re.sub(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', b"",
                  response.content)
    return re.sub(rb"/cases/\d+/files/\d+/", b"/cases/N/files/N/", body)


@pytest.mark.parametrize("who", ["reader", "other_team", "head", "viewer", "root"])
def test_anyone_else_gets_the_404_of_a_missing_file(case, statement, office, client, users,
                                                   who):
    if who == "reader":
        user = make_user("hr_reader", office, Role.HUMAN_RIGHTS)
        CaseTeamMember.objects.create(team=case.team, user=user, can_write=False)
    elif who == "other_team":
        user = make_user("hr_other", office, Role.HUMAN_RIGHTS)
    elif who == "root":
        user = make_user("root", office, Role.VIEWER)
        user.is_superuser = user.is_staff = True
        user.save()
    else:
        user = users[who]
    login_verified(client, user)
    missing = client.get(_delete_url(case, statement.pk + 1000))
    for response in [client.get(_delete_url(case, statement.pk)),
                     client.post(_delete_url(case, statement.pk))]:
        assert response.status_code == missing.status_code == 404
        assert _normalised(response) == _normalised(missing), who
    assert Attachment.objects.filter(pk=statement.pk).exists()
    assert attachments.attachment_path(statement.stored_as).exists()
    assert not TrailEntry.objects.filter(action="delete").exists()
    assert not Revision.objects.filter(record_type="attachment").exists()


def test_the_service_refuses_a_reader(case, statement, office):
    reader = make_user("hr_reader", office, Role.HUMAN_RIGHTS)
    CaseTeamMember.objects.create(team=case.team, user=reader, can_write=False)
    with pytest.raises(PermissionDenied):
        services.attachment_delete(actor=reader, attachment=statement)
    assert Attachment.objects.exists()


def test_the_list_offers_deletion_to_writers_only(hr, case, statement, office, client):
    assert _delete_url(case, statement.pk) in hr.get(
        reverse("casework:files", args=[case.pk])).content.decode()
    reader = make_user("hr_reader", office, Role.HUMAN_RIGHTS)
    CaseTeamMember.objects.create(team=case.team, user=reader, can_write=False)
    login_verified(client, reader)
    assert _delete_url(case, statement.pk) not in client.get(
        reverse("casework:files", args=[case.pk])).content.decode()
