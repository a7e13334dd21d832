"""Identifying values are sealed at rest: the database holds no plaintext, a value opens
only with its key and in its own field, and a person is found again by exact name."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from peacebuild.accounts.permissions import SYSTEM
from peacebuild.casework import crypto, services
from peacebuild.casework.fields import blind_index_of
from peacebuild.casework.models import KeyCheck, TrailEntry
from peacebuild.casework.queries import key_problems, verify_trail

from .conftest import INDEX, KEY_A, KEY_B

NAME = "Rustam Nazarov"


def raw(model, pk, column):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {model._meta.db_table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_a_sealed_value_opens_only_in_its_own_field_and_unaltered(keys):
    ring = keys(f"a:{KEY_A}")
    sealed = ring.seal(NAME, "casework.Person.name")
    assert NAME not in sealed and sealed.startswith("pbc1.a.")
    assert ring.seal(NAME, "casework.Person.name") != sealed  # a fresh nonce every time
    assert ring.open(sealed, "casework.Person.name") == NAME
    with pytest.raises(crypto.CaseKeyError, match="wrong or the stored value was altered"):
        ring.open(sealed, "casework.Person.contact")
    flipped = sealed[:-2] + ("A" if sealed[-2] != "A" else "B") + sealed[-1]
    with pytest.raises(crypto.CaseKeyError, match="altered"):
        ring.open(flipped, "casework.Person.name")
    with pytest.raises(crypto.CaseKeyError, match="not sealed"):
        ring.open(NAME, "casework.Person.name")


def test_a_value_sealed_under_a_key_no_longer_configured_names_the_key(keys):
    sealed = keys(f"a:{KEY_A}").seal(NAME, "x")
    ring = keys(f"b:{KEY_B}")
    with pytest.raises(crypto.CaseKeyError, match="'a', which is not configured"):
        ring.open(sealed, "x")


def test_a_wrong_key_under_the_same_id_does_not_open(keys):
    sealed = keys(f"a:{KEY_A}").seal(NAME, "x")
    with pytest.raises(crypto.CaseKeyError, match="wrong"):
        keys(f"a:{KEY_B}").open(sealed, "x")


@pytest.mark.parametrize("setting, message", [
    ("a:bm90IGEga2V5", "is 9 bytes"),
    ("a:???", "not base64"),
    (f"a:{KEY_A},a:{KEY_B}", "appears twice"),
    (f"{KEY_A}", "'id:base64key'"),
    ("", "not set"),
])
def test_malformed_keys_are_refused_with_a_clear_message(keys, monkeypatch, setting, message):
    with pytest.raises(crypto.CaseKeyError, match=message):
        if setting:
            keys(setting)
        else:
            monkeypatch.delenv("PEACEBUILD_CASE_KEYS", raising=False)
            monkeypatch.setenv("PEACEBUILD_CASE_INDEX_KEY", INDEX)
            crypto.reset()
            crypto.keyring()


def test_keys_come_from_a_key_file(tmp_path, monkeypatch):
    path = tmp_path / "keys"
    path.write_text(f"# rotated 2026-12-01\nb:{KEY_B}\na:{KEY_A}\n")
    monkeypatch.delenv("PEACEBUILD_CASE_KEYS", raising=False)
    monkeypatch.setenv("PEACEBUILD_CASE_KEYS_FILE", str(path))
    monkeypatch.setenv("PEACEBUILD_CASE_INDEX_KEY", INDEX)
    crypto.reset()
    try:
        ring = crypto.keyring()
        assert ring.current == "b" and set(ring.keys) == {"a", "b"}
    finally:
        crypto.reset()


def test_development_keys_are_made_once_readable_by_their_owner_only(tmp_path, settings,
                                                                     monkeypatch):
    for name in ("PEACEBUILD_CASE_KEYS", "PEACEBUILD_CASE_INDEX_KEY"):
        monkeypatch.delenv(name, raising=False)
    settings.DATA_DIR = tmp_path
    crypto.reset()
    try:
        first = crypto.keyring()
        crypto.reset()
        assert crypto.keyring() == first
        assert (tmp_path / "case_keys").stat().st_mode & 0o777 == 0o600
    finally:
        crypto.reset()


def test_the_blind_index_finds_the_same_name_however_typed_and_nothing_else(keys):
    ring = keys(f"a:{KEY_A}")
    index = ring.blind_index(NAME, "casework.Person.name")
    assert ring.blind_index("  rustam   NAZAROV ", "casework.Person.name") == index
    assert ring.blind_index("Rustam Nazarova", "casework.Person.name") != index
    assert ring.blind_index(NAME, "casework.Person.alias") != index
    assert NAME.lower() not in index
    other = keys(f"a:{KEY_A}", index=KEY_B)
    assert other.blind_index(NAME, "casework.Person.name") != index


def test_the_database_row_holds_no_plaintext_and_the_record_reads_back(witnesses):
    w = witnesses.objects.create(name=NAME, note="Detained at the Khujand checkpoint")
    assert NAME not in raw(witnesses, w.pk, "name")
    assert "Khujand" not in raw(witnesses, w.pk, "note")
    again = witnesses.objects.get(pk=w.pk)
    assert (again.name, again.note) == (NAME, "Detained at the Khujand checkpoint")
    found = witnesses.objects.filter(
        name_index=blind_index_of(witnesses, "name", "rustam nazarov"))
    assert list(found) == [w]


def test_a_sealed_field_refuses_lookups_that_could_never_match(witnesses):
    from django.core.exceptions import FieldError

    with pytest.raises(FieldError):
        list(witnesses.objects.filter(name=NAME))
    assert witnesses.objects.filter(note__isnull=True).count() == 0


def test_rotation_reseals_every_value_under_the_new_key_and_keeps_them_readable(witnesses,
                                                                              keys):
    made = [witnesses.objects.create(name=f"{NAME} {i}", note=f"note {i}") for i in range(7)]
    keys(f"b:{KEY_B}", f"a:{KEY_A}")  # the new key first; the old one still opens
    seen = []
    counts = services.rotate_keys(actor=SYSTEM, batch=3,
                                  progress=lambda done, total, what: seen.append(done))
    assert counts["resealed"] == 14 and counts["values"] == 14
    assert seen[-1] == 7
    assert all(raw(witnesses, w.pk, "name").startswith("pbc1.b.") for w in made)
    keys(f"b:{KEY_B}")  # the old key removed: everything still opens
    assert [w.name for w in witnesses.objects.order_by("id")] == [w.name for w in made]
    assert services.rotate_keys(actor=SYSTEM)["resealed"] == 0  # resumable: nothing left
    assert TrailEntry.objects.filter(action=TrailEntry.Action.KEYS).count() == 2
    assert verify_trail().whole


def test_rotation_of_the_index_key_reindexes(witnesses, keys):
    w = witnesses.objects.create(name=NAME)
    keys(f"a:{KEY_A}", index=KEY_B)
    assert services.rotate_keys(actor=SYSTEM, reindex=True)["reindexed"] == 1
    assert witnesses.objects.get(name_index=blind_index_of(witnesses, "name", NAME)) == w


def test_only_the_command_line_rotates_keys(db, users, keys):
    keys(f"a:{KEY_A}")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.rotate_keys(actor=users["head"])


def test_a_wrong_or_missing_key_stops_the_server(db, keys):
    keys(f"a:{KEY_A}")
    services.ensure_key_check()
    assert key_problems() == []
    keys(f"a:{KEY_B}")
    assert key_problems() == ["The configured case key 'a' is not the key the database's "
                              "data was sealed with."]
    from django.core.exceptions import ImproperlyConfigured

    from peacebuild.casework.checks import stop_unless_case_keys_right

    keys(f"b:{KEY_B}")
    assert "'a', which is not configured" in key_problems()[0]
    with pytest.raises(CommandError, match="not configured"):
        call_command("case_keys")
    with pytest.raises(ImproperlyConfigured, match="will not start"):
        stop_unless_case_keys_right()
    keys(f"b:{KEY_B}", f"a:{KEY_A}")
    stop_unless_case_keys_right()
    assert set(KeyCheck.objects.values_list("key_id", flat=True)) == {"a", "b"}


def test_case_keys_prints_a_new_key(capsys):
    call_command("case_keys", "--new", "k2")
    line = capsys.readouterr().out.strip()
    assert line.startswith("k2:") and len(crypto._decode("k2", line[3:], "test")) == 32
