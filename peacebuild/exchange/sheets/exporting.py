"""The XLSX export of an office: its activities with attendance (in the import template's
columns, so the sheet imports again), its programmes with their figures, and the results
framework's indicators with baseline, target and actual. Every figure from the figures
engine; every text cell neutralised against formula injection."""

from __future__ import annotations

import io
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from peacebuild.accounts.permissions import Actor, check_actor
from peacebuild.accounts.roles import Can
from peacebuild.activities.models import Activity, AgeGroup, Attendance
from peacebuild.exchange.jobs import Progress
from peacebuild.exchange.models import Job
from peacebuild.figures import engine as figures
from peacebuild.lib.spreadsheets import neutralise
from peacebuild.programmes.queries import indicator_values, whole_life

from .columns import ALL_ATTENDANCE, ATTENDANCE, FIELDS, Vocabulary, attendance_key
from .reading import SHEET


def _cell(value: Any) -> Any:
    if hasattr(value, "as_tuple"):  # Decimal
        return float(value)
    return neutralise(value)


def run(job: Job, actor: Actor, progress: Progress) -> None:
    check_actor(actor, job.office, Can.VIEW_RECORDS)
    with translation.override(job.report.get("language") or settings.LANGUAGE_CODE):
        job.output = workbook(job, actor, progress)
        job.output_name = f"{job.office.code}-activities.xlsx"
        job.report = job.report | {"summary": [_("%(n)s activities exported.")
                                               % {"n": job.total}]}


def workbook(job: Job, actor: Actor, progress: Progress) -> bytes:
    from openpyxl import Workbook

    office = job.office
    vocab = Vocabulary.of(office, actor)
    book = Workbook(write_only=True)
    activities = (Activity.objects.filter(office=office)
                  .select_related("programme", "type", "place")
                  .prefetch_related("partners").order_by("starts_on", "id"))
    total = activities.count()
    progress(0, total, _("Writing the activities…"), force=True)
    # Age columns only where some activity has an age breakdown; the rest is by sex.
    by_age = sorted({attendance_key(c, s, a) for c, s, a in Attendance.objects.filter(
        activity__office=office).exclude(age_group=AgeGroup.UNKNOWN).values_list(
        "category", "sex", "age_group").distinct()}, key=list(ALL_ATTENDANCE).index)
    columns = ["id", *FIELDS, *ATTENDANCE, *by_age]
    sheet = book.create_sheet(SHEET)
    sheet.append(columns)
    for done, chunk in enumerate(_chunks(activities, 1000), start=1):
        cells: dict[int, dict[str, int]] = defaultdict(dict)
        for a in Attendance.objects.filter(activity__in=[x.pk for x in chunk]):
            cells[a.activity_id][attendance_key(a.category, a.sex, a.age_group)] = a.count
        for a in chunk:
            values = {"id": a.pk, "programme": a.programme.code, "type": a.type.code,
                      "title": a.title, "starts_on": a.starts_on, "ends_on": a.ends_on,
                      "place": a.place.code if a.place else "",
                      "partners": "; ".join(vocab.partner_label(p) for p in a.partners.all()),
                      "participants_total": a.participants_total,
                      "description": a.description, "outputs": a.outputs,
                      "follow_up": a.follow_up} | cells.get(a.pk, {})
            sheet.append([_cell(values.get(c)) for c in columns])
        progress(min(total, done * 1000))

    programmes = book.create_sheet(_("Programmes")[:31])
    by_programme = {f.breakdown["programme"]: f.value for f in figures.compute(
        office, figures.FigureQuery("activities", by=("programme",))).rows}
    people = {f.breakdown["programme"]: f.value for f in figures.compute(
        office, figures.FigureQuery("participants", by=("programme",))).rows}
    programmes.append([_("code"), _("name"), _("activities"), _("participants")])
    for p in office.programmes.order_by("code"):
        programmes.append([_cell(p.code), _cell(p.name), by_programme.get(p.pk, 0),
                           people.get(p.pk, 0)])

    results = book.create_sheet(_("Results")[:31])
    period = whole_life(office)
    results.append([_("programme"), _("outcome"), _("output"), _("indicator"), _("title"),
                    _("unit"), _("baseline"), _("target"), _("actual"), _("period")])
    for iv in indicator_values(office, period):
        i = iv.indicator
        results.append([_cell(v) for v in (
            i.output.outcome.programme.code, i.output.outcome.code, i.output.code, i.code,
            i.title, i.unit, i.baseline_value, iv.target_value, iv.value,
            f"{period.first.isoformat()} – {period.last.isoformat()}")])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _chunks(queryset: Any, size: int) -> Any:
    chunk: list[Activity] = []
    for item in queryset.iterator(chunk_size=size):
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk
