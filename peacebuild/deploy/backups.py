"""`peacebuild backup` and `peacebuild restore`: the database, sealed, restored exactly.

PostgreSQL: `pg_dump --format=custom` under an exported snapshot, in which the tables'
checksums are computed too, so both describe the same instant while the server runs;
restored by `pg_restore --single-transaction` (all or nothing). SQLite: the online backup
API (`sqlite3.Connection.backup`), checksums of the copy. The dump is sealed as it is
streamed (deploy/sealing.py) into a temporary file beside the target, synced, then renamed
over it: a full disk or a crash leaves the previous backup as it was.

The files that are records go into the same backup (`FILE_ROOTS`): the case attachments
(sealed with the case keys on disk, and copied as they are, so they stay ciphertext in the
backup too) and the uploaded documents under MEDIA_ROOT. Not in it: case export archives
(made again on request, deleted after CASE_EXPORT_HOURS), uploads waiting in the exchange
inbox for their job (a restored dry run's commit asks for the file again), static files
(collectstatic makes them), the secret key and the keys.

The plaintext stream: u32 length ‖ manifest (JSON: engine, time, per-table row count and
checksum, per-file name, size and SHA-256) ‖ each file's bytes in the manifest's order ‖
the dump. A restore recomputes every table's checksum in the restored database, and every
file's SHA-256 as it is written back, and compares (`restore --verify`). Case identities
are sealed in the database already (casework/crypto.py), under keys that are not in the
backup.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import dj_database_url
from django.conf import settings
from django.db import connections

from .sealing import BackupError, ChunkReader, SealedWriter, backup_key, open_sealed

SUFFIX = ".pbbackup"
CHUNK_READ = 1 << 16


@dataclass(frozen=True)
class TableCheck:
    table: str
    rows_expected: int
    rows_found: int | None  # None: the table is missing from the restored database
    same: bool


# Checksums ---------------------------------------------------------------------------

def _pg_checksums(cursor: Any) -> dict[str, list[Any]]:
    """Per table of the public schema: row count and the sum of each row's hash (order
    does not matter, every value does)."""
    cursor.execute("SET TIME ZONE 'UTC'")
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
                   "ORDER BY tablename")
    sums: dict[str, list[Any]] = {}
    for (table,) in cursor.fetchall():
        quoted = '"' + table.replace('"', '""') + '"'
        cursor.execute(
            f"SELECT count(*), coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)"
            f"::bigint), 0)::text FROM {quoted} AS t")
        count, total = cursor.fetchone()
        sums[table] = [count, total]
    return sums


def _sqlite_checksums(db: sqlite3.Connection) -> dict[str, list[Any]]:
    tables = [name for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name")]
    sums: dict[str, list[Any]] = {}
    for table in tables:
        quoted = '"' + table.replace('"', '""') + '"'
        count, total = 0, 0
        for row in db.execute(f"SELECT * FROM {quoted}"):
            count += 1
            digest = hashlib.sha256(repr(tuple(row)).encode()).digest()
            total = (total + int.from_bytes(digest[:8], "big")) % (1 << 64)
        sums[table] = [count, str(total)]
    return sums


def compare(expected: dict[str, list[Any]], found: dict[str, list[Any]]) -> list[TableCheck]:
    checks = []
    for table in sorted(expected):
        rows, _ = expected[table]
        got = found.get(table)
        checks.append(TableCheck(table, rows, None if got is None else got[0],
                                 got is not None and list(got) == list(expected[table])))
    return checks


# Files -----------------------------------------------------------------------------

def file_roots() -> dict[str, Path]:
    """Name in the backup -> folder on disk, of the files that are records."""
    return {"case-files/attachments": Path(settings.CASE_FILES_DIR) / "attachments",
            "media": Path(settings.MEDIA_ROOT)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(CHUNK_READ):
            digest.update(block)
    return digest.hexdigest()


def _list_files() -> list[list[Any]]:
    """[name, size, sha256] of every file under the roots, in a fixed order."""
    listed = []
    for root_name, root in sorted(file_roots().items()):
        if not root.is_dir():
            continue
        for path in sorted(p for p in root.rglob("*") if p.is_file() and not p.is_symlink()):
            name = f"{root_name}/{path.relative_to(root).as_posix()}"
            listed.append([name, path.stat().st_size, _sha256(path)])
    return listed


def _write_files(writer: SealedWriter, files: list[list[Any]]) -> None:
    roots = file_roots()
    for name, size, sha in files:
        root_name, rest = _split(name)
        digest, written = hashlib.sha256(), 0
        with open(roots[root_name] / rest, "rb") as fh:
            while written < size and (block := fh.read(min(CHUNK_READ, size - written))):
                digest.update(block)
                writer.write(block)
                written += len(block)
        if written != size or digest.hexdigest() != sha:
            raise BackupError(f"The file {name} changed while it was backed up; run the "
                              "backup again.")


def _split(name: str) -> tuple[str, str]:
    for root_name in file_roots():
        if name.startswith(root_name + "/"):
            rest = name[len(root_name) + 1:]
            if rest and ".." not in Path(rest).parts and not Path(rest).is_absolute():
                return root_name, rest
    raise BackupError(f"The backup names a file outside the data folders: {name!r}.")


def read_files(reader: ChunkReader, manifest: dict[str, Any],
               into: dict[str, Path] | None = None) -> list[TableCheck]:
    """Read the backup's files (which come before the dump), checking each one's SHA-256;
    with `into` (root name -> folder), write them there, each replaced whole. Returns a
    check per file (`table` is "file <name>")."""
    checks = []
    for name, size, sha in manifest.get("files", []):
        root_name, rest = _split(name)
        target = partial = None
        if into is not None:
            target = into[root_name] / rest
            target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
        digest, left = hashlib.sha256(), size
        out = open(partial, "xb") if partial is not None else None  # noqa: SIM115
        try:
            while left:
                block = reader.read(min(CHUNK_READ, left))
                if not block:
                    raise BackupError("The backup is cut short (in its files).")
                digest.update(block)
                left -= len(block)
                if out is not None:
                    out.write(block)
        except BaseException:
            if out is not None:
                out.close()
                partial.unlink(missing_ok=True)  # type: ignore[union-attr]
            raise
        same = digest.hexdigest() == sha
        if out is not None:
            out.close()
            os.chmod(partial, 0o600)  # type: ignore[arg-type]
            if same:
                os.replace(partial, target)  # type: ignore[arg-type]
            else:
                partial.unlink(missing_ok=True)  # type: ignore[union-attr]
        checks.append(TableCheck(f"file {name}", 1, 1 if same else None, same))
    return checks


# Writing ---------------------------------------------------------------------------

def default_dir() -> Path:
    return Path(os.environ.get("BACKUP_DIR") or Path(settings.DATA_DIR) / "backups")


def default_name(now: dt.datetime | None = None) -> str:
    now = now or dt.datetime.now(dt.UTC)
    return f"peacebuild-{now:%Y%m%d-%H%M%S}{SUFFIX}"


def backup(target: Path, *, using: str = "default") -> dict[str, Any]:
    """Write a sealed backup of the database to `target` (replaced only once the new one
    is complete and on disk); returns its manifest."""
    key = backup_key()
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.partial")
    vendor = connections[using].vendor
    try:
        with open(partial, "xb") as out:
            os.chmod(partial, 0o600)
            writer = SealedWriter(out, key, {"engine": vendor})
            if vendor == "postgresql":
                manifest = _pg_backup(writer, using)
            elif vendor == "sqlite":
                manifest = _sqlite_backup(writer, using)
            else:
                raise BackupError(f"Backups of a {vendor} database are not supported.")
            writer.close()
            out.flush()
            os.fsync(out.fileno())
        os.replace(partial, target)
        _sync_dir(target.parent)
    except (OSError, sqlite3.OperationalError) as error:  # a full disk, a lost volume
        partial.unlink(missing_ok=True)
        reason = getattr(error, "strerror", None) or str(error)
        raise BackupError(f"The backup could not be written to {target} ({reason}); nothing "
                          "was replaced: the previous backup there, if any, is as it "
                          "was.") from error
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return manifest


def _sync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _manifest(vendor: str, tables: dict[str, list[Any]]) -> dict[str, Any]:
    return {"engine": vendor, "made_at": dt.datetime.now(dt.UTC).isoformat(),
            "tables": tables}


def _write_manifest(writer: SealedWriter, manifest: dict[str, Any]) -> None:
    """The manifest, then the files it lists (taken now: the database's snapshot is
    already fixed, so a file of every row in it is on disk)."""
    manifest["files"] = _list_files()
    raw = json.dumps(manifest, sort_keys=True).encode()
    writer.write(struct.pack(">I", len(raw)) + raw)
    _write_files(writer, manifest["files"])


def _pg_env(db: dict[str, Any]) -> dict[str, str]:
    env = dict(os.environ)
    for var, key in (("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"),
                     ("PGPASSWORD", "PASSWORD"), ("PGDATABASE", "NAME")):
        if db.get(key):
            env[var] = str(db[key])
    return env


def _pg_backup(writer: SealedWriter, using: str) -> dict[str, Any]:
    import psycopg

    wrapper = connections[using]
    db = wrapper.settings_dict
    if db.get("NAME") is None:
        raise BackupError("DATABASE_URL names no database.")
    with psycopg.connect(**wrapper.get_connection_params()) as raw:
        raw.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        raw.read_only = True
        with raw.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            (snapshot,) = cursor.fetchone()  # type: ignore[misc]
            manifest = _manifest("postgresql", _pg_checksums(cursor))
        _write_manifest(writer, manifest)
        _pg_dump_into(writer, db, snapshot)
        raw.rollback()
    return manifest


def _pg_dump_into(writer: SealedWriter, db: dict[str, Any], snapshot: str) -> None:
    command = [_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
               f"--snapshot={snapshot}"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          env=_pg_env(db)) as dump:
        assert dump.stdout is not None
        try:
            while block := dump.stdout.read(CHUNK_READ):
                writer.write(block)
        except BaseException:
            dump.kill()
            raise
        errors = dump.stderr.read().decode(errors="replace") if dump.stderr else ""
    if dump.returncode != 0:
        raise BackupError(f"pg_dump failed: {errors.strip()[:500]}")


def _tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt install postgresql-client).")
    return found


def _sqlite_backup(writer: SealedWriter, using: str) -> dict[str, Any]:
    wrapper = connections[using]
    wrapper.ensure_connection()
    with tempfile.TemporaryDirectory(prefix="peacebuild-backup-") as folder:
        copy_path = Path(folder) / "copy.sqlite3"
        copy = sqlite3.connect(copy_path)
        try:
            wrapper.connection.backup(copy)  # online: the server may keep writing
            manifest = _manifest("sqlite", _sqlite_checksums(copy))
        finally:
            copy.close()
        _write_manifest(writer, manifest)
        with open(copy_path, "rb") as source:
            while block := source.read(CHUNK_READ):
                writer.write(block)
    return manifest


# Reading ---------------------------------------------------------------------------

def _open(source: BinaryIO) -> tuple[dict[str, Any], ChunkReader]:
    header, chunks = open_sealed(source, backup_key())
    reader = ChunkReader(chunks)
    size_bytes = reader.read(4)
    if len(size_bytes) < 4:
        raise BackupError("The backup is empty.")
    (size,) = struct.unpack(">I", size_bytes)
    manifest = json.loads(reader.read(size))
    if manifest.get("engine") != header.get("engine"):
        raise BackupError("The backup is damaged (its parts disagree).")
    return manifest, reader


def restore(path: Path, *, database_url: str | None = None, using: str = "default",
            files_into: dict[str, Path] | None = None
            ) -> tuple[dict[str, Any], list[TableCheck]]:
    """Restore the backup at `path` into the database (`using`, or the one `database_url`
    names) and check every table against the backup's checksums; its files go to
    `files_into` (root name -> folder; default: this installation's folders when the
    database is this installation's, only checked when it is another)."""
    if files_into is None and not database_url:
        files_into = file_roots()
    db = dict(dj_database_url.parse(database_url) if database_url
              else connections[using].settings_dict)
    engine = db["ENGINE"].rsplit(".", 1)[-1]
    engine = {"sqlite3": "sqlite", "postgis": "postgresql"}.get(engine, engine)
    with open(path, "rb") as source:
        manifest, reader = _open(source)
        if manifest["engine"] != engine:
            raise BackupError(f"This is a backup of a {manifest['engine']} database; the "
                              f"target is {engine}.")
        file_checks = read_files(reader, manifest, files_into)
        if manifest["engine"] == "postgresql":
            found = _pg_restore(reader.rest(), db)
        else:
            found = _sqlite_restore(reader.rest(), db, using if not database_url else None)
    return manifest, compare(manifest["tables"], found) + file_checks


def _pg_restore(chunks: Iterator[bytes], db: dict[str, Any]) -> dict[str, list[Any]]:
    import psycopg

    command = [_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
               "--no-privileges", "--single-transaction", "--exit-on-error",
               f"--dbname={db['NAME']}"]
    with tempfile.TemporaryFile() as errors:
        with subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL,
                              stderr=errors, env=_pg_env(db)) as job:
            assert job.stdin is not None
            try:
                for chunk in chunks:
                    job.stdin.write(chunk)
                job.stdin.close()
            except BrokenPipeError:
                pass
            except BaseException:
                job.kill()
                raise
        if job.returncode != 0:
            errors.seek(0)
            raise BackupError("pg_restore failed; the database is as it was: "
                              + errors.read().decode(errors="replace").strip()[:500])
    params = {"dbname": db["NAME"], "host": db.get("HOST") or None,
              "port": db.get("PORT") or None, "user": db.get("USER") or None,
              "password": db.get("PASSWORD") or None}
    with psycopg.connect(**{k: v for k, v in params.items() if v}) as raw:
        with raw.cursor() as cursor:
            return _pg_checksums(cursor)


def _sqlite_restore(chunks: Iterator[bytes], db: dict[str, Any],
                    using: str | None) -> dict[str, list[Any]]:
    target = Path(db["NAME"])
    with tempfile.TemporaryDirectory(prefix="peacebuild-restore-",
                                     dir=target.parent if target.parent.is_dir() else None
                                     ) as folder:
        copy_path = Path(folder) / "restored.sqlite3"
        with open(copy_path, "wb") as out:
            for chunk in chunks:
                out.write(chunk)
        copy = sqlite3.connect(copy_path)
        try:
            if using is not None:  # the configured database: through its own connection
                wrapper = connections[using]
                wrapper.ensure_connection()
                copy.backup(wrapper.connection)
            else:
                live = sqlite3.connect(target)
                try:
                    copy.backup(live)
                finally:
                    live.close()
        finally:
            copy.close()
    if using is not None:
        return _sqlite_checksums(connections[using].connection)
    live = sqlite3.connect(target)
    try:
        return _sqlite_checksums(live)
    finally:
        live.close()


def prune(folder: Path, keep: int) -> list[Path]:
    """Remove all but the newest `keep` backups in `folder`; returns those removed."""
    backups = sorted(folder.glob(f"peacebuild-*{SUFFIX}"))
    gone = backups[:-keep] if keep > 0 else []
    for path in gone:
        path.unlink()
    return gone
