from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from peacebuild.mandates.models import Sourced


class Programme(Sourced):
    """A line of the office's work (dialogue and reconciliation, rule of law…)."""

    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="programmes",
        verbose_name=_("office"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"), null=True, blank=True)
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["office", "name"]
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="unique_programme_code"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A programme cannot end before it starts.")})
