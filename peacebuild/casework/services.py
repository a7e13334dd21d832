"""Writes of the casework ground: the trail (append one entry, chained to the last) and the
case keys (the key check of the current key, rotation of every sealed value)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.db import connection, models, transaction
from django.utils import timezone

from peacebuild.accounts.permissions import SYSTEM, Actor
from peacebuild.mandates.models import Office

from .crypto import KeyRing, key_id_of, keyring
from .fields import BlindIndexField, SealedTextField, blind_index_of, label_of
from .models import GENESIS, KeyCheck, TrailEntry
from .queries import CHECK_LABEL, CHECK_TEXT

TRAIL_LOCK = 7_261_530_001  # PostgreSQL advisory lock: one writer appends at a time

Progress = Callable[[int, int, str], None]


def record(*, actor: Actor, office: Office | None, action: str, target: str = "",
           purpose: str = "", address: str = "", detail: dict[str, Any] | None = None
           ) -> TrailEntry:
    """Append one entry to the trail, chained to the entry before it.

    `detail` names records and fields, never their identifying values, passwords or codes.
    """
    if actor is None:
        raise PermissionDenied("A trail entry needs an actor: the user, or SYSTEM.")
    user = None if actor is SYSTEM else actor
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [TRAIL_LOCK])
        # On SQLite the transaction began IMMEDIATE (settings): writers are already serial.
        previous = TrailEntry.objects.order_by("-id").values_list("digest", flat=True).first()
        entry = TrailEntry(
            at=timezone.now(), user_id=getattr(user, "pk", None),
            username=str(getattr(user, "username", "SYSTEM"))[:150],
            office_id=office.pk if office is not None else None, action=action,
            target=target[:100], purpose=purpose[:500], address=address[:45],
            detail=detail or {}, previous=previous or GENESIS)
        entry.digest = entry.computed_digest()
        entry.save(force_insert=True)
    return entry


def ensure_key_check(ring: KeyRing | None = None) -> None:
    """Seal the check text under the current key if the database has not seen that key."""
    ring = ring or keyring()
    if not KeyCheck.objects.filter(key_id=ring.current).exists():
        KeyCheck.objects.get_or_create(key_id=ring.current,
                                       defaults={"sealed": ring.seal(CHECK_TEXT, CHECK_LABEL)})


def sealed_models() -> list[tuple[type[models.Model], list[SealedTextField]]]:
    found = []
    for model in apps.get_models():
        fields = [f for f in model._meta.concrete_fields if isinstance(f, SealedTextField)]
        if fields:
            found.append((model, fields))
    return found


def rotate_keys(*, actor: Actor, batch: int = 500, reindex: bool = False,
                progress: Progress | None = None) -> dict[str, int]:
    """Re-seal under the current key every value sealed under another, in small committed
    batches so the server keeps running (old keys stay readable until this is done), and
    resumable (values already under the current key are left alone). With `reindex`, also
    recompute every blind index (after changing the index key).

    Only the command line rotates keys (`SYSTEM`)."""
    if actor is not SYSTEM:
        raise PermissionDenied("Case keys are rotated from the command line only.")
    ring = keyring()
    ensure_key_check(ring)
    counts = {"values": 0, "resealed": 0, "reindexed": 0}
    quote = connection.ops.quote_name
    for model, fields in sealed_models():
        table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)
        columns = ", ".join(quote(f.column) for f in fields)
        total = model._default_manager.count()
        last: Any = None
        seen = 0
        while True:
            where, params = (f"WHERE {pk} > %s", [last]) if last is not None else ("", [])
            with connection.cursor() as cursor:
                cursor.execute(f"SELECT {pk}, {columns} FROM {table} {where} "
                               f"ORDER BY {pk} LIMIT %s", [*params, batch])
                rows = cursor.fetchall()
            if not rows:
                break
            with transaction.atomic(), connection.cursor() as cursor:
                for row in rows:
                    for field, value in zip(fields, row[1:], strict=True):
                        if not value:
                            continue
                        counts["values"] += 1
                        if key_id_of(value) == ring.current:
                            continue
                        label = label_of(model, field.name)
                        column = quote(field.column)
                        cursor.execute(
                            f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s",
                            [ring.seal(ring.open(value, label), label), row[0], value])
                        counts["resealed"] += cursor.rowcount
            last, seen = rows[-1][0], seen + len(rows)
            if progress is not None:
                progress(seen, total, model._meta.label)
    if reindex:
        counts["reindexed"] = _reindex()
    record(actor=actor, office=None, action=TrailEntry.Action.KEYS, target="case keys",
           detail={"current": ring.current, **counts})
    return counts


def _reindex() -> int:
    done = 0
    for model in apps.get_models():
        indexes = [f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField)]
        if not indexes:
            continue
        sources = [f.source for f in indexes]
        for obj in model._default_manager.only(*sources).iterator(chunk_size=500):
            values = {f.attname: (blind_index_of(model, f.source, getattr(obj, f.source))
                                  if getattr(obj, f.source) else "") for f in indexes}
            model._default_manager.filter(pk=obj.pk).update(**values)
            done += 1
    return done
