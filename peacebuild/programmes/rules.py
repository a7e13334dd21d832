"""Indicator rules: an indicator's actual declared as a figure of the engine, stored as data.

A rule names things by their codes, so that it reads the same in every database and in
the demo file::

    {"measure": "attendance",
     "filters": {"type": "training", "programme": "rule-of-law"},
     "by": ["sex"]}
    {"measure": "distinct_participants", "filters": {"category": "dialogue"}}
    {"measure": "centres_open", "centre_kind": "education"}

Measures: activities, participants (reported totals), attendance (the breakdown cells),
distinct_participants (the participant registry, each person once) and centres_open (on
the last day of the period). Filters: programme and type by code, category (kind of
activity), region by ISO 3166-2 code. The period is not part of the rule: it comes from
the target or the dashboard. `compile_rule` resolves the codes and asks the figures
engine whether the figure can be computed; any problem is a ValidationError keyed "rule".
"""

from dataclasses import dataclass, replace
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from peacebuild.activities.models import ActivityType, Centre
from peacebuild.activities.queries import ActivityFilter
from peacebuild.figures import engine as figures
from peacebuild.figures.engine import DIMENSIONS, FigureError, distinct_participants, validate
from peacebuild.mandates.models import Office
from peacebuild.places.models import Place

from .models import Programme
from .periods import Period

RULE_MEASURES = ("activities", "participants", "attendance", "distinct_participants",
                 "centres_open")
RULE_KEYS = {"measure", "filters", "by", "centre_kind"}
FILTER_KEYS = {"programme", "type", "category", "region"}


@dataclass(frozen=True)
class CompiledRule:
    measure: str
    filters: ActivityFilter
    by: tuple[str, ...] = ()
    centre_kind: str = ""


@dataclass(frozen=True)
class RuleResult:
    """The rule's figure for one period: the total and, if the rule has one, its breakdown."""

    total: figures.Figure
    rows: list[figures.Figure]


@dataclass(frozen=True)
class Codes:
    """The codes a rule may name, looked up once for a page that shows many indicators
    (three queries per page rather than up to five per indicator)."""

    programmes: dict[str, int]
    types: dict[str, int]
    regions: dict[str, int]

    @classmethod
    def of(cls, office: Office) -> "Codes":
        return cls(
            dict(Programme.objects.filter(office=office).values_list("code", "pk")),
            dict(ActivityType.objects.values_list("code", "pk")),
            dict(Place.objects.filter(level=Place.Level.REGION, parent__code=office.country)
                 .values_list("code", "pk")),
        )


def _bad(message: str) -> ValidationError:
    return ValidationError({"rule": [message]})


# A rule holds its filters and its list of dimensions: two levels of nesting. Deeper
# values can mean nothing to a rule; they are refused before anything walks them.
MAX_DEPTH = 2


def _depth(value: Any) -> int:
    """How deeply lists and sets of named values nest (counted without recursion, so that
    no rule, however deep, can exhaust the stack)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, level = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, level)
            if deepest > MAX_DEPTH:
                break
            stack += [(v, level + 1) for v in (item.values() if isinstance(item, dict) else item)]
    return deepest


def _lookup(codes: dict[str, int] | None, query: Any, code: Any) -> int | None:
    if codes is not None:
        return codes.get(code) if isinstance(code, str) else None
    pks = query.values_list("pk", flat=True)
    return pks[0] if pks else None


def compile_rule(office: Office, rule: Any, codes: Codes | None = None) -> CompiledRule:
    """Resolve a stored rule against the office's programmes, the activity types and the
    regions; refuse unknown names and figures that cannot be computed.

    With `codes` (a page showing saved rules) the codes are resolved from them, and the
    engine's own check is left to `evaluate`, which runs it when it computes."""
    if not isinstance(rule, dict):
        raise _bad(_("A rule is a set of named values, like {\"measure\": \"activities\"}."))
    if _depth(rule) > MAX_DEPTH:
        raise _bad(_("This rule nests values more deeply than a rule can; a rule has a "
                     "measure, filters by code and a list of dimensions."))
    unknown = sorted(set(rule) - RULE_KEYS)
    if unknown:
        raise _bad(_("A rule has no part called “%(name)s”.") % {"name": unknown[0]})
    measure = rule.get("measure")
    if measure not in RULE_MEASURES:
        raise _bad(_("“%(name)s” is not a measure a rule can use. Use one of: %(list)s.")
                   % {"name": measure, "list": ", ".join(RULE_MEASURES)})
    raw_filters = rule.get("filters") or {}
    if not isinstance(raw_filters, dict):
        raise _bad(_("A rule's filters are a set of named values."))
    unknown = sorted(set(raw_filters) - FILTER_KEYS)
    if unknown:
        raise _bad(_("A rule cannot filter by “%(name)s”; it can filter by programme, type, "
                     "category and region (the period comes from the target).")
                   % {"name": unknown[0]})
    for name in sorted(FILTER_KEYS & set(raw_filters)):
        if not isinstance(raw_filters[name], str):
            raise _bad(_("A rule names its %(filter)s by a code written in quotes.")
                       % {"filter": name})
    values: dict[str, Any] = {}
    code = raw_filters.get("programme")
    if code:
        pk = _lookup(codes.programmes if codes else None,
                     Programme.objects.filter(office=office, code=code), code)
        if pk is None:
            raise _bad(_("This office has no programme with the code “%(code)s”.")
                       % {"code": code})
        values["programme"] = pk
    code = raw_filters.get("type")
    if code:
        pk = _lookup(codes.types if codes else None, ActivityType.objects.filter(code=code), code)
        if pk is None:
            raise _bad(_("There is no activity type with the code “%(code)s”.") % {"code": code})
        values["type"] = pk
    code = raw_filters.get("region")
    if code:
        pk = _lookup(codes.regions if codes else None,
                     Place.objects.filter(code=code, level=Place.Level.REGION,
                                          parent__code=office.country), code)
        if pk is None:
            raise _bad(_("There is no region with the code “%(code)s”.") % {"code": code})
        values["region"] = pk
    if raw_filters.get("category"):
        values["category"] = str(raw_filters["category"])
    by = rule.get("by") or []
    if not isinstance(by, list) or not all(isinstance(d, str) for d in by):
        raise _bad(_("A rule's breakdown is a list of dimensions, like [\"sex\"]."))
    bad_dims = [d for d in by if d not in DIMENSIONS]
    if bad_dims:
        raise _bad(_("Figures cannot be broken down by “%(name)s”.") % {"name": bad_dims[0]})
    centre_kind = rule.get("centre_kind") or ""
    if centre_kind and measure != "centres_open":
        raise _bad(_("Only a count of centres open can name a kind of centre."))
    if centre_kind and centre_kind not in Centre.Kind.values:
        raise _bad(_("There is no kind of centre called “%(name)s”.") % {"name": centre_kind})
    if measure == "centres_open" and (values or by):
        raise _bad(_("Centres open are counted for the whole office, by kind of centre only."))
    if measure == "distinct_participants" and by:
        raise _bad(_("Distinct participants cannot be broken down."))
    compiled = CompiledRule(measure, ActivityFilter(**values), tuple(by), centre_kind)
    if codes is not None:
        return compiled
    if measure not in ("centres_open", "distinct_participants"):
        try:
            validate(office, figures.FigureQuery(measure, compiled.filters, compiled.by))
        except FigureError as error:
            raise ValidationError({"rule": error.messages}) from error
    elif measure == "distinct_participants":
        try:
            validate(office, figures.FigureQuery("participants", compiled.filters))
        except FigureError as error:
            raise ValidationError({"rule": error.messages}) from error
    return compiled


def evaluate(office: Office, rule: CompiledRule, period: Period) -> RuleResult:
    """The rule's figure for a period, computed now by the figures engine."""
    if rule.measure == "centres_open":
        # Counted on the period's last day, or the day the office closed if earlier.
        on = min(period.last, office.closed_on or period.last, office.today())
        return RuleResult(figures.centres_open(office, on, rule.centre_kind), [])
    flt = replace(rule.filters, date_from=period.first, date_to=period.last)
    if rule.measure == "distinct_participants":
        return RuleResult(distinct_participants(office, flt), [])
    result = figures.compute(office, figures.FigureQuery(rule.measure, flt, rule.by))
    return RuleResult(result.total, result.rows)
