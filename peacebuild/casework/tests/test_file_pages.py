"""Attachments and exports as the case team meets them: a file is accepted by what it is,
not by its name, within the size limit, and kept sealed on disk; it stays readable across a
key rotation; each download is recorded. An export holds only cases its requester may
export, now; it is refused whole otherwise, is recorded with its purpose, is theirs alone,
opens with the passphrase shown once, has its formula-like cells neutralised, and is gone
once it expires."""

import csv
import datetime as dt
import io
import zipfile

import pytest
import pyzipper
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from conftest import login_verified, make_user
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.accounts.roles import Role
from peacebuild.casework import attachments, crypto, services
from peacebuild.casework.models import (
    Attachment,
    CaseExport,
    CaseTeam,
    CaseTeamMember,
    Event,
    TrailEntry,
)

from .conftest import KEY_A, KEY_B
from .files_helpers import PDF, reauthenticated

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def _docx(*extra: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name in ["[Content_Types].xml", "word/document.xml", *extra]:
            z.writestr(name, "<x/>")
    return out.getvalue()


def _odt() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        z.writestr("content.xml", "<x/>")
    return out.getvalue()


@pytest.fixture
def hr(client_for):
    return client_for("human_rights")


def _upload(client, case, name, content, **data):
    return client.post(reverse("casework:file_add", args=[case.pk]),
                       {"file": SimpleUploadedFile(name, content), **data})


def _stored_bytes(directory) -> bytes:
    return b"".join(p.read_bytes() for p in directory.rglob("*") if p.is_file())


def test_a_document_is_attached_sealed_and_downloaded_with_a_trail_entry(hr, case, case_files):
    response = _upload(hr, case, "Statement of Farrukh.pdf", PDF,
                       description="Signed at the hospital")
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.name, attachment.kind, attachment.size) == (
        "Statement of Farrukh.pdf", "pdf", len(PDF))
    page = hr.get(reverse("casework:files", args=[case.pk])).content.decode()
    assert "Statement of Farrukh.pdf" in page and "Signed at the hospital" in page
    before = TrailEntry.objects.filter(action="read", target__endswith="attachment:"
                                       f"{attachment.pk}").count()
    download = hr.get(reverse("casework:file_download", args=[case.pk, attachment.pk]))
    assert download.content == PDF
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert TrailEntry.objects.filter(action="read", target__endswith=f"attachment:"
                                     f"{attachment.pk}").count() == before + 1
    # On disk and in the row: no plaintext of the content, the name or the description.
    stored = _stored_bytes(case_files)
    assert b"Invented statement" not in stored and b"Farrukh" not in stored
    with connection.cursor() as cursor:
        cursor.execute("SELECT name, description FROM casework_attachment")
        row = cursor.fetchone()
    assert all(v.startswith("pbc1.") for v in row)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("report.pdf", EXE, "a Windows program"),
    ("photo.jpg", b"\x7fELF\x02\x01\x01" + b"\x00" * 50, "a Linux program"),
    ("letter.docx", b"PK\x03\x04" + b"\x00" * 40, "damaged archive"),
    ("letter.docx", _docx("word/vbaProject.bin"), "macros"),
    ("notes.txt", b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "not one of the accepted kinds"),
])
def test_a_disguised_file_is_refused_and_nothing_saved(hr, case, case_files, name, content,
                                                       message):
    trail = TrailEntry.objects.count()
    response = _upload(hr, case, name, content)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Attachment.objects.exists()
    assert not case_files.exists() or not any(p.is_file() for p in case_files.rglob("*"))
    assert TrailEntry.objects.filter(action="create").count() == 0 or (
        TrailEntry.objects.count() == trail)


def test_accepted_kinds_are_read_from_the_content():
    assert attachments.detect(_docx()).code == "docx"
    assert attachments.detect(_odt()).code == "odt"
    assert attachments.detect("Заявление, 2004".encode()).code == "text"
    assert attachments.detect(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20).code == "png"
    assert attachments.detect(b"\xff\xd8\xff\xe0" + b"\x00" * 20).code == "jpeg"


def test_the_name_gets_the_extension_of_what_the_file_is(case, case_files):
    made = services.attachment_add(actor=SYSTEM, event=case, name="C:\\x\\scan.exe\u202e",
                                   content=PDF)
    assert made.name == "scan.exe.pdf"


def test_an_oversized_file_is_refused_and_nothing_saved(hr, case, case_files, settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 1_000
    response = _upload(hr, case, "big.pdf", PDF + b"x" * 2_000)
    assert response.status_code == 400
    assert "larger than" in response.content.decode()
    assert not Attachment.objects.exists()
    assert not case_files.exists() or not any(p.is_file() for p in case_files.rglob("*"))
    with pytest.raises(ValidationError, match="larger than"):
        services.attachment_add(actor=SYSTEM, event=case, name="big.pdf",
                                content=PDF + b"x" * 2_000)


def test_a_too_large_body_is_refused_before_it_is_read(hr, case, settings):
    settings.CASE_ATTACHMENT_MAX_BYTES = 1_000
    response = hr.generic("POST", reverse("casework:file_add", args=[case.pk]), b"",
                          content_type="multipart/form-data; boundary=x",
                          CONTENT_LENGTH="50000000")
    assert response.status_code == 400
    assert "larger than" in response.content.decode()


def test_a_reader_of_the_team_may_not_attach(case, office, client):
    reader = make_user("reader", office, Role.HUMAN_RIGHTS)
    CaseTeamMember.objects.create(team=case.team, user=reader, can_write=False)
    login_verified(client, reader)
    assert client.get(reverse("casework:files", args=[case.pk])).status_code == 200
    assert _upload(client, case, "a.pdf", PDF).status_code == 403
    with pytest.raises(PermissionDenied):
        services.attachment_add(actor=reader, event=case, name="a.pdf", content=PDF)
    assert not Attachment.objects.exists()


def test_key_rotation_keeps_attachments_readable(keys, case_files, office):
    keys(f"a:{KEY_A}")
    team = CaseTeam.objects.create(office=office, name="Rasht")
    event = services.event_save(actor=SYSTEM, event=Event(office=office, team=team,
                                                          title="Invented"))
    made = services.attachment_add(actor=SYSTEM, event=event, name="a.pdf", content=PDF)
    assert made.key_id == "a"
    ring = keys(f"b:{KEY_B}", f"a:{KEY_A}")
    counts = services.rotate_keys(actor=SYSTEM)
    assert counts["files"] == 1
    path = attachments.attachment_path(made.stored_as)
    assert attachments.key_of(path.read_bytes()) == "b"
    assert Attachment.objects.get().key_id == "b"
    assert services.rotate_keys(actor=SYSTEM)["files"] == 0  # resumable: nothing left
    keys(f"b:{KEY_B}")  # the old key removed: the file still opens
    assert attachments.read_attachment(made.stored_as) == PDF
    assert Attachment.objects.get().name == "a.pdf"
    keys(f"a:{KEY_A}")  # a wrong key refuses, never returns garbage
    with pytest.raises(crypto.CaseKeyError):
        attachments.read_attachment(made.stored_as)
    assert ring.current == "b"


# Exports


def _export(client, *ids, purpose="For the hearing at the Supreme Court.", **more):
    return reauthenticated(client).post(reverse("casework:export_new"), {
        "cases": [str(i) for i in ids], "purpose": purpose, "format": "csv", **more})


def test_an_export_needs_a_fresh_sign_in(hr, case):
    response = hr.get(reverse("casework:export_new"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:reauth"))


def test_an_export_is_an_encrypted_archive_audited_and_neutralised(hr, case, case_files):
    case.title = "=HYPERLINK(\"http://evil.example\",\"x\")"
    services.event_save(actor=SYSTEM, event=case)
    services.attachment_add(actor=SYSTEM, event=case, name="statement.pdf", content=PDF)
    response = _export(hr, case.pk, with_attachments="on")
    assert response.status_code == 200
    passphrase = response.context["passphrase"]
    assert passphrase in response.content.decode()
    export = CaseExport.objects.get()
    entry = TrailEntry.objects.filter(action="export").get()
    assert entry.purpose == "For the hearing at the Supreme Court."
    assert entry.detail["cases"] == [case.pk] and entry.target == f"export:{export.pk}"
    download = hr.get(reverse("casework:export_download", args=[export.pk]))
    assert download["Content-Disposition"].startswith("attachment;")
    data = download.content
    assert b"HYPERLINK" not in data and b"Invented statement" not in data
    with pyzipper.AESZipFile(io.BytesIO(data)) as archive:
        with pytest.raises(RuntimeError):
            archive.read("events.csv")  # no passphrase, no content
        archive.setpassword(passphrase.encode())
        rows = list(csv.reader(io.StringIO(archive.read("events.csv").decode("utf-8-sig"))))
        assert rows[1][2] == "'" + case.title
        assert archive.read(f"attachments/{Attachment.objects.get().pk}.pdf") == PDF
        assert "statement" not in " ".join(archive.namelist())
    assert TrailEntry.objects.filter(action="export", detail__downloaded=True).count() == 1


def test_an_export_with_a_case_one_may_not_export_is_refused_whole(hr, case, office,
                                                                  case_files):
    other_team = CaseTeam.objects.create(office=office, name="Khatlon")
    foreign = services.event_save(actor=SYSTEM, event=Event(office=office, team=other_team,
                                                            title="Another team's case"))
    for ids in [(case.pk, foreign.pk), (case.pk, 10**9)]:
        response = _export(hr, *ids)
        assert response.status_code == 400
        text = response.content.decode()
        assert f"You may not export case {ids[1]}" in text
        assert "Another team" not in text
    assert not CaseExport.objects.exists()
    assert not (case_files / "exports").exists() or not any((case_files / "exports").iterdir())
    assert TrailEntry.objects.filter(action="denied", target__startswith="export:").count() == 2
    assert not TrailEntry.objects.filter(action="export").exists()


def test_a_reader_of_the_team_may_not_export(case, office):
    reader = make_user("reader", office, Role.HUMAN_RIGHTS)
    CaseTeamMember.objects.create(team=case.team, user=reader, can_write=False)
    with pytest.raises(PermissionDenied):
        services.export_make(actor=reader, office=office, event_ids=[case.pk],
                             purpose="For my own analysis.")
    assert not CaseExport.objects.exists()


def test_another_users_export_is_a_404(hr, case, office, client):
    export, _ = services.export_make(actor=case.team.members.get().user, office=office,
                                     event_ids=[case.pk], purpose="For the hearing.")
    colleague = make_user("colleague", office, Role.HUMAN_RIGHTS)
    CaseTeamMember.objects.create(team=case.team, user=colleague, can_write=True)
    login_verified(client, colleague)
    assert client.get(reverse("casework:export_download", args=[export.pk])).status_code == 404
    assert client.get(reverse("casework:export_download", args=[10**9])).status_code == 404
    assert hr.get(reverse("casework:export_download", args=[export.pk])).status_code == 200


def test_an_export_is_gone_once_the_requester_loses_the_case(hr, case, office):
    export, _ = services.export_make(actor=case.team.members.get().user, office=office,
                                     event_ids=[case.pk], purpose="For the hearing.")
    CaseTeamMember.objects.filter(team=case.team).update(can_write=False)
    assert hr.get(reverse("casework:export_download", args=[export.pk])).status_code == 404


def test_an_expired_export_is_gone_and_purged(hr, case, office, case_files):
    export, _ = services.export_make(actor=case.team.members.get().user, office=office,
                                     event_ids=[case.pk], purpose="For the hearing.")
    path = attachments.export_path(export.stored_as)
    assert path.is_file()
    CaseExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - dt.timedelta(days=2),
        expires_at=timezone.now() - dt.timedelta(days=1))
    assert hr.get(reverse("casework:export_download", args=[export.pk])).status_code == 404
    assert export.pk not in [x.pk for x in hr.get(reverse("casework:exports")).context["exports"]]
    out = io.StringIO()
    call_command("purge_case_files", stdout=out)
    assert out.getvalue().startswith("1 expired exports")
    assert not path.exists() and not CaseExport.objects.exists()
    with pytest.raises(PermissionDenied):
        services.purge_case_files(actor=case.team.members.get().user)
