"""Who may see and change the results framework: one access function per record type, on
the generic helper of `accounts.permissions`.

Reading needs `view_records`; changing the framework (outcomes, outputs, indicators,
targets, entered actuals, benchmark definitions) needs `edit_results` (M&E officers);
assessing a benchmark needs `approve` (the head of office): an assessment is the office's
judgement of whether a marker of its mandate is being reached, and is signed by who made it.
A record of another office is a 404; a read-only user gets a 403 naming the role needed.
Each record reaches its office through the one above it: an output through its outcome and
programme, a target through its indicator.
"""

from typing import Any

from django.http import HttpRequest

from peacebuild.accounts.permissions import AnyUser, get_for_user
from peacebuild.accounts.roles import Can

from .models import Actual, Benchmark, Indicator, Outcome, Output, Programme, Target

Who = HttpRequest | AnyUser

INDICATOR_OFFICE = "output__outcome__programme__office"


def _w(write: bool) -> Can | None:
    return Can.EDIT_RESULTS if write else None


def get_programme_for_user(who: Who, pk: Any, *, write: bool = False) -> Programme:
    return get_for_user(Programme.objects.select_related("office"), who, pk, write=_w(write))


def get_outcome_for_user(who: Who, pk: Any, *, write: bool = False) -> Outcome:
    return get_for_user(Outcome.objects.select_related("programme__office"), who, pk,
                        office_path="programme__office", write=_w(write))


def get_output_for_user(who: Who, pk: Any, *, write: bool = False) -> Output:
    return get_for_user(Output.objects.select_related("outcome__programme__office"), who, pk,
                        office_path="outcome__programme__office", write=_w(write))


def get_indicator_for_user(who: Who, pk: Any, *, write: bool = False) -> Indicator:
    return get_for_user(Indicator.objects.select_related(INDICATOR_OFFICE), who, pk,
                        office_path=INDICATOR_OFFICE, write=_w(write))


def get_target_for_user(who: Who, pk: Any, *, write: bool = True) -> Target:
    return get_for_user(Target.objects.select_related(f"indicator__{INDICATOR_OFFICE}"), who,
                        pk, office_path=f"indicator__{INDICATOR_OFFICE}", write=_w(write))


def get_actual_for_user(who: Who, pk: Any, *, write: bool = True) -> Actual:
    return get_for_user(Actual.objects.select_related(f"indicator__{INDICATOR_OFFICE}"), who,
                        pk, office_path=f"indicator__{INDICATOR_OFFICE}", write=_w(write))


def get_benchmark_for_user(who: Who, pk: Any, *, write: Can | None = None) -> Benchmark:
    return get_for_user(Benchmark.objects.select_related("office"), who, pk, write=write)
