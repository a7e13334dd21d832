"""The XLSX and HXL exports: totals equal the dashboard's figures (the figures engine), text
that a spreadsheet would run as a formula is neutralised, and an XLSX export imports again."""

import csv
import datetime as dt
import io

import pytest

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity
from peacebuild.activities.services import Cell, activity_create
from peacebuild.exchange import jobs
from peacebuild.exchange.models import Job
from peacebuild.figures import engine as figures
from peacebuild.partners.models import Organisation
from peacebuild.programmes.models import Programme

from .sheets_helpers import fingerprint, import_file


@pytest.fixture
def records(office, places, programme, activity_type, training_type):
    evil = Programme.objects.create(office=office, code="evil", name="=HYPERLINK(\"x\")")
    org = Organisation.objects.create(office=office, name="@Forum", acronym="", kind="ngo")
    made = []
    for n, (prog, kind, place, day) in enumerate([
            (programme, activity_type, "TJ-SU", dt.date(2004, 4, 23)),
            (programme, activity_type, "TJ-SU", dt.date(2004, 4, 25)),
            (programme, training_type, "TJ-KT", dt.date(2004, 5, 2)),
            (evil, training_type, None, dt.date(2004, 6, 1))]):
        made.append(activity_create(
            actor=SYSTEM, office=office, programme=prog, type=kind, title=f"=cmd|{n}",
            starts_on=day, ends_on=day, place=places.get(place) if place else None,
            partners=[org] if n == 0 else [],
            attendance={Cell("youth", "f", "18-29"): 3 + n, Cell("party", "m"): 2,
                        Cell("teacher", "u"): 1} if n != 2 else None,
            participants_total=None if n != 2 else 12))
    return made


def run(office, kind):
    job = Job.objects.create(office=office, kind=kind, report={"language": "en"})
    return jobs.run_job(job.pk)


def test_hxl_totals_equal_the_dashboard(office, records):
    job = run(office, Job.Kind.HXL_EXPORT)
    assert job.state == Job.State.DONE, job.reason
    header, tags, *rows = list(csv.reader(io.StringIO(bytes(job.output).decode("utf-8-sig"))))
    assert tags[0] == "#org" and "#adm1 +code" in tags and "#reached +f" in tags
    assert len(header) == len(tags)
    col = {t: i for i, t in enumerate(tags)}

    def total(tag):
        return sum(int(r[col[tag]]) for r in rows)

    by_sex = {f.breakdown["sex"]: f.value for f in figures.participants_by(office, "sex")}
    assert total("#activity +num") == figures.activity_count(office).value == 4
    assert total("#reached +total") == figures.participants(office).value == 34
    assert total("#reached +f") == by_sex["f"] and total("#reached +m") == by_sex["m"]
    assert total("#reached +unknown") == by_sex["u"]
    # Two April meetings in Sughd are one row; the formula-like programme name is inert.
    sughd = [r for r in rows if r[col["#adm1 +code"]] == "TJ-SU"]
    assert len(sughd) == 1 and sughd[0][col["#activity +num"]] == "2"
    assert sughd[0][col["#date +start"]] == "2004-04-01"
    assert any(r[col["#sector"]] == "'=HYPERLINK(\"x\")" for r in rows)


def test_the_xlsx_export_neutralises_formulas_and_imports_again(office, records, settings,
                                                                 tmp_path):
    from openpyxl import load_workbook
    settings.DATA_DIR = tmp_path
    job = run(office, Job.Kind.SHEET_EXPORT)
    assert job.state == Job.State.DONE, job.reason
    book = load_workbook(io.BytesIO(bytes(job.output)))
    assert book.sheetnames == ["Activities", "Programmes", "Results"]
    sheet = book["Activities"]
    header = [c.value for c in sheet[1]]
    titles = sorted(r[header.index("title")] for r in sheet.iter_rows(min_row=2,
                                                                     values_only=True))
    assert titles == ["'=cmd|0", "'=cmd|1", "'=cmd|2", "'=cmd|3"]
    assert "youth/f/18-29" in header and "party/m" in header
    programmes = list(book["Programmes"].iter_rows(min_row=2, values_only=True))
    assert ("evil", "'=HYPERLINK(\"x\")", 1, 9) in programmes
    assert ("dialogue", "Dialogue", 3, 25) in programmes
    # The sheet re-imports (without its id column, the office's own copy of each row).
    sheet.delete_cols(1)
    out = io.BytesIO()
    book.save(out)
    before = fingerprint()
    again = import_file(office, out.getvalue())
    assert again.state == Job.State.DONE, again.report.get("problems")
    assert Activity.objects.count() == 8 and fingerprint() != before
    # The apostrophe that kept the title inert is the export's, not the title's.
    copy = Activity.objects.filter(title="=cmd|0").exclude(pk=records[0].pk).get()
    original = records[0]
    assert copy.attendance.count() == original.attendance.count()
    assert list(copy.partners.all()) == list(original.partners.all())


def test_the_commands_import_and_export_spreadsheets(office, records, settings, tmp_path,
                                                     capsys):
    from django.core.management import CommandError, call_command

    from .sheets_helpers import row, xlsx
    settings.DATA_DIR = tmp_path
    source = tmp_path / "field.xlsx"
    source.write_bytes(xlsx([row(1), row(2)]))
    call_command("import", str(source), "--office", office.code, "--dry-run")
    out = capsys.readouterr().out
    assert "2 activities with 10 participants would be created." in out
    assert Activity.objects.count() == 4
    call_command("import", str(source), "--office", office.code)
    assert "2 activities imported." in capsys.readouterr().out
    assert Activity.objects.count() == 6
    source.write_bytes(xlsx([row(1, programme="nope")]))
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import", str(source), "--office", office.code)
    target = tmp_path / "3w.csv"
    call_command("export", "--office", office.code, "--format", "hxl", "--out", str(target))
    assert target.read_text("utf-8-sig").splitlines()[1].startswith("#org,")
    call_command("export", "--office", office.code, "--format", "xlsx", "--out",
                 str(tmp_path / "all.xlsx"))
    assert (tmp_path / "all.xlsx").read_bytes().startswith(b"PK")
