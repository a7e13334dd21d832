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


# Summary tables ("cubes") behind the figures engine. They hold derived data only, are kept
# exact on every write by programmes.figures.cubes, and can be rebuilt from the raw rows
# at any time. Keys are plain integers (0 = none) rather than foreign keys: a NULL in a
# unique key would defeat the upsert, and derived rows must never block a delete.


class CubeKey(models.Model):
    office = models.IntegerField()
    programme = models.IntegerField()
    type = models.IntegerField()
    region = models.IntegerField()
    month = models.DateField()

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.office}/{self.programme}/{self.type}/{self.region}/{self.month:%Y-%m}"


class ActivityCube(CubeKey):
    """Activities and reported participants per office × programme × type × region × month."""

    activities = models.BigIntegerField(default=0)
    participants = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "programme", "type", "region", "month"],
                name="activitycube_key",
            ),
        ]
        indexes = [models.Index(fields=["office", "month"], name="activitycube_month_idx")]


class CategoryCube(CubeKey):
    """Attendance per office × programme × type × region × month × category × sex."""

    category = models.CharField(max_length=30)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "programme", "type", "region", "month", "category", "sex"],
                name="categorycube_key",
            ),
        ]
        indexes = [models.Index(fields=["office", "month"], name="categorycube_month_idx")]


class AgeCube(CubeKey):
    """Attendance per office × programme × type × region × month × age group × sex."""

    age_group = models.CharField(max_length=10)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "programme", "type", "region", "month", "age_group", "sex"],
                name="agecube_key",
            ),
        ]
        indexes = [models.Index(fields=["office", "month"], name="agecube_month_idx")]


class CategoryLiteCube(models.Model):
    """Attendance per office × programme × month × category × sex: the small cube that
    answers dashboards, which filter by period and programme only."""

    office = models.IntegerField()
    programme = models.IntegerField()
    month = models.DateField()
    category = models.CharField(max_length=30)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "programme", "month", "category", "sex"],
                name="categorylitecube_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office}/{self.programme}/{self.month:%Y-%m}/{self.category}/{self.sex}"


class AgeLiteCube(models.Model):
    """Attendance per office × programme × month × age group × sex."""

    office = models.IntegerField()
    programme = models.IntegerField()
    month = models.DateField()
    age_group = models.CharField(max_length=10)
    sex = models.CharField(max_length=1)
    people = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "programme", "month", "age_group", "sex"],
                name="agelitecube_key",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.office}/{self.programme}/{self.month:%Y-%m}/{self.age_group}/{self.sex}"
