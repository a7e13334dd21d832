from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from peacebuild.mandates.models import Sourced, Translated, translations


def interface_language() -> str:
    """The active interface language as an Activity.language choice (English if none)."""
    active = (get_language() or "").lower()
    return active if active in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# One activity may be large (13,000 poll workers trained in 2005) but not absurd.
MAX_PARTICIPANTS = 100_000


class ParticipantCategory(models.TextChoices):
    CENTRAL_GOVERNMENT = "central_government", _("central government")
    LOCAL_ADMINISTRATION = "local_administration", _("local administration")
    PARTY = "party", _("political party")
    CIVIL_SOCIETY = "civil_society", _("civil society")
    TEACHER = "teacher", _("teacher")
    LAW_ENFORCEMENT = "law_enforcement", _("law enforcement")
    JOURNALIST = "journalist", _("journalist")
    ELECTION_OFFICIAL = "election_official", _("election official")
    YOUTH = "youth", _("youth")
    COMMUNITY_LEADER = "community_leader", _("community leader")
    FORMER_COMBATANT = "former_combatant", _("former combatant")
    OTHER = "other", _("other")


class Sex(models.TextChoices):
    FEMALE = "f", _("women")
    MALE = "m", _("men")
    UNKNOWN = "u", _("not recorded")


class AgeGroup(models.TextChoices):
    UNKNOWN = "unknown", _("age not recorded")
    UNDER_18 = "0-17", _("under 18")
    YOUTH = "18-29", _("18–29")
    ADULT = "30-59", _("30–59")
    OLDER = "60+", _("60 and over")


class ActivityType(Translated, models.Model):
    """Reference data: what kind of thing an activity is."""

    translated = {"name": "names"}

    class Category(models.TextChoices):
        DIALOGUE = "dialogue", _("dialogue meeting")
        TRAINING = "training", _("training course")
        ROUNDTABLE = "roundtable", _("roundtable")
        MEDIA = "media", _("media training")
        ADVISORY = "advisory", _("advisory work")
        ASSESSMENT = "assessment", _("assessment mission")
        CENTRE = "centre", _("centre session")
        ADVOCACY = "advocacy", _("advocacy and recommendations")
        COORDINATION = "coordination", _("coordination")
        INTERVENTION = "intervention", _("intervention")
        OTHER = "other", _("other")

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    names = translations(_("name in other languages"), max_length=200)
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)

    class Meta:
        verbose_name = _("activity type")
        verbose_name_plural = _("activity types")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.localized_name


class Centre(Translated, Sourced):
    translated = {"name": "names", "description": "descriptions"}

    class Kind(models.TextChoices):
        EDUCATION = "education", _("conflict-prevention and human-rights education centre")
        RESOURCE = "resource", _("resource centre")
        DOCUMENTATION = "documentation", _("information and documentation centre")
        OTHER = "other", _("other")

    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="centres",
        verbose_name=_("office"),
    )
    name = models.CharField(_("name"), max_length=300)
    names = translations(_("name in other languages"), max_length=300)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    place = models.ForeignKey(
        "places.Place", on_delete=models.PROTECT, related_name="centres", verbose_name=_("place")
    )
    partner = models.ForeignKey(
        "partners.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="centres", verbose_name=_("partner organisation"),
    )
    programme = models.ForeignKey(
        "programmes.Programme", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="centres", verbose_name=_("programme"),
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    description = models.TextField(_("description"), blank=True)
    descriptions = translations(_("description in other languages"))

    class Meta:
        verbose_name = _("centre")
        verbose_name_plural = _("centres")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closed_on__isnull=True)
                | models.Q(closed_on__gte=models.F("opened_on")),
                name="centre_closes_after_it_opens",
                violation_error_message=_("A centre cannot close before it opens."),
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name

    def clean(self) -> None:
        if self.closed_on and self.opened_on and self.closed_on < self.opened_on:
            raise ValidationError({"closed_on": _("A centre cannot close before it opens.")})


class Activity(Sourced):
    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="activities",
        verbose_name=_("office"),
    )
    # RESTRICT, not PROTECT: a programme with activities cannot be deleted on its own,
    # but deleting the whole office removes both.
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.RESTRICT, related_name="activities",
        verbose_name=_("programme"),
    )
    type = models.ForeignKey(
        ActivityType, on_delete=models.PROTECT, related_name="activities", verbose_name=_("type")
    )
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    # Free text stays as written; this says in which language, for lang= on the page.
    language = models.CharField(
        _("written in"), max_length=10,
        choices=settings.LANGUAGES, default=settings.LANGUAGE_CODE,
        help_text=_("The language the title and description are written in. They are shown "
                    "as written, in every interface language."))
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    place = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        verbose_name=_("place"),
    )
    # Kept in step with `place` by the service so that region filters use one index.
    region = models.ForeignKey(
        "places.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        editable=False,
    )
    centre = models.ForeignKey(
        Centre, null=True, blank=True, on_delete=models.SET_NULL, related_name="activities",
        verbose_name=_("centre"),
    )
    partners = models.ManyToManyField(
        "partners.Organisation", blank=True, related_name="activities",
        verbose_name=_("partners"),
    )
    meeting = models.ForeignKey(
        "partners.GroupMeeting", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="activities", verbose_name=_("asked for by the meeting"),
        help_text=_("The coordination meeting that led to this activity, if any."),
    )
    participants_total = models.PositiveIntegerField(
        _("participants"), null=True, blank=True,
        help_text=_("The total reported. When a breakdown is entered it must add up to this."),
    )
    outputs = models.TextField(_("outputs"), blank=True)
    follow_up = models.TextField(
        _("follow-up"), blank=True, help_text=_("e.g. recommendations sent to parliament")
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-starts_on", "-id"]
        indexes = [
            models.Index(fields=["office", "-starts_on", "-id"], name="activity_list_idx"),
            models.Index(fields=["office", "type", "-starts_on", "-id"], name="activity_type_idx"),
            models.Index(
                fields=["office", "programme", "-starts_on", "-id"], name="activity_prog_idx"
            ),
            models.Index(
                fields=["office", "region", "-starts_on", "-id"], name="activity_region_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="activity_ends_after_start",
                violation_error_message=_("The end date is before the start date."),
            ),
            models.CheckConstraint(
                condition=models.Q(participants_total__lte=MAX_PARTICIPANTS),
                name="activity_participants_plausible",
                violation_error_message=_("That is more participants than any activity holds."),
            ),
        ]

    def __str__(self) -> str:
        return self.title


class Attendance(models.Model):
    """How many people of one category, sex and age group took part in an activity."""

    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="attendance")
    category = models.CharField(
        _("participant category"), max_length=30, choices=ParticipantCategory.choices
    )
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices)
    age_group = models.CharField(
        _("age group"), max_length=10, choices=AgeGroup.choices, default=AgeGroup.UNKNOWN
    )
    count = models.PositiveIntegerField(_("count"))

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        # Covering: the figures engine's raw reads (the cut edge months of a window)
        # take an activity's cells and counts from the index alone, never the table.
        indexes = [
            models.Index(fields=["activity", "category", "sex", "age_group", "count"],
                         name="figscale_attendance_cover"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["activity", "category", "sex", "age_group"], name="unique_attendance_cell"
            ),
            models.CheckConstraint(
                condition=models.Q(count__gt=0, count__lte=MAX_PARTICIPANTS),
                name="attendance_count_plausible",
                violation_error_message=_(
                    "A count of people is at least one and no more than any activity holds."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity_id} {self.category}/{self.sex}/{self.age_group}: {self.count}"


class Participant(Sourced):
    """A person in the optional registry, for counts of distinct people."""

    office = models.ForeignKey(
        "mandates.Office", on_delete=models.CASCADE, related_name="participants"
    )
    full_name = models.CharField(_("full name"), max_length=200)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, default=Sex.UNKNOWN)
    birth_year = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    category = models.CharField(
        _("participant category"), max_length=30, choices=ParticipantCategory.choices
    )
    organisation = models.ForeignKey(
        "partners.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("organisation"),
    )
    activities = models.ManyToManyField(
        Activity, blank=True, related_name="participants", verbose_name=_("activities")
    )

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name
