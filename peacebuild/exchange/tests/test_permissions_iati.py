"""Who may use which IATI page: the role × page matrix, kept as data.

Export needs `view_records` (everyone in the office), import `edit_results` (the monitoring
officer). The outsider is head of another office: the office-level pages show their own
office, this office's jobs are 404 to them."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peacebuild.exchange import jobs
from peacebuild.exchange.models import Job

from .test_iati_hostile import GOOD

ROLES = ["head", "programme", "monitoring", "human_rights", "viewer", "outsider", "anonymous"]

MATRIX: dict[tuple[str, str, str], dict[str, int]] = {
    key: dict(zip(ROLES, statuses, strict=True))
    for key, statuses in {
        #                                      head prog  m&e  hr   view out  anon
        ("iati:home", "GET", ""):             (200, 200, 200, 200, 200, 200, 302),
        ("iati:export", "POST", ""):          (302, 302, 302, 302, 302, 302, 302),
        ("iati:upload", "POST", ""):          (403, 403, 302, 403, 403, 403, 302),
        ("iati:job", "GET", "export"):        (200, 200, 200, 200, 200, 404, 302),
        ("iati:job", "GET", "import"):        (403, 403, 200, 403, 403, 404, 302),
        ("iati:commit", "POST", "import"):    (403, 403, 302, 403, 403, 404, 302),
        ("iati:commit", "POST", "export"):    (403, 403, 302, 403, 403, 404, 302),
        ("iati:download", "GET", "export"):   (200, 200, 200, 200, 200, 404, 302),
        ("iati:download", "GET", "import"):   (403, 403, 404, 403, 403, 404, 302),
    }.items()
}


@pytest.fixture
def iati_jobs(office, tmp_path):
    office.iati_org_id = "XM-DAC-41114"
    office.save()
    export = Job.objects.create(office=office, kind=Job.Kind.IATI_EXPORT,
                                state=Job.State.DONE, output=b"<iati-activities/>",
                                output_name="test-iati.xml")
    dry = Job(office=office, kind=Job.Kind.IATI_IMPORT, dry_run=True, state=Job.State.DONE)
    jobs.store_input(dry, "f.xml", [GOOD], limit=10**6)
    dry.save()
    return {"export": export, "import": dry}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "method", "what"), list(MATRIX))
def test_permission_matrix(name, method, what, role, client_for, iati_jobs):
    client = client_for(role)
    url = reverse(name, args=[iati_jobs[what].pk] if what else None)
    if method == "POST":
        data = {"file": SimpleUploadedFile("f.xml", GOOD)} if name == "iati:upload" else {}
        response = client.post(url, data)
    else:
        response = client.get(url)
    assert response.status_code == MATRIX[(name, method, what)][role], (name, what, role)
    if response.status_code == 403:
        assert "This needs one of these roles" in response.content.decode()
