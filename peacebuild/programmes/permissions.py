"""Who may see and change the results framework: one access function per record type.

Reading needs `view_records`; changing the framework (outcomes, outputs, indicators,
targets, entered actuals, benchmark definitions) needs `edit_results` (M&E officers);
assessing a benchmark needs `approve` (the head of office): an assessment is the office's
judgement of whether a marker of its mandate is being reached, and is signed by who made it.
A record of another office is a 404; a read-only user gets a 403 naming the role needed.
"""

from typing import Any

from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from peacebuild.accounts.permissions import RoleRequired
from peacebuild.accounts.queries import user_can
from peacebuild.accounts.roles import Can

from .models import Actual, Benchmark, Indicator, Outcome, Output, Programme, Target


def _get(queryset: QuerySet, request: HttpRequest, pk: Any, office_path: str,
         write: Can | None) -> Any:
    office = getattr(request, "office", None)
    if office is None or not user_can(request.user, office, Can.VIEW_RECORDS):
        raise Http404
    try:
        obj: Model = queryset.get(pk=pk, **{office_path: office})
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404 from exc
    if write is not None and not user_can(request.user, office, write):
        raise RoleRequired(write)
    return obj


def _w(write: bool) -> Can | None:
    return Can.EDIT_RESULTS if write else None


def get_programme_for_user(request: HttpRequest, pk: Any, *, write: bool = False
                           ) -> Programme:
    return _get(Programme.objects.all(), request, pk, "office", _w(write))


def get_outcome_for_user(request: HttpRequest, pk: Any, *, write: bool = False) -> Outcome:
    return _get(Outcome.objects.select_related("programme"), request, pk, "programme__office",
                _w(write))


def get_output_for_user(request: HttpRequest, pk: Any, *, write: bool = False) -> Output:
    return _get(Output.objects.select_related("outcome__programme"), request, pk,
                "outcome__programme__office", _w(write))


def get_indicator_for_user(request: HttpRequest, pk: Any, *, write: bool = False
                           ) -> Indicator:
    return _get(Indicator.objects.select_related("output__outcome__programme"), request, pk,
                "output__outcome__programme__office", _w(write))


def get_target_for_user(request: HttpRequest, pk: Any) -> Target:
    return _get(Target.objects.select_related("indicator"), request, pk,
                "indicator__output__outcome__programme__office", Can.EDIT_RESULTS)


def get_actual_for_user(request: HttpRequest, pk: Any) -> Actual:
    return _get(Actual.objects.select_related("indicator"), request, pk,
                "indicator__output__outcome__programme__office", Can.EDIT_RESULTS)


def get_benchmark_for_user(request: HttpRequest, pk: Any, *, write: Can | None = None
                           ) -> Benchmark:
    return _get(Benchmark.objects.all(), request, pk, "office", write)
