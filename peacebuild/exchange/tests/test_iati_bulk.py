"""The IATI import writes a batch of activities at a time: its queries do not grow with
the activities of a batch, and what it writes is what the one-by-one reading of the file
says — a later copy of an activity in the same file sees the earlier one, batch or not."""

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.exchange.iati import importing
from peacebuild.exchange.models import IatiActivity, IatiActualRow
from peacebuild.programmes.models import Actual, Indicator, Outcome, Programme, Target

ACTIVITY = """<iati-activity xml:lang="en" last-updated-datetime="{updated}">
 <iati-identifier>XM-DAC-41114-{n}</iati-identifier>
 <reporting-org ref="XM-DAC-41114" type="40"><narrative>UNDP</narrative></reporting-org>
 <title><narrative>{title}</narrative></title>
 <participating-org role="4" ref="XM-DAC-41114"/>
 <activity-status code="2"/>
 <activity-date type="2" iso-date="2001-01-01"/>
 <sector code="15220"/>
 <result type="1">
  <title><narrative>1.1 People trained</narrative></title>
  <description><narrative>1 Capacity strengthened</narrative></description>
  <indicator measure="1" ascending="1">
   <title><narrative>1.1.1 People trained</narrative></title>
   <period><period-start iso-date="2002-01-01"/><period-end iso-date="2002-12-31"/>
    <target value="80"/><actual value="{n}"/>
    <actual value="1"><dimension name="sex" value="f"/></actual>
   </period>
  </indicator>
 </result>
</iati-activity>"""
OLD, NEW = "2001-01-01T00:00:00Z", "2002-06-01T00:00:00Z"


def _file(tmp_path: Path, *activities: tuple[int, str, str], name: str = "f.xml") -> Path:
    body = "".join(ACTIVITY.format(n=n, updated=updated, title=title)
                   for n, updated, title in activities)
    path = tmp_path / name
    path.write_text('<?xml version="1.0" encoding="UTF-8"?>\n<iati-activities version="2.03">'
                    + body + "</iati-activities>", encoding="utf-8")
    return path


@pytest.fixture
def importer_office(office):
    office.iati_org_id = "XM-DAC-99999"
    office.save()
    return office


def _queries(office, path: Path) -> int:
    with CaptureQueriesContext(connection) as captured:
        _report, plan = importing.import_file(office, SYSTEM, path, name=path.name,
                                              dry_run=False)
    assert plan.counts["created"] > 0, plan.as_dict()
    return len(captured)


def test_the_queries_do_not_grow_with_the_activities_of_a_batch(importer_office, tmp_path):
    few = _queries(importer_office, _file(tmp_path, *[(n, OLD, f"A {n}") for n in range(3)],
                                          name="few.xml"))
    many = _queries(importer_office, _file(tmp_path, *[(n, OLD, f"A {n}")
                                                       for n in range(10, 40)],
                    name="many.xml"))
    assert many <= few
    assert Programme.objects.filter(office=importer_office).count() == 33
    assert Actual.objects.filter(indicator__output__outcome__programme__office=importer_office
                                 ).count() == 33
    assert IatiActualRow.objects.count() == 33
    # one audit entry per row written: programme, record, outcome, output, indicator,
    # target, actual, disaggregated value
    assert AuditEntry.objects.filter(office=importer_office, action="create").count() == 33 * 8


@pytest.mark.parametrize("batch", [1, 2, 500])
def test_a_later_copy_in_the_file_sees_the_earlier_one_whatever_the_batch(
        importer_office, tmp_path, monkeypatch, batch):
    monkeypatch.setattr(importing, "BATCH", batch)
    path = _file(tmp_path, (1, OLD, "First"), (2, OLD, "Other"), (1, NEW, "Renamed"),
                 (1, OLD, "Older again"))
    _report, plan = importing.import_file(importer_office, SYSTEM, path, name="f.xml",
                                          dry_run=False)
    assert plan.counts == {"created": 2, "updated": 1, "left": 1}
    assert plan.updated == ["XM-DAC-41114-1"] and plan.left[0][0] == "XM-DAC-41114-1"
    record = IatiActivity.objects.get(office=importer_office, identifier="XM-DAC-41114-1")
    assert record.programme.name == "Renamed"
    assert Outcome.objects.filter(programme=record.programme).count() == 1  # replaced
    assert Target.objects.filter(indicator__output__outcome__programme=record.programme
                                 ).count() == 1
    deleted = AuditEntry.objects.filter(office=importer_office, action="delete")
    assert sorted(deleted.values_list("model", flat=True)) == [
        "programmes.Indicator", "programmes.Outcome", "programmes.Output"]


def test_a_refused_activity_of_a_batch_names_itself_and_leaves_nothing(importer_office,
                                                                         tmp_path):
    path = _file(tmp_path, (1, OLD, "Fine"), (2, OLD, "Broken"), (3, OLD, "Fine too"))
    path.write_text(path.read_text().replace(
        '<actual value="2"/>', '<actual value="2.5"/>'))  # a count is a whole number
    with pytest.raises(importing.JobFailed, match="XM-DAC-41114-2 cannot be imported.*whole"):
        importing.import_file(importer_office, SYSTEM, path, name="f.xml", dry_run=False)
    assert not Programme.objects.filter(office=importer_office).exists()
    assert not Indicator.objects.exists() and not AuditEntry.objects.exists()
