"""A witness's photograph is kept without its metadata (GPS position, device, serial
number, time): what is downloaded, what is exported and what the trail and the logs hold
carry none of it, and the page says it was removed. Documents keep their authors' names:
the form says so."""

import io
import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.casework import attachments, services
from peacebuild.casework.models import Attachment, TrailEntry

from .files_helpers import PDF, PHOTO_SECRETS, witness_photo


@pytest.fixture
def hr(client_for):
    return client_for("human_rights")


@pytest.mark.parametrize("kind", ["JPEG", "PNG"])
def test_an_uploaded_photograph_loses_its_metadata(hr, case, case_files, caplog, kind):
    photo = witness_photo(kind)
    assert all(s in photo for s in PHOTO_SECRETS)
    with caplog.at_level(logging.DEBUG):
        response = hr.post(reverse("casework:file_add", args=[case.pk]), {
            "file": SimpleUploadedFile("witness.jpg", photo)}, follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "metadata (such as where and when it was taken" in page  # the message
    assert "metadata removed" in page  # the list
    attachment = Attachment.objects.get()
    assert attachment.metadata_removed
    download = hr.get(reverse("casework:file_download", args=[case.pk, attachment.pk]))
    assert not any(s in download.content for s in PHOTO_SECRETS)
    assert attachment.size == len(download.content)
    with Image.open(io.BytesIO(download.content)) as image:
        assert image.size == (48, 24) and not image.getexif()
    # Nothing of it in the trail or the logs.
    trail = str(list(TrailEntry.objects.values()))
    logs = caplog.text
    assert not any(s.decode() in trail or s.decode() in logs for s in PHOTO_SECRETS)


def test_a_turned_photograph_is_kept_turned_upright(case, case_files):
    made = services.attachment_add(actor=SYSTEM, event=case, name="w.jpg",
                                   content=witness_photo("JPEG", orientation=6))
    content = attachments.read_attachment(made.stored_as)
    with Image.open(io.BytesIO(content)) as image:
        assert image.size == (24, 48) and not image.getexif()
    assert not any(s in content for s in PHOTO_SECRETS)


def test_a_damaged_photograph_is_refused_and_nothing_saved(hr, case, case_files):
    response = hr.post(reverse("casework:file_add", args=[case.pk]), {
        "file": SimpleUploadedFile("w.jpg", witness_photo()[:200])})
    assert response.status_code == 400
    assert "This picture is damaged" in response.content.decode()
    assert not Attachment.objects.exists()


def test_a_document_is_kept_as_it_is_and_the_form_says_its_names_stay(hr, case, case_files):
    form = hr.get(reverse("casework:file_add", args=[case.pk])).content.decode()
    assert "saved without their metadata" in form
    assert "with the names they carry: their author" in form
    made = services.attachment_add(actor=SYSTEM, event=case, name="s.pdf", content=PDF)
    assert not made.metadata_removed
    listing = hr.get(reverse("casework:files", args=[case.pk])).content.decode()
    assert "metadata removed</small>" not in listing


def _attached_before(case, content, kind="jpeg"):
    """An attachment as uploads stored it before they removed metadata."""
    stored_as, key_id = attachments.store_attachment(content)
    return Attachment.objects.create(event=case, name="old.jpg", kind=kind, size=len(content),
                                     stored_as=stored_as, key_id=key_id)


def test_the_command_strips_photographs_attached_before(case, case_files, capsys):
    from django.core.management import call_command

    old = _attached_before(case, witness_photo("JPEG"))
    document = _attached_before(case, PDF, kind="pdf")
    call_command("strip_case_photos")
    assert "1 photographs lost their metadata." in capsys.readouterr().out
    old.refresh_from_db()
    content = attachments.read_attachment(old.stored_as)
    assert old.metadata_removed and old.size == len(content)
    assert not any(s in content for s in PHOTO_SECRETS)
    assert attachments.read_attachment(document.stored_as) == PDF
    entry = TrailEntry.objects.filter(target=f"event:{case.pk}/attachment:{old.pk}").get()
    assert entry.action == "change" and entry.username == "SYSTEM"
    call_command("strip_case_photos")  # again: nothing left to do
    assert "0 photographs" in capsys.readouterr().out
    with pytest.raises(PermissionDenied):
        services.strip_photo_metadata(actor=None)
