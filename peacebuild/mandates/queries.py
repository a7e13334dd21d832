"""Reads about mandates: the timeline as the office saw it on a given day."""

import datetime as dt
from dataclasses import dataclass

from .models import MandatePeriod, Office

WARN_DAYS = 60


@dataclass(frozen=True)
class TimelineEntry:
    period: MandatePeriod
    status: str  # proposed / approved / in_force / ended / withdrawn


@dataclass(frozen=True)
class MandateState:
    office: Office
    as_of: dt.date
    entries: list[TimelineEntry]
    current: MandatePeriod | None
    days_left: int | None
    extension: MandatePeriod | None  # a later period proposed or approved, as seen that day
    closed: bool

    @property
    def extension_status(self) -> str:
        return self.extension.status_on(self.as_of) if self.extension else ""

    @property
    def warn(self) -> bool:
        """Fewer than 60 days remain and no extension is proposed."""
        return (
            self.current is not None
            and self.days_left is not None
            and self.days_left < WARN_DAYS
            and self.extension is None
            and not self.closed
        )


def mandate_state(office: Office, as_of: dt.date) -> MandateState:
    periods = (
        MandatePeriod.objects.filter(office=office)
        .select_related("document")
        .order_by("starts_on")
    )
    entries = [TimelineEntry(p, p.status_on(as_of)) for p in periods if p.known_on(as_of)]
    current = next((e.period for e in entries if e.status == "in_force"), None)
    extension = None
    if current is not None:
        extension = next(
            (
                e.period
                for e in entries
                if e.period.starts_on >= current.ends_on and e.status in {"proposed", "approved"}
            ),
            None,
        )
    return MandateState(
        office=office,
        as_of=as_of,
        entries=entries,
        current=current,
        days_left=(current.ends_on - as_of).days if current else None,
        extension=extension,
        closed=bool(office.closed_on and office.closed_on <= as_of),
    )
