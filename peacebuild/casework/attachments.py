"""Case files on disk: what an upload is (by its content, never its name), and its bytes
sealed with the case keys under CASE_FILES_DIR.

A sealed file is `PBF1 ‖ len(key id) ‖ key id ‖ nonce ‖ AES-256-GCM(content) ‖ tag`, with
the file's storage name as associated data: a file moved onto another record's name, or
altered, does not open. The key id in the header says which key opens it; the row's
`key_id` is only what key rotation searches for.

The directory is inside the data directory, apart from MEDIA_ROOT and STATIC_ROOT (a check
refuses a configuration that puts it under either): no web server serves it, only the
casework views after their access check.
"""

from __future__ import annotations

import io
import os
import secrets
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.utils.translation import gettext as _

from peacebuild.lib import photometa

from .crypto import CaseKeyError, KeyRing, keyring

MAGIC = b"PBF1"
NONCE = 12


@dataclass(frozen=True)
class Kind:
    code: str
    content_type: str
    extension: str
    label: str


KINDS = {k.code: k for k in [
    Kind("pdf", "application/pdf", "pdf", "PDF"),
    Kind("jpeg", "image/jpeg", "jpg", "JPEG"),
    Kind("png", "image/png", "png", "PNG"),
    Kind("docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
         "docx", "DOCX"),
    Kind("odt", "application/vnd.oasis.opendocument.text", "odt", "ODT"),
    Kind("text", "text/plain; charset=utf-8", "txt", "text"),
]}


class Refused(Exception):
    """The upload is not one of the accepted kinds (the message says what it is)."""


def detect(content: bytes) -> Kind:
    """The kind of the file, from its bytes; `Refused` with a message for anything else."""
    if not content:
        raise Refused(_("The file is empty."))
    if content.startswith(b"%PDF-"):
        return KINDS["pdf"]
    if content.startswith(b"\xff\xd8\xff"):
        return KINDS["jpeg"]
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return KINDS["png"]
    if content.startswith(b"PK\x03\x04"):
        return _office_document(content)
    if _is_text(content):
        return KINDS["text"]
    raise Refused(_("This file is %(what)s, not one of the accepted kinds (PDF, JPEG, PNG, "
                    "DOCX, ODT or plain text), whatever its name says. Nothing was saved.")
                  % {"what": _what(content)})


def _office_document(content: bytes) -> Kind:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.getinfo("mimetype").file_size < 100:
                if archive.read("mimetype").strip() == b"application/vnd.oasis.opendocument.text":
                    return KINDS["odt"]
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                if any(n.lower().endswith(".bin") and "vba" in n.lower() for n in names):
                    raise Refused(_("This document holds macros (a program that runs when it "
                                    "is opened). Save it without macros, as DOCX, and upload "
                                    "it again. Nothing was saved."))
                return KINDS["docx"]
    except (zipfile.BadZipFile, OSError, ValueError, KeyError) as error:
        raise Refused(_("This file looks like a damaged archive. Nothing was saved.")) from error
    raise Refused(_("This file is a ZIP archive, not a DOCX or ODT document, whatever its "
                    "name says. Nothing was saved."))


def _is_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(ord(c) < 32 and c not in "\t\n\r\f" for c in text)


def _what(content: bytes) -> str:
    """A short name of what the file is, for the refusal ("a Windows program")."""
    if content.startswith(b"MZ"):
        return _("a Windows program")
    if content.startswith(b"\x7fELF"):
        return _("a Linux program")
    try:
        import puremagic

        found = puremagic.from_string(content)
    except (puremagic.PureError, ValueError):
        return _("of a kind that could not be recognised")
    return _("a file of the kind %(kind)s") % {"kind": found.lstrip(".").upper() or "?"}


PHOTOS = {"jpeg", "png"}


def without_metadata(content: bytes, kind: Kind) -> tuple[bytes, bool]:
    """A photograph without its EXIF, XMP, IPTC and text chunks (its orientation applied
    first), and whether anything was removed; other kinds as they are. What is removed is
    neither returned nor logged."""
    if kind.code not in PHOTOS:
        return content, False
    try:
        stripped = photometa.strip(content)
    except photometa.NotAPicture as error:
        raise Refused(_("This picture is damaged: it does not open as a %(kind)s image. "
                        "Nothing was saved.") % {"kind": kind.label}) from error
    return stripped.content, stripped.removed


def read_limited(chunks: Iterable[bytes], limit: int) -> bytes:
    """The upload's bytes, refused as soon as they pass `limit` (the rest is not read)."""
    out = bytearray()
    for chunk in chunks:
        out += chunk
        if len(out) > limit:
            raise Refused(too_large(limit))
    return bytes(out)


def too_large(limit: int) -> str:
    return _("The file is larger than %(mb)s MB, the most an attachment may be. Nothing "
             "was saved.") % {"mb": limit // 1_000_000}


# Sealed files


def files_dir(*parts: str) -> Path:
    return Path(settings.CASE_FILES_DIR).joinpath(*parts)


def new_name() -> str:
    return secrets.token_hex(20)


def _aad(name: str) -> bytes:
    return f"casework.file:{name}".encode()


def seal(content: bytes, name: str, ring: KeyRing | None = None) -> bytes:
    ring = ring or keyring()
    key_id = ring.current.encode()
    nonce = secrets.token_bytes(NONCE)
    body = AESGCM(ring.keys[ring.current]).encrypt(nonce, content, _aad(name))
    return MAGIC + bytes([len(key_id)]) + key_id + nonce + body


def key_of(sealed: bytes) -> str:
    if not sealed.startswith(MAGIC) or len(sealed) < 5:
        raise CaseKeyError("A case file is not sealed: its first bytes are not Peacebuild's.")
    return sealed[5:5 + sealed[4]].decode("ascii", "replace")


def open_sealed(sealed: bytes, name: str, ring: KeyRing | None = None) -> bytes:
    ring = ring or keyring()
    key_id = key_of(sealed)
    if key_id not in ring.keys:
        raise CaseKeyError(f"A case file was sealed with the case key {key_id!r}, which is "
                           "not configured: add it to PEACEBUILD_CASE_KEYS.")
    start = 5 + sealed[4]
    nonce, body = sealed[start:start + NONCE], sealed[start + NONCE:]
    try:
        return AESGCM(ring.keys[key_id]).decrypt(nonce, body, _aad(name))
    except InvalidTag as error:
        raise CaseKeyError(f"The case file {name} does not open with the case key {key_id!r}: "
                           "the key is wrong or the file was altered.") from error


def write_atomic(path: Path, data: bytes) -> None:
    """Write the whole file or nothing (a temporary file renamed into place), owner-only."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def attachment_path(stored_as: str) -> Path:
    return files_dir("attachments", stored_as[:2], stored_as)


def store_attachment(content: bytes, ring: KeyRing | None = None) -> tuple[str, str]:
    """Seal and write an attachment's bytes; its storage name and the key id."""
    ring = ring or keyring()
    name = new_name()
    write_atomic(attachment_path(name), seal(content, name, ring))
    return name, ring.current


def read_attachment(stored_as: str) -> bytes:
    return open_sealed(attachment_path(stored_as).read_bytes(), stored_as)


def reseal_attachment(stored_as: str, ring: KeyRing) -> bool:
    """Re-seal one attachment under the current key; False when it already was."""
    path = attachment_path(stored_as)
    sealed = path.read_bytes()
    if key_of(sealed) == ring.current:
        return False
    write_atomic(path, seal(open_sealed(sealed, stored_as, ring), stored_as, ring))
    return True


def export_path(stored_as: str) -> Path:
    return files_dir("exports", stored_as)


def inside(path: Path, other: Path) -> bool:
    try:
        path.resolve().relative_to(other.resolve())
    except ValueError:
        return False
    return True
