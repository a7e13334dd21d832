"""Rows to CSV and XLSX, with formula neutralising: the one place files for spreadsheets
are written (the pages' downloads wrap these in a response, `ui.downloads`).

A cell of user text that starts like a formula (=, +, -, @, tab, carriage return) would be
run by the spreadsheet program that opens the file (CSV injection); it gets a leading
apostrophe, which spreadsheets show as plain text. Numbers stay numbers.
"""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """Text a spreadsheet would run as a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class _Echo:
    """A file-like object whose write() hands the line back, for streaming csv.writer."""

    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """The CSV file line by line (None is an empty cell), so that a long export streams.
    It starts with a byte-order mark so that spreadsheet programs read it as UTF-8
    (Cyrillic, Chinese)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in rows:
        yield writer.writerow([neutralise(v) for v in row])


def xlsx_bytes(title: str, rows: Iterable[Iterable[Any]]) -> bytes:
    """A workbook of one sheet named `title` (cut to the 31 characters a sheet name may
    have). Decimals become numbers, None an empty cell."""
    from openpyxl import Workbook  # imported when used: few requests need it

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31].replace("/", "-")
    for row in rows:
        sheet.append([float(v) if hasattr(v, "as_tuple") else neutralise(v) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
