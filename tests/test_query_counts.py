"""Every page that lists records has a query-count test. A new URL fails here until its
app's `tests/test_query_counts.py` names it in `PAGES` (and tests it), or it is one of the
kinds of page below that show a single record or none."""

import importlib
import pkgutil
import re

from django.urls import get_resolver
from django.urls.resolvers import URLPattern, URLResolver

import peacebuild

# Forms, actions, files and one-record pages: their cost does not grow with the office.
NOT_A_LIST = re.compile(
    r"(^|:)(\w+_)?(create|edit|delete|approve|reopen|issue|render|preview|upload|commit|add"
    r"|download)$"
    r"|:(export\w*|download|job|switch_office|detail|document|health)$"
    r"|^api:(\w+-detail|schema|docs)$"  # the API: one record, or its schema
)
# The pages of one's own account (signing in, the second factor, the password) and the
# actions on one member's account: one account each, however large the office.
ONE_ACCOUNT = re.compile(r"^accounts:(verify|security|enrol|reauth|password|two_factor_disable"
                         r"|recovery_codes|reset_second_factor|unlock)$")
# Exceptions to the rule above: these pages show many records.
LISTS_ALL_THE_SAME = {"reporting:detail"}
EXEMPT = {"login", "logout", "set_language"}


def _names(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for p in patterns:
        if isinstance(p, URLResolver):
            if p.namespace == "admin":
                continue
            names |= _names(p.url_patterns,
                            f"{namespace}{p.namespace}:" if p.namespace else namespace)
        elif isinstance(p, URLPattern) and p.name and p.name not in EXEMPT:
            names.add(f"{namespace}{p.name}")
    return names


def _tested() -> set[str]:
    from .test_api_query_counts import PAGES as API_PAGES

    pages: set[str] = set(API_PAGES)  # the API's lists and the token page
    for app in pkgutil.iter_modules(peacebuild.__path__):
        if not app.ispkg:  # modules such as wsgi (which checks the database as it starts)
            continue
        try:
            tests = importlib.import_module(f"peacebuild.{app.name}.tests")
        except ModuleNotFoundError:
            continue
        # tests/test_query_counts.py, and test_query_counts_<part>.py for a part of an app
        # with its own pages (exchange: iati, sheets, api).
        for m in pkgutil.iter_modules(tests.__path__):
            if m.name == "test_query_counts" or m.name.startswith("test_query_counts_"):
                module = importlib.import_module(f"peacebuild.{app.name}.tests.{m.name}")
                pages |= module.PAGES
    return pages


def test_every_list_page_has_a_query_count_test():
    lists = {n for n in _names(get_resolver().url_patterns)
             if not (NOT_A_LIST.search(n) or ONE_ACCOUNT.search(n)) or n in LISTS_ALL_THE_SAME}
    assert lists - _tested() == set(), "list pages without a query-count test"
    assert _tested() - lists == set(), "PAGES names a page that is not a list"
