"""A witness's photograph loses where, when and with what it was taken: EXIF (GPS, device,
serial number, time), XMP, IPTC, comments and PNG text chunks, and anything hidden after
the end of the image. The picture itself is kept: the very same pixels, turned the way the
camera said it was to be shown."""

import io
import struct
import zlib

import pytest
from PIL import ExifTags, Image, ImageChops, PngImagePlugin

from peacebuild.lib import photometa

SECRETS = [b"SecretPhone", b"SN-0042-WITNESS", b"2004:03:12", b"Farrukh", b"Khujand",
           b"hidden after the end"]


def _picture() -> Image.Image:
    """A picture that is not symmetric, so a wrong turn shows."""
    image = Image.new("RGB", (48, 24), (200, 30, 30))
    for x in range(12):
        for y in range(6):
            image.putpixel((x, y), (20, 20, 220))
    return image


def _exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretPhone"
    exif[ExifTags.Base.BodySerialNumber] = "SN-0042-WITNESS"
    exif[ExifTags.Base.DateTime] = "2004:03:12 10:00:00"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (40.0, 17.0, 30.5)
    return exif


def _segment(marker: int, body: bytes) -> bytes:
    return bytes([0xFF, marker]) + struct.pack(">H", len(body) + 2) + body


def _jpeg(orientation: int = 1, **options) -> bytes:
    out = io.BytesIO()
    _picture().save(out, "JPEG", quality=90, exif=_exif(orientation), **options)
    raw = out.getvalue()
    extra = (_segment(0xE1, b"http://ns.adobe.com/xap/1.0/\x00<x:xmpmeta>Farrukh</x:xmpmeta>")
             + _segment(0xED, b"Photoshop 3.0\x008BIM\x04\x04Khujand")
             + _segment(0xFE, b"Farrukh at Khujand"))
    return raw[:2] + extra + raw[2:] + b"hidden after the end"


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(
        ">I", zlib.crc32(kind + body))


def _png(orientation: int = 1) -> bytes:
    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Farrukh")
    info.add_itxt("Location", "Khujand")
    info.add_text("Comment", "Farrukh", zip=True)
    out = io.BytesIO()
    _picture().save(out, "PNG", pnginfo=info, exif=_exif(orientation))
    raw = out.getvalue()
    return raw[:-12] + _chunk(b"tIME", b"\x07\xd4\x03\x0c\x0a\x00\x00") + raw[-12:] + (
        b"hidden after the end")


def _pixels(content: bytes) -> Image.Image:
    with Image.open(io.BytesIO(content)) as image:
        return image.convert("RGB")


def _same(a: Image.Image, b: Image.Image) -> bool:
    return a.size == b.size and ImageChops.difference(a, b).getbbox() is None


@pytest.mark.parametrize("make", [_jpeg, _png, lambda: _jpeg(progressive=True)],
                         ids=["jpeg", "png", "progressive-jpeg"])
def test_metadata_is_removed_and_the_pixels_are_the_same(make):
    raw = make()
    assert all(s in raw for s in SECRETS)
    result = photometa.strip(raw)
    assert result.removed and not result.rotated
    assert not any(s in result.content for s in SECRETS)
    with Image.open(io.BytesIO(result.content)) as image:
        assert not image.getexif() and not image.info.get("exif")
        assert not getattr(image, "text", {})
    assert _same(_pixels(result.content), _pixels(raw))  # not re-encoded: the same pixels


@pytest.mark.parametrize("make", [_jpeg, _png], ids=["jpeg", "png"])
def test_a_turned_photograph_is_turned_before_its_orientation_goes(make):
    """Orientation 6: the camera was held upright, the picture is to be turned 90°."""
    raw = make(orientation=6)
    result = photometa.strip(raw)
    assert result.removed and result.rotated
    assert not any(s in result.content for s in SECRETS)
    upright = _pixels(result.content)
    assert upright.size == (24, 48)
    # The blue corner (top left as stored) is top right once turned clockwise.
    assert upright.getpixel((20, 2))[2] > 150 and upright.getpixel((2, 2))[0] > 150
    with Image.open(io.BytesIO(result.content)) as image:
        assert not image.getexif()


def test_a_clean_photograph_is_kept_byte_for_byte():
    out = io.BytesIO()
    _picture().save(out, "PNG")
    result = photometa.strip(out.getvalue())
    assert result.content == out.getvalue() and not result.removed


def test_the_colour_profile_is_kept():
    profile = b"\x00" * 128 + b"acsp" + b"\x00" * 124  # only carried, never read
    out = io.BytesIO()
    _picture().save(out, "JPEG", icc_profile=profile, exif=_exif())
    with Image.open(io.BytesIO(photometa.strip(out.getvalue()).content)) as image:
        assert image.info.get("icc_profile") == profile


@pytest.mark.parametrize("content", [
    b"%PDF-1.4", b"\xff\xd8\xff\xe0" + b"\x00" * 20, b"\x89PNG\r\n\x1a\n" + b"\x00" * 20,
    _jpeg()[:300]])
def test_what_is_not_a_whole_picture_is_refused(content):
    with pytest.raises(photometa.NotAPicture):
        photometa.strip(content)
