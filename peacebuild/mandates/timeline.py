"""The mandate as a timeline picture: SVG drawn on the server, so the page, the DOCX and
the PDF show the same thing.

In a right-to-left language time runs from right to left (the first year on the right),
as Arabic calendars and charts read; dates and symbols stay left to right inside."""

import datetime as dt
from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.translation import get_language_bidi

from .queries import MandateState

WIDTH, ROW, LEFT, RIGHT = 900, 34, 18, 18  # room for the first and last years


@dataclass(frozen=True)
class Bar:
    x: float
    width: float
    y: float
    status: str
    label: str
    dates: str
    symbol: str
    title: str
    rtl: bool = False

    @property
    def text_x(self) -> float:
        """Where the label starts: inside the bar's start (its right edge when mirrored)."""
        return round(self.x + self.width - 4 if self.rtl else self.x + 4, 1)

    @property
    def text_y(self) -> float:
        return self.y + 15


def _x(day: dt.date, first: dt.date, last: dt.date, rtl: bool = False) -> float:
    span = max((last - first).days, 1)
    x = LEFT + (WIDTH - LEFT - RIGHT) * (day - first).days / span
    return WIDTH - x if rtl else x


def timeline_svg(state: MandateState, rtl: bool | None = None) -> str:
    """The periods as bars on a time axis; mirrored when `rtl` (default: the language's
    direction)."""
    rtl = get_language_bidi() if rtl is None else rtl
    if not state.entries:
        return ""
    first = min(e.period.starts_on for e in state.entries).replace(month=1, day=1)
    last_end = max(e.period.ends_on for e in state.entries)
    last = dt.date(last_end.year + 1, 1, 1)
    bars = []
    for i, entry in enumerate(state.entries):
        p = entry.period
        x0, x1 = sorted((_x(p.starts_on, first, last, rtl), _x(p.ends_on, first, last, rtl)))
        bars.append(
            Bar(
                x=round(x0, 1),
                width=round(max(x1 - x0, 2), 1),
                y=6 + i * ROW,
                status=entry.status,
                label=f"{p.starts_on:%Y}–{p.ends_on:%Y}",
                dates=f"{p.starts_on:%Y-%m-%d} – {p.ends_on:%Y-%m-%d}",
                symbol=p.document.symbol if p.document is not None else "",
                title=p.decided_by or (str(p.document) if p.document_id else ""),
                rtl=rtl,
            )
        )
    years = [
        (round(_x(dt.date(y, 1, 1), first, last, rtl), 1), y)
        for y in range(first.year, last.year + 1)
    ]
    height = 30 + len(bars) * ROW
    today_x = (round(_x(state.as_of, first, last, rtl), 1) if first <= state.as_of <= last
               else None)
    label_x = None if today_x is None else today_x - 3 if rtl else today_x + 3
    return render_to_string(
        "mandates/timeline.svg",
        {"bars": bars, "years": years, "width": WIDTH, "height": height,
         "axis_y": height - 14, "year_y": height - 2, "today_x": today_x,
         "today_label_x": label_x, "as_of": state.as_of,
         # Dates and symbols are left-to-right text; in a mirrored picture they end at x.
         "anchor": "end" if rtl else "start"},
    )
