"""The database side of the trail's append-only rule.

Triggers (migration 0001) refuse every UPDATE, DELETE and TRUNCATE of the trail's rows
(and, from the revisions migration, of `Revision`'s: see the end of this module).
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


# Revisions of case records (`models.Revision`): append-only like the trail. One change
# is allowed: key rotation re-seals the snapshot column alone, inside `resealing()`.

_resealing = threading.local()


def _resealing_on() -> int:
    return 1 if getattr(_resealing, "on", False) else 0


@receiver(connection_created)
def register_resealing_function(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        connection.connection.create_function("peacebuild_resealing", 0, _resealing_on,
                                              deterministic=False)


@contextmanager
def resealing() -> Iterator[None]:
    """Inside a transaction: let this connection re-seal revision snapshots (key
    rotation). Nothing else of a revision may change."""
    _resealing.on = True
    try:
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('peacebuild.case_resealing', 'on', true)")
        yield
        # On an error the transaction (or its savepoint) rolls back, which undoes the
        # setting; it cannot take a statement any more.
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config('peacebuild.case_resealing', 'off', true)")
    finally:
        _resealing.on = False


_REVISION_COLUMNS = ("id, at, user_id, username, office_id, event_id, record_type, record_id, "
                     "fields, trail_entry_id")
REVISION_SQLITE = [
    f"""CREATE TRIGGER casework_revision_no_update BEFORE UPDATE OF {_REVISION_COLUMNS}
       ON casework_revision WHEN peacebuild_trail_locked()
       BEGIN SELECT RAISE(ABORT, 'Case revisions are append-only: they cannot change.'); END""",
    """CREATE TRIGGER casework_revision_no_reseal BEFORE UPDATE OF snapshot
       ON casework_revision WHEN peacebuild_trail_locked() AND NOT peacebuild_resealing()
       BEGIN SELECT RAISE(ABORT, 'Case revisions are append-only: they cannot change.'); END""",
    """CREATE TRIGGER casework_revision_no_delete BEFORE DELETE ON casework_revision
       WHEN peacebuild_trail_locked()
       BEGIN SELECT RAISE(ABORT, 'Case revisions are append-only: they cannot change.'); END""",
]
REVISION_POSTGRESQL = [
    """CREATE FUNCTION casework_revision_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         IF current_setting('peacebuild.trail_unlocked', true) IS DISTINCT FROM 'on' THEN
           IF TG_OP = 'UPDATE'
              AND current_setting('peacebuild.case_resealing', true) = 'on'
              AND to_jsonb(NEW) - 'snapshot' = to_jsonb(OLD) - 'snapshot' THEN
             RETURN NEW;
           END IF;
           RAISE EXCEPTION 'Case revisions are append-only: they cannot change.';
         END IF;
         IF TG_LEVEL = 'STATEMENT' THEN RETURN NULL; END IF;
         IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
         RETURN NEW;
       END $$""",
    """CREATE TRIGGER casework_revision_no_change BEFORE UPDATE OR DELETE ON casework_revision
       FOR EACH ROW EXECUTE FUNCTION casework_revision_refuse()""",
    """CREATE TRIGGER casework_revision_no_truncate BEFORE TRUNCATE ON casework_revision
       FOR EACH STATEMENT EXECUTE FUNCTION casework_revision_refuse()""",
]
REVISION_DROP = {
    "sqlite": ["DROP TRIGGER IF EXISTS casework_revision_no_update",
               "DROP TRIGGER IF EXISTS casework_revision_no_reseal",
               "DROP TRIGGER IF EXISTS casework_revision_no_delete"],
    "postgresql": ["DROP TRIGGER IF EXISTS casework_revision_no_change ON casework_revision",
                   "DROP TRIGGER IF EXISTS casework_revision_no_truncate ON casework_revision",
                   "DROP FUNCTION IF EXISTS casework_revision_refuse()"],
}


def install_revisions(schema_editor: Any) -> None:
    vendor = schema_editor.connection.vendor
    for sql in {"sqlite": REVISION_SQLITE, "postgresql": REVISION_POSTGRESQL}.get(vendor, []):
        schema_editor.execute(sql)


def uninstall_revisions(schema_editor: Any) -> None:
    for sql in REVISION_DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)
