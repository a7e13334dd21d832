"""Reporting periods of the results framework: month, quarter, calendar year, mandate year.

A period is named by a kind and a key: ("month", "2003-10"), ("quarter", "2003-Q4"),
("year", "2003"), ("mandate", "2003-06-01") — a mandate year is named by the day it starts,
and is one of the office's approved mandate periods.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peacebuild.lib.periodkeys import period_bounds
from peacebuild.mandates.models import MandatePeriod, Office

from .models import PeriodKind

KEY_PATTERNS = {
    PeriodKind.MONTH: re.compile(r"^\d{4}-(0[1-9]|1[0-2])$"),
    PeriodKind.QUARTER: re.compile(r"^\d{4}-Q[1-4]$"),
    PeriodKind.YEAR: re.compile(r"^\d{4}$"),
    PeriodKind.MANDATE: re.compile(r"^\d{4}-\d{2}-\d{2}$"),
}


@dataclass(frozen=True)
class Period:
    kind: str
    key: str
    first: dt.date
    last: dt.date

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.MANDATE:
            return _("mandate year %(first)s – %(last)s") % {
                "first": self.first.isoformat(), "last": self.last.isoformat()}
        return self.key

    @property
    def param(self) -> str:
        """The period as one query parameter: "quarter:2003-Q4"."""
        return f"{self.kind}:{self.key}"


def mandate_years(office: Office) -> list[Period]:
    """The office's approved mandate periods as periods. When the next period starts on the
    day this one ends, that day belongs to the next one."""
    rows = list(MandatePeriod.objects.filter(office=office)
                .exclude(decision=MandatePeriod.Decision.WITHDRAWN).order_by("starts_on"))
    starts = {p.starts_on for p in rows}
    out = []
    for p in rows:
        last = p.ends_on - dt.timedelta(days=1) if p.ends_on in starts else p.ends_on
        out.append(Period(PeriodKind.MANDATE, p.starts_on.isoformat(), p.starts_on, last))
    return out


def resolve(office: Office, kind: str, key: str, *, years: list[Period] | None = None
            ) -> Period:
    """The period of this kind and key, or a ValidationError saying what is wrong. `years`:
    the office's `mandate_years`, when the caller has them already (a bulk write)."""
    key = (key or "").strip()
    if kind not in PeriodKind.values:
        raise ValidationError({"period_kind": _("Choose a kind of period.")})
    if not KEY_PATTERNS[PeriodKind(kind)].match(key):
        raise ValidationError({"period_key": _(
            "“%(key)s” does not name a %(kind)s. Write 2003-10 for a month, 2003-Q4 for a "
            "quarter, 2003 for a year, or the first day of a mandate year (2003-06-01)."
        ) % {"key": key, "kind": PeriodKind(kind).label}})
    if kind == PeriodKind.MANDATE:
        for period in mandate_years(office) if years is None else years:
            if period.key == key:
                return period
        raise ValidationError({"period_key": _(
            "No mandate year of this office starts on %(key)s."
        ) % {"key": key}})
    first, last = period_bounds(kind, key)
    return Period(kind, key, first, last)


def parse_param(office: Office, raw: str) -> Period:
    """"quarter:2003-Q4" → the period (ValidationError if bad)."""
    kind, _sep, key = (raw or "").partition(":")
    return resolve(office, kind, key)


def office_span(office: Office, *, years: list[Period] | None = None
                ) -> tuple[dt.date, dt.date]:
    """The days the office has a mandate for; without mandate periods, its life."""
    years = mandate_years(office) if years is None else years
    if years:
        return years[0].first, max(p.last for p in years)
    return office.established_on, office.closed_on or office.today() + dt.timedelta(days=3653)


def check_within_mandate(office: Office, period: Period, *,
                         span: tuple[dt.date, dt.date] | None = None) -> None:
    first, last = office_span(office) if span is None else span
    if period.last < first or period.first > last:
        raise ValidationError({"period_key": _(
            "%(period)s lies outside the office's mandate (%(first)s to %(last)s)."
        ) % {"period": period.label, "first": first.isoformat(), "last": last.isoformat()}})


def quarters_between(first: dt.date, last: dt.date) -> list[str]:
    out = []
    y, q = first.year, (first.month - 1) // 3 + 1
    while (y, q) <= (last.year, (last.month - 1) // 3 + 1):
        out.append(f"{y}-Q{q}")
        y, q = (y + 1, 1) if q == 4 else (y, q + 1)
    return out
