from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from .roles import ROLE_CAPABILITIES, Can, Role


class User(AbstractUser):
    """A person who signs in. What they may do comes from their memberships."""

    preferred_language = models.CharField(_("preferred language"), max_length=10, blank=True)
    # Renewed at each sign-in of a user who may hold one session only (human-rights
    # officers): it is part of the session's hash, so every older session stops working.
    session_token = models.CharField(max_length=32, blank=True, editable=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def get_session_auth_hash(self) -> str:
        if not self.session_token:
            return super().get_session_auth_hash()
        return salted_hmac("peacebuild.accounts.User.session", self.password + self.session_token,
                           algorithm="sha256").hexdigest()


class RecoveryCode(models.Model):
    """A single-use code that stands in for the authenticator app once. Only a keyed hash
    of the code is stored; the user sees the codes once, when they are made."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="recovery_codes")
    digest = models.CharField(max_length=64, unique=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")

    def __str__(self) -> str:
        return f"{self.user} #{self.pk}"


class Membership(models.Model):
    """A user's role in one office; programme officers edit only their programmes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    programmes = models.ManyToManyField(
        "programmes.Programme",
        blank=True,
        related_name="officers",
        verbose_name=_("programmes"),
        help_text=_("For programme officers: the programmes whose activities they record."),
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(fields=["user", "office"], name="one_role_per_office"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.office}"

    def can(self, capability: Can) -> bool:
        return capability in ROLE_CAPABILITIES[self.role]


class Team(models.Model):
    """A group of human-rights officers; cases are visible to their team (casework issue)."""

    office = models.ForeignKey("mandates.Office", on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(_("name"), max_length=200)
    members = models.ManyToManyField(User, blank=True, related_name="teams")

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="unique_team_name"),
        ]

    def __str__(self) -> str:
        return self.name


class AuditEntry(models.Model):
    """One create, update or delete: who, when, what, and the fields before and after."""

    class Action(models.TextChoices):
        CREATE = "create", _("created")
        UPDATE = "update", _("updated")
        DELETE = "delete", _("deleted")
        # Security events: about a user's account, never with a password, code or secret.
        SIGN_IN = "sign_in", _("signed in")
        SIGN_IN_FAILED = "sign_in_failed", _("sign-in failed")
        LOCKED_OUT = "locked_out", _("locked out")
        UNLOCKED = "unlocked", _("unlocked")
        PASSWORD_CHANGED = "password_changed", _("password changed")
        TWO_FACTOR_VERIFIED = "2fa_verified", _("second factor verified")
        TWO_FACTOR_FAILED = "2fa_failed", _("second factor refused")
        TWO_FACTOR_ENROLLED = "2fa_enrolled", _("two-factor authentication set up")
        TWO_FACTOR_DISABLED = "2fa_disabled", _("two-factor authentication turned off")
        TWO_FACTOR_RESET = "2fa_reset", _("two-factor authentication reset")
        RECOVERY_CODE_USED = "recovery_used", _("recovery code used")
        RECOVERY_CODES_MADE = "recovery_made", _("new recovery codes")
        REAUTHENTICATED = "reauth", _("re-authenticated")

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    office = models.ForeignKey(
        "mandates.Office", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    model = models.CharField(_("record type"), max_length=100)
    object_id = models.CharField(_("record"), max_length=64)
    object_repr = models.CharField(_("record name"), max_length=300)
    before = models.JSONField(_("before"), null=True, blank=True)
    after = models.JSONField(_("after"), null=True, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["model", "object_id"], name="audit_record_idx")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor} {self.action} {self.model} {self.object_id}"

    @property
    def changes(self) -> list[tuple[str, object, object]]:
        """The fields that differ, as (field, before, after)."""
        before, after = self.before or {}, self.after or {}
        keys = sorted(set(before) | set(after))
        return [(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k)]
