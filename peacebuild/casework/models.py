"""The trail of every access to case data, append-only and hash-chained, and the key check
that stops the server when a case key is missing or wrong."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

GENESIS = "0" * 64


class TrailEntry(models.Model):
    """One access to case data. Rows are never updated or deleted (database triggers refuse
    it); each carries the SHA-256 of its content and of the entry before it, so an altered,
    removed or reordered entry breaks the chain at that point (`manage.py verify_case_trail`).

    Who and which office are kept as plain values, not foreign keys: deleting a user must
    neither be refused by the trail nor rewrite it."""

    class Action(models.TextChoices):
        READ = "read", _("read")
        SEARCH = "search", _("search")
        CREATE = "create", _("create")
        CHANGE = "change", _("change")
        DELETE = "delete", _("delete")
        EXPORT = "export", _("export")
        DENIED = "denied", _("denied")
        BREAK_GLASS = "break_glass", _("break-glass access")
        KEYS = "keys", _("key rotation")

    at = models.DateTimeField(_("when"))
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("who"), max_length=150)
    office_id = models.BigIntegerField(_("office id"), null=True, blank=True)
    action = models.CharField(_("action"), max_length=12, choices=Action.choices)
    target = models.CharField(_("what"), max_length=100, blank=True)
    purpose = models.CharField(_("stated purpose"), max_length=500, blank=True)
    address = models.CharField(_("from where"), max_length=45, blank=True)
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    previous = models.CharField(_("previous entry's digest"), max_length=64)
    digest = models.CharField(_("digest"), max_length=64, unique=True)

    class Meta:
        verbose_name = _("case trail entry")
        verbose_name_plural = _("case trail")
        ordering = ["id"]
        indexes = [models.Index(fields=["office_id", "target"], name="trail_target_idx")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.at:%Y-%m-%d %H:%M} {self.username} {self.action} {self.target}"

    def content(self) -> dict[str, Any]:
        return {"at": self.at.isoformat(timespec="microseconds"), "user_id": self.user_id,
                "username": self.username, "office_id": self.office_id, "action": self.action,
                "target": self.target, "purpose": self.purpose, "address": self.address,
                "detail": self.detail}

    def computed_digest(self) -> str:
        body = json.dumps(self.content(), sort_keys=True, ensure_ascii=False,
                          separators=(",", ":"))
        return hashlib.sha256(f"{self.previous}\n{body}".encode()).hexdigest()


class KeyCheck(models.Model):
    """A known text sealed with each case key the database has seen: at start the server
    opens each with the configured keys and refuses to run when one is missing or wrong."""

    key_id = models.CharField(_("key"), max_length=40, unique=True)
    sealed = models.TextField(_("sealed check"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case key check")
        verbose_name_plural = _("case key checks")

    def __str__(self) -> str:
        return self.key_id
