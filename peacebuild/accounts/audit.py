"""Writing the audit log. Services call `before_change` (or `snapshot`) before a change and
`record` after it; `version_of` a snapshot is what an edit form carries to notice that
someone else saved the record meanwhile."""

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connections, models, router
from django.forms.models import model_to_dict
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry, Membership, User


def snapshot(instance: models.Model) -> dict[str, Any]:
    """The row's fields as JSON-ready values (many-to-many as sorted primary keys)."""
    data = model_to_dict(instance)
    for field in instance._meta.many_to_many:
        if field.name in data:
            data[field.name] = sorted(
                getattr(obj, "pk", obj) for obj in data[field.name]
            )
    for concrete in instance._meta.concrete_fields:
        if isinstance(concrete, models.FileField):
            data[concrete.name] = str(getattr(instance, concrete.name) or "")
    data["id"] = instance.pk
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def version_of(state: dict[str, Any]) -> str:
    """A short fingerprint of a snapshot: equal exactly when the snapshots are equal."""
    canonical = json.dumps(state, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()[:32]


class EditConflict(ValidationError):
    """The record changed since the form was opened: saving would overwrite someone else's
    work. `current` is the stored snapshot, `version` its fingerprint."""

    def __init__(self, current: dict[str, Any]) -> None:
        super().__init__(
            _("Someone else saved this record after you opened it. Nothing of yours was "
              "saved yet: compare below, then save again to keep your version."),
            code="conflict",
        )
        self.current = current
        self.version = version_of(current)


Snapshotter = Callable[[Any], dict[str, Any]]


def before_change(instance: models.Model, *, version: str | None = None,
                  state: Snapshotter = snapshot) -> dict[str, Any] | None:
    """The stored row as it is before this change (None for a new row), locked until the
    caller's transaction ends so that no other save slips in between. With `version` (what
    the form showed), refuses with EditConflict when the stored row is no longer that.
    `state` snapshots the row with its child rows where it has any."""
    if instance.pk is None:
        return None
    stored = type(instance)._default_manager.select_for_update().get(pk=instance.pk)
    before = state(stored)
    check_version(before, version)
    return before


def check_version(before: dict[str, Any], version: str | None) -> None:
    """For a service that has locked and snapshotted the row itself: refuse with
    EditConflict when the form was opened at another version."""
    if version is not None and version != version_of(before):
        raise EditConflict(before)


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


def record_many(*, actor: Any, office: Any,
                rows: Iterable[tuple[str, models.Model, dict[str, Any] | None,
                                     dict[str, Any] | None]]) -> int:
    """Many entries of one office at once, for a bulk write: `rows` are (action, instance,
    before, after), the entries `record` would write one by one, with one time. They go
    to the table in one `executemany` (no model instance per entry, which costs more than
    the row). Returns how many were written."""
    meta = AuditEntry._meta
    connection = connections[router.db_for_write(AuditEntry)]
    names = ["at", "actor", "office", "action", "model", "object_id", "object_repr",
             "before", "after"]
    fields = [meta.get_field(name) for name in names]
    before_field, after_field = fields[7], fields[8]
    at = fields[0].get_db_prep_save(timezone.now(), connection)  # type: ignore[union-attr]
    who = actor.pk if getattr(actor, "is_authenticated", False) else None
    where = office.pk if office is not None else None
    params = [
        (at, who, where, action, instance._meta.label, str(instance.pk),
         str(instance)[:300],
         before_field.get_db_prep_save(before, connection),  # type: ignore[union-attr]
         after_field.get_db_prep_save(after, connection))  # type: ignore[union-attr]
        for action, instance, before, after in rows]
    if not params:
        return 0
    quote = connection.ops.quote_name
    columns = ", ".join(quote(str(f.column)) for f in fields)  # type: ignore[union-attr]
    sql = (f"INSERT INTO {quote(meta.db_table)} ({columns}) "
           f"VALUES ({', '.join(['%s'] * len(fields))})")
    with connection.cursor() as cursor:
        for start in range(0, len(params), 2000):
            cursor.executemany(sql, params[start:start + 2000])
    return len(params)


def record_create(*, actor: Any, instance: models.Model) -> AuditEntry:
    return record(actor=actor, action=AuditEntry.Action.CREATE, instance=instance,
                  after=snapshot(instance))


def record_update(*, actor: Any, instance: models.Model, before: dict[str, Any]
                  ) -> AuditEntry | None:
    """Log a change; a save that changed nothing is not a change and logs nothing."""
    after = snapshot(instance)
    if after == before:
        return None
    return record(actor=actor, action=AuditEntry.Action.UPDATE, instance=instance,
                  before=before, after=after)


def record_delete(*, actor: Any, instance: models.Model, before: dict[str, Any]) -> AuditEntry:
    return record(actor=actor, action=AuditEntry.Action.DELETE, instance=instance, before=before)


def save_audited(*, actor: Any, instance: models.Model, before: dict[str, Any] | None) -> None:
    """Validate, save and log a row; `before` is None for a new row. Call inside a
    transaction together with any related writes, so a failure leaves nothing behind.
    A row whose fields equal `before` is left alone (no write, no audit entry)."""
    instance.full_clean()
    if before is not None and snapshot(instance) == before:
        return
    instance.save()
    if before is None:
        record_create(actor=actor, instance=instance)
    else:
        record_update(actor=actor, instance=instance, before=before)


def client_address(request: HttpRequest | None) -> str:
    """The address a request came from, as django-axes saw it (it reads the proxy header
    only when settings say the server sits behind one)."""
    if request is None:
        return ""
    return str(getattr(request, "axes_ip_address", None) or request.META.get("REMOTE_ADDR", ""))


def record_event(*, action: str, request: HttpRequest | None, user: User | None = None,
                 username: str = "", actor: Any = None, office: Any = None) -> AuditEntry:
    """A security event about an account (sign-in, lock-out, two-factor changes). It holds
    who, which account, when and from where: never a password, a code or a secret, which
    callers cannot even pass. `actor` is who acted when it is not the account's owner (a
    head of office resetting someone's second factor)."""
    if office is None and user is not None:
        first = (Membership.objects.filter(user=user).select_related("office")
                 .order_by("office__established_on", "office__code").first())
        office = first.office if first is not None else None
    who = actor if actor is not None else user
    detail: dict[str, str] = {"address": client_address(request)}
    if user is None:
        detail["username"] = username[:150]
    if actor is not None and user is not None and actor != user:
        detail["account"] = user.get_username()
    return AuditEntry.objects.create(
        actor=who if getattr(who, "is_authenticated", False) else None,
        office=office,
        action=action,
        model=User._meta.label,
        object_id=str(user.pk) if user is not None else "",
        object_repr=(user.get_username() if user is not None else username)[:300],
        after=detail,
    )
