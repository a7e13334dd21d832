"""Writes for offices, mandate periods and documents: checked against the actor, validated,
atomic, audited."""


from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from peacebuild.accounts.audit import before_change, record_delete, save_audited, snapshot
from peacebuild.accounts.permissions import Actor, check_actor
from peacebuild.accounts.roles import Can

from .models import Document, MandatePeriod, Office


def period_check(period: MandatePeriod) -> None:
    """Rules across rows: within the office's life, no overlap with another period."""
    office: Office = period.office
    errors: dict[str, list[str]] = {}
    if period.starts_on and period.starts_on < office.established_on:
        errors.setdefault("starts_on", []).append(
            _("The office was established on %(date)s; a mandate period cannot start earlier.")
            % {"date": office.established_on}
        )
    if period.starts_on and period.ends_on:
        # Periods are half-open [starts_on, ends_on): one may start the day another ends.
        overlapping = (
            MandatePeriod.objects.filter(
                office=office, starts_on__lt=period.ends_on, ends_on__gt=period.starts_on
            )
            .exclude(pk=period.pk)
            .exclude(decision=MandatePeriod.Decision.WITHDRAWN)
        )
        if period.decision != MandatePeriod.Decision.WITHDRAWN and (
                other := overlapping.first()) is not None:
            errors.setdefault("starts_on", []).append(
                _("This period overlaps the period %(start)s – %(end)s of the same office.")
                % {"start": other.starts_on, "end": other.ends_on}
            )
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def period_save(*, actor: Actor, period: MandatePeriod, version: str | None = None
                ) -> MandatePeriod:
    """Create or update a mandate period; it may not overlap another of its office."""
    check_actor(actor, period.office, Can.EDIT_MANDATE)
    before = before_change(period, version=version)
    period.full_clean()
    period_check(period)
    save_audited(actor=actor, instance=period, before=before)
    return period


@transaction.atomic
def document_save(*, actor: Actor, document: Document, version: str | None = None
                  ) -> Document:
    check_actor(actor, document.office, Can.EDIT_REFERENCE)
    before = before_change(document, version=version)
    if document.symbol:
        document.symbol = document.symbol.strip()
    save_audited(actor=actor, instance=document, before=before)
    return document


@transaction.atomic
def office_save(*, actor: Actor, office: Office) -> Office:
    """Create or change an office. Its head changes it; only the system creates one."""
    check_actor(actor, office if office.pk else None, Can.EDIT_MANDATE)
    save_audited(actor=actor, instance=office, before=before_change(office))
    return office


@transaction.atomic
def office_delete(*, actor: Actor, office: Office) -> None:
    """Remove an office with everything recorded for it; its rows in the figures' summary
    tables go with it (their office key cascades). Only the system does this."""
    check_actor(actor, None, Can.EDIT_MANDATE)
    record_delete(actor=actor, instance=office, before=snapshot(office))
    office.delete()
