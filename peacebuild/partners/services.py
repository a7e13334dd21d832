"""Writes for partner organisations and coordination groups: validated, atomic, audited."""

from typing import Any

from django.db import transaction

from peacebuild.accounts.audit import before_change, save_audited

from .models import Organisation


@transaction.atomic
def organisation_save(*, actor: Any, organisation: Organisation, version: str | None = None
                      ) -> Organisation:
    before = before_change(organisation, version=version)
    organisation.name = organisation.name.strip()
    save_audited(actor=actor, instance=organisation, before=before)
    return organisation
