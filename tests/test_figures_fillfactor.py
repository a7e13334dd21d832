"""On PostgreSQL every summary table leaves room on its pages for the updates that keep
it (`figures.0006_fillpg_cube_fillfactor`): an upsert that adds to a row then writes a
heap-only tuple on the same page instead of a new row version elsewhere and new entries in
every index. A summary table added later without that room makes bulk loads slower
(docs/benchmarks.md, "Write overhead"): this test names it."""

import pytest
from django.db import connection

from peacebuild.figures.cubes import CUBES

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="a PostgreSQL storage setting")
def test_every_summary_table_leaves_room_for_its_updates():
    tables = sorted(cube.model._meta.db_table for cube in CUBES)
    with connection.cursor() as cursor:
        cursor.execute("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)",
                       [tables])
        options = {name: opts or [] for name, opts in cursor.fetchall()}
    assert sorted(options) == tables
    assert {t: o for t, o in options.items() if "fillfactor=70" not in o} == {}
