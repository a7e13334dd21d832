"""Every attachment and export page for every role. A case's files are its team's: anyone
else gets the 404 of a case that does not exist. Exports need the human-rights officers'
right to export (others: 403, naming the role), a fresh sign-in to make one, and an export
is downloaded by its requester only."""

import pytest
from django.urls import reverse

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.casework import services
from peacebuild.casework.models import Attachment

from .files_helpers import PDF

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]
TEAM_ONLY = {r: 404 for r in ROLES} | {"human_rights": 200, "anonymous": 302}
EXPORTERS = {r: 403 for r in ROLES} | {"human_rights": 200, "anonymous": 302}
# The exporter is sent to sign in again first (the re-authentication page).
EXPORT_NEW = EXPORTERS | {"human_rights": 302}

# url name → (kwargs from the objects, expected status per role)
MATRIX: dict[str, tuple[tuple[str, ...], dict[str, int]]] = {
    "casework:files": (("pk",), TEAM_ONLY),
    "casework:file_add": (("pk",), TEAM_ONLY),
    "casework:file_download": (("pk", "file"), TEAM_ONLY),
    # Asking to delete (GET) and deleting (POST, below); the read-only member of the team
    # gets the same 404 (test_file_delete.py).
    "casework:file_delete": (("pk", "file"), TEAM_ONLY),
    "casework:exports": ((), EXPORTERS),
    "casework:export_new": ((), EXPORT_NEW),
    # Anyone's export but one's own is a 404, whatever their role.
    "casework:export_download": (("export",), TEAM_ONLY),
}


@pytest.fixture
def objects(case, users, office):
    attachment = services.attachment_add(actor=SYSTEM, event=case, name="statement.pdf",
                                         content=PDF)
    export, _ = services.export_make(actor=users["human_rights"], office=office,
                                     event_ids=[case.pk], purpose="For the court hearing.")
    return {"pk": case.pk, "file": attachment.pk, "export": export.pk}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_matrix(name, role, client_for, objects):
    params, expected = MATRIX[name]
    kwargs = {p: objects[p] for p in params}
    if "export" in kwargs:
        kwargs = {"pk": kwargs.pop("export")}
    response = client_for(role).get(reverse(name, kwargs=kwargs or None))
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 403:
        assert "This needs one of these roles" in response.content.decode(), (name, role)
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if response.status_code == 302 and role == "human_rights":
        assert response["Location"].startswith(reverse("accounts:reauth"))


@pytest.mark.parametrize("role", ROLES)
def test_deleting_a_file(role, client_for, objects):
    url = reverse("casework:file_delete", kwargs={"pk": objects["pk"], "file": objects["file"]})
    response = client_for(role).post(url)
    expected = TEAM_ONLY | {"human_rights": 302}
    assert response.status_code == expected[role], role
    gone = response.status_code == 302 and role == "human_rights"
    assert Attachment.objects.filter(pk=objects["file"]).exists() is not gone
