"""A text index for the list's "title or description contains" filter.

PostgreSQL: trigram GIN indexes (pg_trgm) on the exact expressions Django's `icontains`
compares, `UPPER("title"::text)` and `UPPER("description")`, so that the LIKE is answered
by a bitmap index scan (and rechecked on the rows: the answer stays the LIKE's).

SQLite: an FTS5 table with the trigram tokenizer, external content over the activities
(it stores only the index), kept exact by triggers on every insert, delete and change of
the title or description, raw SQL and bulk loads included. `filter_activities` asks it
for queries of three characters or more (`text_contains` in queries.py).

Each half is a no-op on the other database. A later migration that makes SQLite remake
activities_activity (Django's table rebuild drops the table's triggers) must run
`SQLITE_TRIGGERS` again; the text filter tests fail if it does not.
"""

from django.db import migrations

FTS = "activities_activity_fts"

SQLITE_TRIGGERS = [
    f"""CREATE TRIGGER {FTS}_ai AFTER INSERT ON activities_activity BEGIN
        INSERT INTO {FTS}(rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
    f"""CREATE TRIGGER {FTS}_ad AFTER DELETE ON activities_activity BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
    END""",
    f"""CREATE TRIGGER {FTS}_au AFTER UPDATE OF title, description ON activities_activity
    BEGIN
        INSERT INTO {FTS}({FTS}, rowid, title, description)
        VALUES ('delete', old.id, old.title, old.description);
        INSERT INTO {FTS}(rowid, title, description)
        VALUES (new.id, new.title, new.description);
    END""",
]

SQLITE_FORWARD = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(title, description, "
    f"content='activities_activity', content_rowid='id', tokenize='trigram')",
    *SQLITE_TRIGGERS,
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",  # the rows there already
]
SQLITE_BACKWARD = [
    f"DROP TRIGGER IF EXISTS {FTS}_ai",
    f"DROP TRIGGER IF EXISTS {FTS}_ad",
    f"DROP TRIGGER IF EXISTS {FTS}_au",
    f"DROP TABLE IF EXISTS {FTS}",
]

PG_FORWARD = [
    # A trusted extension since PostgreSQL 13: the database's owner may create it.
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX IF NOT EXISTS textidx_activity_title_trgm ON activities_activity "
    "USING gin ((UPPER(title::text)) gin_trgm_ops)",
    "CREATE INDEX IF NOT EXISTS textidx_activity_description_trgm ON activities_activity "
    "USING gin ((UPPER(description::text)) gin_trgm_ops)",
]
# The extension stays: other objects may use it by then.
PG_BACKWARD = [
    "DROP INDEX IF EXISTS textidx_activity_title_trgm",
    "DROP INDEX IF EXISTS textidx_activity_description_trgm",
]


def _run(statements: dict[str, list[str]]):
    def run(apps, schema_editor):
        for sql in statements.get(schema_editor.connection.vendor, []):
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):

    dependencies = [
        ("activities", "0006_figscale_attendance_cover"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE_FORWARD, "postgresql": PG_FORWARD}),
            _run({"sqlite": SQLITE_BACKWARD, "postgresql": PG_BACKWARD}),
        ),
    ]
