"""The import template: an XLSX workbook to fill in, with the office's vocabularies as
drop-down lists (kept on a hidden sheet, referred to by named ranges), an instructions
sheet, and the same columns as the CSV template."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

from peacebuild.activities.models import ActivityType, AgeGroup, ParticipantCategory, Sex
from peacebuild.lib.spreadsheets import csv_lines, neutralise

from .columns import ATTENDANCE, COLUMNS, FIELDS, REQUIRED, SEPARATOR, Vocabulary
from .reading import SHEET, column_letter

ROWS = 2000  # rows the drop-downs and number checks cover (more may be added)
LISTS = "Lists"


def lists(vocab: Vocabulary) -> dict[str, list[str]]:
    """Each vocabulary as drop-down entries "code — name" (the importer reads the code)."""
    programmes = [p for p in vocab.programmes.values() if p.pk in vocab.writable]
    return {
        "programmes": [f"{p.code}{SEPARATOR}{p.name}" for p in programmes],
        "types": [f"{t.code}{SEPARATOR}{t} ({t.get_category_display()})"
                  for t in vocab.types.values()],
        "places": [f"{p.code}{SEPARATOR}{p.localized_name}" for p in vocab.places.values()],
        "partners": [vocab.partner_label(o) for o in vocab.partner_list],
    }


def xlsx_template(vocab: Vocabulary) -> bytes:
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append(COLUMNS)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="D9EEF9")
    for index, key in enumerate(COLUMNS):
        cell = sheet.cell(row=1, column=index + 1)
        cell.font = bold
        if key in REQUIRED:
            cell.fill = fill
        help_text = FIELDS.get(key) or _attendance_help(key)
        cell.comment = Comment(str(help_text), "Peacebuild")
        letter = column_letter(index)
        sheet.column_dimensions[letter].width = 28 if key in FIELDS else 9
        if key in ("programme", "type", "place", "partners"):
            # Codes are text: leading zeros stay ("007" is not 7).
            for row in range(2, ROWS + 2):
                sheet.cell(row=row, column=index + 1).number_format = "@"
    sheet.freeze_panes = "D2"

    hidden = book.create_sheet(LISTS)
    vocabularies = lists(vocab)
    vocabularies |= {
        "categories": [c.value for c in ParticipantCategory],
        "sexes": [s.value for s in Sex],
        "age_groups": [a.value for a in AgeGroup],
        "kinds": [c.value for c in ActivityType.Category],
    }
    for col, (name, values) in enumerate(vocabularies.items(), start=1):
        hidden.cell(row=1, column=col, value=name)
        for row, value in enumerate(values, start=2):
            hidden.cell(row=row, column=col, value=neutralise(value))
        letter = column_letter(col - 1)
        last = max(2, len(values) + 1)
        book.defined_names[name] = DefinedName(
            name, attr_text=f"'{LISTS}'!${letter}$2:${letter}${last}")
    hidden.sheet_state = "hidden"

    for key, name in (("programme", "programmes"), ("type", "types"), ("place", "places"),
                      ("partners", "partners")):
        letter = column_letter(COLUMNS.index(key))
        # A warning, not a stop: several partners are typed with ";" between them, and a
        # bare code without its name is accepted too.
        check = DataValidation(type="list", formula1=f"={name}", allow_blank=True,
                               errorStyle="warning" if key in ("partners", "place") else "stop",
                               showErrorMessage=True)
        check.error = _("Choose a value from the list.")
        check.add(f"{letter}2:{letter}{ROWS + 1}")
        sheet.add_data_validation(check)
    counts = DataValidation(type="whole", operator="between", formula1="0",
                            formula2="100000", allow_blank=True, showErrorMessage=True)
    counts.error = _("A count of people: a whole number from 0 up.")
    first = column_letter(COLUMNS.index("participants_total"))
    counts.add(f"{first}2:{first}{ROWS + 1}")
    start, end = column_letter(len(FIELDS)), column_letter(len(COLUMNS) - 1)
    counts.add(f"{start}2:{end}{ROWS + 1}")
    sheet.add_data_validation(counts)
    for key in ("starts_on", "ends_on"):
        letter = column_letter(COLUMNS.index(key))
        for row in range(2, ROWS + 2):
            sheet.cell(row=row, column=COLUMNS.index(key) + 1).number_format = "yyyy-mm-dd"
        dates = DataValidation(type="date", operator="greaterThan", formula1="1",
                               allow_blank=True, showErrorMessage=True)
        dates.error = _("A date, e.g. 2004-04-23.")
        dates.add(f"{letter}2:{letter}{ROWS + 1}")
        sheet.add_data_validation(dates)

    notes = book.create_sheet(_("Instructions")[:31], 0)
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 100
    for line in instructions(vocab):
        notes.append([neutralise(v) for v in line])
    notes["A1"].font = Font(bold=True, size=14)
    book.active = 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _attendance_help(key: str) -> str:
    category, sex = key.split("/")[:2]
    return _("Participants who were %(category)s, %(sex)s (a whole number; leave empty for "
             "none).") % {"category": ParticipantCategory(category).label,
                          "sex": Sex(sex).label}


def instructions(vocab: Vocabulary) -> list[list[Any]]:
    office = vocab.office.code.upper()
    lines: list[list[Any]] = [
        [_("Activities of %(office)s: import template") % {"office": office}],
        [],
        [_("How to fill it in"), _("One row per activity on the sheet “%(sheet)s”. The blue "
                                   "columns must be filled in; choose codes from the drop-down "
                                   "lists.") % {"sheet": SHEET}],
        ["", _("Attendance: one column per participant category and sex, e.g. “youth/f” for "
               "young women. Leave a cell empty for none. When you give the total too, it "
               "must equal the sum of the breakdown.")],
        ["", _("Dates: 2004-04-23 or 23 April 2004. A date such as 03/04/2004 is refused: it "
               "could be 3 April or 4 March.")],
        ["", _("The whole file is imported or nothing: a dry run lists every problem with "
               "its row and column first.")],
        [],
        [_("Column"), _("What it holds")],
    ]
    lines += [[key, str(text)] for key, text in FIELDS.items()]
    lines.append([f"{ATTENDANCE[0]} … {ATTENDANCE[-1]}", _(
        "Attendance by participant category and sex. Columns by age group may be added, e.g. "
        "“youth/f/18-29”.")])
    lines += [[], [_("Participant categories")]]
    lines += [[c.value, str(c.label)] for c in ParticipantCategory]
    lines += [[], [_("Sexes")]] + [[s.value, str(s.label)] for s in Sex]
    lines += [[], [_("Age groups")]] + [[a.value, str(a.label)] for a in AgeGroup]
    lines += [[], [_("Kinds of activity")]]
    lines += [[c.value, str(c.label)] for c in ActivityType.Category]
    return lines


def csv_template(vocab: Vocabulary) -> Iterator[str]:
    """The same columns as CSV, with one example row."""
    programme = next((p for p in vocab.programmes.values() if p.pk in vocab.writable), None)
    activity_type = next(iter(vocab.types.values()), None)
    example: dict[str, Any] = {
        "programme": programme.code if programme else "", "type":
        activity_type.code if activity_type else "", "title": _("Example: dialogue meeting"),
        "starts_on": vocab.office.today().isoformat(), "ends_on":
        vocab.office.today().isoformat(), "participants_total": 3, "civil_society/f": 2,
        "civil_society/m": 1}
    return csv_lines([COLUMNS, [example.get(c, "") for c in COLUMNS]])
