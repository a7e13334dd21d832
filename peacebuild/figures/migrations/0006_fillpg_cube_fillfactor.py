"""PostgreSQL: leave room on every summary table's pages for the updates that keep it.

Every write adds to rows that exist (an upsert's DO UPDATE). With full pages (fillfactor
100, the default) each updated row version goes to another page and needs new entries in
every index of the table; with room on its own page, and no indexed column changed (only
the counts change), PostgreSQL makes it a heap-only tuple (HOT): one page written, no index
touched, and the old version pruned in place. Pages already written keep their layout until
the table is rewritten (`cubes_rebuild`, or VACUUM FULL); new pages get the room at once.
SQLite has no such setting: this migration does nothing there.
"""

from django.db import migrations

FILLFACTOR = 70

TABLES = (
    "figures_activitycube", "figures_categorycube", "figures_agecube",
    "figures_categorylitecube", "figures_agelitecube", "figures_celllitecube",
    "figures_attendeecube", "figures_partnercube", "figures_dayactivitycube",
    "figures_daycellcube", "figures_daycategorylitecube", "figures_dayagelitecube",
)


def set_fillfactor(apps, schema_editor, value=FILLFACTOR):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} "
                              f"SET (fillfactor = {int(value)})")


def reset_fillfactor(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"ALTER TABLE {schema_editor.quote_name(table)} "
                              "RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("figures", "0005_edges_day_cubes")]
    operations = [migrations.RunPython(set_fillfactor, reset_fillfactor)]
