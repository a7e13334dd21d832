"""Figures of human-rights casework: events, acts by violation, victims, interventions by
outcome and channel, per period and region — with disclosure control, always.

    compute(office, FigureQuery("case_acts", ActivityFilter(date_from=…, date_to=…),
                                by=("violation", "year")))

The engine (`engine.compute`) asks `protected_table` for the case measures. The counts come from the
plain columns of the case records only (dates, kinds, the region, statuses, outcomes),
never from a sealed field, and hold no identity. Every answer, for everyone, leaves the
engine through `disclosure.protect`: the table of the breakdown with every row, column
and grand total, small cells withheld ("<5"), complementary cells withheld ("…") so that
no withheld cell can be worked out from the shown ones, audited by the linear-program
check. A withheld number is `None` in its `Figure` (`suppressed=True`);
`FigureResult.protected` carries the whole table with its totals and labels.

Rules, written once here:
- an event, its acts and its victims count in the period in which the event began and in
  the event's region; an event without a beginning counts only where no period is asked;
- victims are the victims of the event's acts, each person once per event;
- an intervention counts in the period in which it was made, in its event's region;
- a successful intervention is one whose request was met (outcome "resolved").

Everyone sees the same protected numbers, the case team included: a figure is published
to whoever reads the page, and the team has its cases' details on the case pages.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import TYPE_CHECKING, Any, Protocol

from django.db.models import Count, QuerySet
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from peacebuild.casework.models import Act, Event, Intervention
from peacebuild.lib.periodkeys import TIME_DIMENSIONS, period_bounds, time_key
from peacebuild.places.models import Place

from . import disclosure

if TYPE_CHECKING:
    from peacebuild.activities.queries import ActivityFilter
    from peacebuild.mandates.models import Office


CASE_MEASURES = {
    "case_events": gettext_lazy("human-rights events"),
    "case_acts": gettext_lazy("violations recorded (acts)"),
    "case_victims": gettext_lazy("victims"),
    "case_interventions": gettext_lazy("interventions with the authorities"),
}
CASE_DIMENSIONS = {
    "case_events": ("status", "region", *TIME_DIMENSIONS),
    "case_acts": ("violation", "region", *TIME_DIMENSIONS),
    "case_victims": ("region", *TIME_DIMENSIONS),
    "case_interventions": ("outcome", "channel", "region", *TIME_DIMENSIONS),
}
SUCCESSFUL = Intervention.Outcome.RESOLVED
NO_REGION = 0  # the key of records without a region
Key = tuple[object, ...]


class FigureQuery(Protocol):
    """What of `engine.FigureQuery` a case figure reads."""

    @property
    def measure(self) -> str: ...
    @property
    def filters(self) -> ActivityFilter: ...
    @property
    def by(self) -> tuple[str, ...]: ...
    @property
    def min_cell(self) -> int: ...


def validate(q: FigureQuery) -> list[str]:
    """What is wrong with a case figure, as messages for the user."""
    errors: list[str] = []
    allowed = CASE_DIMENSIONS[q.measure]
    unknown = [d for d in q.by if d not in allowed]
    if unknown:
        errors.append(_("This human-rights figure cannot be broken down by “%(name)s”.")
                      % {"name": unknown[0]})
    if len(set(q.by)) != len(q.by) or len(set(q.by) & set(TIME_DIMENSIONS)) > 1:
        errors.append(_("Each breakdown may be used once, and only one of month, quarter and "
                        "year."))
    if len(q.by) > 2:
        errors.append(_("Human-rights figures are broken down by at most two things at once."))
    f = q.filters
    other = [name for name in ("programme", "type", "category", "partner", "q", "sex",
                               "participant_category") if getattr(f, name, None)]
    if other:
        errors.append(_("Human-rights figures can be filtered by period and region only."))
    if f.date_from and f.date_to and f.date_to < f.date_from:
        errors.append(_("The end of the period is before its start."))
    return errors


def _window(rows: QuerySet[Any], day: str, f: ActivityFilter, by: tuple[str, ...],
            region: str) -> QuerySet[Any]:
    if f.date_from:
        rows = rows.filter(**{f"{day}__gte": f.date_from})
    if f.date_to:
        rows = rows.filter(**{f"{day}__lte": f.date_to})
    if (f.date_from or f.date_to or set(by) & set(TIME_DIMENSIONS)):
        rows = rows.filter(**{f"{day}__isnull": False})
    if f.region:
        rows = rows.filter(**{region: f.region})
    return rows


def _counts(office: Office, q: FigureQuery) -> dict[Key, int]:
    """The raw counts by breakdown key (nonzero cells only)."""
    f, by = q.filters, q.by
    if q.measure == "case_interventions":
        rows: QuerySet[Any] = _window(Intervention.objects.filter(event__office=office),
                                      "made_on", f, by, "event__region_id")
        columns = {"outcome": "outcome", "channel": "channel", "region": "event__region_id",
                   "day": "made_on"}
        value: Any = Count("id")
    elif q.measure == "case_events":
        rows = _window(Event.objects.filter(office=office), "started_on", f, by, "region_id")
        columns = {"status": "status", "region": "region_id", "day": "started_on"}
        value = Count("id")
    elif q.measure == "case_acts":
        rows = _window(Act.objects.filter(event__office=office), "event__started_on", f, by,
                       "event__region_id")
        columns = {"violation": "violation", "region": "event__region_id",
                   "day": "event__started_on"}
        value = Count("id")
    else:  # case_victims: each person once per event
        pairs = _window(Act.objects.filter(event__office=office), "event__started_on", f, by,
                        "event__region_id")
        out: dict[Key, int] = defaultdict(int)
        for row in pairs.values("event_id", "victim_id", "event__region_id",
                                "event__started_on").distinct().order_by():
            out[_key(by, {"region": row["event__region_id"]}, row["event__started_on"])] += 1
        return dict(out) if by else {(): sum(out.values())}
    names = [columns["day"] if d in TIME_DIMENSIONS else columns[d] for d in by]
    out = defaultdict(int)
    if not names:
        return {(): rows.aggregate(n=value)["n"] or 0}
    for row in rows.values(*names).annotate(n=value).order_by():
        keyed = {d: row[columns[d]] for d in by if d not in TIME_DIMENSIONS}
        out[_key(by, keyed, row[columns["day"]] if set(by) & set(TIME_DIMENSIONS) else None)
            ] += row["n"]
    return {k: v for k, v in out.items() if v}


def _key(by: tuple[str, ...], keyed: dict[str, Any], day: dt.date | None) -> Key:
    return tuple(time_key(d, day) if d in TIME_DIMENSIONS and day is not None
                 else (NO_REGION if d == "region" and keyed.get(d) is None else keyed.get(d))
                 for d in by)


def levels(office: Office, q: FigureQuery, found: dict[Key, int]) -> list[list[object]]:
    """Every key of each breakdown: the whole vocabulary (zeros included), the office's
    regions, every period of the window (or those with records when there is none)."""
    out: list[list[object]] = []
    for i, dim in enumerate(q.by):
        seen = {key[i] for key in found}
        if dim == "violation":
            keys: list[object] = list(Act.Violation.values)
        elif dim == "outcome":
            keys = list(Intervention.Outcome.values)
        elif dim == "channel":
            keys = list(Intervention.Channel.values)
        elif dim == "status":
            keys = list(Event.Status.values)
        elif dim == "region":
            regions = Place.objects.filter(level=Place.Level.REGION, parent__code=office.country)
            if q.filters.region:
                regions = regions.filter(pk=q.filters.region)
            keys = list(regions.order_by("code").values_list("pk", flat=True))
            keys += sorted((k for k in seen if k not in keys), key=str)
        elif q.filters.date_from and q.filters.date_to:
            keys = periods_between(dim, q.filters.date_from, q.filters.date_to)
        else:
            keys = sorted(seen, key=str)
        out.append(keys)
    return out


def periods_between(dim: str, first: dt.date, last: dt.date) -> list[object]:
    keys: list[object] = []
    day = first
    while day <= last:
        key = time_key(dim, day)
        keys.append(key)
        end = period_bounds(dim, key)[1]
        if end >= last:
            break
        day = end + dt.timedelta(days=1)
    return keys


def protected_table(office: Office, q: FigureQuery
                    ) -> tuple[disclosure.Protected, list[dict[str, object]]]:
    """The protected table of a case figure (see the module's docstring), and for each
    breakdown its keys by their text in the table ("12" → region 12)."""
    found = _counts(office, q)
    lv = levels(office, q, found)
    as_text: list[dict[str, object]] = [{str(k): k for k in keys} for keys in lv]
    counts = {tuple(str(k) for k in key): v for key, v in found.items()}
    threshold = max(q.min_cell, disclosure.THRESHOLD)
    if any(not keys for keys in lv):  # a breakdown with no keys at all: nothing to count
        return disclosure.Protected(q.by, {tuple(disclosure.TOTAL for _d in q.by): 0},
                                    frozenset(), frozenset(), threshold, 0), as_text
    return disclosure.protect(counts, [[str(k) for k in keys] for keys in lv], dims=q.by,
                              threshold=threshold, zeros="hidden"), as_text


def page_url(filters: ActivityFilter, breakdown: dict[str, object]) -> str:
    """Where a case figure is shown: the human-rights figures page for its period, never
    a case."""
    first, last = filters.date_from, filters.date_to
    for dim, key in breakdown.items():
        if dim in TIME_DIMENSIONS:
            a, b = period_bounds(dim, str(key))
            first, last = max(a, first or a), min(b, last or b)
    query = {"date_from": first.isoformat() if first else "",
             "date_to": last.isoformat() if last else ""}
    clean = {k: v for k, v in query.items() if v}
    base = reverse("programmes:human_rights")
    return f"{base}?{urlencode(clean)}" if clean else base


def label(dim: str, key: object) -> str:
    """A breakdown key as people read it."""
    choices: dict[str, Any] = {"violation": Act.Violation, "outcome": Intervention.Outcome,
                               "channel": Intervention.Channel, "status": Event.Status}
    if dim in choices and key in choices[dim].values:
        return str(choices[dim](key).label)
    if dim == "region":
        if key == NO_REGION:
            return _("region not recorded")
        place = Place.objects.filter(pk=int(str(key))).first()
        return place.localized_name if place else str(key)
    return str(key)
