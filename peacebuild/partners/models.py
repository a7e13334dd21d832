import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from peacebuild.mandates.models import Sourced, Translated, translations, validate_plausible_date


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


class Group(Translated, Sourced):
    """A coordination group the office convenes or sits in (e.g. the human-rights thematic
    group with the UN country team, donors and international organisations)."""

    translated = {"name": "names", "purpose": "purposes"}

    office = models.ForeignKey("mandates.Office", on_delete=models.CASCADE, related_name="groups")
    name = models.CharField(_("name"), max_length=300)
    names = translations(_("name in other languages"), max_length=300)
    code = models.SlugField(
        _("code"), max_length=40, blank=True,
        help_text=_("A short name for report figures, e.g. human-rights-group."),
    )
    purpose = models.TextField(_("purpose"), blank=True)
    purposes = translations(_("purpose in other languages"))
    members: "models.ManyToManyField[Organisation, GroupMember]" = models.ManyToManyField(
        Organisation, blank=True, related_name="groups", verbose_name=_("members"),
        through="GroupMember",
    )
    chaired_by_office = models.BooleanField(_("convened by the office"), default=False)
    convener = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("convened by"),
        help_text=_("The organisation that convenes the group, when the office does not."),
    )
    terms_of_reference = models.ForeignKey(
        "mandates.Document", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("terms of reference"),
    )

    class Meta:
        verbose_name = _("coordination group")
        verbose_name_plural = _("coordination groups")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["office", "code"], condition=~Q(code=""), name="unique_group_code",
                violation_error_message=_("Another group of this office has this code."),
            ),
            models.CheckConstraint(
                condition=Q(chaired_by_office=False) | Q(convener__isnull=True),
                name="group_one_convener",
                violation_error_message=_("A group is convened either by the office or by "
                                          "another organisation, not both."),
            ),
        ]

    def __str__(self) -> str:
        return self.localized_name


class GroupMember(models.Model):
    """An organisation sitting in a group, and the person who attends for it where known."""

    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="group_memberships",
        verbose_name=_("organisation"),
    )
    attendee = models.CharField(
        _("person who attends"), max_length=200, blank=True,
        help_text=_("Name and function, where known."),
    )

    class Meta:
        verbose_name = _("group member")
        verbose_name_plural = _("group members")
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["group", "organisation"], name="unique_group_member",
                violation_error_message=_("This organisation is already a member of the "
                                          "group."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.group}"


class GroupMeeting(Sourced):
    group = models.ForeignKey(Group, on_delete=models.CASCADE, related_name="meetings")
    held_on = models.DateField(_("held on"), validators=[validate_plausible_date])
    venue = models.CharField(_("place"), max_length=300, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    attended = models.ManyToManyField(
        Organisation, blank=True, related_name="meetings_attended",
        verbose_name=_("organisations present"),
    )
    agenda = models.TextField(_("agenda"), blank=True)
    minutes_language = models.CharField(
        _("language of the minutes"), max_length=10, choices=settings.LANGUAGES, default="en",
    )
    # {language code: text}: the original under minutes_language, translations beside it.
    minutes = models.JSONField(_("minutes"), default=dict, blank=True)
    decisions = models.TextField(
        _("decisions"), blank=True, help_text=_("One decision per line."),
    )

    class Meta:
        verbose_name = _("group meeting")
        verbose_name_plural = _("group meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self) -> str:
        return f"{self.group} — {self.held_on}"

    @property
    def decision_list(self) -> list[str]:
        return [line.strip() for line in self.decisions.splitlines() if line.strip()]

    def minutes_in(self, language: str) -> tuple[str, str]:
        """The minutes in `language` if translated, else the original: (language, text)."""
        texts = self.minutes or {}
        if texts.get(language):
            return language, texts[language]
        return self.minutes_language, texts.get(self.minutes_language, "")


class ActionPoint(Sourced):
    """Who promised what by when, and whether it happened."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        DONE = "done", _("done")
        DROPPED = "dropped", _("dropped")

    meeting = models.ForeignKey(GroupMeeting, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("action"))
    # RESTRICT: an owner cannot vanish from the record of who promised what (deactivate
    # people, keep organisations); deleting a whole office still takes its action points.
    owner = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.RESTRICT, related_name="+",
        verbose_name=_("owner"),
        help_text=_("The organisation that owns it; leave empty when the office owns it."),
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.RESTRICT,
        related_name="action_points", verbose_name=_("responsible in the office"),
        help_text=_("The office's colleague who owns it or follows it up; they are reminded "
                    "before the due date."),
    )
    due_on = models.DateField(_("due on"), validators=[validate_plausible_date])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    closed_on = models.DateField(_("done or dropped on"), null=True, blank=True,
                                 validators=[validate_plausible_date])
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("What shows it was done: a letter, a report, "
                                               "a decision."),
    )
    evidence_document = models.ForeignKey(
        "mandates.Document", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", verbose_name=_("evidence document"),
    )
    drop_reason = models.TextField(_("reason for dropping it"), blank=True)

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="action_status_due_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=False) | Q(owner_user__isnull=False),
                name="action_has_owner",
                violation_error_message=_("Say who owns the action point: an organisation, or "
                                          "a colleague in the office."),
            ),
            models.CheckConstraint(
                condition=~Q(status="done") | (Q(closed_on__isnull=False) & (
                    ~Q(evidence="") | Q(evidence_document__isnull=False))),
                name="action_done_has_evidence",
                violation_error_message=_("An action point is closed as done only with the day "
                                          "it was done and the evidence that shows it."),
            ),
            models.CheckConstraint(
                condition=~Q(status="dropped") | (Q(closed_on__isnull=False)
                                                   & ~Q(drop_reason="")),
                name="action_dropped_has_reason",
                violation_error_message=_("An action point is dropped only with the day and "
                                          "the reason."),
            ),
            models.CheckConstraint(
                condition=~Q(status="open") | Q(closed_on__isnull=True),
                name="action_open_not_closed",
                violation_error_message=_("An open action point has no closing date."),
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    def days_left(self, today: dt.date) -> int:
        return (self.due_on - today).days

    def done_on_time(self) -> bool:
        return bool(self.status == self.Status.DONE and self.closed_on
                    and self.closed_on <= self.due_on)


class ActionPointReminder(models.Model):
    """A reminder sent to an action point's owner, so each is sent once."""

    class Kind(models.TextChoices):
        BEFORE = "before", _("before the due date")
        OVERDUE = "overdue", _("overdue")

    action = models.ForeignKey(ActionPoint, on_delete=models.CASCADE, related_name="reminders")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    sent_on = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["action", "user", "kind"], name="one_reminder_each"),
        ]

    def __str__(self) -> str:
        return f"{self.action} — {self.user} — {self.kind} {self.sent_on}"
