"""Writing the audit log. Services call `snapshot` before a change and `record` after it."""

import json
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.forms.models import model_to_dict

from .models import AuditEntry


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The row's fields as JSON-ready values (many-to-many as sorted primary keys)."""
    data = model_to_dict(instance)
    for field in instance._meta.many_to_many:
        if field.name in data:
            data[field.name] = sorted(
                getattr(obj, "pk", obj) for obj in data[field.name]
            )
    for field in instance._meta.concrete_fields:
        if isinstance(field, models.FileField):
            data[field.name] = str(getattr(instance, field.name) or "")
    data["id"] = instance.pk
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def record(
    *,
    actor: Any,
    action: str,
    instance: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    office: Any = None,
) -> AuditEntry:
    if office is None:
        office = getattr(instance, "office", None)
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        office=office if office is not None and getattr(office, "pk", None) else None,
        action=action,
        model=instance._meta.label,
        object_id=str(instance.pk),
        object_repr=str(instance)[:300],
        before=before,
        after=after,
    )


def record_create(*, actor: Any, instance: models.Model) -> AuditEntry:
    return record(actor=actor, action=AuditEntry.Action.CREATE, instance=instance,
                  after=snapshot(instance))


def record_update(*, actor: Any, instance: models.Model, before: dict[str, Any]) -> AuditEntry:
    return record(actor=actor, action=AuditEntry.Action.UPDATE, instance=instance,
                  before=before, after=snapshot(instance))


def record_delete(*, actor: Any, instance: models.Model, before: dict[str, Any]) -> AuditEntry:
    return record(actor=actor, action=AuditEntry.Action.DELETE, instance=instance, before=before)


def save_audited(*, actor: Any, instance: models.Model, before: dict[str, Any] | None) -> None:
    """Validate, save and log a row; `before` is None for a new row. Call inside a
    transaction together with any related writes, so a failure leaves nothing behind."""
    instance.full_clean()
    instance.save()
    if before is None:
        record_create(actor=actor, instance=instance)
    else:
        record_update(actor=actor, instance=instance, before=before)
