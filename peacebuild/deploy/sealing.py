"""The encrypted backup file: AES-256-GCM over 1 MiB chunks with authenticated framing.

    file   = MAGIC ‖ u32 header length ‖ header (JSON) ‖ frame*
    frame  = u32 ciphertext length ‖ ciphertext (chunk + 16-byte tag)

Chunk `i` is sealed with the nonce `prefix (7 random bytes) ‖ i (u32) ‖ last (1 byte)` and
the header as associated data (the STREAM construction): a frame moved, dropped, repeated
or altered, a changed header, a file cut short or with bytes after its last frame, all fail
to open with `BackupError`, never yield part of a database. The key (32 bytes, base64 in
`PEACEBUILD_BACKUP_KEY` or the file named by `PEACEBUILD_BACKUP_KEY_FILE`) never enters
the database or the backup; the header holds its fingerprint so a wrong key is named.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import secrets
import struct
from collections.abc import Iterator
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from peacebuild.settings import env

MAGIC = b"PEACEBUILD-BACKUP-1\n"
CHUNK = 1 << 20
TAG = 16
PREFIX = 7


class BackupError(Exception):
    """A backup cannot be made or opened; the message says why, in words an operator can
    act on."""


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(32)).decode()


def backup_key() -> bytes:
    try:
        text = env("PEACEBUILD_BACKUP_KEY")
    except OSError as error:
        raise BackupError(f"PEACEBUILD_BACKUP_KEY_FILE cannot be read ({error.strerror}: "
                          f"{error.filename}).") from error
    if not text:
        raise BackupError("No backup key: set PEACEBUILD_BACKUP_KEY (or "
                          "PEACEBUILD_BACKUP_KEY_FILE) to 32 random bytes in base64 "
                          "(`peacebuild backup --new-key` prints one; keep a copy apart "
                          "from the backups).")
    try:
        key = base64.b64decode(text, validate=True)
    except (binascii.Error, ValueError) as error:
        raise BackupError("PEACEBUILD_BACKUP_KEY is not base64.") from error
    if len(key) != 32:
        raise BackupError("PEACEBUILD_BACKUP_KEY must be 32 bytes (44 characters of base64).")
    return key


def fingerprint(key: bytes) -> str:
    return hashlib.sha256(b"peacebuild backup key\0" + key).hexdigest()[:16]


def _nonce(prefix: bytes, index: int, last: bool) -> bytes:
    return prefix + struct.pack(">I?", index, last)


class SealedWriter:
    """A file-like sink: what is written is sealed chunk by chunk; `close()` seals the last
    chunk (possibly empty), without which the file does not open."""

    def __init__(self, out: BinaryIO, key: bytes, header: dict[str, Any]) -> None:
        self.out, self.aead = out, AESGCM(key)
        self.prefix = secrets.token_bytes(PREFIX)
        self.header = json.dumps(header | {"key": fingerprint(key),
                                           "prefix": self.prefix.hex()},
                                 sort_keys=True).encode()
        out.write(MAGIC + struct.pack(">I", len(self.header)) + self.header)
        self.buffer, self.index, self.closed = bytearray(), 0, False

    def write(self, data: bytes) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # keep one chunk back: it may be the last
            self._frame(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _frame(self, chunk: bytes, *, last: bool) -> None:
        sealed = self.aead.encrypt(_nonce(self.prefix, self.index, last), chunk, self.header)
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.index += 1

    def close(self) -> None:
        if not self.closed:
            self._frame(bytes(self.buffer), last=True)
            self.buffer.clear()
            self.closed = True


def read_header(source: BinaryIO) -> tuple[dict[str, Any], bytes]:
    if source.read(len(MAGIC)) != MAGIC:
        raise BackupError("This file is not a Peacebuild backup.")
    (size,) = struct.unpack(">I", _exactly(source, 4))
    raw = _exactly(source, size)
    try:
        header = json.loads(raw)
    except ValueError as error:
        raise BackupError("The backup is damaged (its header does not read).") from error
    if not isinstance(header, dict) or "prefix" not in header:
        raise BackupError("The backup is damaged (its header is incomplete).")
    return header, raw


def open_sealed(source: BinaryIO, key: bytes) -> tuple[dict[str, Any], Iterator[bytes]]:
    """The header and the plaintext chunks, each checked before it is given out."""
    header, raw = read_header(source)
    if header.get("key") != fingerprint(key):
        raise BackupError(f"This backup was sealed with another backup key (fingerprint "
                          f"{header.get('key')}; the key configured has {fingerprint(key)}).")
    prefix, aead = bytes.fromhex(header["prefix"]), AESGCM(key)

    def chunks() -> Iterator[bytes]:
        index = 0
        while True:
            size_bytes = source.read(4)
            if len(size_bytes) < 4:
                raise BackupError("The backup is cut short (its last part is missing).")
            (size,) = struct.unpack(">I", size_bytes)
            if size < TAG or size > CHUNK + TAG:
                raise BackupError("The backup is damaged (a part has an impossible size).")
            sealed = _exactly(source, size)
            for last in (False, True):
                try:
                    plain = aead.decrypt(_nonce(prefix, index, last), sealed, raw)
                except InvalidTag:
                    continue
                break
            else:
                raise BackupError(f"The backup is damaged or altered (part {index + 1} "
                                  "does not open).")
            yield plain
            index += 1
            if last:
                if source.read(1):
                    raise BackupError("The backup is damaged (bytes after its end).")
                return

    return header, chunks()


def _exactly(source: BinaryIO, size: int) -> bytes:
    data = source.read(size)
    if len(data) != size:
        raise BackupError("The backup is cut short.")
    return data


class ChunkReader:
    """File-like reading over plaintext chunks (for a length-prefixed manifest, then the
    dump streamed to pg_restore or a file)."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks, self.buffer = chunks, bytearray()

    def read(self, size: int) -> bytes:
        while len(self.buffer) < size:
            chunk = next(self.chunks, None)
            if chunk is None:
                break
            self.buffer += chunk
        data = bytes(self.buffer[:size])
        del self.buffer[:size]
        return data

    def rest(self) -> Iterator[bytes]:
        if self.buffer:
            yield bytes(self.buffer)
            self.buffer.clear()
        yield from self.chunks
