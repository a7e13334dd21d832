from django.db import models
from django.utils.translation import gettext_lazy as _

from peacebuild.mandates.models import Sourced


class Organisation(Sourced):
    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("government body")
        PARTY = "party", _("political party")
        NGO = "ngo", _("non-governmental organisation")
        UN = "un", _("UN entity")
        DONOR = "donor", _("donor")
        INTERNATIONAL = "international", _("international organisation")
        MEDIA = "media", _("media")
        OTHER = "other", _("other")

    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="organisations",
        verbose_name=_("office"),
    )
    name = models.CharField(_("name"), max_length=300)
    acronym = models.CharField(_("acronym"), max_length=40, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    country = models.CharField(_("country (ISO 3166-1)"), max_length=2, blank=True)
    website = models.URLField(_("website"), blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "name"], name="unique_organisation_name"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name


class Group(Sourced):
    """A coordination group the office convenes or sits in (e.g. the human-rights thematic
    group with the UN country team, donors and international organisations)."""

    office = models.ForeignKey("mandates.Office", on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=300)
    purpose = models.TextField(_("purpose"), blank=True)
    members = models.ManyToManyField(
        Organisation, blank=True, related_name="groups", verbose_name=_("members")
    )
    chaired_by_office = models.BooleanField(_("convened by the office"), default=False)

    class Meta:
        verbose_name = _("coordination group")
        verbose_name_plural = _("coordination groups")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class GroupMeeting(Sourced):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"))
    summary = models.TextField(_("summary"), blank=True)

    class Meta:
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        ordering = ["-held_on"]

    def __str__(self) -> str:
        return f"{self.group} — {self.held_on}"


class ActionPoint(models.Model):
    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("action"))
    owner = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), null=True, blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")

    def __str__(self) -> str:
        return self.text[:80]
