import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from peacebuild.mandates.models import Sourced, Translated, translations


class DacSector(models.TextChoices):
    """The OECD DAC purpose codes of a peacebuilding office's lines of work (IATI sector
    vocabulary 1)."""

    PEACEBUILDING = "15220", _("civilian peace-building, conflict prevention and resolution")
    CIVIL_SOCIETY = "15150", _("democratic participation and civil society")
    ELECTIONS = "15151", _("elections")
    HUMAN_RIGHTS = "15160", _("human rights")
    LEGAL_JUDICIAL = "15130", _("legal and judicial development")


class Programme(Translated, Sourced):
    """A line of the office's work (dialogue and reconciliation, rule of law…)."""

    translated = {"name": "names", "description": "descriptions"}

    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="programmes",
        verbose_name=_("office"),
    )
    code = models.SlugField(_("code"), max_length=40)
    name = models.CharField(_("name"), max_length=200)
    names = translations(_("name in other languages"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    descriptions = translations(_("description in other languages"))
    dac_sector = models.CharField(_("DAC sector"), max_length=5, choices=DacSector.choices,
                                  default=DacSector.PEACEBUILDING)
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
        return self.localized_name

    def clean(self) -> None:
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("A programme cannot end before it starts.")})


# The results framework: Outcome → Output → Indicator per programme, targets and actuals per
# period, benchmarks and their assessments. Computed actuals are never stored: an indicator
# with a rule is computed on read by the figures engine, so it cannot go stale.


class PeriodKind(models.TextChoices):
    MONTH = "month", _("month")
    QUARTER = "quarter", _("quarter")
    YEAR = "year", _("calendar year")
    MANDATE = "mandate", _("mandate year")


class Outcome(Translated, Sourced):
    translated = {"title": "titles"}

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("programme")
    )
    code = models.CharField(_("code"), max_length=20, help_text=_("e.g. 1, 1.2"))
    title = models.CharField(_("title"), max_length=300)
    titles = translations(_("title in other languages"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("outcome")
        verbose_name_plural = _("outcomes")
        ordering = ["programme", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="unique_outcome_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.localized_title}"

    @property
    def office(self):  # for the audit log and access checks
        return self.programme.office


class Output(Translated, Sourced):
    translated = {"title": "titles"}

    outcome = models.ForeignKey(
        Outcome, on_delete=models.CASCADE, related_name="outputs", verbose_name=_("outcome")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    titles = translations(_("title in other languages"), max_length=300)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("output")
        verbose_name_plural = _("outputs")
        ordering = ["outcome", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["outcome", "code"], name="unique_output_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.localized_title}"

    @property
    def office(self):  # for the audit log and access checks
        return self.outcome.programme.office


class Indicator(Translated, Sourced):
    translated = {"title": "titles", "unit": "units"}

    class Kind(models.TextChoices):
        COUNT = "count", _("count")
        PERCENTAGE = "percentage", _("percentage")
        YES_NO = "yes_no", _("yes/no")
        QUALITATIVE = "qualitative", _("qualitative")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("increase")
        DECREASE = "decrease", _("decrease")
        MAINTAIN = "maintain", _("maintain")

    output = models.ForeignKey(
        Output, on_delete=models.CASCADE, related_name="indicators", verbose_name=_("output")
    )
    code = models.CharField(_("code"), max_length=20)
    title = models.CharField(_("title"), max_length=300)
    titles = translations(_("title in other languages"), max_length=300)
    unit = models.CharField(_("unit"), max_length=60, blank=True,
                            help_text=_("e.g. meetings, people, centres"))
    units = translations(_("unit in other languages"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.COUNT)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices,
                                 default=Direction.INCREASE)
    baseline_value = models.DecimalField(_("baseline"), max_digits=14, decimal_places=2,
                                         null=True, blank=True)
    baseline_on = models.DateField(_("baseline date"), null=True, blank=True)
    baseline_source = models.CharField(_("baseline source"), max_length=300, blank=True)
    rule = models.JSONField(
        _("computation rule"), default=dict, blank=True,
        help_text=_("Empty: actuals are entered. Otherwise the figure that computes them, e.g. "
                    '{"measure": "participants", "filters": {"type": "training"}}.'),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["output", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["output", "code"], name="unique_indicator_code"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.localized_title}"

    @property
    def office(self):  # for the audit log and access checks
        return self.output.outcome.programme.office

    @property
    def is_computed(self) -> bool:
        return bool(self.rule)

    @property
    def rule_json(self) -> str:
        """The rule as people write it in the form."""
        return json.dumps(self.rule, ensure_ascii=False)


class PeriodValue(Sourced):
    """A value for one period of an indicator: a target, or an entered actual."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="+")
    period_kind = models.CharField(_("period"), max_length=10, choices=PeriodKind.choices)
    period_key = models.CharField(
        _("period key"), max_length=24,
        help_text=_("2003-10 (month), 2003-Q4 (quarter), 2003 (year), or the first day of "
                    "the mandate year, 2003-06-01"),
    )
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2, null=True,
                                blank=True)
    text = models.TextField(_("text"), blank=True, help_text=_("For qualitative indicators."))

    class Meta:
        abstract = True


class Target(PeriodValue):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets",
                                  verbose_name=_("indicator"))

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "period_kind", "period_key"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_kind", "period_key"],
                                    name="unique_target_period"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_key}: {self.value}"

    @property
    def office(self):  # for the audit log and access checks
        return self.indicator.office


class Actual(PeriodValue):
    """An entered actual, with its evidence. Computed indicators have none stored."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="actuals",
                                  verbose_name=_("indicator"))
    evidence_document = models.ForeignKey(
        "mandates.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("evidence document"),
    )
    evidence_note = models.TextField(_("evidence"), blank=True)

    class Meta:
        verbose_name = _("actual")
        verbose_name_plural = _("actuals")
        ordering = ["indicator", "period_kind", "period_key"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "period_kind", "period_key"],
                                    name="unique_actual_period"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.period_key}: {self.value}"

    @property
    def office(self):  # for the audit log and access checks
        return self.indicator.office


class Benchmark(Translated, Sourced):
    """A marker of the mandate's achievement, e.g. free and non-violent elections in 2005."""

    translated = {"title": "titles", "description": "descriptions"}

    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="benchmarks",
        verbose_name=_("office"),
    )
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="benchmarks",
        verbose_name=_("programme"),
    )
    title = models.CharField(_("title"), max_length=300)
    titles = translations(_("title in other languages"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    descriptions = translations(_("description in other languages"))
    due_on = models.DateField(_("due by"), null=True, blank=True)

    class Meta:
        verbose_name = _("benchmark")
        verbose_name_plural = _("benchmarks")
        ordering = ["office", "due_on", "title"]

    def __str__(self) -> str:
        return self.localized_title


class Assessment(Sourced):
    class Status(models.TextChoices):
        ON_TRACK = "on_track", _("on track")
        AT_RISK = "at_risk", _("at risk")
        MET = "met", _("met")
        NOT_MET = "not_met", _("not met")

    benchmark = models.ForeignKey(Benchmark, on_delete=models.CASCADE,
                                  related_name="assessments", verbose_name=_("benchmark"))
    assessed_on = models.DateField(_("assessed on"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)
    evidence_note = models.TextField(_("evidence"))
    evidence_document = models.ForeignKey(
        "mandates.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("evidence document"),
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("assessed by"),
    )
    assessed_by_name = models.CharField(
        _("assessed by (name)"), max_length=200, blank=True,
        help_text=_("Who assessed, when not a user of Peacebuild (e.g. the demo)."),
    )

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["benchmark", "-assessed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.benchmark}: {self.get_status_display()} ({self.assessed_on})"

    @property
    def office(self):  # for the audit log and access checks
        return self.benchmark.office
