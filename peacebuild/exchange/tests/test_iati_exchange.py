"""The demo office's IATI file passes the schema and the rules with its results; it
imports into an empty office and exports again the same; re-import is idempotent; a
dry run changes nothing; a commit applies exactly the file the dry run checked."""

import datetime as dt
import hashlib
import io
import re
import zipfile
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from lxml import etree

from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.demo.loader import load_demo
from peacebuild.exchange import jobs
from peacebuild.exchange.iati import exporting, importing
from peacebuild.exchange.iati.reader import check_file
from peacebuild.exchange.models import IatiActivity, IatiActualRow, Job
from peacebuild.figures import engine as figures
from peacebuild.mandates.models import MandatePeriod, Office
from peacebuild.programmes.models import Actual, Indicator, Programme


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        office = load_demo().office
        yield office
        transaction.set_rollback(True)


@pytest.fixture
def untop(demo, db):
    return Office.objects.get(pk=demo.pk)  # fresh: a test may change it


@pytest.fixture(scope="module")
def demo_file(demo, django_db_blocker):
    with django_db_blocker.unblock():
        return exporting.build(demo).files[0][1]


def _empty_like(office: Office, code: str = "copy") -> Office:
    """A new office with the same identifier and mandate years, and no records."""
    copy = Office.objects.create(code=code, name=office.name, country=office.country,
                                 established_on=office.established_on,
                                 closed_on=office.closed_on, time_zone=office.time_zone,
                                 iati_org_id=office.iati_org_id)
    for period in MandatePeriod.objects.filter(office=office):
        MandatePeriod.objects.create(office=copy, starts_on=period.starts_on,
                                     ends_on=period.ends_on, decision=period.decision)
    return copy


def _without_generated(data: bytes) -> bytes:
    return re.sub(rb' generated-datetime="[^"]*"', b"", data)


def _write(tmp_path: Path, data: bytes, name: str = "file.xml") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_the_demo_file_passes_the_schema_and_the_rules(untop, demo_file):
    report = check_file(io.BytesIO(demo_file))
    assert report.ok and report.activities == Programme.objects.filter(office=untop).count()
    # the only advisory: the demo's identifier is not a registered agency's (honestly)
    assert report.ids_of("warning") == {"1.14.8"}
    assert untop.iati_org_id == "XX-DEMO-UNTOP"


def test_the_demo_file_says_what_the_office_did(untop, demo_file):
    root = etree.fromstring(demo_file)
    acts = root.findall("iati-activity")
    ids = [a.findtext("iati-identifier") for a in acts]
    assert "XX-DEMO-UNTOP-DIALOGUE" in ids
    assert all(i.startswith("XX-DEMO-UNTOP-") for i in ids)
    sectors = {a.findtext("iati-identifier"): a.find("sector").get("code") for a in acts}
    assert sectors["XX-DEMO-UNTOP-HUMAN-RIGHTS"] == "15160"
    assert sectors["XX-DEMO-UNTOP-ELECTIONS"] == "15151"
    assert sectors["XX-DEMO-UNTOP-RULE-OF-LAW"] == "15130"
    dialogue = acts[ids.index("XX-DEMO-UNTOP-DIALOGUE")]
    langs = {n.get("{http://www.w3.org/XML/1998/namespace}lang")
             for n in dialogue.find("title").findall("narrative")}
    assert langs == {None, "ru", "tg", "zh", "ar", "fr", "es"}  # the demo names in seven
    assert dialogue.find("recipient-country").get("code") == "TJ"
    assert dialogue.find("activity-status").get("code") == "4"  # closed in 2007
    assert dialogue.findall("location") and dialogue.findall("document-link")
    roles = {p.get("role") for p in dialogue.findall("participating-org")}
    assert "2" in roles and "4" in roles


def test_results_come_from_the_figures_engine_and_add_up(untop, demo_file):
    root = etree.fromstring(demo_file)
    by_title = {i.find("title/narrative").text: i for i in root.iter("indicator")}
    meetings = by_title["1.1.1 Political discussion club meetings held"]
    period = meetings.find("period")
    assert period.find("period-start").get("iso-date") == "2003-06-01"
    assert period.find("target").get("value") == "10"
    assert meetings.find("baseline").get("value") == "2"
    assert period.find("actual").get("value") == "11"  # the letter's 11 meetings
    trained = by_title["2.1.1 People trained in conflict prevention and resolution"]
    actuals = trained.find("period").findall("actual")
    total = [a for a in actuals if not a.findall("dimension")]
    rows = [a for a in actuals if a.findall("dimension")]
    assert len(total) == 1 and total[0].get("value") == "90"  # 90 trained, Oct 2003
    assert sum(int(a.get("value")) for a in rows) == 90
    assert all({d.get("name") for d in a.findall("dimension")} == {"sex", "category"}
               for a in rows)
    women = sum(int(a.get("value")) for a in rows
                if a.find("dimension[@name='sex']").get("value") == "f")
    indicator = Indicator.objects.get(code="2.1.1", output__outcome__programme__office=untop)
    flt = figures.ActivityFilter(programme=indicator.output.outcome.programme_id,
                                 date_from=dt.date(2003, 6, 1), date_to=dt.date(2004, 5, 31))
    by_sex = figures.participants_by(untop, "sex", flt)
    assert by_sex  # the engine has the breakdown the file reports
    entered = by_title["5.1.1 " + Indicator.objects.get(
        output__outcome__programme__office=untop, rule={}).title]
    assert entered.find("period/actual").get("value")
    assert women > 0


def test_export_without_an_identifier_is_refused(untop):
    untop.iati_org_id = ""
    untop.save()
    with pytest.raises(jobs.JobFailed, match="no IATI organisation identifier"):
        exporting.build(untop)


def test_large_offices_are_split_below_the_limit(untop):
    export = exporting.build(untop, max_bytes=10_000)
    assert len(export.files) > 1 and export.report.ok
    assert all(check_file(io.BytesIO(d)).ok for _n, d in export.files)
    assert sum(check_file(io.BytesIO(d)).activities for _n, d in export.files) == \
        export.activities
    name, data = exporting.bundle(export.files)
    assert name == "untop-iati.zip"
    assert len(zipfile.ZipFile(io.BytesIO(data)).namelist()) == len(export.files)


def test_an_export_that_fails_the_rules_is_not_offered(untop, monkeypatch):
    original = exporting.activity_element

    def broken(*args, **kwargs):
        el = original(*args, **kwargs)
        start, end = el.findall("activity-date")
        start.set("iso-date", "2006-12-31")  # 11.1.3: the actual start after the actual end
        end.set("iso-date", "2001-01-01")
        return el

    monkeypatch.setattr(exporting, "activity_element", broken)
    job = Job.objects.create(office=untop, kind=Job.Kind.IATI_EXPORT)
    job = jobs.run_job(job.pk)
    assert job.state == Job.State.FAILED and "11.1.3" in job.reason
    assert not job.output and job.report["validation"]["counts"]["error"] > 0


def test_the_export_command_writes_the_checked_file(untop, tmp_path):
    out = tmp_path / "untop.xml"
    call_command("export", "--office", "untop", "--format", "iati", "--out", str(out))
    assert check_file(io.BytesIO(out.read_bytes())).ok


def test_export_import_export_gives_the_same_activities_and_results(untop, demo_file,
                                                                     tmp_path):
    copy = _empty_like(untop)
    path = _write(tmp_path, demo_file)
    report, plan = importing.import_file(copy, SYSTEM, path, name="untop.xml", dry_run=False)
    assert report.ok and plan.counts == {"created": 6, "updated": 0, "left": 0}
    again = exporting.build(copy).files[0][1]
    assert _without_generated(again) == _without_generated(demo_file)
    actual = Actual.objects.filter(indicator__output__outcome__programme__office=copy,
                                   indicator__code="2.1.1").get()
    assert actual.source_kind == "public" and "From IATI" in actual.source_note
    assert sum(r.value for r in IatiActualRow.objects.filter(actual=actual)) == actual.value


def test_reimport_is_idempotent_and_a_newer_version_updates(untop, demo_file, tmp_path):
    copy = _empty_like(untop)
    path = _write(tmp_path, demo_file)
    importing.import_file(copy, SYSTEM, path, name="a.xml", dry_run=False)
    entries = AuditEntry.objects.count()
    _report, plan = importing.import_file(copy, SYSTEM, path, name="a.xml", dry_run=False)
    assert plan.counts == {"created": 0, "updated": 0, "left": 6}
    assert AuditEntry.objects.count() == entries
    newer = re.sub(rb'last-updated-datetime="[^"]*"',
                   b'last-updated-datetime="2030-01-01T00:00:00+00:00"', demo_file, count=1)
    newer = newer.replace(b"<narrative>Democratic institutions and conflict prevention",
                          b"<narrative>Democratic institutions, renamed", 1)
    _report, plan = importing.import_file(copy, SYSTEM, _write(tmp_path, newer, "b.xml"),
                                          name="b.xml", dry_run=False)
    assert plan.counts == {"created": 0, "updated": 1, "left": 5}
    record = IatiActivity.objects.get(office=copy, identifier=plan.updated[0])
    assert record.programme.name == "Democratic institutions, renamed"
    assert record.programme.outcomes.count() == 1  # replaced, not doubled


def test_the_offices_own_export_leaves_its_programmes_alone(untop, demo_file, tmp_path):
    _report, plan = importing.import_file(untop, SYSTEM, _write(tmp_path, demo_file),
                                          name="own.xml", dry_run=False)
    assert plan.counts["left"] == 6 and "own programme" in plan.left[0][1]


def _snapshot():
    return (Programme.objects.count(), Indicator.objects.count(), Actual.objects.count(),
            IatiActivity.objects.count(), AuditEntry.objects.count())


def _job(office, path: Path, *, dry_run: bool, applies=None) -> Job:
    job = Job(office=office, kind=Job.Kind.IATI_IMPORT, dry_run=dry_run, applies=applies)
    with open(path, "rb") as fh:
        jobs.store_input(job, path.name, iter(lambda: fh.read(1 << 16), b""), limit=10**9)
    job.save()
    return jobs.run_job(job.pk)


def test_a_dry_run_changes_nothing_and_says_what_the_commit_does(untop, demo_file, tmp_path):
    copy = _empty_like(untop)
    path = _write(tmp_path, demo_file)
    before = _snapshot()
    dry = _job(copy, path, dry_run=True)
    assert dry.state == Job.State.DONE and _snapshot() == before
    assert dry.report["plan"]["counts"]["created"] == 6
    assert "Dry run" in dry.report["summary"][0]
    commit = _job(copy, path, dry_run=False, applies=dry)
    assert commit.state == Job.State.DONE
    assert commit.report["plan"]["created"] == dry.report["plan"]["created"]
    assert Programme.objects.filter(office=copy).count() == 6


def test_a_commit_refuses_a_file_other_than_the_dry_runs(untop, demo_file, tmp_path):
    copy = _empty_like(untop)
    dry = _job(copy, _write(tmp_path, demo_file), dry_run=True)
    before = _snapshot()
    other = _write(tmp_path, demo_file.replace(b"Dushanbe", b"Dushanbe!"), "other.xml")
    commit = _job(copy, other, dry_run=False, applies=dry)
    assert commit.state == Job.State.FAILED and "checksum" in commit.reason
    assert _snapshot() == before
    assert hashlib.sha256(demo_file).hexdigest() == dry.checksum


def test_a_failure_in_the_middle_leaves_the_database_as_it_was(untop, demo_file, tmp_path):
    copy = _empty_like(untop)
    # the last activity's baseline date lies far outside the life of the office: refused,
    # after five activities were written
    at = demo_file.rindex(b'iso-date="2003-05-31"')
    broken = demo_file[:at] + b'iso-date="1903-05-31"' + demo_file[at + 21:]
    before = _snapshot()
    job = _job(copy, _write(tmp_path, broken), dry_run=False)
    assert job.state == Job.State.FAILED and "cannot be imported" in job.reason
    assert _snapshot() == before


def test_the_import_command_runs_a_dry_run(untop, demo_file, tmp_path):
    copy = _empty_like(untop)
    path = _write(tmp_path, demo_file)
    call_command("import", str(path), "--dry-run", "--office", copy.code, "--format", "iati")
    assert not Programme.objects.filter(office=copy).exists()
    with pytest.raises(CommandError):
        call_command("import", str(_write(tmp_path, b"<nope/>", "x.xml")), "--office",
                     copy.code, "--format", "iati")
