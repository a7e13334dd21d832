"""What the tests of case files share (their fixtures, `case` and `case_files`, are in
conftest.py)."""

import time

from peacebuild.accounts.permissions import REAUTH_SESSION_KEY

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\nInvented statement of a witness\n%%EOF\n"


def reauthenticated(client):
    session = client.session
    session[REAUTH_SESSION_KEY] = time.time()
    session.save()
    return client


def witness_photo(kind: str = "JPEG", orientation: int = 1) -> bytes:
    """A photograph as a telephone makes it: its maker, serial number, time and GPS
    position in its EXIF (the values are in `PHOTO_SECRETS`)."""
    import io

    from PIL import ExifTags, Image

    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "SecretPhone"
    exif[ExifTags.Base.BodySerialNumber] = "SN-0042-WITNESS"
    exif[ExifTags.Base.DateTime] = "2004:03:12 10:00:00"
    exif[ExifTags.Base.Orientation] = orientation
    exif.get_ifd(ExifTags.IFD.GPSInfo)[ExifTags.GPS.GPSLatitude] = (40.0, 17.0, 30.5)
    image = Image.new("RGB", (48, 24), (200, 30, 30))
    out = io.BytesIO()
    image.save(out, kind, exif=exif)
    return out.getvalue()


PHOTO_SECRETS = [b"SecretPhone", b"SN-0042-WITNESS", b"2004:03:12"]
