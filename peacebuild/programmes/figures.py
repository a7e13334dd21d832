"""The figures engine: the only code in Peacebuild that counts.

A figure is a measure applied to the records an ActivityFilter selects. Each carries
its provenance: the filter, and a link to the list of the records behind it. Pages,
charts, reports, the API and exports ask here; they never count on their own.

Small cells (casework, later) will be suppressed here too: `Figure.suppressed`.
"""

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peacebuild.activities.models import Activity, Attendance, Centre
from peacebuild.activities.queries import ActivityFilter, filter_activities
from peacebuild.mandates.models import Office

MEASURES = {
    "activities": _("activities"),
    "participants": _("participants"),
    "centres_open": _("centres open"),
}


@dataclass(frozen=True)
class Figure:
    measure: str
    value: int | None
    office: Office
    filters: ActivityFilter = field(default_factory=ActivityFilter)
    breakdown: dict[str, str] = field(default_factory=dict)  # dimension → value
    suppressed: bool = False

    @property
    def label(self) -> str:
        return str(MEASURES[self.measure])

    @property
    def records_url(self) -> str:
        """The list of the records behind this number."""
        query = self.filters.as_query()
        if self.measure == "centres_open":
            return reverse("activities:centres")
        return f"{reverse('activities:list')}?{urlencode(query)}" if query else reverse(
            "activities:list"
        )


def activity_count(office: Office, flt: ActivityFilter | None = None) -> Figure:
    flt = flt or ActivityFilter()
    value = filter_activities(office, flt).count()
    return Figure("activities", value, office, flt)


def participants(office: Office, flt: ActivityFilter | None = None) -> Figure:
    """The sum of the participants reported per activity (people may be counted twice
    when they attend several activities; distinct people come from the registry)."""
    flt = flt or ActivityFilter()
    value = filter_activities(office, flt).aggregate(n=Sum("participants_total"))["n"] or 0
    return Figure("participants", value, office, flt)


def participants_by(office: Office, dimension: str, flt: ActivityFilter | None = None
                    ) -> list[Figure]:
    """Participants broken down by an attendance dimension: sex, category or age_group."""
    if dimension not in {"sex", "category", "age_group"}:
        raise ValueError(f"unknown dimension {dimension!r}")
    flt = flt or ActivityFilter()
    rows = (
        Attendance.objects.filter(activity__in=filter_activities(office, flt))
        .values(dimension)
        .annotate(n=Sum("count"))
        .order_by(dimension)
    )
    return [
        Figure("participants", row["n"], office, flt, breakdown={dimension: row[dimension]})
        for row in rows
    ]


def centres_open(office: Office, on: dt.date, kind: str = "") -> Figure:
    """Centres open on a day (opened by then, not yet closed), optionally of one kind."""
    centres = Centre.objects.filter(office=office, opened_on__lte=on).exclude(closed_on__lte=on)
    if kind:
        centres = centres.filter(kind=kind)
    value = centres.aggregate(n=Count("id"))["n"]
    return Figure("centres_open", value, office, breakdown={"kind": kind} if kind else {})


@dataclass(frozen=True)
class AttendanceTable:
    """One activity's attendance by category × sex (age groups summed), with its margins."""

    cells: dict[tuple[str, str], int]  # (category, sex) → people
    by_category: dict[str, int]
    by_sex: dict[str, int]
    total: int


def attendance_table(activity: Activity) -> AttendanceTable:
    rows = (
        Attendance.objects.filter(activity=activity)
        .values("category", "sex")
        .annotate(n=Sum("count"))
        .order_by()
    )
    cells: dict[tuple[str, str], int] = {}
    by_category: dict[str, int] = {}
    by_sex: dict[str, int] = {}
    for row in rows:
        cells[(row["category"], row["sex"])] = row["n"]
        by_category[row["category"]] = by_category.get(row["category"], 0) + row["n"]
        by_sex[row["sex"]] = by_sex.get(row["sex"], 0) + row["n"]
    return AttendanceTable(cells, by_category, by_sex, sum(cells.values()))
