"""Writes of the results framework: checked against the actor (`edit_results`, assessing
`approve`), validated, atomic, audited. A failing service raises ValidationError keyed by
field, or PermissionDenied, and saves nothing."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peacebuild.accounts.audit import before_change, record_delete, save_audited, snapshot
from peacebuild.accounts.permissions import Actor, check_actor, user_of
from peacebuild.accounts.roles import Can
from peacebuild.mandates.models import Office

from . import periods, rules
from .models import (
    Actual,
    Assessment,
    Benchmark,
    Indicator,
    Outcome,
    Output,
    Programme,
    Target,
)


@transaction.atomic
def programme_save(*, actor: Actor, programme: Programme, version: str | None = None
                   ) -> Programme:
    """Create or change a programme, the root of its results framework (an IATI import
    creates programmes; the demo too)."""
    check_actor(actor, programme.office, Can.EDIT_RESULTS)
    save_audited(actor=actor, instance=programme,
                 before=before_change(programme, version=version))
    return programme


@transaction.atomic
def framework_clear(*, actor: Actor, programme: Programme) -> None:
    """Delete a programme's outcomes, outputs and indicators with their targets and
    actuals (an IATI import replacing them with a newer version), each delete audited."""
    check_actor(actor, programme.office, Can.EDIT_RESULTS)
    indicators = list(Indicator.objects.filter(output__outcome__programme=programme))
    outputs = list(Output.objects.filter(outcome__programme=programme))
    outcomes = list(Outcome.objects.filter(programme=programme))
    for rows in (indicators, outputs, outcomes):
        for row in rows:
            record_delete(actor=actor, instance=row, before=snapshot(row))
    Outcome.objects.filter(programme=programme).delete()


@transaction.atomic
def outcome_save(*, actor: Actor, outcome: Outcome, version: str | None = None) -> Outcome:
    check_actor(actor, outcome.programme.office, Can.EDIT_RESULTS)
    save_audited(actor=actor, instance=outcome, before=before_change(outcome, version=version))
    return outcome


@transaction.atomic
def output_save(*, actor: Actor, output: Output, version: str | None = None) -> Output:
    check_actor(actor, output.outcome.programme.office, Can.EDIT_RESULTS)
    save_audited(actor=actor, instance=output, before=before_change(output, version=version))
    return output


def check_value(indicator: Indicator, value: Decimal | None, text: str, field: str = "value"
                ) -> None:
    """What a value of this kind of indicator may be."""
    kind = indicator.kind
    if kind == Indicator.Kind.QUALITATIVE:
        if not (text or "").strip():
            raise ValidationError({"text": _("A qualitative indicator needs a description.")})
        return
    if value is None:
        raise ValidationError({field: _("Enter a value.")})
    if value < 0:
        raise ValidationError({field: _("A value cannot be negative.")})
    if kind == Indicator.Kind.PERCENTAGE and value > 100:
        raise ValidationError({field: _("A percentage cannot be above 100.")})
    if kind == Indicator.Kind.YES_NO and value not in (0, 1):
        raise ValidationError({field: _("A yes/no indicator takes 1 (yes) or 0 (no).")})
    if kind == Indicator.Kind.COUNT and value != int(value):
        raise ValidationError({field: _("A count is a whole number.")})


@transaction.atomic
def indicator_save(*, actor: Actor, indicator: Indicator, version: str | None = None
                   ) -> Indicator:
    office = indicator.output.outcome.programme.office
    check_actor(actor, office, Can.EDIT_RESULTS)
    if errors := office.dates_outside_life(baseline_on=indicator.baseline_on):
        raise ValidationError(errors)
    if indicator.rule:
        if indicator.kind != Indicator.Kind.COUNT:
            raise ValidationError({"rule": _("Only count indicators can be computed by a rule; "
                                             "enter the actuals of other kinds.")})
        rules.compile_rule(office, indicator.rule)
    if indicator.baseline_value is not None and indicator.kind != Indicator.Kind.QUALITATIVE:
        check_value(indicator, indicator.baseline_value, "", field="baseline_value")
    save_audited(actor=actor, instance=indicator, before=before_change(indicator, version=version))
    return indicator


def _office(instance: Target | Actual) -> Office:
    return instance.indicator.output.outcome.programme.office


def _check_period(instance: Target | Actual) -> None:
    office = _office(instance)
    period = periods.resolve(office, instance.period_kind, instance.period_key)
    periods.check_within_mandate(office, period)


@transaction.atomic
def target_save(*, actor: Actor, target: Target, version: str | None = None) -> Target:
    check_actor(actor, _office(target), Can.EDIT_RESULTS)
    _check_period(target)
    check_value(target.indicator, target.value, target.text)
    save_audited(actor=actor, instance=target, before=before_change(target, version=version))
    return target


@transaction.atomic
def actual_save(*, actor: Actor, actual: Actual, version: str | None = None) -> Actual:
    check_actor(actor, _office(actual), Can.EDIT_RESULTS)
    if actual.indicator.is_computed:
        raise ValidationError(_("This indicator is computed from the records by its rule; its "
                                "actuals cannot be entered."))
    _check_period(actual)
    check_value(actual.indicator, actual.value, actual.text)
    if not actual.evidence_document_id and not actual.evidence_note.strip():
        raise ValidationError({"evidence_note": _(
            "Say where the value comes from: choose a document or write a note.")})
    save_audited(actor=actor, instance=actual, before=before_change(actual, version=version))
    return actual


@transaction.atomic
def period_value_delete(*, actor: Actor, instance: Target | Actual) -> None:
    check_actor(actor, _office(instance), Can.EDIT_RESULTS)
    before = snapshot(instance)
    record_delete(actor=actor, instance=instance, before=before)
    instance.delete()


@transaction.atomic
def benchmark_save(*, actor: Actor, benchmark: Benchmark, version: str | None = None) -> Benchmark:
    check_actor(actor, benchmark.office, Can.EDIT_RESULTS)
    if errors := benchmark.office.dates_outside_life(due_on=benchmark.due_on):
        raise ValidationError(errors)
    save_audited(actor=actor, instance=benchmark, before=before_change(benchmark, version=version))
    return benchmark


@transaction.atomic
def assessment_add(*, actor: Actor, assessment: Assessment) -> Assessment:
    """Record an assessment; the signed-in user is who assessed."""
    check_actor(actor, assessment.benchmark.office, Can.APPROVE)
    if user_of(actor) is not None:
        assessment.assessed_by = user_of(actor)
    if not assessment.assessed_by_id and not assessment.assessed_by_name:
        raise ValidationError({"assessed_by_name": _("Say who assessed.")})
    if errors := assessment.benchmark.office.dates_outside_life(
            assessed_on=assessment.assessed_on):
        raise ValidationError(errors)
    save_audited(actor=actor, instance=assessment, before=None)
    return assessment
