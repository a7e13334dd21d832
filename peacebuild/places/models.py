from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peacebuild.lib.names import pick_name


class Place(models.Model):
    """Country → region (ISO 3166-2) → district → settlement."""

    class Level(models.IntegerChoices):
        COUNTRY = 0, _("country")
        REGION = 1, _("region")
        DISTRICT = 2, _("district")
        SETTLEMENT = 3, _("settlement")

    code = models.CharField(
        _("code"),
        max_length=40,
        unique=True,
        help_text=_("ISO 3166 code for countries and regions (TJ, TJ-SU); a stable key below."),
    )
    name = models.CharField(_("name"), max_length=200)
    level = models.PositiveSmallIntegerField(_("level"), choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("part of"),
    )
    names = models.JSONField(
        _("names in other languages"), default=dict, blank=True,
        help_text=_('By language code, e.g. {"ru": "Согдийская область"}.'),
    )
    boundary_id = models.CharField(
        _("boundary id"), max_length=40, blank=True, help_text=_("geoBoundaries shapeID")
    )

    class Meta:
        verbose_name = _("place")
        verbose_name_plural = _("places")
        ordering = ["level", "name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level=0, parent__isnull=True)
                | models.Q(level__gt=0, parent__isnull=False),
                name="place_parent_matches_level",
                violation_error_message=_(
                    "A country has no parent place; a region or a district has one."),
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    @property
    def localized_name(self) -> str:
        """The name in the active language, falling back to the English name."""
        return pick_name(self.name, self.names, get_language())

    @property
    def region(self) -> "Place | None":
        """The region this place lies in (itself for a region)."""
        place: Place | None = self
        while place is not None and place.level > self.Level.REGION:
            place = place.parent
        return place if place is not None and place.level == self.Level.REGION else None
