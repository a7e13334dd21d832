"""The IATI pages as a person uses them: export and download; upload, read the dry run,
import exactly that file."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peacebuild.exchange.models import Job
from peacebuild.programmes.models import Programme

from .test_iati_hostile import GOOD, LAUGHS


def _post(client, capture, url, data=None):
    """POST, let the background job run (it starts when the request's transaction
    commits), and open the page the POST led to."""
    with capture(execute=True):
        response = client.post(url, data or {})
    assert response.status_code == 302, response.content[:300]
    return client.get(response["Location"])


def _setup(office):
    office.iati_org_id = "XM-DAC-41114"
    office.save()


def test_export_then_download(office, client_for, programme,
                              django_capture_on_commit_callbacks):
    _setup(office)
    client = client_for("viewer")
    page = client.get(reverse("iati:home"))
    assert "XM-DAC-41114" in page.content.decode()
    response = _post(client, django_capture_on_commit_callbacks, reverse("iati:export"))
    job = Job.objects.get(kind=Job.Kind.IATI_EXPORT)
    assert job.state == Job.State.DONE, job.reason
    html = response.content.decode()
    assert "passes the IATI schema and rules" in html and "1.14.8" not in html
    download = client.get(reverse("iati:download", args=[job.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{office.code}-iati.xml"'
    assert b"<iati-identifier>XM-DAC-41114-" in download.content
    status = client.get(reverse("iati:job", args=[job.pk]), headers={"HX-Request": "true"})
    assert "hx-trigger" not in status.content.decode()  # done: no more polling


def test_without_an_identifier_the_page_says_what_is_missing(office, client_for):
    page = client_for("head").get(reverse("iati:home")).content.decode()
    assert "no IATI organisation identifier" in page and "Upload" not in page


def test_upload_dry_run_then_commit(office, client_for, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    _setup(office)
    client = client_for("monitoring")
    before = Programme.objects.filter(office=office).count()
    response = _post(client, capture, reverse("iati:upload"),
                     {"file": SimpleUploadedFile("undp.xml", GOOD)})
    dry = Job.objects.get(dry_run=True)
    html = response.content.decode()
    assert "Dry run — would be created: 2;" in html and "Import this file" in html
    assert Programme.objects.filter(office=office).count() == before
    response = _post(client, capture, reverse("iati:commit", args=[dry.pk]))
    assert "Imported — created: 2;" in response.content.decode()
    assert Programme.objects.filter(office=office).count() == before + 2
    again = client.post(reverse("iati:commit", args=[dry.pk]), follow=True)
    assert "already being imported or was imported" in again.content.decode()
    assert Job.objects.filter(dry_run=False).count() == 1
    page = client.get(reverse("iati:job", args=[dry.pk])).content.decode()
    assert "Import this file" not in page and "This file's import" in page


def test_a_refused_upload_shows_its_reason(office, client_for,
                                           django_capture_on_commit_callbacks):
    _setup(office)
    client = client_for("monitoring")
    response = _post(client, django_capture_on_commit_callbacks, reverse("iati:upload"),
                     {"file": SimpleUploadedFile("bad.xml", LAUGHS)})
    html = response.content.decode()
    assert "DOCTYPE" in html and "Import this file" not in html
    no_file = client.post(reverse("iati:upload"), {})
    assert no_file.status_code == 400


def test_only_a_finished_dry_run_can_be_committed(office, client_for):
    _setup(office)
    client = client_for("monitoring")
    failed = Job.objects.create(office=office, kind=Job.Kind.IATI_IMPORT, dry_run=True,
                                state=Job.State.FAILED)
    response = client.post(reverse("iati:commit", args=[failed.pk]), follow=True)
    assert "Only a completed dry run can be imported." in response.content.decode()
