"""Reads of the results framework and the dashboards. Every number comes from the figures
engine (activity figures) or from the stored targets and entered actuals."""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from peacebuild.activities.queries import ActivityFilter
from peacebuild.figures import engine as figures
from peacebuild.lib.ids import parse_id
from peacebuild.mandates.models import Office

from . import periods, rules
from .models import (
    Actual,
    Assessment,
    Benchmark,
    Indicator,
    Outcome,
    Output,
    Programme,
    Target,
)
from .periods import Period


@dataclass(frozen=True)
class DashboardFilter:
    """What the dashboard shows: one programme or all, over a period."""

    period: Period
    programme: Programme | None = None
    chosen: str = ""  # the period parameter as chosen ("" = the default)

    @property
    def activity_filter(self) -> ActivityFilter:
        return ActivityFilter(programme=self.programme.pk if self.programme else None,
                              date_from=self.period.first, date_to=self.period.last)

    def as_query(self) -> dict[str, str]:
        out = {"period": self.period.param} if self.period.kind != "all" else {"period": "all"}
        if self.period.kind == "range":
            out = {"date_from": self.period.first.isoformat(),
                   "date_to": self.period.last.isoformat()}
        if self.programme:
            out["programme"] = str(self.programme.pk)
        return out


def whole_life(office: Office) -> Period:
    first, last = periods.office_span(office)
    return Period("all", "", first, min(last, office.today()))


def period_options(office: Office) -> list[Period]:
    """Mandate years, then the calendar years they span."""
    years = periods.mandate_years(office)
    first, last = periods.office_span(office)
    calendar = [periods.resolve(office, "year", str(y))
                for y in range(first.year, min(last, office.today()).year + 1)]
    return years + calendar


def default_period(office: Office) -> Period:
    """The mandate year of the latest target, else the whole life of the office."""
    latest = (Target.objects.filter(indicator__output__outcome__programme__office=office,
                                    period_kind="mandate")
              .order_by("-period_key").values_list("period_key", flat=True).first())
    if latest:
        try:
            return periods.resolve(office, "mandate", latest)
        except ValidationError:
            pass
    return whole_life(office)


def parse_dashboard_filter(office: Office, query: QueryDict, programme: Programme | None = None
                           ) -> tuple[DashboardFilter, list[str]]:
    """The dashboard's filter from the query string; bad values are left out and reported."""
    problems: list[str] = []
    if programme is None and (raw := query.get("programme", "").strip()):
        pk = parse_id(raw)
        programme = Programme.objects.filter(office=office, pk=pk).first() if pk else None
        if programme is None:
            problems.append(_("There is no programme “%(value)s” in this office; showing all "
                              "programmes.") % {"value": raw})
    period = None
    raw_from, raw_to = query.get("date_from", "").strip(), query.get("date_to", "").strip()
    if raw_from or raw_to:
        first, last = _date(raw_from), _date(raw_to)
        span = periods.office_span(office)
        if (raw_from and first is None) or (raw_to and last is None):
            problems.append(_("Write dates as YYYY-MM-DD."))
        else:
            # One end may be left open: it is then the office's first or last day.
            first, last = first or span[0], last or min(span[1], office.today())
            if last < first:
                problems.append(_("The end of the period is before its start."))
            else:
                period = Period("range", "", first, last)
    raw = query.get("period", "").strip()
    if period is None and raw == "all":
        period = whole_life(office)
    elif period is None and raw:
        try:
            period = periods.parse_param(office, raw)
        except ValidationError as error:
            problems += error.messages
    return DashboardFilter(period or default_period(office), programme, raw), problems


def _date(raw: str) -> dt.date | None:
    try:
        return parse_date(raw) if raw else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------
# Indicators


@dataclass
class IndicatorValue:
    """An indicator in one period: its target, and its actual — computed by the rule
    (`figure`, with `rows` when the rule has a breakdown) or entered (`entered`)."""

    indicator: Indicator
    period: Period
    target: Target | None = None
    entered: Actual | None = None
    figure: figures.Figure | None = None
    rows: list[figures.Figure] = field(default_factory=list)
    error: str = ""
    progress_svg: str = ""  # set by the page that shows it

    @property
    def value(self) -> Decimal | int | None:
        if self.figure is not None:
            return self.figure.value
        return self.entered.value if self.entered else None

    @property
    def labelled_rows(self) -> list[tuple[str, figures.Figure]]:
        """The rule's breakdown with readable labels ("women: 25")."""
        return [(", ".join(figures.dim_label(d, k) for d, k in f.breakdown.items()), f)
                for f in self.rows]

    @property
    def text(self) -> str:
        return self.entered.text if self.entered else ""

    @property
    def target_value(self) -> Decimal | None:
        return self.target.value if self.target else None

    @property
    def href(self) -> str:
        return self.figure.records_url if self.figure is not None else ""

    @property
    def status(self) -> str:
        """met / below / above / "" (nothing to compare)."""
        value, target = self.value, self.target_value
        if value is None or target is None:
            return ""
        direction = self.indicator.direction
        if direction == Indicator.Direction.DECREASE:
            return "met" if value <= target else "below"
        if direction == Indicator.Direction.MAINTAIN:
            return "met" if value == target else "below"
        return "met" if value >= target else "below"


def indicator_value(office: Office, indicator: Indicator, period: Period,
                    targets: dict[tuple[str, str], Target] | None = None,
                    actuals: dict[tuple[str, str], Actual] | None = None,
                    codes: rules.Codes | None = None) -> IndicatorValue:
    key = (period.kind, period.key)
    if targets is None:
        targets = {(t.period_kind, t.period_key): t for t in indicator.targets.all()}
    out = IndicatorValue(indicator, period, target=targets.get(key))
    if indicator.is_computed:
        try:
            compiled = rules.compile_rule(office, indicator.rule, codes)
            result = rules.evaluate(office, compiled, period)
        except ValidationError as error:  # a rule broken since it was saved (a type renamed)
            out.error = " ".join(error.messages)
            return out
        out.figure, out.rows = result.total, result.rows
    else:
        if actuals is None:
            actuals = {(a.period_kind, a.period_key): a for a in indicator.actuals.all()}
        out.entered = actuals.get(key)
    return out


def framework(office: Office, programme: Programme | None = None) -> QuerySet[Programme]:
    """Programmes with their outcomes, outputs, indicators, targets and actuals, in order."""
    programmes = Programme.objects.filter(office=office)
    if programme is not None:
        programmes = programmes.filter(pk=programme.pk)
    indicators = Indicator.objects.prefetch_related("targets", "actuals")
    outputs = Output.objects.prefetch_related(Prefetch("indicators", queryset=indicators))
    outcomes = Outcome.objects.prefetch_related(Prefetch("outputs", queryset=outputs))
    return programmes.prefetch_related(Prefetch("outcomes", queryset=outcomes))


def indicators_of(office: Office, programme: Programme | None = None) -> list[Indicator]:
    qs = (Indicator.objects.filter(output__outcome__programme__office=office)
          .select_related("output__outcome__programme")
          .prefetch_related("targets", "actuals")
          .order_by("output__outcome__programme__name", "output__outcome__order",
                    "output__outcome__code", "output__order", "output__code", "order", "code"))
    if programme is not None:
        qs = qs.filter(output__outcome__programme=programme)
    return list(qs)


def indicator_values(office: Office, period: Period, programme: Programme | None = None
                     ) -> list[IndicatorValue]:
    indicators = indicators_of(office, programme)
    codes = rules.Codes.of(office) if any(i.is_computed for i in indicators) else None
    return [indicator_value(office, i, period,
                            {(t.period_kind, t.period_key): t for t in i.targets.all()},
                            {(a.period_kind, a.period_key): a for a in i.actuals.all()},
                            codes)
            for i in indicators]


def indicator_history(office: Office, indicator: Indicator) -> list[IndicatorValue]:
    """Every period the indicator has a target or an entered actual for, in order."""
    targets = {(t.period_kind, t.period_key): t for t in indicator.targets.all()}
    actuals = {(a.period_kind, a.period_key): a for a in indicator.actuals.all()}
    codes = rules.Codes.of(office) if indicator.is_computed else None
    mandate_years = {p.key: p for p in periods.mandate_years(office)}
    out = []
    for kind, key in sorted(targets.keys() | actuals.keys(),
                            key=lambda k: (k[0] != "mandate", k[1])):
        try:
            period = mandate_years[key] if kind == "mandate" else periods.resolve(office, kind,
                                                                                  key)
        except (KeyError, ValidationError):
            continue  # a mandate period since withdrawn
        out.append(indicator_value(office, indicator, period, targets, actuals, codes))
    return out


# ---------------------------------------------------------------------------------------
# Benchmarks


def benchmarks(office: Office, programme: Programme | None = None) -> list[Benchmark]:
    qs = Benchmark.objects.filter(office=office).select_related("programme").prefetch_related(
        Prefetch("assessments",
                 queryset=Assessment.objects.select_related("assessed_by", "evidence_document")))
    if programme is not None:
        qs = qs.filter(programme=programme)
    return list(qs)
