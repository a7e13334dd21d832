"""The database side of the trail's append-only rule.

Triggers (migration 0001) refuse every UPDATE, DELETE and TRUNCATE of the trail's rows.
On SQLite they ask the function `peacebuild_trail_locked()`, which this module registers on
each of Peacebuild's connections: any other program that opens the file (the sqlite3 shell)
has no such function, so its changes fail too. On PostgreSQL they read the setting
`peacebuild.trail_unlocked`.

`unlocked()` lifts the rule for the current connection for one block. Only the test
suite's database flush uses it (between tests); nothing in the product does.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection
from django.db.backends.signals import connection_created
from django.dispatch import receiver

_state = threading.local()


def _locked() -> int:
    return 0 if getattr(_state, "unlocked", False) else 1


@receiver(connection_created)
def register_sql_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("peacebuild_trail_locked", 0, _locked,
                                              deterministic=False)


@contextmanager
def unlocked() -> Iterator[None]:
    _state.unlocked = True
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('peacebuild.trail_unlocked', 'on', false)")
        yield
    finally:
        _state.unlocked = False
        if connection.vendor == "postgresql" and connection.connection is not None:
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('peacebuild.trail_unlocked', 'off', false)")


SQLITE = [
    """CREATE TRIGGER casework_trail_no_update BEFORE UPDATE ON casework_trailentry
       WHEN peacebuild_trail_locked()
       BEGIN SELECT RAISE(ABORT, 'The case trail is append-only: entries cannot change.'); END""",
    """CREATE TRIGGER casework_trail_no_delete BEFORE DELETE ON casework_trailentry
       WHEN peacebuild_trail_locked()
       BEGIN SELECT RAISE(ABORT, 'The case trail is append-only: entries cannot change.'); END""",
]
POSTGRESQL = [
    """CREATE FUNCTION casework_trail_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF current_setting('peacebuild.trail_unlocked', true) IS DISTINCT FROM 'on' THEN
           RAISE EXCEPTION 'The case trail is append-only: entries cannot change.';
         END IF;
         IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER casework_trail_no_change BEFORE UPDATE OR DELETE ON casework_trailentry
       FOR EACH ROW EXECUTE FUNCTION casework_trail_refuse()""",
    """CREATE TRIGGER casework_trail_no_truncate BEFORE TRUNCATE ON casework_trailentry
       FOR EACH STATEMENT EXECUTE FUNCTION casework_trail_refuse()""",
]
DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS casework_trail_no_update",
               "DROP TRIGGER IF EXISTS casework_trail_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS casework_trail_no_change ON casework_trailentry",
                   "DROP TRIGGER IF EXISTS casework_trail_no_truncate ON casework_trailentry",
                   "DROP FUNCTION IF EXISTS casework_trail_refuse()"],
}


def install(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": SQLITE, "postgresql": POSTGRESQL}.get(vendor, []):
        schema_editor.execute(sql)


def uninstall(schema_editor: Any) -> None:
    for sql in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)
