"""The content of a case export: the events, acts, persons, involvements, information and
interventions of the chosen cases as CSV files or one XLSX workbook (every text cell
neutralised against formula injection, `lib.spreadsheets`), and optionally their
attachments, in a ZIP archive encrypted with AES-256 (WinZip AE-2, `pyzipper`).

Why an AES ZIP: the people who receive an export (a court, OHCHR, the team's analyst) open
it with tools they have (7-Zip, the archive managers of most systems) and the passphrase
Peacebuild shows once; the passphrase is random (about 130 bits), so the format's modest
key derivation (PBKDF2, 1,000 rounds) is not what protects it. The names of the files
inside a ZIP are not encrypted, so they say only what kind of record they hold
(`events.csv`, `attachments/12.pdf`), never a person's or a document's name.

The caller (`services.export_make`) has checked access to every case; this module reads
only what hangs from those cases.
"""

from __future__ import annotations

import io
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from django.utils.translation import gettext as _

from peacebuild.lib.spreadsheets import csv_lines, neutralise

from . import attachments as files
from .models import Act, Attachment, Event, Information, Intervention, Involvement, Person

WORDS = "abcdefghijkmnpqrstuvwxyz23456789"  # no 0/o, 1/l: read aloud or copied by hand


def new_passphrase() -> str:
    """Six groups of five characters from 32 (150 bits), e.g. `k3v9q-…`."""
    return "-".join("".join(secrets.choice(WORDS) for _ in range(5)) for _ in range(6))


def _fields(model: type[Any], names: Sequence[str]) -> list[str]:
    return [str(model._meta.get_field(n).verbose_name) for n in names]


def sheets(events: Sequence[Event]) -> list[tuple[str, list[list[Any]]]]:
    """(file name, rows with a header) for each kind of record."""
    ids = [e.pk for e in events]
    acts = list(Act.objects.filter(event__in=ids).order_by("event_id", "pk"))
    involvements = list(Involvement.objects.filter(act__event__in=ids).order_by("pk"))
    information = list(Information.objects.filter(event__in=ids).order_by("event_id", "pk"))
    interventions = list(Intervention.objects.filter(event__in=ids)
                         .select_related("authority", "made_by").order_by("event_id", "pk"))
    person_ids = ({a.victim_id for a in acts} | {i.perpetrator_id for i in involvements}
                  | {i.source_id for i in information})
    persons = list(Person.objects.filter(pk__in=person_ids).order_by("pk"))
    attached = list(Attachment.objects.filter(event__in=ids).order_by("event_id", "pk"))
    case = _("case")
    return [
        ("events", [["id", _("team"), *_fields(Event, [
            "title", "description", "started_on", "start_precision", "ended_on",
            "end_precision", "status", "confidentiality"]), _("region")]]
         + [[e.pk, e.team.name, e.title, e.description, e.started_on, e.start_precision,
             e.ended_on, e.end_precision, e.status, e.confidentiality,
             e.region.code if e.region else ""] for e in events]),
        ("persons", [["id", *_fields(Person, [
            "kind", "name", "other_names", "sex", "born_in", "contact", "id_number",
            "notes"])]]
         + [[p.pk, p.kind, p.name, p.other_names, p.sex, p.born_in, p.contact, p.id_number,
             p.notes] for p in persons]),
        ("acts", [["id", case, *_fields(Act, ["violation", "victim", "happened_on",
                                               "precision", "place", "consequences"])]]
         + [[a.pk, a.event_id, a.violation, a.victim_id, a.happened_on, a.precision, a.place,
             a.consequences] for a in acts]),
        ("involvements", [["id", _("act"), *_fields(Involvement, [
            "perpetrator", "degree", "notes"])]]
         + [[i.pk, i.act_id, i.perpetrator_id, i.degree, i.notes] for i in involvements]),
        ("information", [["id", case, *_fields(Information, [
            "source", "received_on", "content", "reliability", "consent_to_use",
            "consent_to_share", "consent_notes"])]]
         + [[i.pk, i.event_id, i.source_id, i.received_on, i.content, i.reliability,
             i.consent_to_use, i.consent_to_share, i.consent_notes] for i in information]),
        ("interventions", [["id", case, *_fields(Intervention, [
            "made_on", "made_by", "authority", "channel", "request", "response", "outcome",
            "follow_up_due"])]]
         + [[i.pk, i.event_id, i.made_on, i.made_by.get_username() if i.made_by else "",
             i.authority.name, i.channel, i.request, i.response, i.outcome, i.follow_up_due]
            for i in interventions]),
        ("attachments", [["id", case, *_fields(Attachment, [
            "information", "name", "description", "kind", "size"]), _("file in the archive")]]
         + [[a.pk, a.event_id, a.information_id, a.name, a.description, a.kind, a.size,
             _member_name(a)] for a in attached]),
    ]


def _member_name(attachment: Attachment) -> str:
    return f"attachments/{attachment.pk}.{files.KINDS[attachment.kind].extension}"


def _xlsx(tables: Iterable[tuple[str, list[list[Any]]]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, rows in tables:
        sheet = book.create_sheet(name[:31])
        for row in rows:
            sheet.append([neutralise(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def build_archive(events: Sequence[Event], passphrase: str, *, format: str,
                  with_attachments: bool) -> bytes:
    import pyzipper

    tables = sheets(events)
    out = io.BytesIO()
    with pyzipper.AESZipFile(out, "w", compression=pyzipper.ZIP_DEFLATED,
                             encryption=pyzipper.WZ_AES) as archive:
        archive.setpassword(passphrase.encode())
        archive.setencryption(pyzipper.WZ_AES, nbits=256)
        if format == "csv":
            for name, rows in tables:
                archive.writestr(f"{name}.csv", "".join(csv_lines(rows)).encode("utf-8"))
        else:
            archive.writestr("cases.xlsx", _xlsx(tables))
        if with_attachments:
            for attachment in Attachment.objects.filter(event__in=[e.pk for e in events]):
                archive.writestr(_member_name(attachment),
                                 files.read_attachment(attachment.stored_as))
    return out.getvalue()
