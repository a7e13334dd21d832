"""How the summary tables are written on PostgreSQL.

- Every summary table leaves room on its pages for the updates that keep it
  (`figures.0006_fillpg_cube_fillfactor`): an upsert that adds to a row then writes a
  heap-only tuple on the same page instead of a new row version elsewhere and new entries
  in every index. A summary table added later without that room makes bulk loads slower
  (docs/benchmarks.md, "Write overhead"): the first test names it.
- A save sends the summary tables' upserts in one psycopg pipeline (one wait instead of a
  round trip per table). A failure reported by the pipeline is Django's own error, and
  the save leaves nothing behind."""

import datetime as dt

import pytest
from django.db import DatabaseError, connection

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity
from peacebuild.activities.services import Cell, activity_create
from peacebuild.figures import cubes
from peacebuild.figures.cubes import CUBES
from peacebuild.figures.models import ActivityCube

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's storage"),
]


def test_every_summary_table_leaves_room_for_its_updates():
    tables = sorted(cube.model._meta.db_table for cube in CUBES)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)",
                       [tables])
        options = {name: opts or [] for name, opts in cursor.fetchall()}
    assert sorted(options) == tables
    assert {t: o for t, o in options.items() if "fillfactor=70" not in o} == {}


def _save(office, programme, activity_type, title):
    return activity_create(
        actor=SYSTEM, office=office, programme=programme, type=activity_type, title=title,
        starts_on=dt.date(2005, 3, 1), ends_on=dt.date(2005, 3, 1),
        attendance={Cell("teacher", "f"): 4, Cell("youth", "m"): 3})


def test_a_save_whose_summary_upkeep_fails_leaves_nothing(office, programme, activity_type,
                                                         monkeypatch):
    _save(office, programme, activity_type, "Kept")
    before = list(ActivityCube.objects.values_list("activities", "participants"))
    real = cubes._upsert

    def failing(cube, deltas):
        real(cube, deltas)
        if cube is CUBES[-1]:  # after every other table's statements were sent
            with connection.cursor() as cursor:
                cursor.execute("INSERT INTO figures_no_such_table VALUES (1)")

    monkeypatch.setattr(cubes, "_upsert", failing)
    with pytest.raises(DatabaseError):
        _save(office, programme, activity_type, "Lost")
    monkeypatch.undo()
    assert list(Activity.objects.values_list("title", flat=True)) == ["Kept"]
    assert list(ActivityCube.objects.values_list("activities", "participants")) == before
    _save(office, programme, activity_type, "Again")  # the connection is usable
    assert ActivityCube.objects.get().activities == 2
