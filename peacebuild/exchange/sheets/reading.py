"""Reading a spreadsheet someone filled in: an XLSX workbook or a CSV file, as rows of raw
cell values with their sheet, row number and column letter.

Real files are forgiving here (a UTF-8 byte-order mark, Windows-1252 from Excel, semicolons
as separators, the 1904 date system, merged cells, formulas' cached values); hostile files
are refused before they cost anything (a zip whose members expand past a cap, more columns
or rows than any activity sheet has, a file too large).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _
from openpyxl.utils.cell import get_column_letter, range_boundaries

MAX_BYTES = 50_000_000  # a file as uploaded
MAX_UNZIPPED = 400_000_000  # all members of an XLSX once decompressed
MAX_RATIO = 200  # uncompressed / compressed size of one member (a zip bomb's signature)
MAX_COLUMNS = 250
MAX_ROWS = 100_000
SHEET = "Activities"


class Unreadable(Exception):
    """The file as a whole cannot be read; the message says why, for the user."""


@dataclass
class Table:
    """The rows of one sheet: a header, then values by row number (1-based, as the
    spreadsheet shows them)."""

    sheet: str
    header: list[str]
    rows: Iterator[tuple[int, list[Any]]]
    encoding: str = ""  # CSV: the encoding the file was read in
    delimiter: str = ""
    # XLSX: merged ranges as (first column, first row, last column, last row), 1-based;
    # formula cells that carry no cached value, by (row, column).
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)
    uncached: set[tuple[int, int]] = field(default_factory=set)
    epoch: dt.datetime | None = None
    # Closes the workbook once the rows have been read.
    close: Any = None


def column_letter(index: int) -> str:
    """Column 0 → "A"."""
    return get_column_letter(index + 1)


def open_table(path: Path, name: str) -> Table:
    """The activities sheet of the file at `path` (`name` is the uploaded file's name, for
    telling XLSX from CSV when the content does not say)."""
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise Unreadable(_("The file is larger than %(limit)s MB; split it into several files.")
                         % {"limit": MAX_BYTES // 1_000_000})
    with open(path, "rb") as fh:
        head = fh.read(4)
    if head.startswith(b"PK\x03\x04"):
        return _xlsx(path)
    if name.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise Unreadable(_("This file is not an XLSX workbook (an old .xls file? Save it as "
                           ".xlsx or CSV)."))
    return _csv(path)


# ---------------------------------------------------------------------------------------
# CSV


def decode(data: bytes) -> tuple[str, str]:
    """The text and the encoding used: UTF-8 (with or without a byte-order mark) when the
    bytes are valid UTF-8, else Windows-1252 (what Excel writes for "CSV" on Windows)."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8"
        except UnicodeDecodeError as error:
            raise Unreadable(_("The file starts as UTF-8 but byte %(at)s is not UTF-8.")
                             % {"at": error.start + 3}) from error
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError as error:
        raise Unreadable(_("The file is neither UTF-8 nor Windows-1252 text (byte %(at)s). "
                           "Save it as “CSV UTF-8”.") % {"at": error.start}) from error


def sniff_delimiter(first_line: str) -> str:
    """Comma, semicolon (Excel where the decimal sign is a comma) or tab: the one that
    splits the header line, outside quotes, into the most columns."""
    outside = re.sub(r'"[^"]*"', "", first_line)
    counts = {d: outside.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _csv(path: Path) -> Table:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or data[:4096].count(b"\x00") > 64:
        raise Unreadable(_("This is not a text file (UTF-16? Save it as “CSV UTF-8”)."))
    text, encoding = decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = sniff_delimiter(first_line)
    if first_line.count(delimiter) >= MAX_COLUMNS:
        raise Unreadable(_("The file has more than %(max)s columns; this is not an activity "
                           "sheet.") % {"max": MAX_COLUMNS})
    csv.field_size_limit(40_000)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise Unreadable(_("The file is empty.")) from None

    def rows() -> Iterator[tuple[int, list[Any]]]:
        try:
            for number, row in enumerate(reader, start=2):
                if len(row) > MAX_COLUMNS:
                    raise Unreadable(_("Row %(row)s has more than %(max)s columns.")
                                     % {"row": number, "max": MAX_COLUMNS})
                if number > MAX_ROWS + 1:
                    raise Unreadable(_("The file has more than %(max)s rows; split it.")
                                     % {"max": MAX_ROWS})
                yield number, row
        except csv.Error as error:
            raise Unreadable(_("The CSV file cannot be read near line %(line)s (%(error)s).")
                             % {"line": reader.line_num, "error": error}) from error

    return Table("CSV", header, rows(), encoding=encoding, delimiter=delimiter)


# ---------------------------------------------------------------------------------------
# XLSX

_MERGE = re.compile(rb'<mergeCell ref="([A-Z]+[0-9]+:[A-Z]+[0-9]+)"')
# A formula cell whose cached value is missing or empty: <c r="B2"><f>…</f></c> / <v/>.
_UNCACHED = re.compile(
    rb'<c r="([A-Z]+)([0-9]+)"[^>]*>(?:<f[^>]*/>|<f[^>]*>[^<]*</f>)(?:<v\s*/>|<v>\s*</v>)?</c>')


def check_zip(path: Path) -> None:
    """Refuse a zip bomb before any member is inflated: the declared sizes of the members
    (which the reader enforces as it inflates) against caps."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError) as error:
        raise Unreadable(_("The workbook is damaged (%(error)s).") % {"error": error}) from error
    if len(infos) > 10_000:
        raise Unreadable(_("The workbook holds too many parts to be a spreadsheet."))
    total = 0
    for info in infos:
        total += info.file_size
        if total > MAX_UNZIPPED or info.file_size > MAX_RATIO * max(info.compress_size, 1) + (
                1 << 20):
            raise Unreadable(_("The workbook would expand to more than %(limit)s MB: refused "
                               "as a possible zip bomb.") % {"limit": MAX_UNZIPPED // 1_000_000})
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise Unreadable(_("This zip file is not an XLSX workbook."))


def scan_sheet_xml(archive: zipfile.ZipFile, member: str
                   ) -> tuple[list[tuple[int, int, int, int]], set[tuple[int, int]]]:
    """Merged ranges and formula cells without a cached value, from the sheet's XML (the
    read-only reader skips both), streamed in chunks with an overlap."""
    merged: set[tuple[int, int, int, int]] = set()
    uncached: set[tuple[int, int]] = set()
    tail = b""
    with archive.open(member) as fh:
        while chunk := fh.read(1 << 20):
            data = tail + chunk
            # Cells do not nest: every element before the last cell (or merge) start is
            # whole; that last one may be cut and is scanned with the next chunk.
            cut = max(data.rfind(b"<c "), data.rfind(b"<mergeCell "))
            if cut <= 0:
                cut = max(0, len(data) - 4096)  # no element start: keep a margin (sets dedupe)
            _scan(data[:cut], merged, uncached)
            tail = data[cut:]
    _scan(tail, merged, uncached)
    return sorted(merged), uncached


def _scan(data: bytes, merged: set[tuple[int, int, int, int]],
          uncached: set[tuple[int, int]]) -> None:
    if b"<f" in data:
        for match in _UNCACHED.finditer(data):
            column = range_boundaries(match.group(1).decode() + "1")[0]
            uncached.add((int(match.group(2)), column))
    if b"<mergeCell " in data:
        for match in _MERGE.finditer(data):
            bounds = range_boundaries(match.group(1).decode())
            merged.add((int(bounds[0] or 1), int(bounds[1] or 1), int(bounds[2] or 1),
                        int(bounds[3] or 1)))


def _xlsx(path: Path) -> Table:
    from openpyxl import load_workbook  # imported when used

    check_zip(path)
    # A file object: openpyxl would refuse the stored file's name for its extension.
    handle = open(path, "rb")  # noqa: SIM115 (closed by Table.close)
    try:
        book = load_workbook(handle, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds on a damaged workbook
        handle.close()
        raise Unreadable(_("The workbook cannot be opened (%(error)s).")
                         % {"error": type(error).__name__}) from error
    sheet = next((ws for ws in book.worksheets if ws.title.strip().lower() == SHEET.lower()),
                 None)
    def close() -> None:
        book.close()
        handle.close()

    if sheet is None:
        visible = [ws for ws in book.worksheets if ws.sheet_state == "visible"]
        if not visible:
            close()
            raise Unreadable(_("The workbook has no sheet to read."))
        sheet = visible[0]
    merged, uncached = scan_sheet_xml(book._archive, sheet._worksheet_path)
    rows_in = sheet.iter_rows(values_only=True)
    try:
        header_row = next(rows_in)
    except StopIteration:
        close()
        raise Unreadable(_("The sheet “%(sheet)s” is empty.") % {"sheet": sheet.title}) from None
    header_cells = list(header_row)
    while header_cells and header_cells[-1] in (None, ""):
        header_cells.pop()
    if len(header_cells) > MAX_COLUMNS:
        close()
        raise Unreadable(_("The file has more than %(max)s columns; this is not an activity "
                           "sheet.") % {"max": MAX_COLUMNS})

    def rows() -> Iterator[tuple[int, list[Any]]]:
        for number, values in enumerate(rows_in, start=2):
            if number > MAX_ROWS + 1:
                raise Unreadable(_("The file has more than %(max)s rows; split it.")
                                 % {"max": MAX_ROWS})
            cells = list(values[:MAX_COLUMNS + 1])
            yield number, cells

    return Table(sheet.title, ["" if h is None else str(h) for h in header_cells], rows(),
                 merged=merged, uncached=uncached, epoch=book.epoch, close=close)
