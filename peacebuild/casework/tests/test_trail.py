"""The case trail is append-only and hash-chained: the database refuses changes, and any
alteration, removal or reordering breaks the chain at the entry that was touched."""

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.casework import guard
from peacebuild.casework.models import GENESIS, TrailEntry
from peacebuild.casework.queries import verify_trail
from peacebuild.casework.services import record


@pytest.fixture
def trail(db, office, users):
    for i, action in enumerate(["read", "search", "denied", "export", "read"]):
        record(actor=users["head"], office=office, action=action, target=f"event:{i}",
               purpose="court request" if action == "export" else "",
               address="10.0.0.7", detail={"fields": ["name"]})
    return list(TrailEntry.objects.order_by("id"))


def tamper(sql, params):
    with guard.unlocked(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_entries_chain_from_the_first_and_the_chain_verifies(trail):
    assert trail[0].previous == GENESIS
    assert all(b.previous == a.digest for a, b in zip(trail, trail[1:], strict=False))
    check = verify_trail()
    assert check.whole and check.entries == 5 and check.head == trail[-1].digest


def test_the_database_refuses_updates_and_deletes(trail):
    for sql in (f"UPDATE casework_trailentry SET username = 'x' WHERE id = {trail[0].pk}",
                f"DELETE FROM casework_trailentry WHERE id = {trail[0].pk}"):
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
                connection.cursor() as cursor:
            cursor.execute(sql)
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        TrailEntry.objects.filter(pk=trail[1].pk).update(purpose="nothing")
    assert TrailEntry.objects.count() == 5


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_postgresql_refuses_truncate(trail):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("TRUNCATE casework_trailentry")


def test_an_altered_entry_is_named(trail):
    tamper("UPDATE casework_trailentry SET purpose = %s WHERE id = %s", ["", trail[3].pk])
    check = verify_trail()
    assert check.broken_at == trail[3].pk and "altered" in check.reason
    assert check.entries == 3
    with pytest.raises(CommandError, match=f"broken at entry #{trail[3].pk}"):
        call_command("verify_case_trail")


def test_a_removed_entry_is_named_at_the_entry_after_it(trail):
    tamper("DELETE FROM casework_trailentry WHERE id = %s", [trail[2].pk])
    check = verify_trail()
    assert check.broken_at == trail[3].pk and "removed" in check.reason


def test_a_rewritten_chain_still_breaks_where_the_digest_was_forged(trail):
    # Recomputing one entry's digest after altering it breaks the link to the next one.
    entry = trail[1]
    entry.purpose = "forged"
    tamper("UPDATE casework_trailentry SET purpose = %s, digest = %s WHERE id = %s",
           ["forged", entry.computed_digest(), entry.pk])
    assert verify_trail().broken_at == trail[2].pk


def test_the_command_reports_a_whole_trail(trail, capsys):
    call_command("verify_case_trail")
    assert "holds: 5 entries" in capsys.readouterr().out


def test_a_trail_entry_needs_an_actor_and_system_is_named(db, office):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        record(actor=None, office=office, action="read")
    entry = record(actor=SYSTEM, office=None, action="keys")
    assert entry.username == "SYSTEM" and entry.user_id is None


def test_deleting_a_user_leaves_the_trail_whole(trail, users):
    users["head"].delete()
    assert verify_trail().whole and TrailEntry.objects.count() == 5
