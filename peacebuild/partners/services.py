"""Writes for partner organisations and coordination groups: checked against the actor,
validated, atomic, audited."""

from django.db import transaction

from peacebuild.accounts.audit import before_change, save_audited
from peacebuild.accounts.permissions import Actor, check_actor
from peacebuild.accounts.roles import Can

from .models import Organisation


@transaction.atomic
def organisation_save(*, actor: Actor, organisation: Organisation, version: str | None = None
                      ) -> Organisation:
    check_actor(actor, organisation.office, Can.EDIT_REFERENCE)
    before = before_change(organisation, version=version)
    organisation.name = organisation.name.strip()
    save_audited(actor=actor, instance=organisation, before=before)
    return organisation
