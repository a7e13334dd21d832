"""The human-rights figures page: aggregates of the casework, all from the figures engine
and all through its disclosure control. No identity, no link to a case.

Each measure is published as one table (a breakdown by year, with its totals); every
other number of that measure on the page (the headline, the chart) is a margin of that
one protected table, so the page never shows two independently protected versions of the
same number, which a reader could play against each other.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from peacebuild.activities.queries import ActivityFilter
from peacebuild.figures import engine as figures
from peacebuild.figures.casework import SUCCESSFUL, label
from peacebuild.figures.disclosure import THRESHOLD, TOTAL, Protected
from peacebuild.lib import svg
from peacebuild.lib.formatting import format_number
from peacebuild.mandates.models import Office


def small_label(threshold: int = THRESHOLD) -> str:
    """How a small withheld number is written: "<5" (the digits of the language), kept
    left to right inside right-to-left text (else Arabic shows "5>")."""
    return "\u2066<" + format_number(threshold, get_language()) + "\u2069"


def shown(protected: Protected, key: tuple[str, ...]) -> str:
    """A cell as the page writes it: the number, "<5" or "…"."""
    if key in protected.primary:
        return small_label(protected.threshold)
    if key in protected.complementary:
        return "…"
    return format_number(protected.values[key], get_language())


@dataclass
class Grid:
    """One protected table: rows (a breakdown, or one row), columns (years), totals."""

    name: str
    title: str
    row_header: str
    columns: list[str]  # the years, then "Total"
    rows: list[tuple[str, list[str]]] = field(default_factory=list)  # label, cells + total
    total: list[str] = field(default_factory=list)  # the total row, "" when one row
    margin: list[tuple[str, str, int | None]] = field(default_factory=list)  # by row dim
    grand: str = ""
    grand_value: int | None = None
    withheld: bool = False


def grid(office: Office, flt: ActivityFilter, measure: str, row_dim: str | None,
         title: str, row_header: str) -> Grid:
    by = (row_dim, "year") if row_dim else ("year",)
    result = figures.compute(office, figures.FigureQuery(measure, flt, by=by))
    protected = result.protected
    assert protected is not None
    years: list[str] = sorted({k[-1] for k in protected.values if k[-1] != TOTAL})
    out = Grid(measure, title, row_header, [*years, _("Total")],
               withheld=bool(protected.withheld))
    grand = (TOTAL, TOTAL) if row_dim else (TOTAL,)
    out.grand, out.grand_value = shown(protected, grand), protected.shown(grand)
    if row_dim:
        keys = sorted({k[0] for k in protected.values if k[0] != TOTAL},
                      key=lambda k: _order(result, row_dim, k))
        for key in keys:
            cells = [shown(protected, (key, y)) for y in years] + [
                shown(protected, (key, TOTAL))]
            name = label(row_dim, _native(result, row_dim, key))
            out.rows.append((name, cells))
            out.margin.append((name, cells[-1], protected.shown((key, TOTAL))))
        out.total = [shown(protected, (TOTAL, y)) for y in years] + [out.grand]
    else:
        out.rows.append((row_header, [shown(protected, (y,)) for y in years] + [out.grand]))
        out.margin = [(y, shown(protected, (y,)), protected.shown((y,))) for y in years]
    return out


def _native(result: figures.FigureResult, dim: str, text: str) -> object:
    for row in result.rows:
        if str(row.breakdown.get(dim)) == text:
            return row.breakdown[dim]
    return text


def _order(result: figures.FigureResult, dim: str, text: str) -> tuple[int, str]:
    """The vocabulary's own order (as `levels` gave it)."""
    keys = [str(r.breakdown.get(dim)) for r in result.rows]
    return (keys.index(text) if text in keys else len(keys), text)


def chart(g: Grid, *, horizontal: bool) -> str:
    """The table's margin as bars; a withheld number draws no bar, only its label."""
    bars = [svg.Bar(name, value or 0, value_label=text, title=f"{name}: {text}")
            for name, text, value in g.margin]
    if not g.withheld and not any(v for _n, _t, v in g.margin):
        bars = []  # nothing recorded: the empty picture says so
    draw = svg.hbar_chart if horizontal else svg.bar_chart
    return draw(bars, title=g.title, empty=_("Nothing recorded in this period."),
                rtl=get_language_bidi())


def page_tables(office: Office, flt: ActivityFilter) -> dict[str, Grid]:
    return {
        "events": grid(office, flt, "case_events", "region", _("Events by region and year"),
                       _("Region")),
        "acts": grid(office, flt, "case_acts", "violation",
                     _("Violations recorded, by kind and year"), _("Violation")),
        "victims": grid(office, flt, "case_victims", None, _("Victims by year"),
                        _("Victims")),
        "interventions": grid(office, flt, "case_interventions", "outcome",
                              _("Interventions with the authorities, by outcome and year"),
                              _("Outcome")),
    }


def successful(g: Grid) -> tuple[str, int | None]:
    """The interventions whose request was met, as the outcome table shows them."""
    name = label("outcome", SUCCESSFUL)
    for row_name, text, value in g.margin:
        if row_name == name:
            return text, value
    return format_number(0, get_language()), 0
