"""Backup → restore gives the same records, table by table; the file is sealed, tamper-
evident, holds no case identity in plaintext, and a full disk leaves the previous one."""

import base64
import datetime as dt
import hashlib
import resource
import signal
import subprocess
import uuid

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from peacebuild.casework import crypto
from peacebuild.casework.tests.conftest import KEY_A, _witness_model
from peacebuild.deploy import backups
from peacebuild.deploy.sealing import BackupError, ChunkReader, SealedWriter, open_sealed
from peacebuild.mandates.models import Office

KEY = base64.b64encode(b"b" * 32).decode()
WITNESS = "Zarina Karimova of Vahdat"


@pytest.fixture
def backup_key(monkeypatch):
    monkeypatch.setenv("PEACEBUILD_BACKUP_KEY", KEY)
    return KEY


@pytest.fixture
def scratch_url(transactional_db, tmp_path):
    """A second, empty database of the same engine to restore into (a restore drill)."""
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    db = connection.settings_dict
    name = f"{db['NAME']}_drill_{uuid.uuid4().hex[:6]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    yield f"postgres://{db['USER']}{password}@{host}/{name}"
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def records(transactional_db, office, users):
    Office.objects.create(name="Office with a ' quote and ünïcode", code="QX",
                          established_on=dt.date(2002, 2, 2))
    return office


def test_restore_drill_same_records_in_every_table(records, backup_key, scratch_url,
                                                   tmp_path, capsys):
    path = tmp_path / "one.pbbackup"
    manifest = backups.backup(path)
    assert manifest["tables"]["mandates_office"][0] == Office.objects.count()
    assert manifest["tables"]["accounts_user"][0] == 7 - 1  # every role but anonymous
    call_command("restore", str(path), "--database-url", scratch_url, "--verify",
                 "--noinput")
    out = capsys.readouterr().out
    assert f"all {len(manifest['tables'])} tables hold the same records" in out
    assert "mandates_office" in out and "DIFFERENT" not in out


def test_a_different_table_is_named():
    expected = {"a": [2, "10"], "b": [1, "5"], "c": [0, "0"]}
    checks = backups.compare(expected, {"a": [2, "10"], "b": [1, "6"]})
    assert [(c.table, c.same, c.rows_found) for c in checks] == [
        ("a", True, 2), ("b", False, 1), ("c", False, None)]


def test_the_backup_holds_no_case_identity_in_plaintext(transactional_db, monkeypatch,
                                                        backup_key, tmp_path):
    monkeypatch.setenv("PEACEBUILD_CASE_KEYS", f"a:{KEY_A}")
    monkeypatch.setenv("PEACEBUILD_CASE_INDEX_KEY", base64.b64encode(b"i" * 32).decode())
    crypto.reset()
    witness = _witness_model()
    with connection.schema_editor() as editor:
        editor.create_model(witness)
    try:
        witness.objects.create(name=WITNESS, note=f"{WITNESS} saw it", place="Vahdat-open")
        path = tmp_path / "cases.pbbackup"
        backups.backup(path)
        raw = path.read_bytes()
        plain = _dump_as_text(path)
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(witness)
        del apps.all_models["casework"]["witness"]
        apps.clear_cache()
        crypto.reset()
    assert b"Vahdat-open" in plain, "the dump was read (an unsealed field is there)"
    assert b"pbc1.a." in plain, "the sealed values are there, sealed"
    for text in (WITNESS, "Zarina", "Karimova"):
        assert text.encode() not in plain
        assert text.encode("utf-16-le") not in plain
    assert b"Vahdat-open" not in raw, "the file itself is encrypted"


def _dump_as_text(path) -> bytes:
    """The decrypted dump, readable: an SQLite file as it is, a PostgreSQL custom-format
    dump (compressed) turned back into SQL by pg_restore."""
    with open(path, "rb") as source:
        manifest, reader = backups._open(source)
        backups.read_files(reader, manifest)
        dump = b"".join(reader.rest())
    if manifest["engine"] == "sqlite":
        return dump
    return subprocess.run(["pg_restore", "--file=-"], input=dump, capture_output=True,
                          check=True).stdout


def _sealed(payload: bytes, key: bytes) -> bytes:
    import io

    out = io.BytesIO()
    writer = SealedWriter(out, key, {"engine": "test"})
    writer.write(payload)
    writer.close()
    return out.getvalue()


def test_sealed_stream_round_trips_across_chunks_and_refuses_tampering():
    import io

    key = b"k" * 32
    payload = bytes(range(256)) * 9000  # a little over two chunks
    file = _sealed(payload, key)
    _, chunks = open_sealed(io.BytesIO(file), key)
    assert b"".join(chunks) == payload

    def opened(data: bytes, with_key: bytes = key) -> bytes:
        _, parts = open_sealed(io.BytesIO(data), with_key)
        return b"".join(ChunkReader(parts).rest())

    with pytest.raises(BackupError, match="damaged or altered"):
        opened(file[:-100] + bytes([file[-100] ^ 1]) + file[-99:])
    with pytest.raises(BackupError, match="cut short"):
        opened(file[: len(file) // 2])
    with pytest.raises(BackupError, match="another backup key"):
        opened(file, b"x" * 32)
    with pytest.raises(BackupError, match="bytes after its end"):
        opened(file + b"\0")
    with pytest.raises(BackupError, match="damaged or altered"):  # the header is bound
        opened(file.replace(b'"engine": "test"', b'"engine": "tesu"', 1))
    with pytest.raises(BackupError, match="header does not read"):
        opened(file.replace(b'"engine": "test"', b'"engine": "tes"}', 1))


def test_backup_without_a_key_is_refused_with_the_way_out(db, monkeypatch, tmp_path):
    monkeypatch.delenv("PEACEBUILD_BACKUP_KEY", raising=False)
    monkeypatch.delenv("PEACEBUILD_BACKUP_KEY_FILE", raising=False)
    with pytest.raises(CommandError, match="peacebuild backup --new-key"):
        call_command("backup", str(tmp_path / "x.pbbackup"))
    assert not list(tmp_path.iterdir())


def test_a_full_disk_fails_loudly_and_keeps_the_previous_backup(records, backup_key,
                                                                  tmp_path):
    path = tmp_path / "nightly.pbbackup"
    backups.backup(path)
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (16 * 1024, hard))  # room for 16 KB only
    try:
        with pytest.raises(CommandError, match="could not be written.*previous backup"):
            call_command("backup", str(path))
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    assert [p.name for p in tmp_path.iterdir()] == ["nightly.pbbackup"], "no partial file"
    with open(path, "rb") as source:  # and it still opens
        _, chunks = open_sealed(source, base64.b64decode(KEY))
        assert sum(len(c) for c in chunks) > 16 * 1024


def test_keep_prunes_the_oldest(records, backup_key, tmp_path):
    for stamp in ("20260101-000000", "20260102-000000", "20260103-000000"):
        (tmp_path / f"peacebuild-{stamp}.pbbackup").write_bytes(b"old")
    call_command("backup", str(tmp_path / "peacebuild-20260104-000000.pbbackup"),
                 "--keep", "2")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "peacebuild-20260103-000000.pbbackup", "peacebuild-20260104-000000.pbbackup"]


PAPER = b"%PDF-1.4\n% Statement of the witness (invented) " + b"x" * 5000 + b"\n%%EOF\n"
SCRIPT = """
import django; django.setup()
from peacebuild.accounts.models import User
from peacebuild.casework import services
from peacebuild.casework.models import Attachment
attachment = Attachment.objects.get()
content = services.attachment_read(actor=User.objects.get(username="human_rights"),
                                   attachment=attachment)
print(attachment.name, len(content), content == open(__import__("sys").argv[1], "rb").read())
"""


def test_the_files_come_back_with_the_records_and_the_case_file_still_opens(
        records, users, backup_key, scratch_url, tmp_path, settings, monkeypatch, capsys):
    """Backup, then restore into an empty database and an empty data folder: the same
    records, the same files; the attachment, ciphertext all the way, opens there with
    the case keys."""
    import datetime as dt
    import os
    import sys

    from peacebuild.accounts.permissions import SYSTEM
    from peacebuild.casework import services
    from peacebuild.casework.models import CaseTeam, CaseTeamMember, Event

    live = tmp_path / "live"
    settings.CASE_FILES_DIR, settings.MEDIA_ROOT = live / "case-files", live / "media"
    monkeypatch.setenv("PEACEBUILD_CASE_KEYS", f"a:{KEY_A}")
    monkeypatch.setenv("PEACEBUILD_CASE_INDEX_KEY", base64.b64encode(b"i" * 32).decode())
    crypto.reset()
    try:
        team = CaseTeam.objects.create(office=records, name="Sughd")
        CaseTeamMember.objects.create(team=team, user=users["human_rights"], can_write=True)
        event = services.event_save(actor=SYSTEM, event=Event(
            office=records, team=team, title="Detention of a journalist (invented)",
            started_on=dt.date(2004, 3, 12)))
        attachment = services.attachment_add(actor=users["human_rights"], event=event,
                                             name="statement.pdf", content=PAPER)
    finally:
        crypto.reset()
    document = settings.MEDIA_ROOT / "documents" / "2004" / "letter.txt"
    document.parent.mkdir(parents=True)
    document.write_bytes("Letter of 23 April 2004 — ünïcode\n".encode())
    sealed = (settings.CASE_FILES_DIR / "attachments" / attachment.stored_as[:2]
              / attachment.stored_as)
    (settings.CASE_FILES_DIR / "exports").mkdir()
    (settings.CASE_FILES_DIR / "exports" / "old-archive").write_bytes(b"made again on request")

    path = tmp_path / "with-files.pbbackup"
    call_command("backup", str(path))
    assert "and 2 files to" in capsys.readouterr().out
    with open(path, "rb") as source:  # inside the decrypted stream: the sealed bytes only
        manifest, reader = backups._open(source)
        plain = b"".join(reader.rest())
    assert sealed.read_bytes() in plain and b"Statement of the witness" not in plain
    assert [name for name, _size, _sha in manifest["files"]] == [
        f"case-files/attachments/{attachment.stored_as[:2]}/{attachment.stored_as}",
        "media/documents/2004/letter.txt"]

    empty = tmp_path / "restored"
    call_command("restore", str(path), "--database-url", scratch_url, "--files-to",
                 str(empty), "--verify", "--noinput")
    out = capsys.readouterr().out
    assert "all 2 files are the same" in out and "DIFFERENT" not in out
    restored = empty / "case-files" / "attachments" / attachment.stored_as[:2] / \
        attachment.stored_as
    assert restored.read_bytes() == sealed.read_bytes(), "still ciphertext, byte for byte"
    assert (empty / "media" / "documents" / "2004" / "letter.txt").read_bytes() == \
        document.read_bytes()
    assert not (empty / "case-files" / "exports").exists(), "exports are not records"

    # The restored installation, on its own: its database, its data folder, the keys.
    original = tmp_path / "statement.pdf"
    original.write_bytes(PAPER)
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_REPLICA_URL"} | {
        "DATABASE_URL": scratch_url, "PEACEBUILD_DATA_DIR": str(empty),
        "DJANGO_SETTINGS_MODULE": "peacebuild.settings"}
    opened = subprocess.run([sys.executable, "-c", SCRIPT, str(original)], env=environment,
                            capture_output=True, text=True, timeout=60)
    assert opened.returncode == 0, opened.stderr[-2000:]
    assert opened.stdout.split() == ["statement.pdf", str(len(PAPER)), "True"]


def test_a_file_altered_in_the_backup_is_named(records, backup_key, tmp_path, settings):
    settings.CASE_FILES_DIR, settings.MEDIA_ROOT = tmp_path / "cf", tmp_path / "media"
    (settings.MEDIA_ROOT / "documents").mkdir(parents=True)
    (settings.MEDIA_ROOT / "documents" / "a.txt").write_bytes(b"first")
    path = tmp_path / "b.pbbackup"
    manifest = backups.backup(path)
    manifest["files"][0][2] = hashlib.sha256(b"other").hexdigest()
    with open(path, "rb") as source:
        _manifest, reader = backups._open(source)
        checks = backups.read_files(reader, manifest, {"media": tmp_path / "out",
                                                       "case-files/attachments": tmp_path})
    assert [(c.table, c.same) for c in checks] == [("file media/documents/a.txt", False)]
    assert not (tmp_path / "out" / "documents" / "a.txt").exists(), "not written"
