"""Importing a sheet of activities with their attendance: every cell checked with the
activity form's and service's rules, every problem reported with its sheet, row and column,
and then the whole file created in one transaction, or nothing.

A dry run checks and reports what would be created. The commit of a dry run (`job.applies`)
re-reads the same stored file, and only if its SHA-256 is still the one the dry run
checked; the command line may commit without a dry run (the checks run all the same).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from peacebuild.accounts.permissions import Actor
from peacebuild.activities.models import MAX_PARTICIPANTS, Activity
from peacebuild.activities.services import (
    BulkItemsInvalid,
    Cell,
    activities_create_many,
)
from peacebuild.exchange.jobs import JobFailed, Progress, still_mine
from peacebuild.exchange.models import Job
from peacebuild.lib.faults import pause_point
from peacebuild.lib.spreadsheets import FORMULA_STARTS

from .columns import (
    ALL_ATTENDANCE,
    CODE_COLUMNS,
    FIELDS,
    LONG_TEXT,
    REQUIRED,
    SEPARATOR,
    TEXT_LIMITS,
    Vocabulary,
    normalise_header,
)
from .reading import Table, Unreadable, column_letter, open_table

MAX_PROBLEMS = 1000  # kept in the report; the count says how many there were in all
PREVIEW = 20
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Problem:
    sheet: str
    row: int
    column: str  # the letter, "" for the file as a whole
    field: str
    message: str

    def as_dict(self) -> dict[str, Any]:
        return {"sheet": self.sheet, "row": self.row, "column": self.column,
                "field": self.field, "message": self.message}


@dataclass
class Row:
    """One activity as read from its row, ready for `activity_create`."""

    number: int
    fields: dict[str, Any]
    attendance: dict[Cell, int]
    partners: list[Any]

    @property
    def people(self) -> int:
        total = self.fields.get("participants_total")
        return int(total) if total is not None else sum(self.attendance.values())


@dataclass
class Checked:
    table: Table
    rows: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    read: int = 0

    def problem(self, row: int, column: str, name: str, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(Problem(self.table.sheet, row, column, name, message))


# ---------------------------------------------------------------------------------------
# Cells


class CellError(ValueError):
    """A cell's value is not acceptable; the message says why."""


MONTHS = {name: number for number, names in enumerate([
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",),
    ("jun", "june"), ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"),
    ("oct", "october"), ("nov", "november"), ("dec", "december")], start=1) for name in names}
_ISO = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]00:00(?::00)?)?")
_NUMERIC = re.compile(r"(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})")
_DAY_MONTH = re.compile(r"(\d{1,2})[ -]([a-z]+)\.?,?[ -](\d{4})")
_MONTH_DAY = re.compile(r"([a-z]+)\.? (\d{1,2}),? (\d{4})")


def _date_of(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise CellError(_("The date “%(value)s” does not exist.") % {"value": text}) from None


def parse_date(value: Any, epoch: dt.datetime | None = None) -> dt.date:
    """A date from a cell: a spreadsheet date, an Excel serial number (XLSX only), or text
    in an unambiguous form. 03/04/2004 could be 3 April or March 4: refused, never guessed."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if epoch is None:
            raise CellError(_("“%(value)s” is not a date.") % {"value": value})
        if not 1 <= value < 2_958_466:
            raise CellError(_("%(value)s is not a date Excel can hold.") % {"value": value})
        from openpyxl.utils.datetime import from_excel

        converted = from_excel(value, epoch=epoch)
        return converted.date() if isinstance(converted, dt.datetime) else converted
    text = " ".join(str(value).split()).lower()
    if m := _ISO.fullmatch(text):
        return _date_of(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _NUMERIC.fullmatch(text):
        first, second, year = int(m[1]), int(m[2]), int(m[3])
        if first <= 12 and second <= 12 and first != second:
            raise CellError(_("“%(value)s” could be day/month or month/day. Write it as "
                              "%(iso)s or as “%(day)s %(month)s %(year)s”.")
                            % {"value": value, "iso": "YYYY-MM-DD", "day": first,
                               "month": "April", "year": year})
        day, month = (first, second) if first > 12 or first == second else (second, first)
        return _date_of(year, month, day, text)
    if (m := _DAY_MONTH.fullmatch(text)) and m[2] in MONTHS:
        return _date_of(int(m[3]), MONTHS[m[2]], int(m[1]), text)
    if (m := _MONTH_DAY.fullmatch(text)) and m[1] in MONTHS:
        return _date_of(int(m[3]), MONTHS[m[1]], int(m[2]), text)
    raise CellError(_("“%(value)s” is not a date; write it as YYYY-MM-DD, e.g. 2004-04-23.")
                    % {"value": value})


def parse_count(value: Any) -> int:
    """A count of people: a whole number from 0 up; an empty cell is 0."""
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    if isinstance(value, float):
        if not value.is_integer():
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
        value = int(value)
    if isinstance(value, str):
        text = value.strip()
        if not re.fullmatch(r"[+-]?[0-9]{1,9}", text):
            raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
        value = int(text)
    if not isinstance(value, int):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": value})
    if value < 0:
        raise CellError(_("A count cannot be negative (%(value)s).") % {"value": value})
    if value > MAX_PARTICIPANTS:
        raise CellError(_("%(value)s people is more than any activity holds (at most "
                          "%(max)s).") % {"value": value, "max": MAX_PARTICIPANTS})
    return value


def parse_text(value: Any, limit: int = LONG_TEXT) -> str:
    """Text as typed (leading and trailing spaces dropped). Control characters are refused;
    anything else, markup and script included, is kept as inert text."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.date, dt.datetime)):
        value = value.isoformat()
    text = str(value).strip()
    if text.startswith("'") and text[1:2] and text[1:].startswith(FORMULA_STARTS):
        text = text[1:]  # the apostrophe our exports put before formula-like text
    if _CONTROL.search(text):
        raise CellError(_("The text holds control characters (such as NUL) that cannot be "
                          "stored."))
    if len(text) > limit:
        raise CellError(_("The text is %(length)s characters long; at most %(limit)s fit.")
                        % {"length": len(text), "limit": limit})
    return text


def parse_code(value: Any) -> str:
    """A code as written, leading zeros kept; from a drop-down entry "code — name", the
    code."""
    text = parse_text(value, 500)
    return text.split(SEPARATOR, 1)[0].strip()


# ---------------------------------------------------------------------------------------
# The sheet


def check(table: Table, vocab: Vocabulary, progress: Progress | None = None) -> Checked:
    """Every row and cell of the table against the office's vocabularies and the rules of
    the activity service."""
    out = Checked(table)
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    unknown: list[str] = []
    for index, raw in enumerate(table.header):
        key = normalise_header(raw)
        if not key:
            continue
        if key not in FIELDS and key not in ALL_ATTENDANCE:
            unknown.append(str(raw))
            continue
        if key in seen:
            out.problem(1, column_letter(index), key, _(
                "The column “%(name)s” appears twice (columns %(first)s and %(second)s).")
                % {"name": key, "first": column_letter(seen[key]), "second":
                   column_letter(index)})
        seen[key], columns[index] = index, key
    missing = [name for name in REQUIRED if name not in seen]
    if missing:
        out.problem(1, "", "", _(
            "This is not an activity sheet of the template: the columns %(missing)s are "
            "missing (found: %(found)s).") % {
                "missing": ", ".join(missing),
                "found": ", ".join(str(h) for h in table.header[:12] if h) or "—"})
        return out
    if unknown:
        out.problem(1, "", "", _("Columns not in the template: %(names)s. Remove them or "
                                 "correct their headers.") % {"names": ", ".join(unknown[:20])})
    merges = _merges(table, columns, out)
    tops: dict[tuple[int, int], Any] = {}
    width = len(table.header)
    headless = [i for i in range(width) if i not in columns and not normalise_header(
        table.header[i])]
    for number, values in table.rows:
        cells = list(values) + [None] * (width - len(values))
        for col, top in merges.get(number, ()):
            if top == (number, col):
                tops[top] = cells[col - 1] if col - 1 < len(cells) else None
            else:
                cells[col - 1] = tops.get(top)
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells):
            continue  # an empty row (spreadsheets keep formatted, empty rows at the end)
        out.read += 1
        extra = [i for i in headless if i < len(cells) and cells[i] not in (None, "")] + [
            i for i, v in enumerate(cells[width:], start=width) if v not in (None, "")]
        if extra:
            out.problem(number, column_letter(extra[0]), "", _(
                "A value stands in a column without a header."))
        for index, key in columns.items():
            if cells[index] is None and (number, index + 1) in table.uncached:
                out.problem(number, column_letter(index), key, _(
                    "This cell holds a formula without a computed value: open the file in "
                    "a spreadsheet program, let it compute, and save it again."))
                cells[index] = ""
        row = _row(number, cells, columns, vocab, out, table)
        if row is not None:
            out.rows.append(row)
        if progress is not None and out.read % 500 == 0:
            progress(out.read, message=_("Checked %(n)s rows…") % {"n": out.read})
    if not out.read and not out.problem_count:
        out.problem(2, "", "", _("The sheet has a header but no activities."))
    return out


def _merges(table: Table, columns: dict[int, str], out: Checked
            ) -> dict[int, list[tuple[int, tuple[int, int]]]]:
    """Each merged cell below the header → the merge's top-left cell, whose value it takes
    (a programme written once over several rows). A merge over counts is an error: one
    number cannot be the count of several activities."""
    cells: dict[int, list[tuple[int, tuple[int, int]]]] = {}
    for first_col, first_row, last_col, last_row in table.merged:
        if last_row < 2:
            continue
        keys = [columns.get(c - 1, "") for c in range(first_col, last_col + 1)]
        if first_col != last_col or any(k in ALL_ATTENDANCE or k == "participants_total"
                                        for k in keys):
            out.problem(max(first_row, 2), column_letter(first_col - 1), keys[0], _(
                "Merged cells (%(range)s) are allowed only down one column of text or codes; "
                "unmerge them and write the value in each row.") % {
                    "range": f"{column_letter(first_col - 1)}{first_row}:"
                             f"{column_letter(last_col - 1)}{last_row}"})
            continue
        if last_row - first_row > 10_000:
            continue
        for row in range(max(first_row, 2), last_row + 1):
            cells.setdefault(row, []).append((first_col, (first_row, first_col)))
    return cells


def _row(number: int, cells: list[Any], columns: dict[int, str], vocab: Vocabulary,
         out: Checked, table: Table) -> Row | None:
    errors_before = out.problem_count
    values: dict[str, Any] = {}
    where: dict[str, str] = {}
    attendance: dict[Cell, int] = {}
    partners: list[Any] = []

    def bad(key: str, message: str) -> None:
        out.problem(number, where.get(key, ""), key, message)

    for index, key in columns.items():
        where[key] = column_letter(index)
        raw = cells[index]
        try:
            if key in ALL_ATTENDANCE:
                count = parse_count(raw)
                if count:
                    attendance[Cell(*ALL_ATTENDANCE[key])] = count
            elif key in ("starts_on", "ends_on"):
                if raw is not None and str(raw).strip():
                    values[key] = parse_date(raw, table.epoch)
            elif key == "participants_total":
                if raw is not None and str(raw).strip():
                    values[key] = parse_count(raw)
            elif key in CODE_COLUMNS:
                values[key] = parse_text(raw, 2000) if key == "partners" else parse_code(raw)
            else:
                values[key] = parse_text(raw, TEXT_LIMITS.get(key, LONG_TEXT))
        except CellError as error:
            bad(key, str(error))
    for key in REQUIRED:
        if key in where and not values.get(key) and not _reported(out, number, key,
                                                                   errors_before):
            bad(key, _("This cell must be filled in."))
    programme = vocab.programmes.get(values.get("programme") or "")
    if values.get("programme") and programme is None:
        bad("programme", _("“%(code)s” is not a programme code of %(office)s.")
            % {"code": values["programme"], "office": vocab.office.code.upper()})
    elif programme is not None and programme.pk not in vocab.writable:
        bad("programme", _("You may not record activities for the programme “%(name)s”: it "
                           "is not one of your programmes.") % {"name": programme.name})
    activity_type = vocab.types.get(values.get("type") or "")
    if values.get("type") and activity_type is None:
        bad("type", _("“%(code)s” is not an activity type code.") % {"code": values["type"]})
    place = vocab.places.get(values.get("place") or "")
    if values.get("place") and place is None:
        bad("place", _("“%(code)s” is not the code of a region or district of %(country)s.")
            % {"code": values["place"], "country": vocab.office.country})
    for name in filter(None, (p.strip() for p in (values.get("partners") or "").split(";"))):
        key = name.split(SEPARATOR, 1)[0].strip().casefold()
        if key not in vocab.partners:
            bad("partners", _("“%(name)s” is not a partner organisation of %(office)s.")
                % {"name": name, "office": vocab.office.code.upper()})
        elif (org := vocab.partners[key]) is None:
            bad("partners", _("“%(name)s” names more than one organisation; write its full "
                              "name.") % {"name": name})
        elif org not in partners:
            partners.append(org)
    _check_activity(values, attendance, vocab, bad)
    if out.problem_count > errors_before:
        return None
    fields = {"programme": programme, "type": activity_type, "title": values["title"],
              "starts_on": values["starts_on"], "ends_on": values["ends_on"], "place": place,
              "participants_total": values.get("participants_total"),
              "description": values.get("description", ""),
              "outputs": values.get("outputs", ""), "follow_up": values.get("follow_up", "")}
    return Row(number, fields, attendance, partners)


def _reported(out: Checked, number: int, key: str, since: int) -> bool:
    return any(p.row == number and p.field == key for p in out.problems[since:])


def _check_activity(values: dict[str, Any], attendance: dict[Cell, int], vocab: Vocabulary,
                    bad: Any) -> None:
    """The activity service's rules on the record as a whole (`activities.services`), said
    here per cell so that a dry run reports them all."""
    first, last = vocab.office.life_range()
    for key in ("starts_on", "ends_on"):
        value = values.get(key)
        if value and not first <= value <= last:
            bad(key, _("%(date)s is far outside the life of %(office)s (%(first)s to "
                       "%(last)s).") % {"date": value, "office": vocab.office.code.upper(),
                                        "first": first, "last": last})
    starts_on, ends_on = values.get("starts_on"), values.get("ends_on")
    if starts_on and ends_on and ends_on < starts_on:
        bad("ends_on", _("The end date is before the start date."))
    total = values.get("participants_total")
    breakdown = sum(attendance.values())
    if attendance and total is not None and breakdown != total:
        bad("participants_total", _("The breakdown adds up to %(breakdown)s but the total "
                                    "says %(total)s.") % {"breakdown": breakdown,
                                                          "total": total})
    if breakdown > MAX_PARTICIPANTS:
        bad("participants_total", _("%(value)s participants is more than any activity holds "
                                    "(at most %(max)s).") % {"value": breakdown,
                                                             "max": MAX_PARTICIPANTS})


# ---------------------------------------------------------------------------------------
# The job


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def run(job: Job, actor: Actor, progress: Progress) -> None:
    language = job.report.get("language") or settings.LANGUAGE_CODE
    with translation.override(language):
        _run(job, actor, progress, language)


def _run(job: Job, actor: Actor, progress: Progress, language: str) -> None:
    if not job.dry_run and "created" in job.report:
        # An earlier attempt committed the import; its worker died before it could say so.
        job.report.setdefault("summary", []).append(_imported(job.report["created"]))
        job.message = _imported(job.report["created"])
        return
    path = Path(job.input_path)
    if job.applies_id is not None:
        _check_applies(job)
    if not path.is_file():
        raise JobFailed(_("The uploaded file is no longer there; upload it again."))
    if job.checksum and sha256_of(path) != job.checksum:
        raise JobFailed(_("The stored file has changed since it was uploaded; upload it "
                          "again."))
    progress(0, message=_("Reading the file…"), force=True)
    vocab = Vocabulary.of(job.office, actor)
    try:
        table = open_table(path, job.input_name)
        try:
            checked = check(table, vocab, progress)
        finally:
            if table.close is not None:
                table.close()
    except Unreadable as error:
        job.report = {"language": language, "problems": [], "problem_count": 0}
        raise JobFailed(str(error)) from error
    job.report = _report(job, checked, language)
    if checked.problem_count:
        raise JobFailed(_nothing_imported(checked.problem_count))
    if job.dry_run:
        job.message = ngettext("%(n)s activity can be imported.",
                               "%(n)s activities can be imported.",
                               len(checked.rows)) % {"n": len(checked.rows)}
        return
    progress(0, len(checked.rows), _("Saving %(n)s activities…") % {"n": len(checked.rows)},
             force=True)
    problems = _create(job, actor, checked.rows, progress, table.sheet)
    if problems:
        job.report["problems"] = [p.as_dict() for p in problems]
        job.report["problem_count"] = len(problems)
        raise JobFailed(_nothing_imported(len(problems)))
    job.report["created"] = len(checked.rows)
    job.report["summary"].append(_imported(len(checked.rows)))
    job.message = _imported(len(checked.rows))


def _imported(n: int) -> str:
    return ngettext("%(n)s activity imported.", "%(n)s activities imported.", n) % {"n": n}


def _nothing_imported(n: int) -> str:
    return ngettext("The file has %(n)s problem; nothing was imported. Correct it and upload "
                    "the file again.",
                    "The file has %(n)s problems; nothing was imported. Correct them and "
                    "upload the file again.", n) % {"n": n}


def _create(job: Job, actor: Actor, rows: list[Row], progress: Progress, sheet: str
            ) -> list[Problem]:
    """All the rows through the activity service's bulk path, in one transaction; a row
    the service refuses rolls everything back and is reported."""
    note = _("Imported from %(file)s, row %(row)s")
    items = [row.fields | {"source_note": (note % {
        "file": job.input_name[:200], "row": row.number})[:300],
        "attendance": row.attendance, "partners": row.partners} for row in rows]
    try:
        with transaction.atomic():
            activities_create_many(actor=actor, office=job.office, items=items,
                                   progress=progress)
            pause_point("sheet-import-written", job=job.pk,
                        written=Activity.objects.filter(office=job.office).count())
            still_mine(job)  # a worker given up for lost must not commit
            # Committed with the rows: a next attempt knows the import is made.
            Job.objects.filter(pk=job.pk).update(report=job.report | {"created": len(rows)})
    except BulkItemsInvalid as error:
        return [Problem(sheet, rows[index].number, "", name, m)
                for index, refused in error.items.items()
                for name, messages in _by_field(refused).items() for m in messages]
    return []


def _by_field(error: ValidationError) -> dict[str, list[str]]:
    """The refusal's messages by field ("" for the row as a whole)."""
    return error.message_dict if hasattr(error, "error_dict") else {"": error.messages}


def _check_applies(job: Job) -> None:
    """A commit applies exactly the file its dry run passed, once."""
    dry = job.applies
    if dry is None or not dry.dry_run or dry.state != Job.State.DONE or dry.office_id != \
            job.office_id or dry.report.get("problem_count"):
        raise JobFailed(_("Only a dry run that found no problems can be imported."))
    if job.checksum != dry.checksum or not dry.checksum:
        raise JobFailed(_("This is not the file the dry run checked; run a dry run of it."))
    others = Job.objects.filter(applies=dry).exclude(pk=job.pk).exclude(
        state=Job.State.FAILED)
    if others.exists():
        raise JobFailed(_("This file has already been imported."))


def _report(job: Job, checked: Checked, language: str) -> dict[str, Any]:
    table = checked.table
    by_programme: Counter[str] = Counter()
    people = 0
    for row in checked.rows:
        by_programme[row.fields["programme"].code] += 1
        people += row.people
    summary = [_("%(rows)s rows read from “%(sheet)s”.") % {"rows": checked.read,
                                                            "sheet": table.sheet}]
    if table.encoding:
        summary.append(_("Read as %(encoding)s text, columns separated by “%(sep)s”.")
                       % {"encoding": table.encoding,
                          "sep": {"\t": "tab"}.get(table.delimiter, table.delimiter)})
    if checked.problem_count:
        summary.append(ngettext("%(n)s problem found; nothing will be imported.",
                                "%(n)s problems found; nothing will be imported.",
                                checked.problem_count) % {"n": checked.problem_count})
    else:
        summary.append(ngettext(
            "%(n)s activity with %(people)s participants would be created.",
            "%(n)s activities with %(people)s participants would be created.",
            len(checked.rows)) % {"n": len(checked.rows), "people": people})
    return {
        "language": language,
        "format": "CSV" if table.encoding else "XLSX",
        "encoding": table.encoding,
        "delimiter": table.delimiter,
        "sheet": table.sheet,
        "rows": checked.read,
        "activities": len(checked.rows) if not checked.problem_count else 0,
        "participants": people if not checked.problem_count else 0,
        "by_programme": sorted(by_programme.items()),
        "preview": [_preview(r) for r in checked.rows[:PREVIEW]],
        "problems": [p.as_dict() for p in checked.problems],
        "problem_count": checked.problem_count,
        "summary": summary,
    }


def _preview(row: Row) -> dict[str, Any]:
    f = row.fields
    return {"row": row.number, "title": f["title"], "programme": f["programme"].code,
            "type": str(f["type"]), "starts_on": f["starts_on"].isoformat(),
            "ends_on": f["ends_on"].isoformat(), "place": str(f["place"] or ""),
            "participants": row.people}


def problems_of(job: Job) -> Iterable[dict[str, Any]]:
    return job.report.get("problems", [])
