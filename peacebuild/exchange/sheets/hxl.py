"""Who does what where, as HXL-tagged CSV (the Humanitarian Exchange Language): one row per
programme × activity type × region × month, a hashtag row under the header row. Every
number comes from the figures engine, so the columns add up to the dashboard's totals."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from peacebuild.accounts.permissions import Actor, check_actor
from peacebuild.accounts.roles import Can
from peacebuild.activities.models import ActivityType, Sex
from peacebuild.exchange.jobs import Progress
from peacebuild.exchange.models import Job
from peacebuild.figures import engine as figures
from peacebuild.lib.periodkeys import period_bounds
from peacebuild.lib.spreadsheets import csv_lines
from peacebuild.mandates.models import Office
from peacebuild.places.models import Place

KEY = ("programme", "type", "region", "month")
TAGS = ["#org", "#org +code", "#sector", "#sector +code", "#activity +type", "#activity +kind",
        "#adm1 +name", "#adm1 +code", "#date +start", "#date +end", "#activity +num",
        "#reached +f", "#reached +m", "#reached +unknown", "#reached +total"]


def header() -> list[str]:
    return [_("Organisation"), _("Organisation code"), _("Programme"), _("Programme code"),
            _("Activity type"), _("Kind of activity"), _("Region"), _("Region code"),
            _("From"), _("To"), _("Activities"), _("Women"), _("Men"), _("Sex not recorded"),
            _("Participants")]


def rows(office: Office) -> Iterator[list[Any]]:
    """The header row, the hashtag row, then one row per key with activities."""
    def by(measure: str, extra: tuple[str, ...] = ()) -> dict[tuple[Any, ...], int]:
        result = figures.compute(office, figures.FigureQuery(measure, by=KEY + extra))
        return {tuple(f.breakdown[d] for d in KEY + extra): f.value or 0 for f in result.rows}

    activities, people = by("activities"), by("participants")
    by_sex = by("attendance", ("sex",))
    programmes = {p.pk: p for p in office.programmes.all()}
    types = {t.pk: t for t in ActivityType.objects.all()}
    regions = {p.pk: p for p in Place.objects.filter(level=Place.Level.REGION)}
    yield header()
    yield TAGS
    for key in sorted(activities, key=lambda k: (str(k[3]), k[0], k[1], k[2] or 0)):
        programme, kind, region, month = key
        first, last = period_bounds("month", str(month))
        place = regions.get(region)
        t = types.get(kind)
        yield [office.name, office.code.upper(), programmes[programme].name,
               programmes[programme].code, str(t) if t else "",
               t.get_category_display() if t else "",
               place.localized_name if place else "", place.code if place else "",
               first.isoformat(), last.isoformat(), activities[key],
               *(by_sex.get((*key, s), 0) for s in Sex.values), people.get(key, 0)]


def run(job: Job, actor: Actor, progress: Progress) -> None:
    check_actor(actor, job.office, Can.VIEW_RECORDS)
    with translation.override(job.report.get("language") or settings.LANGUAGE_CODE):
        progress(0, message=_("Computing the figures…"), force=True)
        lines = list(rows(job.office))
        job.output = "".join(csv_lines(lines)).encode("utf-8")
        job.output_name = f"{job.office.code}-3w-hxl.csv"
        job.total = job.done = max(0, len(lines) - 2)
        job.report = job.report | {"summary": [_("%(n)s rows of who does what where.")
                                               % {"n": job.total}]}
