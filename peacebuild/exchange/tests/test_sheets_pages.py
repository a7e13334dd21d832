"""The spreadsheet pages as a programme officer uses them: template, upload, dry run report,
"Import these N activities", progress, done; and the exports with their downloads."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from peacebuild.activities.models import Activity
from peacebuild.exchange.models import Job
from peacebuild.exchange.sheets.columns import COLUMNS

from .sheets_helpers import csv_bytes, fingerprint, row, xlsx


@pytest.fixture
def officer(client_for, office, places, programme, activity_type, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return client_for("programme")


def test_the_template_has_drop_downs_from_a_hidden_sheet(officer, programme, other_programme):
    from openpyxl import load_workbook
    response = officer.get(reverse("sheets:template"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == ["Instructions", "Activities", "Lists"]
    assert book["Lists"].sheet_state == "hidden"
    sheet = book["Activities"]
    assert [c.value for c in sheet[1]] == COLUMNS
    formulas = {dv.formula1 for dv in sheet.data_validations.dataValidation}
    assert {"=programmes", "=types", "=places", "=partners"} <= formulas
    lists = book["Lists"]
    ref = book.defined_names["programmes"].attr_text
    assert ref.startswith("'Lists'!$A$2")
    # The officer's own programme only: rows for other programmes would be refused.
    assert [c.value for c in lists["A"][1:] if c.value] == ["dialogue — Dialogue"]
    assert "TJ-SU — Sughd Region" in [c.value for c in lists["C"]]


def test_the_csv_template_has_the_same_columns(officer):
    text = officer.get(reverse("sheets:template_csv")).content.decode("utf-8-sig")
    header, example = list(csv.reader(io.StringIO(text)))
    assert header == COLUMNS and example[0] == "dialogue"


def test_upload_dry_run_then_import(officer, django_capture_on_commit_callbacks):
    data = xlsx([row(1), row(2)])
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(reverse("sheets:import"),
                                {"file": SimpleUploadedFile("field.xlsx", data)})
    dry = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("sheets:job",
                                                                           args=[dry.pk])
    page = officer.get(response["Location"]).content.decode()
    assert "Import these 2 activities" in page and "Meeting 2" in page
    assert Activity.objects.count() == 0
    with django_capture_on_commit_callbacks(execute=True):
        response = officer.post(reverse("sheets:import_create", args=[dry.pk]))
    commit = Job.objects.exclude(pk=dry.pk).get()
    assert commit.applies == dry and commit.state == Job.State.DONE, commit.reason
    assert Activity.objects.count() == 2
    fragment = officer.get(reverse("sheets:job", args=[commit.pk]), HTTP_HX_REQUEST="true")
    assert "2 activities imported." in fragment.content.decode()
    assert "hx-trigger" not in fragment.content.decode()  # done: no more polling
    # The dry run cannot be applied twice.
    assert "Import these" not in officer.get(reverse("sheets:job", args=[dry.pk])).content.decode()


def test_a_running_job_polls_and_shows_its_progress(officer, office, users):
    job = Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT, dry_run=False,
                             state=Job.State.RUNNING, done=40, total=200,
                             message="Saving 200 activities…", requested_by=users["programme"])
    page = officer.get(reverse("sheets:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page and 'value="20"' in page and "40 / 200" in page


def test_problems_are_listed_with_their_place_and_paginated(officer,
                                                            django_capture_on_commit_callbacks):
    data = csv_bytes([row(n, programme="nope") for n in range(120)])
    before = fingerprint()
    with django_capture_on_commit_callbacks(execute=True):
        officer.post(reverse("sheets:import"), {"file": SimpleUploadedFile("a.csv", data)})
    job = Job.objects.get()
    assert job.state == Job.State.FAILED and fingerprint() == before
    page = officer.get(reverse("sheets:job", args=[job.pk])).content.decode()
    assert "120 problems" in page and "Page 1 of 3" in page
    assert "row 2, column A" in page and "Import these" not in page
    assert "row 52, column A" not in page
    page3 = officer.get(reverse("sheets:job", args=[job.pk]) + "?page=3").content.decode()
    assert "row 121, column A" in page3


def test_an_upload_too_large_is_refused_on_the_form(officer, monkeypatch):
    from peacebuild.exchange.sheets import services
    monkeypatch.setattr(services, "MAX_BYTES", 10)
    response = officer.post(reverse("sheets:import"),
                            {"file": SimpleUploadedFile("a.csv", b"x" * 100)})
    assert response.status_code == 400 and "larger than" in response.content.decode()
    assert not Job.objects.exists()


def test_exports_run_in_the_background_and_download(client_for, office, places, programme,
                                                     django_capture_on_commit_callbacks):
    viewer = client_for("viewer")
    for fmt in ("xlsx", "hxl"):
        with django_capture_on_commit_callbacks(execute=True):
            response = viewer.post(reverse("sheets:export_start"), {"format": fmt})
        job = Job.objects.latest("id")
        assert job.state == Job.State.DONE, job.reason
        page = viewer.get(response["Location"]).content.decode()
        assert reverse("sheets:download", args=[job.pk]) in page
        file = viewer.get(reverse("sheets:download", args=[job.pk]))
        assert file.status_code == 200 and b"".join(file.streaming_content)
    assert viewer.post(reverse("sheets:export_start"), {"format": "pdf"}).status_code == 400
