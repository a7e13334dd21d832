"""Reads of the casework ground: is the trail's chain whole, are the case keys right."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.db import DatabaseError, connection

from .crypto import CaseKeyError, keyring
from .models import GENESIS, KeyCheck, TrailEntry

log = logging.getLogger(__name__)

CHECK_TEXT = "peacebuild case key check"
CHECK_LABEL = "casework.KeyCheck.sealed"


@dataclass(frozen=True)
class TrailCheck:
    entries: int  # entries verified before the break (all of them if whole)
    head: str  # the last good entry's digest: record it elsewhere to detect a cut tail
    broken_at: int | None = None  # the first entry that fails, by id
    reason: str = ""

    @property
    def whole(self) -> bool:
        return self.broken_at is None


def verify_trail() -> TrailCheck:
    """Walk the chain from its first entry; name the first entry that does not hold."""
    expected, count = GENESIS, 0
    for entry in TrailEntry.objects.order_by("id").iterator(chunk_size=2000):
        if entry.previous != expected:
            return TrailCheck(count, expected, entry.pk,
                              f"entry #{entry.pk} does not follow the entry before it: an entry "
                              "was removed, inserted or reordered just before it")
        if entry.computed_digest() != entry.digest:
            return TrailCheck(count, expected, entry.pk,
                              f"entry #{entry.pk} was altered after it was written")
        expected, count = entry.digest, count + 1
    return TrailCheck(count, expected)


def key_problems() -> list[str]:
    """What stops the server: keys missing from the configuration or wrong. Empty when the
    keys open every key check the database holds (or the tables do not exist yet)."""
    try:
        ring = keyring()
    except CaseKeyError as error:
        return [str(error)]
    try:
        if KeyCheck._meta.db_table not in connection.introspection.table_names():
            return []
        checks = list(KeyCheck.objects.all())
    except DatabaseError:  # no database to compare with: the next start compares
        log.warning("The case keys could not be checked: the database is unreachable.")
        return []
    problems = []
    for check in checks:
        if check.key_id not in ring.keys:
            problems.append(f"The database holds data sealed with the case key "
                            f"{check.key_id!r}, which is not configured.")
            continue
        try:
            ok = ring.open(check.sealed, CHECK_LABEL) == CHECK_TEXT
        except CaseKeyError:
            ok = False
        if not ok:
            problems.append(f"The configured case key {check.key_id!r} is not the key the "
                            "database's data was sealed with.")
    return problems
