"""Remove what a photograph says about where, when and with what it was taken.

A JPEG or PNG from a telephone carries EXIF (GPS position, the device's make, model and
serial number, the time), XMP and IPTC blocks, comments and text chunks: a witness's
photograph could give away where the witness lives. `strip` keeps the picture and drops
the rest.

- Without an orientation to apply, the file is rewritten segment by segment (JPEG) or
  chunk by chunk (PNG), keeping only what draws the picture: the pixels are the very
  bytes that were uploaded (no re-encoding, no loss), and anything after the end of the
  image is dropped too.
- When the EXIF says the picture is to be shown rotated or mirrored, that orientation is
  applied to the pixels first (the tag that said so goes with the rest), then the picture
  is encoded again: losslessly for PNG, at high quality for JPEG.

The colour profile (ICC) is kept: without it the colours would change. Nothing of what is
removed is returned, logged or kept.
"""

from __future__ import annotations

import io
import logging
import struct
import zlib
from dataclasses import dataclass

from PIL import Image, ImageOps

JPEG_SOI, JPEG_EOI, JPEG_SOS = 0xD8, 0xD9, 0xDA
# Header segments that draw the picture: quantisation and Huffman tables, frame headers,
# restart interval, arithmetic-coding conditioning, the JFIF header (APP0), the ICC profile
# (APP2 "ICC_PROFILE") and Adobe's colour transform (APP14 "Adobe"). Everything else
# (APP1 EXIF and XMP, APP13 IPTC/Photoshop, other APPn, COM) is dropped.
_JPEG_KEEP = {*range(0xC0, 0xD0), 0xDB, 0xDC, 0xDD, 0xDF} - {0xC8}
_JPEG_KEEP_APP = {0xE0: b"JFIF\x00", 0xE2: b"ICC_PROFILE\x00", 0xEE: b"Adobe"}

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Chunks that draw the picture (and animate it); text, time and EXIF chunks are dropped.
_PNG_KEEP = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP",
             b"sBIT", b"sRGB", b"bKGD", b"pHYs", b"acTL", b"fcTL", b"fdAT", b"cICP"}


class _NoDebug(logging.Filter):
    """Pillow logs each EXIF tag's value at DEBUG while it reads them (the GPS position
    too): those records are dropped where they are made, whatever the logging settings."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno > logging.DEBUG


for _name in ("PIL.TiffImagePlugin", "PIL.JpegImagePlugin", "PIL.PngImagePlugin",
              "PIL.Image", "PIL.ImageFile"):
    logging.getLogger(_name).addFilter(_NoDebug())


class NotAPicture(ValueError):
    """The bytes are not a JPEG or PNG this module can read."""


@dataclass(frozen=True)
class Stripped:
    content: bytes
    removed: bool  # something other than the picture was there and is gone
    rotated: bool  # an EXIF orientation was applied to the pixels


def strip(content: bytes) -> Stripped:
    """The picture without its metadata; `NotAPicture` for anything else."""
    if content.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif content.startswith(PNG_SIGNATURE):
        kind = "png"
    else:
        raise NotAPicture("not a JPEG or PNG")
    if _orientation(content) not in (None, 1):
        return Stripped(_reencode(content, kind), removed=True, rotated=True)
    clean = _jpeg(content) if kind == "jpeg" else _png(content)
    return Stripped(clean, removed=clean != content, rotated=False)


def _orientation(content: bytes) -> int | None:
    try:
        with Image.open(io.BytesIO(content)) as image:
            value = image.getexif().get(0x0112)
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise NotAPicture("the picture does not open") from error
    return value if isinstance(value, int) else None


def _reencode(content: bytes, kind: str) -> bytes:
    with Image.open(io.BytesIO(content)) as image:
        icc = image.info.get("icc_profile")
        upright = ImageOps.exif_transpose(image)
        out = io.BytesIO()
        options: dict[str, object] = {"icc_profile": icc} if icc else {}
        if kind == "jpeg":
            if upright.mode not in ("RGB", "L", "CMYK"):
                upright = upright.convert("RGB")
            upright.save(out, "JPEG", quality=95, subsampling=0, optimize=True, **options)
        else:
            upright.save(out, "PNG", optimize=True, **options)
    # Pillow writes no EXIF unless asked; strip again so nothing it adds survives either.
    again = out.getvalue()
    return _jpeg(again) if kind == "jpeg" else _png(again)


def _jpeg(content: bytes) -> bytes:
    out = bytearray(b"\xff\xd8")
    i, size = 2, len(content)
    while i < size:
        if content[i] != 0xFF:
            raise NotAPicture("a JPEG segment does not begin with a marker")
        while i < size and content[i] == 0xFF:  # fill bytes before a marker
            i += 1
        if i >= size:
            break
        marker = content[i]
        i += 1
        if marker == JPEG_EOI:
            out += b"\xff\xd9"
            return bytes(out)  # anything after the end of the image is dropped
        if 0xD0 <= marker <= 0xD7 or marker == 0x01:  # stand-alone markers
            out += bytes([0xFF, marker])
            continue
        if i + 2 > size:
            raise NotAPicture("a JPEG segment is cut short")
        (length,) = struct.unpack(">H", content[i:i + 2])
        segment = content[i:i + length]
        if len(segment) < max(length, 2):
            raise NotAPicture("a JPEG segment is cut short")
        i += length
        if marker == JPEG_SOS:
            out += bytes([0xFF, marker]) + segment
            end = _scan_end(content, i)
            out += content[i:end]
            i = end
        elif marker in _JPEG_KEEP or segment[2:].startswith(_JPEG_KEEP_APP.get(marker, b"-")):
            out += bytes([0xFF, marker]) + segment
    raise NotAPicture("the JPEG has no end")


def _scan_end(content: bytes, i: int) -> int:
    """Where the entropy-coded data that begins at `i` ends: at the first marker that is
    neither a stuffed zero nor a restart marker."""
    while True:
        i = content.find(b"\xff", i)
        if i < 0 or i + 1 >= len(content):
            raise NotAPicture("the JPEG has no end")
        following = content[i + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            i += 2
        elif following == 0xFF:
            i += 1
        else:
            return i


def _png(content: bytes) -> bytes:
    out = bytearray(PNG_SIGNATURE)
    i = len(PNG_SIGNATURE)
    while i + 8 <= len(content):
        length, kind = struct.unpack(">I4s", content[i:i + 8])
        chunk = content[i:i + 12 + length]
        if len(chunk) < 12 + length:
            raise NotAPicture("a PNG chunk is cut short")
        if zlib.crc32(chunk[4:8 + length]) != struct.unpack(">I", chunk[8 + length:])[0]:
            raise NotAPicture("a PNG chunk is damaged")
        i += 12 + length
        if kind in _PNG_KEEP:
            out += chunk
        if kind == b"IEND":
            return bytes(out)  # anything after the end of the image is dropped
    raise NotAPicture("the PNG has no end")
