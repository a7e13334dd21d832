"""The named figures a report's narrative may use, each a question to the figures engine
(or a mandate fact) relative to the report's period.

`{club_meetings}` in a section's text is computed here on every preview and rendering; an
issued version keeps the values it had. A name that is not in the catalogue, or a figure
that cannot be computed for the period (an unknown programme or activity type, no records,
no proposed extension) is an error, never a blank or a zero.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from peacebuild.activities.models import ActivityType
from peacebuild.activities.queries import ActivityFilter
from peacebuild.figures.engine import FigureError, FigureQuery, compute
from peacebuild.mandates.models import Office
from peacebuild.mandates.queries import mandate_state
from peacebuild.programmes.models import Programme


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


@dataclass(frozen=True)
class Definition:
    name: str
    description: object  # lazy translation
    measure: str = ""  # a figures-engine measure; "" for a mandate fact
    type_code: str = ""
    programme_code: str = ""
    category: str = ""  # ActivityType.Category
    q: str = ""
    attendance_category: str = ""  # participant category, for the attendance measure
    centre_kind: str = ""
    fact: str = ""  # a mandate fact: established_on, current_period_end…

    @property
    def is_date(self) -> bool:
        return bool(self.fact)

    def compute(self, period: Period) -> Value:
        if self.fact:
            return Value(_fact(self.fact, period), reverse("ui:home"))
        if self.measure == "centres_open":
            result = compute(period.office, FigureQuery("centres_open", on=period.end,
                                                        centre_kind=self.centre_kind))
            return _nonzero(self, result.total.value, result.total.records_url)
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
            keys = [r.breakdown["month"] for r in months.rows
                    if r.breakdown.get("category") == self.attendance_category and r.value]
        else:
            value, url = result.total.value, result.total.records_url
            keys = [r.breakdown["month"] for r in months.rows if r.value]
        return _nonzero(self, value, url, tuple(sorted(set(keys))))

    def filters(self, period: Period) -> ActivityFilter:
        kw: dict[str, object] = {"date_from": period.start, "date_to": period.end,
                                 "category": self.category, "q": self.q}
        if self.type_code:
            type_id = ActivityType.objects.filter(code=self.type_code).values_list(
                "pk", flat=True).first()
            if type_id is None:
                raise NotComputable(str(_("There is no activity type with the code “%(code)s”.")
                                        % {"code": self.type_code}))
            kw["type"] = type_id
        if self.programme_code:
            programme_id = Programme.objects.filter(
                office=period.office, code=self.programme_code).values_list(
                "pk", flat=True).first()
            if programme_id is None:
                raise NotComputable(str(_("The office has no programme with the code "
                                          "“%(code)s”.") % {"code": self.programme_code}))
            kw["programme"] = programme_id
        return ActivityFilter(**kw)  # type: ignore[arg-type]


def _nonzero(definition: Definition, value: int | None, url: str,
             months: tuple[str, ...] = ()) -> Value:
    if not value:
        raise NotComputable(str(_("No records in this period give “%(name)s” a value: the "
                                  "text would state zero.") % {"name": definition.name}))
    return Value(value, url, months)


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


CATALOGUE: dict[str, Definition] = {d.name: d for d in [
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
    _d("club_meetings", _("Political discussion club meetings held in the period"),
       measure="activities", type_code="discussion-club"),
    _d("club_participants", _("Participants in political discussion club meetings in the "
                              "period (reported totals)"),
       measure="participants", type_code="discussion-club"),
    _d("referendum_support", _("Electoral support activities in the period"),
       measure="activities", type_code="election-support"),
    _d("recommendations_to_parliament", _("Sets of recommendations submitted in the period"),
       measure="activities", type_code="recommendations"),
    _d("trained_conflict_prevention", _("People trained in conflict prevention and resolution "
                                        "(training courses of the democratic-institutions "
                                        "programme) in the period"),
       measure="participants", type_code="training", programme_code="democratic-institutions"),
    _d("media_courses", _("Media training courses of the democratic-institutions programme "
                          "in the period"),
       measure="activities", type_code="media-training",
       programme_code="democratic-institutions"),
    _d("media_trained", _("Media representatives trained in the period (all programmes)"),
       measure="participants", type_code="media-training"),
    _d("election_media_trained", _("Media representatives trained in electoral procedures "
                                   "and law in the period"),
       measure="participants", type_code="media-training", programme_code="elections"),
    _d("rule_of_law_activities", _("Activities of the rule-of-law programme in the period"),
       measure="activities", programme_code="rule-of-law"),
    _d("rule_of_law_roundtables", _("Roundtables of the rule-of-law programme in the period"),
       measure="activities", type_code="roundtable", programme_code="rule-of-law"),
    _d("human_rights_activities", _("Activities of the human-rights programme in the period"),
       measure="activities", programme_code="human-rights"),
    _d("teachers_trained", _("School teachers trained in the period (attendance, category "
                             "teacher)"),
       measure="attendance", attendance_category="teacher"),
    _d("youth_participants", _("Young people taking part in the youth programme's "
                               "activities in the period"),
       measure="participants", programme_code="youth"),
    _d("education_centres", _("Conflict-prevention and human-rights education centres open "
                              "at the end of the period"),
       measure="centres_open", centre_kind="education"),
    _d("resource_centres", _("Resource centres open at the end of the period"),
       measure="centres_open", centre_kind="resource"),
    _d("documentation_centres", _("Human-rights information and documentation centres open "
                                  "at the end of the period"),
       measure="centres_open", centre_kind="documentation"),
    _d("needs_assessment", _("Assessment missions in the period"),
       measure="activities", type_code="assessment-mission"),
    _d("poll_workers_trained", _("Poll workers trained in the period (training courses "
                                 "whose title names poll workers)"),
       measure="participants", type_code="training", q="poll workers"),
    _d("commissioners_trained", _("District election commissioners trained in the period "
                                  "(training courses whose title names them)"),
       measure="participants", type_code="training", q="district election commissioners"),
    _d("activities_total", _("All activities of the office in the period"),
       measure="activities"),
    _d("participants_total", _("All participants reported in the period"),
       measure="participants"),
]}


@dataclass
class Cache:
    """Values computed once per rendering: a letter uses a figure in seven languages."""

    period: Period
    values: dict[str, Value | NotComputable] = field(default_factory=dict)

    def get(self, name: str) -> Value:
        if name not in self.values:
            definition = CATALOGUE.get(name)
            if definition is None:
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
