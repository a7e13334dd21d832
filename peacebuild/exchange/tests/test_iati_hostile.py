"""Hostile and broken files: each a clear error naming the problem, and the database
exactly as it was."""

import io
from pathlib import Path

import pytest

from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.exchange import jobs
from peacebuild.exchange.iati import importing, reader
from peacebuild.exchange.models import Job
from peacebuild.programmes.models import Programme

ACTIVITY = """<iati-activity xml:lang="en" last-updated-datetime="2001-01-01T00:00:00Z">
 <iati-identifier>XM-DAC-41114-{n}</iati-identifier>
 <reporting-org ref="XM-DAC-41114" type="40"><narrative>UNDP</narrative></reporting-org>
 <title><narrative>Activity {n}</narrative></title>
 <description><narrative>What activity {n} does</narrative></description>
 <participating-org role="4" ref="XM-DAC-41114"/>
 <activity-status code="2"/>
 <activity-date type="2" iso-date="2001-01-01"/>
 <recipient-country code="TJ"/>
 <sector code="15220"/>
</iati-activity>"""


def iati(*activities: str, head: str = '<?xml version="1.0" encoding="UTF-8"?>\n') -> bytes:
    return (head + '<iati-activities version="2.03">' + "".join(activities)
            + "</iati-activities>").encode()


GOOD = iati(ACTIVITY.format(n=1), ACTIVITY.format(n=2))

LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&lol3;</iati-identifier>
</iati-activity></iati-activities>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity><iati-identifier>&xxe;</iati-identifier>
</iati-activity></iati-activities>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities SYSTEM "http://example.org/evil.dtd">
<iati-activities version="2.03"></iati-activities>"""
PARAMETER = b"""<?xml version="1.0"?>
<!DOCTYPE x [<!ENTITY % remote SYSTEM "http://example.org/x.dtd"> %remote;]>
<iati-activities version="2.03"/>"""
# A DOCTYPE that the sniffer cannot see (beyond its window): the parser's check refuses it.
LATE_DOCTYPE = b"<?xml version='1.0'?>" + b"<!--" + b" " * 70_000 + b"-->" + \
    b'<!DOCTYPE a [<!ENTITY e "x">]><iati-activities version="2.03"/>'
TRUNCATED = GOOD[: len(GOOD) // 2]
CP1252 = iati(ACTIVITY.format(n=1).replace("Activity 1", "Activit\xe9 1")).replace(
    "Activité".encode(), b"Activit\xe9")
UTF16 = GOOD.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
LATIN1_DECLARED = iati(ACTIVITY.format(n=1).replace("Activity 1", "Activité 1"),
                       head='<?xml version="1.0" encoding="ISO-8859-1"?>\n')

HOSTILE = {
    "billion laughs": (LAUGHS, "DOCTYPE"),
    "XXE": (XXE, "DOCTYPE"),
    "external DTD": (EXTERNAL_DTD, "DOCTYPE"),
    "parameter entity": (PARAMETER, "DOCTYPE"),
    "late DOCTYPE": (LATE_DOCTYPE, "DOCTYPE"),
    "truncated": (TRUNCATED, "truncated"),
    "wrong encoding": (CP1252, "encoding"),
    "not IATI": (b"<html><body>hello</body></html>", "not an IATI activity file"),
    "empty": (b"", "empty"),
    "not XML": (b"PK\x03\x04 this is a zip", "not well-formed"),
}


def _state():
    return Programme.objects.count(), AuditEntry.objects.count()


def _run(office, data: bytes, tmp_path: Path, *, dry_run: bool = False) -> Job:
    job = Job(office=office, kind=Job.Kind.IATI_IMPORT, dry_run=dry_run)
    jobs.store_input(job, "f.xml", [data], limit=10**9)
    job.save()
    return jobs.run_job(job.pk)


@pytest.fixture
def importer_office(office):
    office.iati_org_id = "XM-DAC-41114"
    office.save()
    return office


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_hostile_and_broken_files_are_refused_with_a_clear_reason(case, importer_office,
                                                                  tmp_path):
    data, words = HOSTILE[case]
    before = _state()
    job = _run(importer_office, data, tmp_path)
    assert job.state == Job.State.FAILED, case
    assert words in job.reason, (case, job.reason)
    assert _state() == before
    problems = job.report["validation"]["problems"]
    assert problems and problems[-1]["severity"] == "critical"
    assert "root:" not in job.reason and "/etc/passwd" not in str(job.report)


def test_a_file_in_another_declared_encoding_is_read(importer_office, tmp_path):
    for data in (UTF16, LATIN1_DECLARED):
        job = _run(importer_office, data, tmp_path, dry_run=True)
        assert job.state == Job.State.DONE, job.reason


def test_a_good_file_imports(importer_office, tmp_path):
    job = _run(importer_office, GOOD, tmp_path)
    assert job.state == Job.State.DONE, job.reason
    assert job.report["plan"]["counts"]["created"] == 2
    assert set(Programme.objects.filter(office=importer_office).values_list("code", flat=True)
               ) >= {"1", "2"}


def test_an_oversized_activity_is_refused(importer_office, tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "MAX_ACTIVITY_ELEMENTS", 5)
    before = _state()
    job = _run(importer_office, GOOD, tmp_path)
    assert job.state == Job.State.FAILED and "larger than Peacebuild reads" in job.reason
    assert _state() == before


def test_an_oversized_file_is_refused(importer_office, tmp_path, monkeypatch):
    monkeypatch.setattr(importing, "MAX_FILE_BYTES", 100)
    job = _run(importer_office, GOOD, tmp_path)
    assert job.state == Job.State.FAILED and "larger than" in job.reason
    with pytest.raises(jobs.JobFailed, match="larger than"):
        jobs.store_input(Job(office=importer_office), "big.xml", [b"x" * 2000], limit=1000)


def test_a_huge_text_node_is_refused_by_the_parser():
    data = iati(ACTIVITY.format(n=1).replace("Activity 1", "x" * 11_000_000))
    with pytest.raises(reader.Refused):
        list(reader.activities(io.BytesIO(data), reader.Report(), rules=False))


def test_a_file_that_fails_the_schema_in_small_ways_imports_with_warnings(importer_office,
                                                                          tmp_path):
    sloppy = ACTIVITY.format(n=3).replace('<activity-status code="2"/>\n', "").replace(
        "<sector", '<unknown-element/><sector')
    job = _run(importer_office, iati(sloppy), tmp_path)
    assert job.state == Job.State.DONE, job.reason
    assert job.report["plan"]["counts"]["created"] == 1
    assert any(p["id"] == "0.3.1" for p in job.report["validation"]["problems"])
    assert "does not follow the IATI 2.03 schema" in job.report["plan"]["warnings"][0]


def test_activities_without_identifier_or_title_are_left_with_a_reason(importer_office,
                                                                       tmp_path):
    no_id = ACTIVITY.format(n=4).replace("XM-DAC-41114-4", "")
    no_title = ACTIVITY.format(n=5).replace("<narrative>Activity 5</narrative>", "")
    job = _run(importer_office, iati(no_id, no_title), tmp_path, dry_run=True)
    left = job.report["plan"]["left"]
    assert [row["reason"] for row in left] == ["The activity has no iati-identifier.",
                                               "The activity has no title."]


def test_import_needs_the_results_capability(importer_office, users, tmp_path):
    path = tmp_path / "f.xml"
    path.write_bytes(GOOD)
    with pytest.raises(Exception, match="roles|permission|needs"):
        importing.import_file(importer_office, users["viewer"], path, name="f.xml",
                              dry_run=True)
    _r, plan = importing.import_file(importer_office, users["monitoring"], path, name="f.xml",
                                     dry_run=True)
    assert plan.counts["created"] == 2
    _r, plan = importing.import_file(importer_office, SYSTEM, path, name="f.xml",
                                     dry_run=True)
    assert plan.counts["created"] == 2


RICH = """<iati-activity xml:lang="fr" last-updated-datetime="not a date">
 <iati-identifier>XM-DAC-41114-R</iati-identifier>
 <reporting-org ref="XM-DAC-41114" type="40"><narrative>PNUD</narrative></reporting-org>
 <title><narrative>Dialogue national</narrative>
  <narrative xml:lang="en">National dialogue</narrative></title>
 <description><narrative>Description</narrative></description>
 <participating-org role="1" type="10"><narrative>Donateur</narrative></participating-org>
 <activity-status code="2"/>
 <activity-date type="1" iso-date="2002-01-01"/>
 <activity-date type="3" iso-date="2001-01-01"/>
 <recipient-country code="TJ"/>
 <sector vocabulary="1" code="15220" percentage="60"/>
 <sector vocabulary="1" code="15160" percentage="40"/>
 <document-link url="https://example.org/r.pdf" format="application/pdf">
  <title><narrative>Rapport</narrative></title><category code="A07"/></document-link>
 <result type="2"><title><narrative>Sans indicateur</narrative></title></result>
 <result type="1"><title><narrative>Untitled output</narrative></title>
  <indicator measure="5" ascending="0"><title><narrative>Perception</narrative></title>
   <baseline year="2002"><comment><narrative>Enquête</narrative></comment></baseline>
   <period><period-start iso-date="2004-04-01"/><period-end iso-date="2004-06-30"/>
    <target><comment><narrative>Meilleure</narrative></comment></target>
    <actual><comment><narrative>Un peu meilleure</narrative></comment></actual></period>
   <period><period-start iso-date="2004-07-01"/><period-end iso-date="2004-07-31"/>
    <target><comment><narrative>Stable</narrative></comment></target></period>
   <period><period-start iso-date="2004-07-03"/><period-end iso-date="2004-09-09"/>
    <target><comment><narrative>Odd</narrative></comment></target></period>
  </indicator>
 </result>
</iati-activity>"""


def test_a_rich_activity_maps_languages_periods_sectors_and_qualitative_results(
        importer_office, tmp_path):
    job = _run(importer_office, iati(RICH), tmp_path)
    assert job.state == Job.State.DONE, job.reason
    programme = Programme.objects.get(office=importer_office, iati__identifier="XM-DAC-41114-R")
    assert programme.name == "National dialogue" and programme.names == {
        "fr": "Dialogue national"}
    assert programme.ends_on == programme.starts_on  # an end before the start is not kept
    assert programme.iati.kept["sectors"][1] == {"vocabulary": "1", "code": "15160",
                                                 "percentage": "40"}
    assert programme.iati.last_updated is None
    indicator = programme.outcomes.get().outputs.get().indicators.get()
    assert indicator.kind == "qualitative" and indicator.direction == "decrease"
    assert indicator.baseline_source == "Enquête"
    assert sorted(indicator.targets.values_list("period_kind", "period_key")) == [
        ("month", "2004-07"), ("quarter", "2004-Q2")]
    assert indicator.actuals.get().text == "Un peu meilleure"
    warnings = job.report["plan"]["warnings"]
    assert any("2004-07-03" in w and "left out" in w for w in warnings)
    # a second import of the same code gets a code of its own
    again = RICH.replace("XM-DAC-41114-R<", "XM-DAC-41114-r<")
    job = _run(importer_office, iati(again), tmp_path)
    assert job.state == Job.State.DONE, job.reason
    codes = set(Programme.objects.filter(office=importer_office).values_list("code", flat=True))
    assert {"r", "r-2"} <= codes


def test_unknown_codes_are_warnings_of_an_import_and_the_activity_imports(importer_office,
                                                                           tmp_path):
    odd = ACTIVITY.format(n=1).replace('<activity-status code="2"/>',
                                       '<activity-status code="9"/>').replace(
        '<sector code="15220"/>', '<sector code="99999"/>')
    job = _run(importer_office, iati(odd), tmp_path)
    assert job.state == Job.State.DONE, job.reason
    found = {p["id"]: p["severity"] for p in job.report["validation"]["problems"]}
    assert found["9.5.1"] == found["9.76.1"] == "warning"
    assert job.report["plan"]["counts"]["created"] == 1
