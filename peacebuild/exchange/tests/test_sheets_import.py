"""Spreadsheet import of activities: the whole file or nothing, every problem named with its
sheet, row and column; the quirks of real spreadsheets read right; hostile files refused
with the database exactly as it was."""

import datetime as dt
import io
import zipfile

import pytest

from peacebuild.activities.models import Activity, Attendance
from peacebuild.activities.services import Cell
from peacebuild.exchange.models import Job
from peacebuild.exchange.sheets.importing import CellError, parse_date
from peacebuild.partners.models import Organisation

from .sheets_helpers import HEADER, csv_bytes, fingerprint, import_file, row, upload, xlsx


@pytest.fixture
def setup(office, places, programme, activity_type, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return office


def problems(job):
    return [(p["row"], p["column"], p["message"]) for p in job.report["problems"]]


def test_a_clean_file_dry_runs_then_imports_exactly_what_it_said(setup, users):
    data = xlsx([row(1), row(2, participants_total=None)])
    before = fingerprint()
    dry = upload(setup, data, user=users["programme"])
    assert dry.state == Job.State.DONE, dry.reason
    assert dry.report["activities"] == 2 and dry.report["participants"] == 10
    assert fingerprint() == before  # a dry run writes nothing
    commit = upload(setup, data, dry_run=False, user=users["programme"], applies=dry)
    assert commit.state == Job.State.DONE, commit.reason
    a = Activity.objects.get(title="Meeting 2")
    assert a.participants_total == 5 and a.region.code == "TJ-SU"
    assert a.created_by == users["programme"] and "row 3" in a.source_note
    assert {(c.category, c.sex, c.count) for c in a.attendance.all()} == {
        ("civil_society", "f", 2), ("civil_society", "m", 2), ("youth", "f", 1)}


def test_a_commit_applies_only_the_file_its_dry_run_passed(setup, users):
    data = xlsx([row(1)])
    dry = upload(setup, data, user=users["programme"])
    other = upload(setup, xlsx([row(1), row(2)]), dry_run=False, user=users["programme"],
                   applies=dry)
    assert other.state == Job.State.FAILED and "not the file the dry run checked" in \
        other.reason
    first = upload(setup, data, dry_run=False, user=users["programme"], applies=dry)
    assert first.state == Job.State.DONE
    again = upload(setup, data, dry_run=False, user=users["programme"], applies=dry)
    assert again.state == Job.State.FAILED and "already been imported" in again.reason
    assert Activity.objects.count() == 1


def test_every_problem_is_named_with_its_row_and_column(setup):
    rows = [row(1, programme="nope"), row(2, starts_on="2004-05-02", ends_on="2004-05-01"),
            row(3, participants_total=9), row(4, **{"youth/f": -1}),
            row(5, starts_on="1900-01-01"), row(6, type="", title="x" * 301),
            row(7, place="XX-99"), row(8, partners="Nobody")]
    job = upload(setup, xlsx(rows))
    assert job.state == Job.State.FAILED and "nothing was imported" in job.reason
    found = problems(job)
    assert (2, "A", "“nope” is not a programme code of TST.") in found
    assert (3, "E", "The end date is before the start date.") in found
    assert (4, "H", "The breakdown adds up to 5 but the total says 9.") in found
    assert (5, "K", "A count cannot be negative (-1).") in found
    assert any(r == 6 and c == "D" and "far outside the life of TST" in m for r, c, m in found)
    assert (7, "B", "This cell must be filled in.") in found
    assert any(r == 7 and c == "C" and "at most 300 fit" in m for r, c, m in found)
    assert any(r == 8 and c == "F" for r, c, m in found)
    assert any(r == 9 and c == "G" and "Nobody" in m for r, c, m in found)
    assert all(p["sheet"] == "Activities" for p in job.report["problems"])


def test_a_programme_officer_imports_only_for_their_programmes(setup, users,
                                                                other_programme):
    job = upload(setup, xlsx([row(1), row(2, programme="rule-of-law")]),
                 user=users["programme"])
    assert job.state == Job.State.FAILED
    assert [(r, c) for r, c, _m in problems(job)] == [(3, "A")]
    assert "not one of your programmes" in problems(job)[0][2]


def test_script_and_formula_text_stay_inert_text(setup):
    title = "<script>alert(1)</script>=HYPERLINK(\"x\")"
    job = import_file(setup, xlsx([row(1, title=title)]))
    assert job.state == Job.State.DONE, job.reason
    assert Activity.objects.get().title == title


def test_a_nul_in_text_is_refused(setup):
    job = upload(setup, csv_bytes([row(1, title="bad\x00title")]), "a.csv")
    assert job.state == Job.State.FAILED
    assert any("control characters" in m for _r, _c, m in problems(job))


# ---------------------------------------------------------------------------------------
# Real spreadsheets


@pytest.mark.parametrize("encoding,bom,sep", [("utf-8", True, ","), ("utf-8", False, ";"),
                                              ("cp1252", False, ";"), ("utf-8", False, "\t")])
def test_csv_encodings_and_separators(setup, encoding, bom, sep):
    data = csv_bytes([row(1, title="Café — réunion “régionale”")], sep=sep, encoding=encoding)
    job = import_file(setup, (b"\xef\xbb\xbf" if bom else b"") + data, "a.csv")
    assert job.state == Job.State.DONE, (job.reason, job.report.get("problems"))
    assert Activity.objects.get().title == "Café — réunion “régionale”"
    assert job.report["encoding"] == ("Windows-1252" if encoding == "cp1252" else "UTF-8")
    assert job.report["delimiter"] == sep


def test_a_file_neither_utf8_nor_cp1252_is_refused_with_the_reason(setup):
    before = fingerprint()
    job = upload(setup, csv_bytes([row(1)]) + b"\x81\x8d", "a.csv")
    assert job.state == Job.State.FAILED and "neither UTF-8 nor Windows-1252" in job.reason
    assert fingerprint() == before


def test_excel_dates_serial_numbers_and_the_1904_system(setup):
    from openpyxl.utils.datetime import to_excel
    serial = to_excel(dt.datetime(2004, 4, 23))
    data = xlsx([row(1, starts_on=dt.datetime(2004, 4, 23), ends_on=serial)])
    job = import_file(setup, data)
    assert job.state == Job.State.DONE, job.report.get("problems")
    a = Activity.objects.get()
    assert (a.starts_on, a.ends_on) == (dt.date(2004, 4, 23), dt.date(2004, 4, 23))
    # The same serial number in a workbook of the 1904 system is four years and a day later.
    job = import_file(setup, xlsx([row(2, starts_on=serial - 1462, ends_on=serial - 1462)],
                                  epoch1904=True))
    assert job.state == Job.State.DONE, job.report.get("problems")
    assert Activity.objects.get(title="Meeting 2").starts_on == dt.date(2004, 4, 23)


@pytest.mark.parametrize("text,expected", [
    ("2004-04-23", dt.date(2004, 4, 23)), ("2004/4/23", dt.date(2004, 4, 23)),
    ("23/04/2004", dt.date(2004, 4, 23)), ("04/23/2004", dt.date(2004, 4, 23)),
    ("23.04.2004", dt.date(2004, 4, 23)), ("04/04/2004", dt.date(2004, 4, 4)),
    ("23 April 2004", dt.date(2004, 4, 23)), ("April 23, 2004", dt.date(2004, 4, 23)),
    ("23-Apr-2004", dt.date(2004, 4, 23)), ("2004-04-23 00:00:00", dt.date(2004, 4, 23)),
])
def test_dates_as_text_in_unambiguous_forms(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize("text,message", [
    ("03/04/2004", "could be day/month or month/day"), ("2004-02-30", "does not exist"),
    ("next tuesday", "is not a date"), ("38100", "is not a date"),
])
def test_ambiguous_or_wrong_dates_are_refused_never_guessed(text, message):
    with pytest.raises(CellError, match=message):
        parse_date(text)


def test_an_ambiguous_date_in_a_file_is_reported_at_its_cell(setup):
    job = upload(setup, csv_bytes([row(1, starts_on="03/04/2004")]), "a.csv")
    assert job.state == Job.State.FAILED
    assert problems(job)[0][:2] == (2, "D") and "day/month" in problems(job)[0][2]


def test_leading_zeros_in_codes_are_kept(setup, office):
    from peacebuild.programmes.models import Programme
    Programme.objects.create(office=office, code="007", name="Zero zero seven")
    job = import_file(setup, csv_bytes([row(1, programme="007")]), "a.csv")
    assert job.state == Job.State.DONE, job.report.get("problems")
    assert Activity.objects.get().programme.code == "007"
    job = upload(setup, csv_bytes([row(1, programme="7")]), "a.csv")
    assert job.state == Job.State.FAILED


def test_drop_down_entries_and_partners_by_acronym(setup, office):
    org = Organisation.objects.create(office=office, name="Ministry of Justice",
                                      acronym="MoJ", kind="government")
    ngo = Organisation.objects.create(office=office, name="Civil Forum", kind="ngo")
    data = xlsx([row(1, programme="dialogue — Dialogue", place="TJ-SU — Sughd Region",
                     partners="moj; Civil Forum")])
    job = import_file(setup, data)
    assert job.state == Job.State.DONE, job.report.get("problems")
    assert set(Activity.objects.get().partners.all()) == {org, ngo}


def _workbook_with(fill) -> bytes:
    from openpyxl import Workbook
    book = Workbook()
    sheet = book.active
    sheet.title = "Activities"
    sheet.append(HEADER)
    fill(sheet)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_merged_cells_down_a_column_take_the_top_value(setup):
    def fill(sheet):
        sheet.append(row(1))
        sheet.append(row(2, programme=None))
        sheet.append(row(3, programme=None))
        sheet.merge_cells("A2:A4")
    job = import_file(setup, _workbook_with(fill))
    assert job.state == Job.State.DONE, job.report.get("problems")
    assert Activity.objects.filter(programme__code="dialogue").count() == 3


def test_merged_counts_are_an_error(setup):
    def fill(sheet):
        sheet.append(row(1))
        sheet.append(row(2))
        sheet.merge_cells("H2:H3")
    job = upload(setup, _workbook_with(fill))
    assert job.state == Job.State.FAILED
    assert problems(job)[0][:2] == (2, "H") and "Merged cells" in problems(job)[0][2]


def test_formulas_give_their_value_and_an_uncomputed_one_is_an_error(setup):
    def fill(sheet):
        sheet.append(row(1))
        sheet["H2"] = "=I2+J2+K2"  # openpyxl writes no cached value
    job = upload(setup, _workbook_with(fill))
    assert job.state == Job.State.FAILED
    assert problems(job)[0][:2] == (2, "H") and "formula without a computed value" in \
        problems(job)[0][2]
    # A file saved by a spreadsheet program carries the value next to the formula.
    data = _workbook_with(lambda s: s.append(row(1)))
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet_xml = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet_xml.replace(
        '<c r="H2" t="n"><v>5</v></c>', '<c r="H2"><f>I2+J2+K2</f><v>5</v></c>').encode()
    assert "<f>I2+J2+K2</f>" in parts["xl/worksheets/sheet1.xml"].decode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, body in parts.items():
            z.writestr(name, body)
    job = import_file(setup, out.getvalue())
    assert job.state == Job.State.DONE, job.report.get("problems")
    assert Activity.objects.get().participants_total == 5


def test_age_group_columns_may_be_added(setup):
    header = [*HEADER, "youth/m/18-29"]
    job = import_file(setup, xlsx([row(1, participants_total=8) + [3]], header))
    assert job.state == Job.State.DONE, job.report.get("problems")
    assert Attendance.objects.get(sex="m", category="youth").age_group == "18-29"
    assert Cell("youth", "m", "18-29")


# ---------------------------------------------------------------------------------------
# Hostile files: a clear error, the database exactly as it was


def test_a_sheet_that_is_not_ours_names_the_missing_columns(setup):
    before = fingerprint()
    job = upload(setup, csv_bytes([["1", "2"]], ["name", "amount"]), "a.csv")
    assert job.state == Job.State.FAILED
    [(r, c, message)] = problems(job)
    assert "programme, type, title, starts_on, ends_on are missing" in message
    assert fingerprint() == before


def test_a_csv_with_a_million_columns_is_refused(setup):
    before = fingerprint()
    job = upload(setup, b",".join([b"c"] * 1_000_000) + b"\n", "a.csv")
    assert job.state == Job.State.FAILED and "more than 250 columns" in job.reason
    assert fingerprint() == before


def test_an_xlsx_bomb_is_refused_before_it_is_inflated(setup):
    before = fingerprint()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w") as member:
            for _ in range(600):
                member.write(b"\0" * 1_000_000)
    job = upload(setup, out.getvalue())
    assert job.state == Job.State.FAILED and "zip bomb" in job.reason
    assert fingerprint() == before


def test_an_oversized_file_is_refused(setup, monkeypatch):
    from peacebuild.exchange.sheets import reading
    monkeypatch.setattr(reading, "MAX_BYTES", 1000)
    job = upload(setup, csv_bytes([row(n) for n in range(100)]), "a.csv")
    assert job.state == Job.State.FAILED and "larger than" in job.reason


def test_a_damaged_workbook_and_an_old_xls_are_refused(setup):
    assert "damaged" in upload(setup, b"PK\x03\x04garbage").reason
    assert "not an XLSX" in upload(setup, b"\xd0\xcf\x11\xe0", "old.xls").reason


def test_a_service_refusal_at_commit_rolls_everything_back(setup, monkeypatch):
    from peacebuild.activities import services
    real = services._check_activity

    def refuse_the_third(activity, cells):
        if activity.title == "Meeting 2":
            raise services.ValidationError({"title": "refused"})
        return real(activity, cells)
    monkeypatch.setattr(services, "_check_activity", refuse_the_third)
    before = fingerprint()
    job = import_file(setup, xlsx([row(n) for n in range(5)]))
    assert job.state == Job.State.FAILED and problems(job) == [(4, "", "refused")]
    assert fingerprint() == before


def test_imported_activities_count_in_the_figures_and_the_audit(setup, users):
    from peacebuild.accounts.models import AuditEntry
    from peacebuild.activities.services import activity_snapshot
    from peacebuild.figures import engine as figures
    before = AuditEntry.objects.count()
    job = import_file(setup, xlsx([row(n) for n in range(3)]), user=users["programme"])
    assert job.state == Job.State.DONE, job.reason
    assert figures.activity_count(setup).value == 3
    assert figures.participants(setup).value == 15
    by_sex = {f.breakdown["sex"]: f.value for f in figures.participants_by(setup, "sex")}
    assert by_sex == {"f": 9, "m": 6}
    entries = AuditEntry.objects.order_by("id")[before:]
    assert len(entries) == 3 and all(e.actor == users["programme"] for e in entries)
    a = Activity.objects.get(pk=entries[0].object_id)
    assert entries[0].after == activity_snapshot(a)


def test_the_bulk_service_refuses_another_programme_for_an_officer(setup, users,
                                                                   other_programme,
                                                                   activity_type):
    from django.core.exceptions import PermissionDenied

    from peacebuild.activities.services import activities_create_many
    item = {"programme": other_programme, "type": activity_type, "title": "X",
            "starts_on": dt.date(2004, 4, 1), "ends_on": dt.date(2004, 4, 1)}
    before = fingerprint()
    with pytest.raises(PermissionDenied):
        activities_create_many(actor=users["programme"], office=setup, items=[item])
    assert fingerprint() == before


def test_starting_jobs_checks_the_actor(setup, users):
    from django.core.exceptions import PermissionDenied

    from peacebuild.exchange.sheets import services
    for who in (users["viewer"], users["head"], users["outsider"], None):
        with pytest.raises(PermissionDenied):
            services.import_start(actor=who, office=setup, name="a.csv", chunks=[b"x"])
    for who in (users["outsider"], None):
        with pytest.raises(PermissionDenied):
            services.export_start(actor=who, office=setup, kind=Job.Kind.HXL_EXPORT)
    with pytest.raises(ValueError):
        services.export_start(actor=users["viewer"], office=setup, kind=Job.Kind.IATI_EXPORT)
    assert not Job.objects.exists()
