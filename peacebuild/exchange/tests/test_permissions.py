"""Every spreadsheet page for every role. Importing needs the right to record activities
(programme officers); exporting, the right to read the office's records. A job is seen only
by whoever asked for it: anyone else gets a 404."""

import pytest
from django.urls import reverse

from peacebuild.exchange.models import Job

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]
IMPORT = {r: 403 for r in ROLES} | {"programme": 200, "outsider": 403, "anonymous": 302}
READ = {r: 200 for r in ROLES} | {"anonymous": 302}
# The job belongs to the programme officer who uploaded it.
OWN_IMPORT_JOB = {r: 404 for r in ROLES} | {"programme": 200, "anonymous": 302}
OWN_EXPORT_JOB = {r: 404 for r in ROLES} | {"viewer": 200, "anonymous": 302}

# (url name, method) → (object, expected status per role)
MATRIX: dict[tuple[str, str], tuple[str | None, dict[str, int]]] = {
    ("sheets:import", "get"): (None, IMPORT),
    ("sheets:template", "get"): (None, IMPORT),
    ("sheets:template_csv", "get"): (None, IMPORT),
    ("sheets:job", "get"): ("import_job", OWN_IMPORT_JOB),
    # A failed dry run cannot be imported; anyone else's job is not found either.
    ("sheets:import_create", "post"): ("failed_job", {r: 404 for r in ROLES} | {"anonymous": 302}),
    ("sheets:download", "get"): ("export_job", OWN_EXPORT_JOB),
    ("sheets:exports", "get"): (None, READ),
    # Without a format: a 400 that says to choose one (and no job).
    ("sheets:export_start", "post"): (None, {r: 400 for r in ROLES} | {"anonymous": 302}),
}


@pytest.fixture
def objects(office, users):
    return {
        "import_job": Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT,
                                         dry_run=True, requested_by=users["programme"]),
        "failed_job": Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT,
                                         dry_run=True, state=Job.State.FAILED,
                                         requested_by=users["programme"]),
        "export_job": Job.objects.create(office=office, kind=Job.Kind.HXL_EXPORT,
                                         state=Job.State.DONE, output=b"#org\n",
                                         output_name="x.csv", requested_by=users["viewer"]),
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", sorted(MATRIX))
def test_matrix(key, role, client_for, objects):
    (name, method), (kind, expected) = key, MATRIX[key]
    url = reverse(name, kwargs={"pk": objects[kind].pk} if kind else None)
    response = getattr(client_for(role), method)(url)
    assert response.status_code == expected[role], (name, role)
    if response.status_code == 403:
        assert "This needs one of these roles" in response.content.decode(), (name, role)
    if response.status_code == 302 and role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
