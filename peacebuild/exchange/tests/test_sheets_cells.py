"""Cells and files at the edges: each odd value or file gets its own clear message."""

import datetime as dt
import io
import zipfile

import pytest

from peacebuild.exchange.models import Job
from peacebuild.exchange.sheets import reading
from peacebuild.exchange.sheets.importing import CellError, parse_count, parse_text

from .sheets_helpers import HEADER, csv_bytes, fingerprint, row, upload, xlsx


@pytest.fixture
def setup(office, places, programme, activity_type, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return office


def messages(job):
    return [p["message"] for p in job.report.get("problems", [])]


@pytest.mark.parametrize("value,expected", [(None, 0), ("", 0), (" 12 ", 12), (3.0, 3),
                                            (7, 7)])
def test_counts(value, expected):
    assert parse_count(value) == expected


@pytest.mark.parametrize("value,message", [
    (True, "not a whole number"), (2.5, "not a whole number"), ("12a", "not a whole number"),
    ("-3", "cannot be negative"), (100_001, "more than any activity holds"),
    (dt.date(2004, 1, 1), "not a whole number")])
def test_bad_counts(value, message):
    with pytest.raises(CellError, match=message):
        parse_count(value)


def test_text_from_numbers_and_dates_and_our_apostrophe():
    assert parse_text(7.0) == "7" and parse_text(dt.date(2004, 4, 23)) == "2004-04-23"
    assert parse_text("'=SUM(A1)") == "=SUM(A1)" and parse_text("'quoted'") == "'quoted'"


@pytest.mark.parametrize("data,message", [
    (b"", "The file is empty."),
    ("programme,type\n".encode("utf-16"), "This is not a text file"),
    (b"\xef\xbb\xbfprogramme\xff\n", "starts as UTF-8 but byte"),
])
def test_csv_files_that_cannot_be_read(setup, data, message):
    job = upload(setup, data, "a.csv")
    assert job.state == Job.State.FAILED and message in job.reason, job.reason


def test_a_row_too_wide_and_too_many_rows(setup, monkeypatch):
    wide = csv_bytes([row(1) + ["x"] * 300])
    assert "more than 250 columns" in upload(setup, wide, "a.csv").reason
    monkeypatch.setattr(reading, "MAX_ROWS", 3)
    before = fingerprint()
    for data, name in ((csv_bytes([row(n) for n in range(5)]), "a.csv"),
                       (xlsx([row(n) for n in range(5)]), "a.xlsx")):
        job = upload(setup, data, name)
        assert job.state == Job.State.FAILED and "more than 3 rows" in job.reason
    assert fingerprint() == before


def test_a_field_past_the_csv_limit_is_reported_with_its_line(setup):
    job = upload(setup, csv_bytes([row(1), row(2, title="x" * 50_000)]), "a.csv")
    assert job.state == Job.State.FAILED and "cannot be read near line 3" in job.reason


def test_header_problems(setup):
    job = upload(setup, csv_bytes([row(1) + ["1"]], [*HEADER, "notes"]), "a.csv")
    assert any("Columns not in the template: notes" in m for m in messages(job))
    job = upload(setup, csv_bytes([row(1) + ["T"]], [*HEADER, "title"]), "a.csv")
    assert any("appears twice (columns C and L)" in m for m in messages(job))
    job = upload(setup, csv_bytes([row(1) + ["stray"]], [*HEADER, ""]), "a.csv")
    assert "A value stands in a column without a header." in messages(job)
    job = upload(setup, csv_bytes([], HEADER), "a.csv")
    assert "The sheet has a header but no activities." in messages(job)


def test_an_ambiguous_partner_acronym_must_be_written_in_full(setup, office):
    from peacebuild.partners.models import Organisation
    for name in ("Civic Forum", "Civil Foundation"):
        Organisation.objects.create(office=office, name=name, acronym="CF", kind="ngo")
    job = upload(setup, csv_bytes([row(1, partners="CF")]), "a.csv")
    assert any("names more than one organisation" in m for m in messages(job))
    assert upload(setup, csv_bytes([row(1, partners="Civic Forum; civic forum")]),
                  "a.csv").state == Job.State.DONE


def _book(build) -> bytes:
    from openpyxl import Workbook
    book = Workbook()
    build(book)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_workbooks_without_our_sheet_or_empty(setup):
    def other_name(book):
        book.active.title = "Sheet1"
        book.active.append(HEADER)
        book.active.append(row(1))
    assert upload(setup, _book(other_name)).state == Job.State.DONE  # the first visible sheet

    def empty(book):
        book.active.title = "Activities"
    assert "is empty" in upload(setup, _book(empty)).reason

    def too_wide(book):
        book.active.title = "Activities"
        book.active.append([f"c{i}" for i in range(300)])
    assert "more than 250 columns" in upload(setup, _book(too_wide)).reason


def test_zip_files_that_are_not_workbooks(setup):
    for build, message in ((lambda z: z.writestr("hello.txt", "hi"), "not an XLSX workbook"),
                           (lambda z: [z.writestr(f"p{i}", "") for i in range(10_001)],
                            "too many parts"),
                           (lambda z: z.writestr("xl/workbook.xml", "<not-xml"),
                            "cannot be opened")):
        out = io.BytesIO()
        with zipfile.ZipFile(out, "w") as z:
            build(z)
        job = upload(setup, out.getvalue())
        assert job.state == Job.State.FAILED and message in job.reason, job.reason


def test_the_sheet_scan_finds_merges_across_chunk_boundaries():
    cells = b"".join(b'<c r="A%d"><v>1</v></c>' % i for i in range(1, 60_000))
    body = (b"<worksheet><sheetData>" + cells + b'<c r="B7"><f>A1</f></c>'
            + b"</sheetData><mergeCells>" + b'<mergeCell ref="C2:C4"/>' * 2
            + b"</mergeCells>" + b" " * 3_000_000 + b"</worksheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr("s.xml", body)
    with zipfile.ZipFile(out) as z:
        merged, uncached = reading.scan_sheet_xml(z, "s.xml")
    assert merged == [(3, 2, 3, 4)] and uncached == {(7, 2)}


def test_the_bulk_service_refuses_a_record_deleted_meanwhile(setup, activity_type):
    from peacebuild.accounts.permissions import SYSTEM
    from peacebuild.activities.models import ActivityType
    from peacebuild.activities.services import BulkItemsInvalid, activities_create_many
    from peacebuild.programmes.models import Programme
    ghost = ActivityType(pk=987654, code="ghost", name="Ghost", category="other")
    programme = Programme.objects.get(code="dialogue")
    items = [{"programme": programme, "type": t, "title": f"A {i}",
              "starts_on": dt.date(2004, 4, 1), "ends_on": dt.date(2004, 4, 1)}
             for i, t in enumerate([activity_type] * 1200 + [ghost])]
    seen = []
    with pytest.raises(BulkItemsInvalid) as refused:
        activities_create_many(actor=SYSTEM, office=setup, items=items, progress=seen.append)
    assert list(refused.value.items) == [1200]
    assert "no longer exists" in str(refused.value.items[1200].message_dict["type"])
    assert seen == [1000] and not ActivityType.objects.filter(code="ghost").exists()
