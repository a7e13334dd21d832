"""The IATI Standard's rules beyond the schema, read as data from the official ruleset
(`data/standard.json`, IATI-Rulesets `version-2.03`) and applied to one `<iati-activity>`
at a time, so that a streamed import and an export check the same way.

Each problem carries the rule's id, severity and message as the official IATI validator
reports them. The rule kinds are those of the ruleset's SPEC.rst; the ones that occur for
activities are all implemented: atleast_one, no_more_than_one, unique, startswith,
regex_matches, regex_no_matches, no_spaces, one_or_all, date_order, date_now, time_limit,
between_dates, range, sum, strict_sum, if_then, dependent and loop. Contexts for
organisation files are skipped (Peacebuild reads and writes activity files only).

What needs the IATI Registry (`idCondition`: "is this an existing publisher?") is taken
as "no", which applies the rule: the validator then says the same for a publisher it does
not know. The approved agency prefixes (`ORG-ID-PREFIX`) are a fixed list in
`data/org_id_prefixes.txt`.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from pathlib import Path
from typing import Any

from lxml import etree

DATA = Path(__file__).with_name("data")
ACTIVITY = "/iati-activities/iati-activity"


@dataclass(frozen=True)
class Problem:
    id: str
    severity: str  # critical | error | warning
    message: str
    activity: str = ""  # the iati-identifier, when there is one
    category: str = ""
    line: int | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.id, "severity": self.severity,
                               "message": self.message}
        if self.activity:
            out["activity"] = self.activity
        if self.category:
            out["category"] = self.category
        if self.line is not None:
            out["line"] = self.line
        return out


@dataclass(frozen=True)
class Rule:
    context: str  # XPath relative to the activity
    kind: str
    case: dict[str, Any]

    @property
    def info(self) -> dict[str, Any]:
        info: dict[str, Any] = self.case.get("ruleInfo", {})
        return info


@cache
def org_id_prefixes() -> tuple[str, ...]:
    lines = (DATA / "org_id_prefixes.txt").read_text(encoding="utf-8").split()
    return tuple(sorted(set(lines)))


def _relative(context: str) -> list[str] | None:
    """The ruleset's absolute context as XPaths relative to one activity (None: a context
    for organisation files)."""
    out = []
    for part in (p.strip() for p in context.split("|")):
        if part.startswith("//"):
            out.append("." + part)
        elif part == ACTIVITY:
            out.append(".")
        elif part.startswith(ACTIVITY + "/"):
            out.append(part[len(ACTIVITY) + 1:])
        else:
            return None
    return out


@cache
def activity_rules() -> tuple[Rule, ...]:
    data = json.loads((DATA / "standard.json").read_text(encoding="utf-8"))
    rules: list[Rule] = []
    for context, kinds in data.items():
        relative = _relative(context)
        if relative is None:
            continue
        for kind, body in kinds.items():
            for case in body["cases"]:
                rules.extend(Rule(path, kind, case) for path in relative)
    return tuple(rules)


# ---------------------------------------------------------------------------------------
# XPath helpers


@cache
def _compiled(expr: str) -> Any:
    return etree.XPath(expr)


def _xpath(el: Any, expr: str) -> Any:
    return _compiled(expr)(el)


def _truthy(result: Any) -> bool:
    if isinstance(result, list):
        return bool(result)
    return bool(result)


def _texts(el: Any, paths: list[str]) -> list[str]:
    out = []
    for path in paths:
        result = _xpath(el, path)
        if not isinstance(result, list):
            out.append(str(result))
            continue
        for node in result:
            if isinstance(node, str):  # attribute values and text nodes ("smart strings")
                out.append(str(node))
            else:
                out.append(node.text or "")
    return out


def _date(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() else None


# ---------------------------------------------------------------------------------------
# The rule kinds: each returns True when the element passes.


def _passes(kind: str, case: dict[str, Any], el: Any, today: dt.date, now: dt.datetime
            ) -> bool:
    paths: list[str] = case.get("paths", [])
    if kind == "atleast_one":
        return any(_truthy(_xpath(el, p)) for p in paths)
    if kind == "no_more_than_one":
        return sum(len(_xpath(el, p)) for p in paths) <= 1
    if kind == "dependent":
        found = [_truthy(_xpath(el, p)) for p in paths]
        return all(found) or not any(found)
    if kind == "unique":
        values = _texts(el, paths)
        return len(values) == len(set(values))
    if kind == "startswith":
        return _startswith(case, el)
    if kind == "regex_matches":
        regex = re.compile(case["regex"])
        return all(regex.search(t) is not None for t in _texts(el, paths))
    if kind == "regex_no_matches":
        regex = re.compile(case["regex"])
        return not any(regex.search(t) is not None for t in _texts(el, paths))
    if kind == "no_spaces":
        return all(t == t.strip() for t in _texts(el, paths))
    if kind == "one_or_all":
        return _one_or_all(case, el)
    if kind == "date_order":
        return _date_order(case, el, today)
    if kind == "date_now":
        return _date_now(case, el, now)
    if kind == "time_limit":
        starts = [d for d in map(_date, _texts(el, [case["start"]])) if d]
        ends = [d for d in map(_date, _texts(el, [case["end"]])) if d]
        if not starts or not ends:
            return True
        return (ends[0] - starts[0]).days <= 366
    if kind == "between_dates":
        dates = [d for d in map(_date, _texts(el, [case["date"]])) if d]
        starts = [d for d in map(_date, _texts(el, [case["start"]])) if d]
        ends = [d for d in map(_date, _texts(el, [case["end"]])) if d]
        if not dates or not starts or not ends:
            return True
        return all(starts[0] <= d <= ends[0] for d in dates)
    if kind == "range":
        low, high = Decimal(str(case.get("min", "-Infinity"))), Decimal(str(case.get("max",
                                                                                  "Infinity")))
        numbers = [_decimal(t) for t in _texts(el, paths)]
        return all(v is not None and low <= v <= high for v in numbers)
    if kind in ("sum", "strict_sum"):
        texts = _texts(el, paths)
        if not texts:
            return True
        amounts = [_decimal(t) for t in texts]
        if any(v is None for v in amounts):
            return False
        return sum(v for v in amounts if v is not None) == Decimal(str(case["sum"]))
    if kind == "if_then":
        return not _truthy(_xpath(el, case["if"])) or _truthy(_xpath(el, case["then"]))
    raise ValueError(f"unknown rule kind {kind}")


def _startswith(case: dict[str, Any], el: Any) -> bool:
    separator = case.get("separator", "")
    if case["prefix"] == ["ORG-ID-PREFIX"]:
        prefixes = [p + "-" for p in org_id_prefixes()]
    else:
        prefixes = [p + separator for p in _texts(el, case["prefix"]) if p]
    if not prefixes:
        return False
    return all(any(t.startswith(p) for p in prefixes) for t in _texts(el, case["paths"]))


def _one_or_all(case: dict[str, Any], el: Any) -> bool:
    if _truthy(_xpath(el, case["one"])):
        return True
    everything = case["all"]
    if everything == "lang":
        return not _xpath(el, ".//narrative[not(@xml:lang)]")
    if everything == "sector":
        return not _xpath(el, "transaction[not(sector)]")
    if everything == "currency":
        return not _xpath(el, ".//value[not(@currency)]")
    return bool(_xpath(el, everything))


def _date_order(case: dict[str, Any], el: Any, today: dt.date) -> bool:
    def dates(path: str) -> list[dt.date]:
        if path == "NOW":
            return [today]
        return [d for d in map(_date, _texts(el, [path])) if d]
    less, more = dates(case["less"]), dates(case["more"])
    if not less or not more:
        return True
    return max(less) <= min(more)


def _date_now(case: dict[str, Any], el: Any, now: dt.datetime) -> bool:
    for text in _texts(el, [case["date"]]):
        try:
            when = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
        except ValueError:
            continue
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        if when > now:
            return False
    return True


def _substituted(value: Any, sub: str) -> Any:
    if isinstance(value, str):
        return value.replace("$1", sub)
    if isinstance(value, list):
        return [_substituted(v, sub) for v in value]
    if isinstance(value, dict):
        return {k: (v if k == "ruleInfo" else _substituted(v, sub)) for k, v in value.items()}
    return value


def _cases(rule: Rule, el: Any) -> list[tuple[str, dict[str, Any]]]:
    """The (kind, case) pairs a rule stands for on this element: a loop unrolled over the
    values its `foreach` finds."""
    if rule.kind != "loop":
        return [(rule.kind, rule.case)]
    out: list[tuple[str, dict[str, Any]]] = []
    values = sorted({str(v) for v in _xpath(el, rule.case["foreach"])})
    for value in values:
        for kind, body in rule.case["do"].items():
            out.extend((kind, _substituted(case, value)) for case in body["cases"])
    return out


def check_activity(activity: Any, *, today: dt.date | None = None,
                   now: dt.datetime | None = None) -> list[Problem]:
    """The ruleset's problems with one `<iati-activity>` element."""
    now = now or dt.datetime.now(dt.UTC)
    today = today or now.date()
    identifier = (activity.findtext("iati-identifier") or "").strip()
    problems = []
    for rule in activity_rules():
        targets = [activity] if rule.context == "." else _xpath(activity, rule.context)
        for el in targets:
            for kind, case in _cases(rule, el):
                if kind == "loop":  # nested loops do not occur in the ruleset
                    continue
                info = case.get("ruleInfo", {})
                if case.get("condition") and not _truthy(_xpath(el, case["condition"])):
                    continue
                try:
                    ok = _passes(kind, case, el, today, now)
                except etree.XPathError:
                    ok = True  # a rule our XPath engine cannot read is not held against a file
                if not ok:
                    problems.append(Problem(info.get("id", ""), info.get("severity", "error"),
                                            info.get("message", ""), identifier,
                                            info.get("category", ""), el.sourceline))
    return problems
