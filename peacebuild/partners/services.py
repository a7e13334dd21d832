"""Writes for partner organisations and coordination groups: validated, atomic, audited."""

from typing import Any

from django.db import transaction

from peacebuild.accounts.audit import save_audited, snapshot

from .models import Organisation


@transaction.atomic
def organisation_save(*, actor: Any, organisation: Organisation) -> Organisation:
    before = snapshot(Organisation.objects.get(pk=organisation.pk)) if organisation.pk else None
    organisation.name = organisation.name.strip()
    save_audited(actor=actor, instance=organisation, before=before)
    return organisation
