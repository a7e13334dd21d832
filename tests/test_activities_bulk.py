"""activities_create_many: a bulk load (the importers' door) validates every item as
activity_create does, saves all or nothing, logs each activity, and leaves every summary
table exact, whether it rebuilds the touched months or adds the load's contributions."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity, AgeGroup, Attendance
from peacebuild.activities.queries import ActivityFilter
from peacebuild.activities.services import (
    Cell,
    activities_create_many,
    activity_create,
    activity_snapshot,
)
from peacebuild.figures import engine
from peacebuild.figures.cubes import CUBES, cubes_rebuild
from peacebuild.figures.engine import FigureQuery
from peacebuild.partners.models import Organisation

D = dt.date


def cube_rows(office) -> dict[str, list[tuple]]:
    return {c.model.__name__: sorted(
        tuple(r) for r in c.model.objects.filter(office=office.pk).values_list(
            *[f.attname for f in c.model._meta.fields if f.name != "id"]))
        for c in CUBES}


def items(programme, activity_type, training_type, places, partner, n):
    out = []
    for i in range(n):
        day = D(2003, 1 + i % 12, 1 + (i * 7) % 28)
        cells = {Cell("party", "f", AgeGroup.UNKNOWN): 1 + i % 5,
                 Cell("teacher", "m", AgeGroup.YOUTH): 2}
        out.append({"programme": programme.pk if i % 2 else programme,
                    "type": activity_type if i % 3 else training_type.pk,
                    "place": [None, places["TJ-SU"], places["TJ-KT"].pk][i % 3],
                    "title": f"Loaded {i}", "starts_on": day, "ends_on": day,
                    "attendance": cells, "partners": [partner] if i % 4 == 0 else []})
    return out


@pytest.fixture
def partner(office):
    return Organisation.objects.create(office=office, name="OSCE", kind="international")


@pytest.mark.parametrize("existing", [0, 30])  # 0: months rebuilt; 30 > load: deltas added
def test_a_bulk_load_leaves_every_summary_table_exact(
        office, programme, activity_type, training_type, places, partner, existing):
    for i in range(existing):
        activity_create(actor=SYSTEM, office=office, programme=programme, type=activity_type,
                        title=f"Old {i}", starts_on=D(2003, 3, 1 + i % 28),
                        ends_on=D(2003, 3, 1 + i % 28), participants_total=4,
                        attendance={Cell("youth", "u"): 4})
    loaded = activities_create_many(actor=SYSTEM, office=office, items=items(
        programme, activity_type, training_type, places, partner, 24))
    assert len(loaded) == 24 and all(a.pk for a in loaded)
    assert Activity.objects.filter(office=office).count() == existing + 24
    kept = cube_rows(office)
    cubes_rebuild(office.pk)
    assert cube_rows(office) == kept
    women = engine.compute(office, FigureQuery("activities", ActivityFilter(sex="f")))
    assert women.source == "cube:figures_attendeecube" and women.total.value == 24
    with_partner = engine.compute(office, FigureQuery(
        "participants", ActivityFilter(partner=partner.pk)))
    assert with_partner.source == "cube:figures_partnercube"
    assert with_partner.total.value == sum(2 + 1 + i % 5 for i in range(0, 24, 4))
    # the region is that of the place, as a single save sets it
    assert loaded[1].region_id == places["TJ-SU"].pk


def test_each_loaded_activity_is_logged_as_a_single_save_would_log_it(
        office, programme, activity_type, training_type, places, partner):
    loaded = activities_create_many(actor=SYSTEM, office=office, items=items(
        programme, activity_type, training_type, places, partner, 5))
    for activity in loaded:
        entry = AuditEntry.objects.get(model="activities.Activity", object_id=str(activity.pk))
        stored = Activity.objects.get(pk=activity.pk)
        assert entry.action == AuditEntry.Action.CREATE
        assert entry.after == activity_snapshot(stored)


def test_a_bad_item_saves_nothing_and_is_named(office, programme, activity_type,
                                               training_type, places, partner):
    batch = items(programme, activity_type, training_type, places, partner, 6)
    batch[1]["ends_on"] = D(2002, 1, 1)  # before its start
    batch[2]["attendance"] = {Cell("party", "f"): -3}
    batch[3]["programme"] = 999_999
    del batch[4]["type"]
    batch[5]["no_such_field"] = 1
    with pytest.raises(ValidationError) as refused:
        activities_create_many(actor=SYSTEM, office=office, items=batch)
    assert set(refused.value.message_dict) == {"item 2", "item 3", "item 4", "item 5",
                                               "item 6"}
    assert refused.value.message_dict["item 5"] == [
        "Each activity needs a programme and a type."]
    assert refused.value.message_dict["item 4"] == [
        "Programme 999999 is not a programme of this office."]
    assert "The end date is before the start date." in refused.value.message_dict["item 2"]
    assert not Activity.objects.filter(office=office).exists()
    assert not Attendance.objects.exists()
    assert all(not c.model.objects.filter(office=office.pk).exists() for c in CUBES)


def test_a_partner_of_another_office_is_refused(office, other_office, programme,
                                                activity_type, training_type, places):
    foreign = Organisation.objects.create(office=other_office, name="Far", kind="ngo")
    with pytest.raises(ValidationError, match="another office"):
        activities_create_many(actor=SYSTEM, office=office, items=items(
            programme, activity_type, training_type, places, foreign, 2))
    assert not Activity.objects.filter(office=office).exists()


def test_a_programme_officer_loads_only_into_their_programmes(
        users, office, programme, other_programme, activity_type):
    row = {"type": activity_type, "title": "Club", "starts_on": D(2003, 5, 1),
           "ends_on": D(2003, 5, 1)}
    officer = users["programme"]
    assert len(activities_create_many(actor=officer, office=office,
                                      items=[{**row, "programme": programme}])) == 1
    with pytest.raises(PermissionDenied):
        activities_create_many(actor=officer, office=office,
                               items=[{**row, "programme": programme},
                                      {**row, "programme": other_programme}])
    with pytest.raises(PermissionDenied):
        activities_create_many(actor=None, office=office, items=[])
    assert Activity.objects.filter(office=office).count() == 1


def test_a_bulk_load_costs_the_same_queries_for_ten_items_or_forty(
        office, programme, activity_type, training_type, places, partner):
    def cost(n: int) -> int:
        batch = items(programme, activity_type, training_type, places, partner, n)
        with CaptureQueriesContext(connection) as captured:
            activities_create_many(actor=SYSTEM, office=office, items=batch)
        return len(captured)

    cost(2)  # warm caches (content types, places)
    ten = cost(10)  # both loads outnumber what their months held: both rebuild the months
    assert cost(40) <= ten


def test_the_other_ways_to_bring_the_tables_up_to_date_agree(
        office, programme, activity_type, training_type, places, partner):
    """cubes_add (contributions summed in memory: a load whose ids are not one block) and
    cubes_rebuild of some months give what a full rebuild gives."""
    from peacebuild.figures.cubes import contribution, cubes_add

    activities_create_many(actor=SYSTEM, office=office, items=items(
        programme, activity_type, training_type, places, partner, 24))
    kept = cube_rows(office)
    for cube in CUBES:
        cube.model.objects.filter(office=office.pk).delete()
    cubes_add([contribution(a) for a in Activity.objects.filter(office=office)])
    assert cube_rows(office) == kept
    for cube in CUBES:
        since = {f"{cube.grain}__gte": D(2003, 4, 1)}  # the month cubes and the day tables
        cube.model.objects.filter(office=office.pk, **since).delete()
    cubes_rebuild(office.pk, months=[D(2003, m, 1) for m in (4, 5, 6, 9, 10, 11, 12)])
    assert cube_rows(office) != kept  # July and August are still missing
    cubes_rebuild(office.pk, months=[D(2003, 7, 15), D(2003, 8, 1)])
    assert cube_rows(office) == kept
    cubes_rebuild(office.pk, months=[])
    assert cube_rows(office) == kept
