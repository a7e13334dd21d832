"""Sealing identifying fields at rest: AES-256-GCM under keys from the environment or a key
file, never the database, and a keyed blind index for exact look-up.

Keys
    `PEACEBUILD_CASE_KEYS` — one or more `id:base64key` separated by commas, or
    `PEACEBUILD_CASE_KEYS_FILE` — a file with one `id:base64key` per line ('#' comments).
    The first key seals; the others only open what they sealed (rotation: put the new key
    first, run `manage.py rotate_case_keys`, then drop the old one). Keys are 32 random
    bytes (`manage.py case_keys --new ID` prints one).
    `PEACEBUILD_CASE_INDEX_KEY` / `PEACEBUILD_CASE_INDEX_KEY_FILE` — the blind index key
    (base64, 32 bytes), kept apart from the sealing keys.
    With none of these set (a development machine, the demo), keys are generated once into
    `case_keys` in the data directory, readable by its owner only; production sets them.

Sealed values
    `pbc1.<key id>.<base64url(nonce ‖ ciphertext ‖ tag)>`, authenticated with the field's
    label (`app.Model.field`) as associated data, so a value copied into another field or
    altered in the database does not open: it raises `CaseKeyError`, never returns garbage.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import threading
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

PREFIX = "pbc1"
NONCE = 12
KEY_BYTES = 32


class CaseKeyError(ImproperlyConfigured):
    """A key is missing, malformed or wrong, or a sealed value was altered."""


@dataclass(frozen=True)
class KeyRing:
    keys: dict[str, bytes]  # id → key, in the order given
    current: str
    index_key: bytes

    def seal(self, plaintext: str, label: str) -> str:
        nonce = secrets.token_bytes(NONCE)
        sealed = AESGCM(self.keys[self.current]).encrypt(
            nonce, plaintext.encode("utf-8"), label.encode())
        token = base64.urlsafe_b64encode(nonce + sealed).decode().rstrip("=")
        return f"{PREFIX}.{self.current}.{token}"

    def open(self, value: str, label: str) -> str:
        key_id = key_id_of(value)
        if key_id not in self.keys:
            raise CaseKeyError(
                f"A sealed {label} was sealed with the case key {key_id!r}, which is not "
                "configured: add it to PEACEBUILD_CASE_KEYS (see docs/security.md).")
        token = value.split(".", 2)[2]
        try:
            raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
            plain = AESGCM(self.keys[key_id]).decrypt(raw[:NONCE], raw[NONCE:], label.encode())
        except (InvalidTag, ValueError, binascii.Error) as error:
            raise CaseKeyError(
                f"A sealed {label} does not open with the case key {key_id!r}: the key is "
                "wrong or the stored value was altered.") from error
        return plain.decode("utf-8")

    def blind_index(self, value: str, label: str) -> str:
        """The same text (ignoring case, width and spacing) gives the same index; nothing
        of the text can be recovered from it without the index key."""
        message = f"{label}\0{normalise(value)}".encode()
        return hmac.new(self.index_key, message, hashlib.sha256).hexdigest()


def normalise(value: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def key_id_of(value: str) -> str:
    parts = value.split(".", 2)
    if len(parts) != 3 or parts[0] != PREFIX or not parts[1]:
        raise CaseKeyError("A value in a sealed field is not sealed: the database holds "
                           "plaintext or garbage where a sealed value belongs.")
    return parts[1]


def new_key() -> str:
    return base64.b64encode(secrets.token_bytes(KEY_BYTES)).decode()


def _decode(key_id: str, text: str, source: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except (binascii.Error, ValueError) as error:
        raise CaseKeyError(f"The case key {key_id!r} in {source} is not base64.") from error
    if len(key) != KEY_BYTES:
        raise CaseKeyError(f"The case key {key_id!r} in {source} is {len(key)} bytes; "
                           f"a key is {KEY_BYTES} random bytes.")
    return key


def _parse_keys(text: str, source: str) -> dict[str, bytes]:
    keys: dict[str, bytes] = {}
    for item in text.replace(",", "\n").splitlines():
        item = item.strip()
        if not item or item.startswith("#"):
            continue
        key_id, sep, encoded = item.partition(":")
        key_id = key_id.strip()
        if not sep or not key_id.isidentifier() or "." in key_id:
            raise CaseKeyError(f"{source}: each key is written 'id:base64key' (id in letters, "
                               "digits and underscores).")
        if key_id in keys:
            raise CaseKeyError(f"{source}: the key id {key_id!r} appears twice.")
        keys[key_id] = _decode(key_id, encoded, source)
    if not keys:
        raise CaseKeyError(f"{source} holds no case key.")
    return keys


def _read(name: str) -> tuple[str, str] | None:
    """The value of `name` or of the file named by `name_FILE`, with where it came from."""
    if os.environ.get(name):
        return os.environ[name], name
    file_name = os.environ.get(f"{name}_FILE")
    if file_name:
        path = Path(file_name)
        if not path.is_file():
            raise CaseKeyError(f"{name}_FILE names {path}, which does not exist.")
        return path.read_text(encoding="utf-8"), str(path)
    return None


def _development_keys() -> tuple[str, str]:
    path = Path(settings.DATA_DIR) / "case_keys"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write("# Peacebuild case keys for this machine (development and demo only).\n"
                     f"index:{new_key()}\nk1:{new_key()}\n")
    return path.read_text(encoding="utf-8"), str(path)


_lock = threading.Lock()
_ring: KeyRing | None = None


def keyring() -> KeyRing:
    """The configured keys, read once per process."""
    global _ring
    with _lock:
        if _ring is None:
            _ring = load()
        return _ring


def reset() -> None:
    """Forget the keys read (tests, and a rotation that changed the environment)."""
    global _ring
    with _lock:
        _ring = None


def load() -> KeyRing:
    sealing, index = _read("PEACEBUILD_CASE_KEYS"), _read("PEACEBUILD_CASE_INDEX_KEY")
    if sealing is None and index is None:
        text, source = _development_keys()
        keys = _parse_keys(text, source)
        if "index" not in keys:
            raise CaseKeyError(f"{source} has no 'index:' line (the blind index key).")
        index_key = keys.pop("index")
        if not keys:
            raise CaseKeyError(f"{source} holds no sealing key.")
        return KeyRing(keys=keys, current=next(iter(keys)), index_key=index_key)
    if sealing is None or index is None:
        missing = "PEACEBUILD_CASE_KEYS" if sealing is None else "PEACEBUILD_CASE_INDEX_KEY"
        raise CaseKeyError(f"{missing} (or {missing}_FILE) is not set; the case keys and the "
                           "index key are configured together.")
    keys = _parse_keys(*sealing)
    return KeyRing(keys=keys, current=next(iter(keys)),
                   index_key=_decode("index", index[0], index[1]))
