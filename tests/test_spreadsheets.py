"""The one writer of spreadsheet files: CSV and XLSX neutralise formulas the same way and
keep numbers as numbers."""

import csv
import io
from decimal import Decimal

from openpyxl import load_workbook

from peacebuild.lib.spreadsheets import csv_lines, xlsx_bytes

ROWS = [["title", "count", "share"], ["=1+1", 3, Decimal("12.50")], ["Youth forum", None, -2]]


def test_csv_starts_with_a_byte_order_mark_and_neutralises_formulas():
    text = "".join(csv_lines(ROWS))
    assert text.startswith("\ufeff")
    assert list(csv.reader(io.StringIO(text[1:]))) == [
        ["title", "count", "share"], ["'=1+1", "3", "12.50"], ["Youth forum", "", "-2"],
    ]


def test_xlsx_neutralises_text_and_keeps_numbers():
    sheet = load_workbook(io.BytesIO(xlsx_bytes("Activities / quarter", ROWS))).active
    assert sheet.title == "Activities - quarter"
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [
        ["title", "count", "share"], ["'=1+1", 3, 12.5], ["Youth forum", None, -2],
    ]
