"""The named figures a report's narrative may use, each a question to the figures engine
(or a mandate fact) relative to the report's period.

The mandate's facts (`{established_on}`, `{current_period_end}`…) are the same for every
office and are defined here. Every other figure is the office's own: a `FigureDefinition`
row in its codes (activity type, programme, text…), edited in the admin; the demo loads
UNTOP's from its data files. No office's codes are written in this module.

`{club_meetings}` in a section's text is computed here on every preview and rendering; an
issued version keeps the values it had. A name that is not in the catalogue, or a figure
that cannot be computed for the period (no records, no proposed extension) is an error,
never a blank or a zero.
"""

import datetime as dt
from dataclasses import dataclass, field, replace

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peacebuild.activities.queries import ActivityFilter
from peacebuild.figures.casework import SUCCESSFUL
from peacebuild.figures.engine import (
    COORDINATION_MEASURES,
    FigureError,
    FigureQuery,
    compute,
)
from peacebuild.mandates.models import Office
from peacebuild.mandates.queries import mandate_state

from .models import FigureDefinition


class NotComputable(Exception):
    """The figure cannot be stated for this period; the message says why."""


@dataclass(frozen=True)
class Period:
    office: Office
    start: dt.date
    end: dt.date
    as_of: dt.date  # the day mandate facts are read on


@dataclass(frozen=True)
class Value:
    value: int | dt.date
    url: str
    months: tuple[str, ...] = ()  # "2003-10": the months the records fall in
    phrase: str = ""  # a casework figure is written as this phrase of the texts (texts.py)
    withheld: bool = False  # too small to state (disclosure control): the phrase says so


@dataclass(frozen=True)
class Definition:
    name: str
    description: object  # lazy translation (a mandate fact) or the office's English text
    measure: str = ""  # a figures-engine measure; "" for a mandate fact
    type_id: int | None = None
    programme_id: int | None = None
    category: str = ""  # ActivityType.Category
    q: str = ""
    attendance_category: str = ""  # participant category, for the attendance measure
    centre_kind: str = ""
    fact: str = ""  # a mandate fact: established_on, current_period_end…
    descriptions: tuple[tuple[str, str], ...] = ()  # (language, text), the office's
    group_id: int | None = None  # coordination measures: one group; None for all
    casework: str = ""  # a casework figure, always disclosure-controlled (CASEWORK below)

    @classmethod
    def of(cls, row: FigureDefinition) -> "Definition":
        return cls(name=row.name, description=row.description, measure=row.measure,
                   type_id=row.activity_type_id, programme_id=row.programme_id,
                   category=row.category, q=row.text,
                   attendance_category=row.participant_category, centre_kind=row.centre_kind,
                   descriptions=tuple(sorted(row.descriptions.items())),
                   group_id=row.group_id)

    def description_in(self, language: str) -> str:
        """In a document's language (un code: zh, ar…); a fact follows the active language."""
        return dict(self.descriptions).get(language) or str(self.description)

    @property
    def is_date(self) -> bool:
        return bool(self.fact)

    def compute(self, period: Period) -> Value:
        if self.fact:
            return Value(_fact(self.fact, period), reverse("ui:home"))
        if self.casework:
            return _successful_interventions(self, period)
        if self.measure == "centres_open":
            result = compute(period.office, FigureQuery("centres_open", on=period.end,
                                                        centre_kind=self.centre_kind))
            return _nonzero(self, result.total.value, result.total.records_url)
        if self.measure in COORDINATION_MEASURES:
            return self._coordination(period)
        flt = self.filters(period)
        by = ("category",) if self.attendance_category else ()
        try:
            result = compute(period.office, FigureQuery(self.measure, flt, by=by))
            months = compute(period.office, FigureQuery(
                "attendance" if self.attendance_category else "activities", flt,
                by=(*by, "month")))
        except FigureError as error:
            raise NotComputable(" ".join(error.messages)) from error
        if self.attendance_category:
            row = next((r for r in result.rows
                        if r.breakdown.get("category") == self.attendance_category), None)
            value, url = (row.value, row.records_url) if row else (0, result.total.records_url)
            keys = [str(r.breakdown["month"]) for r in months.rows
                    if r.breakdown.get("category") == self.attendance_category and r.value]
        else:
            value, url = result.total.value, result.total.records_url
            keys = [str(r.breakdown["month"]) for r in months.rows if r.value]
        return _nonzero(self, value, url, tuple(sorted(set(keys))))

    def _coordination(self, period: Period) -> Value:
        group = self.group_id
        flt = ActivityFilter(date_from=period.start, date_to=period.end)
        try:
            total = compute(period.office, FigureQuery(self.measure, flt, group=group)).total
        except FigureError as error:
            raise NotComputable(" ".join(error.messages)) from error
        if self.measure == "actions_overdue":  # none overdue is worth stating
            return Value(total.value or 0, total.records_url)
        if self.measure == "member_attendance" and not compute(
                period.office, FigureQuery("meetings_held", flt, group=group)).total.value:
            total = replace(total, value=0)
        return _nonzero(self, total.value, total.records_url)

    def filters(self, period: Period) -> ActivityFilter:
        return ActivityFilter(date_from=period.start, date_to=period.end,
                              category=self.category, q=self.q, type=self.type_id,
                              programme=self.programme_id)


def _nonzero(definition: Definition, value: int | None, url: str,
             months: tuple[str, ...] = ()) -> Value:
    if not value:
        raise NotComputable(str(_("No records in this period give “%(name)s” a value: the "
                                  "text would state zero.") % {"name": definition.name}))
    return Value(value, url, months)


def _successful_interventions(definition: Definition, period: Period) -> Value:
    """The interventions of the period whose request was met, as the human-rights figures
    page shows them (the cell of its outcome table, disclosure-controlled). A withheld
    count is never stated: the text then says "a number of". The link goes to that page,
    never to a case."""
    flt = ActivityFilter(date_from=period.start, date_to=period.end)
    result = compute(period.office, FigureQuery("case_interventions", flt, by=("outcome",)))
    cell = next(r for r in result.rows if r.breakdown.get("outcome") == SUCCESSFUL)
    url = result.total.records_url
    if cell.suppressed:
        return Value(0, url, phrase=definition.casework, withheld=True)
    if not cell.value:
        raise NotComputable(str(_("No intervention with the authorities in this period met "
                                  "its request: the text would state zero.")))
    return Value(cell.value, url, phrase=definition.casework)


def _fact(fact: str, period: Period) -> dt.date:
    office = period.office
    if fact == "established_on":
        return office.established_on
    if fact == "period_start":
        return period.start
    if fact == "period_end":
        return period.end
    state = mandate_state(office, period.as_of)
    if fact in ("current_period_start", "current_period_end"):
        if state.current is None:
            raise NotComputable(str(_("No mandate period is in force on %(day)s.")
                                    % {"day": period.as_of.isoformat()}))
        return state.current.starts_on if fact == "current_period_start" else \
            state.current.ends_on
    if fact in ("proposed_end", "proposed_start"):
        if state.extension is None:
            raise NotComputable(str(_("No extension of the mandate is proposed or approved as "
                                      "of %(day)s: record the proposed period first.")
                                    % {"day": period.as_of.isoformat()}))
        return state.extension.ends_on if fact == "proposed_end" else \
            state.extension.starts_on
    raise NotComputable(fact)


def _d(name: str, description: object, **kw: str) -> Definition:
    return Definition(name=name, description=description, **kw)


NO_DEFINITIONS = _("This office has not defined its figures yet: only the mandate's dates "
                   "can be written in braces. An administrator defines the others (a name, a "
                   "measure, the activity type or programme it counts) under Reports › "
                   "Figure definitions in the administration pages.")
NO_DEFINITIONS_FOR = _("There is no figure called “%(name)s”: this office has not defined "
                       "its figures yet (Reports › Figure definitions in the "
                       "administration pages).")

# The mandate's facts: the same questions for every office.
FACTS: dict[str, Definition] = {d.name: d for d in [
    _d("established_on", _("Date the office was established"), fact="established_on"),
    _d("period_start", _("First day of the report's period"), fact="period_start"),
    _d("period_end", _("Last day of the report's period"), fact="period_end"),
    _d("current_period_start", _("Start of the mandate period in force on the document's "
                                 "date"), fact="current_period_start"),
    _d("current_period_end", _("End of the mandate period in force on the document's date"),
       fact="current_period_end"),
    _d("proposed_start", _("Start of the proposed extension of the mandate"),
       fact="proposed_start"),
    _d("proposed_end", _("End of the proposed extension of the mandate"),
       fact="proposed_end"),
]}


# The casework's figures: the same question for every office, from the case records'
# plain columns, through the engine's disclosure control. Written as a phrase.
CASEWORK: dict[str, Definition] = {d.name: d for d in [
    _d("successful_interventions", _("Interventions with the authorities in the period "
                                     "whose request was met (human-rights casework; fewer "
                                     "than 5 are written as “a number of”)"),
       casework="interventions"),
]}
BUILT_IN = {**FACTS, **CASEWORK}


def catalogue(office: Office) -> dict[str, Definition]:
    """Every figure the office's texts may name: the mandate's facts and the casework's,
    then its definitions."""
    own = {row.name: Definition.of(row)
           for row in FigureDefinition.objects.filter(office=office).order_by("id")}
    return {**BUILT_IN, **{n: d for n, d in own.items() if n not in BUILT_IN}}


@dataclass
class Cache:
    """Values computed once per rendering: a letter uses a figure in seven languages."""

    period: Period
    values: dict[str, Value | NotComputable] = field(default_factory=dict)
    _definitions: dict[str, Definition] | None = field(default=None, init=False, repr=False)

    @property
    def definitions(self) -> dict[str, Definition]:
        if self._definitions is None:
            self._definitions = catalogue(self.period.office)
        return self._definitions

    @property
    def office_defines_none(self) -> bool:
        return self.definitions.keys() == BUILT_IN.keys()

    def get(self, name: str) -> Value:
        if name not in self.values:
            definition = self.definitions.get(name)
            if definition is None and self.office_defines_none:
                self.values[name] = NotComputable(str(NO_DEFINITIONS_FOR % {"name": name}))
            elif definition is None:
                self.values[name] = NotComputable(
                    str(_("There is no figure called “%(name)s”.") % {"name": name}))
            else:
                try:
                    self.values[name] = definition.compute(self.period)
                except NotComputable as error:
                    self.values[name] = error
        found = self.values[name]
        if isinstance(found, NotComputable):
            raise found
        return found
