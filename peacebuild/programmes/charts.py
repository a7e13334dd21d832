"""The dashboard's figures as tables and pictures, all from the figures engine.

Reports embed the same pictures: each `*_svg` function takes an office and an
ActivityFilter and returns an SVG string in which every bar and region links to the
records behind its number. On a page in a right-to-left language the bar charts are
mirrored (time runs from the right); reports pass `rtl=False`, as their PDF and DOCX
renderers draw SVG text without bidi.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from peacebuild.activities.queries import ActivityFilter
from peacebuild.figures import engine as figures
from peacebuild.lib import svg
from peacebuild.lib.formatting import format_number
from peacebuild.mandates.models import Office
from peacebuild.places import maps
from peacebuild.places.models import Place

from .periods import quarters_between

if TYPE_CHECKING:
    from .queries import IndicatorValue

MAP_MEASURES = ("activities", "participants")
SEX_COLOURS = {"f": "#b5446e", "m": "#006c9c", "u": "#c9cdd1"}


def plain(value: object) -> object:
    """Decimals as the number they are: 4.00 → 4, 30.50 → 30.5 (tables and downloads)."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def n(value: object) -> str:
    return format_number(value, get_language())  # type: ignore[arg-type]


def _measure_label(measure: str) -> str:
    return str(figures.MEASURES[measure])


@dataclass
class Table:
    """A figure table: what the page shows, and what downloads as CSV and XLSX."""

    name: str
    title: str
    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)
    links: list[list[str]] = field(default_factory=list)  # per row, per column ("" = none)


def quarter_rows(office: Office, flt: ActivityFilter
                 ) -> list[tuple[str, figures.Figure, figures.Figure]]:
    """(quarter, activities, participants) for every quarter of the filter's dates."""
    acts = figures.compute(office, figures.FigureQuery("activities", flt, by=("quarter",)))
    people = figures.compute(office, figures.FigureQuery("participants", flt, by=("quarter",)))
    by_key_a = {str(f.breakdown["quarter"]): f for f in acts.rows}
    by_key_p = {str(f.breakdown["quarter"]): f for f in people.rows}
    keys = sorted(set(by_key_a) | set(by_key_p))
    if flt.date_from and flt.date_to:
        keys = quarters_between(flt.date_from, flt.date_to)
    out = []
    for key in keys:
        zero_a = figures.Figure("activities", 0, office, flt, {"quarter": key})
        zero_p = figures.Figure("participants", 0, office, flt, {"quarter": key})
        out.append((key, by_key_a.get(key, zero_a), by_key_p.get(key, zero_p)))
    return out


def attendance_rows(office: Office, flt: ActivityFilter, dim: str) -> list[figures.Figure]:
    rows = figures.compute(office, figures.FigureQuery("attendance", flt, by=(dim,))).rows
    return sorted(rows, key=lambda f: -(f.value or 0))


def region_rows(office: Office, flt: ActivityFilter, measure: str
                ) -> list[tuple[Place, figures.Figure]]:
    """Every region of the country with its figure (zero where nothing happened)."""
    result = figures.compute(office, figures.FigureQuery(measure, flt, by=("region",)))
    by_pk = {f.breakdown["region"]: f for f in result.rows}
    regions = Place.objects.filter(level=Place.Level.REGION, parent__code=office.country) \
        .order_by("code")
    return [(r, by_pk.get(r.pk) or figures.Figure(measure, 0, office, flt, {"region": r.pk}))
            for r in regions]


# ---------------------------------------------------------------------------------------
# Pictures


def _rtl(rtl: bool | None) -> bool:
    return get_language_bidi() if rtl is None else rtl


def trend_svg(office: Office, flt: ActivityFilter, measure: str = "activities",
              rows: list[tuple[str, figures.Figure, figures.Figure]] | None = None,
              fmt: Callable[[object], str] = n, rtl: bool | None = None) -> str:
    """Activities or participants by quarter; `rows` from `quarter_rows` if already at hand.
    `fmt` writes the numbers (a report passes its document language's UN style)."""
    quarters = [(q, a if measure == "activities" else p)
                for q, a, p in (rows if rows is not None else quarter_rows(office, flt))]
    bars = [svg.Bar(quarter, figure.value or 0, href=figure.records_url,
                    value_label=fmt(figure.value),
                    title=_("%(measure)s in %(period)s: %(value)s") % {
                        "measure": _measure_label(measure), "period": quarter,
                        "value": fmt(figure.value)})
            for quarter, figure in quarters]
    return svg.bar_chart(bars, title=_("%(measure)s by quarter") % {
        "measure": _measure_label(measure)}, empty=_("No activities in this period."),
        rtl=_rtl(rtl))


def attendance_svg(office: Office, flt: ActivityFilter, dim: str,
                   rows: list[figures.Figure] | None = None) -> str:
    """Participants by sex or category; `rows` from `attendance_rows` if already at hand."""
    rows = attendance_rows(office, flt, dim) if rows is None else rows
    bars = [svg.Bar(figures.dim_label(dim, f.breakdown[dim]), f.value or 0, href=f.records_url,
                    value_label=n(f.value),
                    colour=SEX_COLOURS.get(str(f.breakdown[dim]), "") if dim == "sex" else "")
            for f in rows]
    titles = {"sex": _("Participants by sex"), "category": _("Participants by category")}
    return svg.hbar_chart(bars, title=titles.get(dim, dim),
                          empty=_("No attendance breakdown recorded in this period."),
                          rtl=_rtl(None))


def map_svg(office: Office, flt: ActivityFilter, measure: str = "activities",
            table: list | None = None, fmt: Callable[[object], str] = n,
            rtl: bool | None = None) -> str:
    """The regions coloured by activities or participants; `table` from `region_table` if
    already at hand."""
    column = 1 if measure == "activities" else 2
    pairs = ([(row[0], row[column]) for row in table] if table is not None
             else region_rows(office, flt, measure))
    values = [maps.RegionValue(place.code, place.localized_name, fig.value,
                               value_label=fmt(fig.value), href=fig.records_url)
              for place, fig in pairs]
    if not maps.has_map(office.country):
        return maps.message_svg(str(_("There is no map of this country's regions in "
                                      "Peacebuild.")), rtl=_rtl(rtl))
    return maps.region_map_svg(values, country=office.country, title=_(
        "%(measure)s by region") % {"measure": _measure_label(measure)})


# ---------------------------------------------------------------------------------------
# Tables


def tables(office: Office, flt: ActivityFilter, indicator_values: list | None = None
           ) -> dict[str, Table]:
    """Every figure table of the dashboard, by name."""
    out: dict[str, Table] = {}
    t = Table("quarters", _("Activities and participants by quarter"),
              [_("Quarter"), _("Activities"), _("Participants")])
    for key, acts, people in quarter_rows(office, flt):
        t.rows.append([key, acts.value, people.value])
        t.links.append(["", acts.records_url, people.records_url])
    out[t.name] = t
    for dim, title, header in [("sex", _("Participants by sex"), _("Sex")),
                               ("category", _("Participants by category"), _("Category"))]:
        t = Table(dim, title, [header, _("Participants")])
        for f in attendance_rows(office, flt, dim):
            t.rows.append([figures.dim_label(dim, f.breakdown[dim]), f.value])
            t.links.append(["", f.records_url])
        out[dim] = t
    t = Table("regions", _("Activities and participants by region"),
              [_("Region"), _("Code"), _("Activities"), _("Participants")])
    for place, acts, people in region_table(office, flt):
        t.rows.append([place.localized_name, place.code, acts.value, people.value])
        t.links.append(["", "", acts.records_url, people.records_url])
    out[t.name] = t
    if indicator_values is not None:
        t = Table("indicators", _("Indicators"),
                  [_("Programme"), _("Code"), _("Indicator"), _("Unit"), _("Baseline"),
                   _("Target"), _("Actual"), _("How the actual is known")])
        for iv in indicator_values:
            ind = iv.indicator
            actual = iv.value if iv.value is not None else iv.text
            how = _("computed from the records") if ind.is_computed else (
                _("entered") if iv.entered else "")
            t.rows.append([ind.output.outcome.programme.localized_name, ind.code,
                           ind.localized_title, ind.localized_unit,
                           plain(ind.baseline_value), plain(iv.target_value), plain(actual),
                           how])
            t.links.append(["", "", "", "", "", "", iv.href, ""])
        out[t.name] = t
    return out


def region_table(office: Office, flt: ActivityFilter
                 ) -> list[tuple[Place, figures.Figure, figures.Figure]]:
    people = dict(region_rows(office, flt, "participants"))
    return [(place, acts, people[place]) for place, acts in region_rows(office, flt,
                                                                          "activities")]


def progress_svg(iv: "IndicatorValue") -> str:
    """The indicator's actual against its target and baseline, for counts and percentages
    (yes/no and qualitative indicators read better as words)."""
    ind = iv.indicator
    if ind.kind not in ("count", "percentage") or (iv.value is None and iv.target is None):
        return ""
    def f(v: object) -> float | None:
        return float(v) if v is not None else None  # type: ignore[arg-type]
    title = _("%(indicator)s: %(actual)s of a target of %(target)s") % {
        "indicator": ind.localized_title, "actual": n(iv.value), "target": n(iv.target_value)}
    return svg.progress_bar(value=f(iv.value), target=f(iv.target_value),
                            baseline=f(ind.baseline_value), title=title, href=iv.href,
                            width=220, rtl=get_language_bidi())
