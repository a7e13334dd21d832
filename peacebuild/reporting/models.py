"""Reports to the Council and to donors: drafts made of sections whose narrative holds live
figures, approved by the head of office and issued as frozen versions."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from peacebuild.activities.models import ActivityType, Centre, ParticipantCategory
from peacebuild.mandates.models import Office, validate_plausible_date, validate_symbol

LANGUAGE_CHOICES = [
    ("ar", _("Arabic")), ("zh", _("Chinese")), ("en", _("English")), ("fr", _("French")),
    ("ru", _("Russian")), ("es", _("Spanish")), ("tg", _("Tajik")),
]


class Report(models.Model):
    class Kind(models.TextChoices):
        LETTER = "letter", _("Letter of the Secretary-General on the mandate")
        PROGRESS = "progress", _("Periodic progress report")
        DONOR = "donor", _("Donor report")

    class Status(models.TextChoices):
        DRAFT = "draft", _("draft")
        APPROVED = "approved", _("approved")
        ISSUED = "issued", _("issued")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="reports",
                               verbose_name=_("office"))
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices,
                            default=Kind.LETTER)
    period_start = models.DateField(_("period from"), validators=[validate_plausible_date])
    period_end = models.DateField(_("period to"), validators=[validate_plausible_date])
    language = models.CharField(
        _("original language"), max_length=2, choices=LANGUAGE_CHOICES, default="en",
        help_text=_("The language the office drafts in; the other versions are marked as "
                    "translations of it."))
    dated_on = models.DateField(
        _("date of the document"), null=True, blank=True, validators=[validate_plausible_date],
        help_text=_("The date the letter or report bears; figures about the mandate are "
                    "read as of this day (or the end of the period when blank)."))
    signatory = models.CharField(_("signatory"), max_length=200, blank=True)
    signatory_names = models.JSONField(
        _("signatory by language"), default=dict, blank=True,
        help_text=_("The signatory's name as each language writes it, "
                    "e.g. {\"zh\": \"科菲·安南\"}."))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.DRAFT)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-period_start", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="report_period_ends_after_start",
                                   violation_error_message=_("The period ends before it starts.")),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}, {self.period_start} – {self.period_end}"

    @property
    def as_of(self) -> dt.date:
        """The day mandate facts are read on: the document's date, else the period's end."""
        return self.dated_on or self.period_end

    def signatory_in(self, language: str) -> str:
        return (self.signatory_names or {}).get(language) or self.signatory


class Section(models.Model):
    """Opening, one section per programme, closing. `texts` holds the narrative per
    language code; placeholders in braces ({club_meetings}) are figures, computed live."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="sections",
                               verbose_name=_("report"))
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.CharField(_("key"), max_length=40,
                           help_text=_("opening, closing, or the programme's code"))
    programme = models.ForeignKey("programmes.Programme", null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("programme"))
    heading = models.JSONField(_("heading by language"), default=dict, blank=True)
    texts = models.JSONField(_("text by language"), default=dict, blank=True)
    # When each language's text was last edited (ISO timestamps). A version older than
    # another language's latest edit may no longer say the same thing.
    edited = models.JSONField(_("edited by language"), default=dict, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["report", "position"]
        constraints = [
            models.UniqueConstraint(fields=["report", "key"], name="unique_section_key"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.key}"

    def stale_languages(self) -> dict[str, str]:
        """Languages whose text predates a later edit in another language, each with the
        language edited last: {"zh": "en"} — the Chinese may not follow the English."""
        if not self.edited:
            return {}
        latest_lang = max(self.edited, key=lambda lang: self.edited[lang])
        latest = self.edited[latest_lang]
        return {lang: latest_lang for lang in self.texts
                if lang != latest_lang and self.edited.get(lang, "") < latest}

    @property
    def office(self) -> Office:
        return self.report.office


class IssuedVersion(models.Model):
    """A report as issued: symbol, date, distribution, original language and the resolved
    text of every language, frozen. Nothing may change it afterwards."""

    # Deleting a whole office removes its records, issued reports included; nothing else
    # deletes or changes an issued version (services and admin refuse).
    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="issued",
                                  verbose_name=_("report"))
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("office"))
    symbol = models.CharField(_("document symbol"), max_length=60, validators=[validate_symbol])
    issued_on = models.DateField(_("issued on"), validators=[validate_plausible_date])
    distribution = models.CharField(_("distribution"), max_length=20, default="General")
    original_language = models.CharField(_("original language"), max_length=2,
                                         choices=LANGUAGE_CHOICES)
    content = models.JSONField(_("frozen content"))
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+",
                                  verbose_name=_("issued by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued version")
        verbose_name_plural = _("issued versions")

    def __str__(self) -> str:
        return self.symbol


class RenderJob(models.Model):
    """One rendering of a report (draft or issued) in one language and format, run as a
    background task; the page polls its progress."""

    class Format(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"
        HTML = "html", "HTML"

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="jobs",
                               verbose_name=_("report"))
    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("office"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    format = models.CharField(_("format"), max_length=4, choices=Format.choices)
    annex = models.BooleanField(_("with the annex of figures"), default=True)
    state = models.CharField(_("state"), max_length=8, choices=State.choices,
                             default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    output = models.BinaryField(_("output"), null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Saved at each step: a job still "running" whose last step is older than
    # reporting.tasks.STALE_AFTER died with its worker (reporting.tasks.fail_stale).
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    # How many times a worker started it (peacebuild/deploy/recovery.py retries a rendering
    # whose worker died).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("rendering")
        verbose_name_plural = _("renderings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.report_id} {self.language} {self.format} {self.state}"

    @property
    def filename(self) -> str:
        return f"report-{self.report_id}-{self.language}.{self.format}"


FIGURE_NAME_RE = r"^[a-z][a-z0-9_]*$"


class FigureDefinition(models.Model):
    """A named figure a report's text may use, `{club_meetings}`: one question to the figures
    engine, defined by the office in its own codes (the demo loads UNTOP's from its data).
    The mandate's dates (`{established_on}`, `{current_period_end}`…) need no definition."""

    class Measure(models.TextChoices):
        ACTIVITIES = "activities", _("number of activities")
        PARTICIPANTS = "participants", _("participants (reported totals)")
        ATTENDANCE = "attendance", _("attendance of one participant category")
        CENTRES_OPEN = "centres_open", _("centres open at the end of the period")
        MEETINGS_HELD = "meetings_held", _("coordination meetings held")
        MEMBER_ATTENDANCE = "member_attendance", _("member attendance at coordination "
                                                   "meetings, in per cent")
        ACTIONS_DUE = "actions_due", _("action points due")
        ACTIONS_DONE_ON_TIME = "actions_done_on_time", _("action points done on time")
        ACTIONS_OVERDUE = "actions_overdue", _("action points overdue at the end of the "
                                               "period")

    office = models.ForeignKey(Office, on_delete=models.CASCADE,
                               related_name="figure_definitions", verbose_name=_("office"))
    name = models.CharField(
        _("name"), max_length=60,
        validators=[RegexValidator(FIGURE_NAME_RE, _(
            "Write the name in small letters, digits and underscores, starting with a "
            "letter, e.g. club_meetings."))],
        help_text=_("What the text writes in braces, e.g. {club_meetings}."))
    description = models.CharField(_("description"), max_length=300)
    descriptions = models.JSONField(
        _("description by language"), default=dict, blank=True,
        help_text=_("The description in other languages, e.g. {\"ru\": \"…\"}; English "
                    "otherwise."))
    measure = models.CharField(_("measure"), max_length=20, choices=Measure.choices)
    activity_type = models.ForeignKey(
        "activities.ActivityType", null=True, blank=True, on_delete=models.PROTECT,
        related_name="+", verbose_name=_("activity type"))
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.RESTRICT,
        related_name="+", verbose_name=_("programme"))
    category = models.CharField(_("kind of activity"), max_length=20, blank=True,
                                choices=ActivityType.Category.choices)
    text = models.CharField(_("words in the title or description"), max_length=100, blank=True)
    participant_category = models.CharField(
        _("participant category"), max_length=30, blank=True,
        choices=ParticipantCategory.choices,
        help_text=_("For the attendance measure: whose attendance is counted."))
    centre_kind = models.CharField(_("kind of centre"), max_length=20, blank=True,
                                   choices=Centre.Kind.choices,
                                   help_text=_("For the centres measure."))
    group = models.ForeignKey(
        "partners.Group", null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
        verbose_name=_("coordination group"),
        help_text=_("For the coordination measures: one group; all groups when empty."))

    class Meta:
        verbose_name = _("figure definition")
        verbose_name_plural = _("figure definitions")
        ordering = ["office", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "name"], name="figure_definition_name_unique_in_office",
                violation_error_message=_("The office already has a figure with this name.")),
        ]

    def __str__(self) -> str:
        return self.name

    def description_in(self, language: str) -> str:
        return self.descriptions.get(language) or self.description

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.measure == self.Measure.ATTENDANCE and not self.participant_category:
            errors["participant_category"] = _("Say whose attendance is counted.")
        if self.measure != self.Measure.ATTENDANCE and self.participant_category:
            errors["participant_category"] = _("Only the attendance measure counts one "
                                               "participant category.")
        if self.measure != self.Measure.CENTRES_OPEN and self.centre_kind:
            errors["centre_kind"] = _("Only the centres measure counts one kind of centre.")
        coordination = {self.Measure.MEETINGS_HELD, self.Measure.MEMBER_ATTENDANCE,
                        self.Measure.ACTIONS_DUE, self.Measure.ACTIONS_DONE_ON_TIME,
                        self.Measure.ACTIONS_OVERDUE}
        if self.group_id and self.measure not in coordination:
            errors["group"] = _("Only the coordination measures count one group.")
        if (self.group is not None and self.office_id
                and self.group.office_id != self.office_id):
            errors["group"] = _("The group belongs to another office.")
        if (self.programme is not None and self.office_id
                and self.programme.office_id != self.office_id):
            errors["programme"] = _("The programme belongs to another office.")
        if errors:
            raise ValidationError(errors)
