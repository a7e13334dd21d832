"""Writes of the results framework: checked against the actor (`edit_results`, assessing
`approve`), validated, atomic, audited. A failing service raises ValidationError keyed by
field, or PermissionDenied, and saves nothing."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peacebuild.accounts.audit import (
    before_change,
    record_delete,
    record_many,
    save_audited,
    snapshot,
)
from peacebuild.accounts.models import AuditEntry
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


# ---------------------------------------------------------------------------------------
# Many frameworks at once (an IATI import)


@dataclass
class Framework:
    """A programme with a results framework to create under it (an IATI activity). The
    programme is new (no pk) or stored and changed in memory; its framework is created
    anew (a stored programme's old one is cleared first, `frameworks_clear`). Parents are
    set on the children as instances (`Output(outcome=outcome, …)`); each list holds the
    rows of one level in the order they are created."""

    programme: Programme
    outcomes: list[Outcome] = field(default_factory=list)
    outputs: list[Output] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    actuals: list[Actual] = field(default_factory=list)


class FrameworkInvalid(ValidationError):
    """Framework `index` of a bulk write was refused; nothing was saved."""

    def __init__(self, index: int, error: ValidationError) -> None:
        super().__init__(error.error_dict if hasattr(error, "error_dict") else error.messages)
        self.index = index


def _unique(seen: set[tuple[Any, ...]], key: tuple[Any, ...], instance: Any,
            fields: tuple[str, ...]) -> None:
    """The check `validate_constraints` makes against the table, made against the rows of
    this write (which are not stored yet)."""
    if key in seen:
        raise ValidationError(instance.unique_error_message(type(instance), fields))
    seen.add(key)


_PROGRAMME_FIELDS = ["name", "names", "description", "descriptions", "dac_sector",
                     "starts_on", "ends_on", "source_kind", "source_note",
                     "source_document"]


@transaction.atomic
def frameworks_clear(*, actor: Actor, office: Office, programmes: Sequence[Programme]) -> None:
    """`framework_clear` for many programmes of one office: a few queries in all."""
    check_actor(actor, office, Can.EDIT_RESULTS)
    ids = [p.pk for p in programmes]
    if any(p.office_id != office.pk for p in programmes):
        raise ValueError("A programme belongs to another office.")
    rows = [(AuditEntry.Action.DELETE, row, snapshot(row), None)
            for model, path in ((Indicator, "output__outcome__programme__in"),
                                (Output, "outcome__programme__in"),
                                (Outcome, "programme__in"))
            for row in model.objects.filter(**{path: ids}).order_by("pk")]
    record_many(actor=actor, office=office, rows=rows)
    Outcome.objects.filter(programme__in=ids).delete()


@transaction.atomic
def frameworks_save_many(*, actor: Actor, office: Office, items: Sequence[Framework]
                         ) -> None:
    """Save many programmes of one office with their frameworks: each row checked by the
    rules of its single-row service (`programme_save`, `indicator_save`, `target_save`,
    `actual_save`, …: fields, dates within the office's life, periods within its mandate,
    values of the indicator's kind, evidence), then written set-based with one audit entry
    per row. The actor is checked once. The first refused framework raises
    FrameworkInvalid with its index; nothing is saved. A stored programme's framework must
    have been cleared (`frameworks_clear`)."""
    check_actor(actor, office, Can.EDIT_RESULTS)
    years = periods.mandate_years(office)
    span = periods.office_span(office, years=years)
    resolved: dict[tuple[str, str], periods.Period] = {}

    def check_period(row: Target | Actual) -> None:
        key = (row.period_kind, row.period_key)
        if key not in resolved:
            period = periods.resolve(office, *key, years=years)
            periods.check_within_mandate(office, period, span=span)
            resolved[key] = period

    stored = [item.programme for item in items if item.programme.pk is not None]
    befores = {p.pk: snapshot(p) for p in Programme.objects.select_for_update()
               .filter(pk__in=[p.pk for p in stored], office=office)}
    if len(befores) != len(stored):
        raise ValueError("A programme belongs to another office.")
    if Outcome.objects.filter(programme__in=list(befores)).exists():
        raise ValueError("Clear the programmes' frameworks before writing them anew.")
    new_codes = [item.programme.code for item in items if item.programme.pk is None]
    codes = set(Programme.objects.filter(office=office, code__in=new_codes)
                .values_list("code", flat=True))
    fk = ["programme", "outcome", "output", "indicator", "office", "source_document",
          "evidence_document"]
    seen: set[tuple[Any, ...]] = set()
    for index, item in enumerate(items):
        try:
            programme = item.programme
            if programme.office_id != office.pk:
                raise ValueError("A programme belongs to another office.")
            programme.full_clean(exclude=fk, validate_unique=False,
                                 validate_constraints=False)
            if programme.pk is None:
                if programme.code in codes:
                    raise ValidationError(programme.unique_error_message(
                        Programme, ("office", "code")))
                codes.add(programme.code)
            for outcome in item.outcomes:
                outcome.full_clean(exclude=fk, validate_unique=False,
                                   validate_constraints=False)
                _unique(seen, ("outcome", id(outcome.programme), outcome.code), outcome,
                        ("programme", "code"))
            for output in item.outputs:
                output.full_clean(exclude=fk, validate_unique=False,
                                  validate_constraints=False)
                _unique(seen, ("output", id(output.outcome), output.code), output,
                        ("outcome", "code"))
            for indicator in item.indicators:
                if errors := office.dates_outside_life(baseline_on=indicator.baseline_on):
                    raise ValidationError(errors)
                if indicator.rule:
                    if indicator.kind != Indicator.Kind.COUNT:
                        raise ValidationError({"rule": _(
                            "Only count indicators can be computed by a rule; enter the "
                            "actuals of other kinds.")})
                    rules.compile_rule(office, indicator.rule)
                if (indicator.baseline_value is not None
                        and indicator.kind != Indicator.Kind.QUALITATIVE):
                    check_value(indicator, indicator.baseline_value, "",
                                field="baseline_value")
                indicator.full_clean(exclude=fk, validate_unique=False,
                                     validate_constraints=False)
                _unique(seen, ("indicator", id(indicator.output), indicator.code), indicator,
                        ("output", "code"))
            for target in item.targets:
                check_period(target)
                check_value(target.indicator, target.value, target.text)
                target.full_clean(exclude=fk, validate_unique=False,
                                  validate_constraints=False)
                _unique(seen, ("target", id(target.indicator), target.period_kind,
                               target.period_key), target,
                        ("indicator", "period_kind", "period_key"))
            for actual in item.actuals:
                if actual.indicator.is_computed:
                    raise ValidationError(_(
                        "This indicator is computed from the records by its rule; its "
                        "actuals cannot be entered."))
                check_period(actual)
                check_value(actual.indicator, actual.value, actual.text)
                if not actual.evidence_document_id and not actual.evidence_note.strip():
                    raise ValidationError({"evidence_note": _(
                        "Say where the value comes from: choose a document or write a "
                        "note.")})
                actual.full_clean(exclude=fk, validate_unique=False,
                                  validate_constraints=False)
                _unique(seen, ("actual", id(actual.indicator), actual.period_kind,
                               actual.period_key), actual,
                        ("indicator", "period_kind", "period_key"))
        except ValidationError as error:
            raise FrameworkInvalid(index, error) from error
    changed = [item.programme for item in items if item.programme.pk is not None
               and snapshot(item.programme) != befores[item.programme.pk]]
    entries: list[tuple[str, Any, dict[str, Any] | None, dict[str, Any] | None]] = [
        (AuditEntry.Action.UPDATE, programme, befores[programme.pk], snapshot(programme))
        for programme in changed]
    Programme.objects.bulk_update(changed, _PROGRAMME_FIELDS, batch_size=500)
    levels: list[list[Any]] = [  # parents first: each level's rows get their ids
        [item.programme for item in items if item.programme.pk is None],
        [r for item in items for r in item.outcomes],
        [r for item in items for r in item.outputs],
        [r for item in items for r in item.indicators],
        [r for item in items for r in item.targets],
        [r for item in items for r in item.actuals]]
    for rows in levels:
        if rows:
            type(rows[0]).objects.bulk_create(rows, batch_size=500)
            entries.extend((AuditEntry.Action.CREATE, row, None, snapshot(row))
                           for row in rows)
    record_many(actor=actor, office=office, rows=entries)
