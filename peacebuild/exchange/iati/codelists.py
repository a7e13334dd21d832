"""IATI codelist membership: the codes an activity uses for its dates, status,
organisations' roles and types and DAC sectors must be on the 2.03 codelists (copies in
`data/codelists/`, see SOURCES.md). The ids and messages are the official validator's
codelist rules (9.x.1); the validator calls them errors. An export with one is not
offered; an import reports them as warnings and imports what it can (docs/iati.md)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from lxml import etree

from .ruleset import DATA, Problem


@dataclass(frozen=True)
class Check:
    id: str
    elements: str  # an XPath from the activity
    attribute: str
    codelist: str
    category: str
    message: str  # marked for translation, translated when reported


CHECKS = (
    Check("9.4.1", "activity-date", "type", "ActivityDateType", "information",
          gettext_noop("The activity date type is invalid: %(code)s is not on the "
                       "ActivityDateType codelist.")),
    Check("9.5.1", "activity-status", "code", "ActivityStatus", "information",
          gettext_noop("The activity status code is invalid: %(code)s is not on the "
                       "ActivityStatus codelist.")),
    Check("9.41.1", "participating-org", "role", "OrganisationRole", "participating",
          gettext_noop("The organisation role is invalid: %(code)s is not on the "
                       "OrganisationRole codelist.")),
    Check("9.42.1", "participating-org", "type", "OrganisationType", "participating",
          gettext_noop("The organisation type is invalid: %(code)s is not on the "
                       "OrganisationType codelist.")),
    Check("9.76.1", "sector[@vocabulary = '1' or not(@vocabulary)]", "code", "Sector",
          "classifications",
          gettext_noop("The OECD DAC sector is invalid: %(code)s is not on the Sector "
                       "codelist.")),
)


@cache
def codes(codelist: str) -> frozenset[str]:
    """The codes of one of the copied codelists (withdrawn codes included: the validator
    accepts them)."""
    tree = etree.parse(str(DATA / "codelists" / f"{codelist}.xml"),
                       etree.XMLParser(resolve_entities=False, no_network=True))
    return frozenset((c.text or "").strip() for c in tree.iterfind(
        "codelist-items/codelist-item/code"))


@cache
def _paths() -> tuple[tuple[Check, etree.XPath], ...]:
    return tuple((check, etree.XPath(check.elements)) for check in CHECKS)


def check_codes(activity: Any, *, severity: str = "error") -> list[Problem]:
    """The codes of one `<iati-activity>` that are on no codelist, one problem each."""
    identifier = (activity.findtext("iati-identifier") or "").strip()
    problems = []
    for check, path in _paths():
        known = codes(check.codelist)
        for el in path(activity):
            code = (el.get(check.attribute) or "").strip()
            if not code:
                continue  # a missing or empty code: the validator says nothing either
            if code not in known:
                problems.append(Problem(check.id, severity,
                                        _(check.message) % {"code": code[:40]}, identifier,
                                        check.category, el.sourceline))
    return problems
