"""The demo is its data files: what `load_demo()` creates is what `demo/data/*.json` say, and
every record there says where it comes from."""

import json

import pytest

from peacebuild.activities.models import Activity
from peacebuild.demo.files import DATA_DIR, read
from peacebuild.demo.loader import load_demo
from peacebuild.mandates.models import SourceKind
from peacebuild.reporting.models import FigureDefinition


def sources(node):
    if isinstance(node, dict):
        if set(node) == {"kind", "doc", "note"}:
            yield node
        for value in node.values():
            yield from sources(value)
    elif isinstance(node, list):
        for value in node:
            yield from sources(value)


def test_every_record_in_the_data_files_says_where_it_comes_from():
    found = 0
    for path in sorted(DATA_DIR.glob("*.json")):
        for source in sources(json.loads(path.read_text(encoding="utf-8"))):
            found += 1
            assert source["kind"] in SourceKind.values, (path.name, source)
            assert source["note"].strip(), (path.name, source)
    assert found > 120  # activities, partners, documents…: nearly every record


@pytest.mark.django_db
def test_the_demo_loads_what_its_data_files_hold():
    office = load_demo().office
    rows = [row for name in ("activities_2000_2003.json", "activities_2003_2004.json",
                             "activities_2004_2005.json") for row in read(name)["activities"]]
    loaded = Activity.objects.filter(office=office)
    assert sorted((a.title, a.starts_on.isoformat(), a.source_kind) for a in loaded) == sorted(
        (r["title"], r["starts_on"], r["source"]["kind"]) for r in rows)
    invented = [r for r in rows if r["source"]["kind"] == "invented"]
    assert loaded.filter(source_kind=SourceKind.INVENTED).count() == len(invented) > 0
    names = list(FigureDefinition.objects.filter(office=office).values_list("name", flat=True))
    assert names == [row["name"] for row in read("figures.json")["figures"]]
