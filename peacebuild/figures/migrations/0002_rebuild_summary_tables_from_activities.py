# Fills the summary tables from the raw activity and attendance rows, as
# figures.cubes.cubes_rebuild does, with the historical models so that it keeps working
# whatever the models become. Reversing it empties them.

from django.db import migrations
from django.db.models import Count, F, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth

BATCH = 5000

# cube → (activity-level keys besides the office, attendance keys)
CUBES = {
    "ActivityCube": (("programme", "type", "region", "month"), ()),
    "CategoryCube": (("programme", "type", "region", "month"), ("category", "sex")),
    "AgeCube": (("programme", "type", "region", "month"), ("age_group", "sex")),
    "CategoryLiteCube": (("programme", "month"), ("category", "sex")),
    "AgeLiteCube": (("programme", "month"), ("age_group", "sex")),
}


def rebuild(apps, schema_editor):
    db = schema_editor.connection.alias
    Activity = apps.get_model("activities", "Activity")
    Attendance = apps.get_model("activities", "Attendance")
    for name, (keys, cell_keys) in CUBES.items():
        cube = apps.get_model("figures", name)
        if cell_keys:
            prefix = "activity__"
            rows = Attendance.objects.using(db)
        else:
            prefix = ""
            rows = Activity.objects.using(db)
        columns = {
            "office_key": F(f"{prefix}office_id"),
            "programme_key": F(f"{prefix}programme_id"),
            "type_key": F(f"{prefix}type_id"),
            "region_key": Coalesce(F(f"{prefix}region_id"), Value(0)),
            "month_key": TruncMonth(f"{prefix}starts_on"),
        }
        wanted = ("office", *keys)
        rows = rows.annotate(**{f"{k}_key": columns[f"{k}_key"] for k in wanted})
        group = [f"{k}_key" for k in wanted] + list(cell_keys)
        if cell_keys:
            totals = {"people": Sum("count")}
        else:
            totals = {"activities": Count("id"),
                      "participants": Coalesce(Sum("participants_total"), Value(0))}
        batch = []
        for row in rows.values(*group).annotate(**totals).order_by().iterator():
            fields = {k: row[f"{k}_key"] for k in keys}
            fields["office_id"] = row["office_key"]
            fields.update({k: row[k] for k in cell_keys})
            fields.update({k: row[k] for k in totals})
            if not any(row[k] for k in totals):
                continue
            batch.append(cube(**fields))
            if len(batch) == BATCH:
                cube.objects.using(db).bulk_create(batch)
                batch = []
        cube.objects.using(db).bulk_create(batch)


def empty(apps, schema_editor):
    for name in CUBES:
        apps.get_model("figures", name).objects.using(schema_editor.connection.alias).delete()


class Migration(migrations.Migration):

    dependencies = [
        ("activities", "0002_activity_programme_restrict"),
        ("figures", "0001_summary_tables"),
    ]

    operations = [migrations.RunPython(rebuild, empty)]
