"""The trail of every access to case data, append-only and hash-chained, and the key check
that stops the server when a case key is missing or wrong."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from .fields import BlindIndexField, SealedTextField

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
        CHECKPOINT = "checkpoint", _("verified checkpoint")

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


# The case records, after the HURIDOCS Events Standard Formats. A team, a person or an
# authority named by a case cannot be deleted on its own (RESTRICT); deleting the whole
# office deletes its cases with it. Every field that could
# identify a person (names, contacts, ID numbers, free text about people) is sealed at rest;
# what stays plain is what the aggregates count: dates, kinds, places at region level,
# statuses and outcomes.


class CaseTeam(models.Model):
    """The people who may see a set of cases. Deny by default: a case is seen by its team's
    members only (and by a head of office through break-glass, for a while)."""

    office = models.ForeignKey("mandates.Office", on_delete=models.CASCADE,
                               related_name="case_teams", verbose_name=_("office"))
    name = models.CharField(_("name"), max_length=120)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case team")
        verbose_name_plural = _("case teams")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["office", "name"],
                                               name="case_team_name_unique")]

    def __str__(self) -> str:
        return self.name


class CaseTeamMember(models.Model):
    team = models.ForeignKey(CaseTeam, on_delete=models.CASCADE, related_name="members",
                             verbose_name=_("team"))
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE,
                             related_name="case_teams", verbose_name=_("user"))
    can_write = models.BooleanField(_("may change the team's cases"), default=False)
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        verbose_name = _("case team member")
        verbose_name_plural = _("case team members")
        constraints = [models.UniqueConstraint(fields=["team", "user"],
                                               name="case_team_member_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.team}"


class Precision(models.TextChoices):
    DAY = "day", _("the day is known")
    MONTH = "month", _("the month is known")
    YEAR = "year", _("the year is known")


class Event(models.Model):
    """Something that happened: one or more acts against one or more victims."""

    class Status(models.TextChoices):
        OPEN = "open", _("open")
        MONITORING = "monitoring", _("being followed")
        CLOSED = "closed", _("closed")

    class Confidentiality(models.TextChoices):
        RESTRICTED = "restricted", _("restricted")
        CONFIDENTIAL = "confidential", _("confidential")
        STRICT = "strict", _("strictly confidential")

    office = models.ForeignKey("mandates.Office", on_delete=models.CASCADE,
                               related_name="case_events", verbose_name=_("office"))
    team = models.ForeignKey(CaseTeam, on_delete=models.RESTRICT, related_name="events",
                             verbose_name=_("case team"))
    title = SealedTextField(_("title"))
    description = SealedTextField(_("description"), blank=True)
    started_on = models.DateField(_("began on"), null=True, blank=True)
    start_precision = models.CharField(_("precision of the beginning"), max_length=5,
                                       choices=Precision.choices, default=Precision.DAY)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_precision = models.CharField(_("precision of the end"), max_length=5,
                                     choices=Precision.choices, default=Precision.DAY)
    # Region level only is plain (what the aggregates count); finer places are in the text.
    region = models.ForeignKey("places.Place", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("region"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices,
                              default=Status.OPEN)
    confidentiality = models.CharField(_("confidentiality"), max_length=12,
                                       choices=Confidentiality.choices,
                                       default=Confidentiality.CONFIDENTIAL)
    created_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+",
                                   verbose_name=_("recorded by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["-started_on", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(ended_on__isnull=True) | models.Q(started_on__isnull=True)
            | models.Q(ended_on__gte=models.F("started_on")),
            name="case_event_dates_in_order",
            violation_error_message=_("An event cannot end before it begins."))]

    def __str__(self) -> str:
        return f"event {self.pk}"  # never the title: str() ends up in logs and admin


class Person(models.Model):
    """A victim, witness, source or alleged perpetrator: an individual, a group, or an
    organisation. Belongs to one team; found again by exact name through its blind index."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("individual")
        GROUP = "group", _("group of people")
        ORGANISATION = "organisation", _("organisation")

    class Sex(models.TextChoices):
        FEMALE = "f", _("female")
        MALE = "m", _("male")
        UNKNOWN = "", _("not known")

    office = models.ForeignKey("mandates.Office", on_delete=models.CASCADE,
                               related_name="case_persons", verbose_name=_("office"))
    team = models.ForeignKey(CaseTeam, on_delete=models.RESTRICT, related_name="persons",
                             verbose_name=_("case team"))
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices,
                            default=Kind.INDIVIDUAL)
    name = SealedTextField(_("name"))
    name_index = BlindIndexField(source="name")
    other_names = SealedTextField(_("other names"), blank=True)
    sex = models.CharField(_("sex"), max_length=1, choices=Sex.choices, blank=True)
    born_in = models.PositiveSmallIntegerField(_("year of birth"), null=True, blank=True)
    contact = SealedTextField(_("contact"), blank=True)
    id_number = SealedTextField(_("identity document number"), blank=True)
    id_number_index = BlindIndexField(source="id_number")
    notes = SealedTextField(_("notes"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"person {self.pk}"


class Act(models.Model):
    """What was done to whom: one violation against one victim in an event."""

    class Violation(models.TextChoices):
        ARBITRARY_DETENTION = "detention", _("arbitrary arrest and detention")
        TORTURE = "torture", _("torture and ill-treatment")
        FAIR_TRIAL = "fair_trial", _("violation of the right to a fair trial")
        EXPRESSION = "expression", _("violation of freedom of expression")
        ASSEMBLY = "assembly", _("violation of freedom of peaceful assembly")
        ASSOCIATION = "association", _("violation of freedom of association")
        RELIGION = "religion", _("violation of freedom of religion or belief")
        DISAPPEARANCE = "disappearance", _("enforced disappearance")
        KILLING = "killing", _("arbitrary deprivation of life")
        PROPERTY = "property", _("violation of the right to property")
        MOVEMENT = "movement", _("violation of freedom of movement")
        OTHER = "other", _("other violation")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="acts",
                              verbose_name=_("event"))
    violation = models.CharField(_("violation"), max_length=14, choices=Violation.choices)
    victim = models.ForeignKey(Person, on_delete=models.RESTRICT, related_name="acts_suffered",
                               verbose_name=_("victim"))
    happened_on = models.DateField(_("date"), null=True, blank=True)
    precision = models.CharField(_("precision of the date"), max_length=5,
                                 choices=Precision.choices, default=Precision.DAY)
    place = SealedTextField(_("place"), blank=True)
    consequences = SealedTextField(_("consequences"), blank=True)

    class Meta:
        verbose_name = _("act")
        verbose_name_plural = _("acts")
        ordering = ["happened_on", "id"]

    def __str__(self) -> str:
        return f"act {self.pk}"


class Involvement(models.Model):
    """Who is alleged to have done an act, and how."""

    class Degree(models.TextChoices):
        DIRECT = "direct", _("carried it out")
        ORDERED = "ordered", _("ordered it")
        COMPLICIT = "complicit", _("took part in it")
        FAILED = "failed", _("failed to prevent it")
        UNKNOWN = "unknown", _("role not known")

    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="involvements",
                            verbose_name=_("act"))
    perpetrator = models.ForeignKey(Person, on_delete=models.RESTRICT,
                                    related_name="involvements",
                                    verbose_name=_("alleged perpetrator"))
    degree = models.CharField(_("degree of involvement"), max_length=10,
                              choices=Degree.choices, default=Degree.UNKNOWN)
    notes = SealedTextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("involvement")
        verbose_name_plural = _("involvements")
        constraints = [models.UniqueConstraint(fields=["act", "perpetrator"],
                                               name="case_involvement_unique")]

    def __str__(self) -> str:
        return f"involvement {self.pk}"


class Information(models.Model):
    """What a source said about an event, how far it can be relied on, and what the source
    agreed to: that it be used, and that it be shared beyond the office."""

    class Reliability(models.TextChoices):
        HIGH = "high", _("reliable")
        MEDIUM = "medium", _("fairly reliable")
        LOW = "low", _("not confirmed")
        UNKNOWN = "unknown", _("cannot be judged")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="information",
                              verbose_name=_("event"))
    source = models.ForeignKey(Person, on_delete=models.RESTRICT, related_name="information",
                               verbose_name=_("source"))
    received_on = models.DateField(_("received on"))
    content = SealedTextField(_("what the source said"))
    reliability = models.CharField(_("reliability"), max_length=7,
                                   choices=Reliability.choices, default=Reliability.UNKNOWN)
    consent_to_use = models.BooleanField(_("consents to its use"), default=False)
    consent_to_share = models.BooleanField(_("consents to its sharing beyond the office"),
                                           default=False)
    consent_notes = SealedTextField(_("conditions of consent"), blank=True)

    class Meta:
        verbose_name = _("information")
        verbose_name_plural = _("information")
        ordering = ["received_on", "id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(consent_to_share=False) | models.Q(consent_to_use=True),
            name="case_share_needs_use",
            violation_error_message=_("A source who does not consent to the use of what they "
                                      "said cannot consent to its sharing."))]

    def __str__(self) -> str:
        return f"information {self.pk}"


class Intervention(models.Model):
    """A step taken with the authorities about an event."""

    class Channel(models.TextChoices):
        LETTER = "letter", _("letter")
        NOTE = "note", _("note verbale")
        MEETING = "meeting", _("meeting")
        CALL = "call", _("telephone call")
        VISIT = "visit", _("visit")
        OTHER = "other", _("other channel")

    class Outcome(models.TextChoices):
        PENDING = "pending", _("awaiting a response")
        RESOLVED = "resolved", _("request met")
        PARTIAL = "partial", _("request partly met")
        REFUSED = "refused", _("request refused")
        NO_RESPONSE = "no_response", _("no response")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="interventions",
                              verbose_name=_("event"))
    made_on = models.DateField(_("date"))
    made_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="+",
                                verbose_name=_("made by"))
    authority = models.ForeignKey("partners.Organisation", on_delete=models.RESTRICT,
                                  related_name="+", verbose_name=_("authority"))
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    request = SealedTextField(_("request made"))
    response = SealedTextField(_("the authority's response"), blank=True)
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices,
                               default=Outcome.PENDING)
    follow_up_due = models.DateField(_("follow-up due"), null=True, blank=True)

    class Meta:
        verbose_name = _("intervention")
        verbose_name_plural = _("interventions")
        ordering = ["made_on", "id"]

    def __str__(self) -> str:
        return f"intervention {self.pk}"


class FollowUp(models.Model):
    """Something the team must do by a date about an event (or one of its interventions)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="follow_ups",
                              verbose_name=_("event"))
    intervention = models.ForeignKey(Intervention, null=True, blank=True,
                                     on_delete=models.CASCADE, related_name="follow_ups",
                                     verbose_name=_("intervention"))
    due_on = models.DateField(_("due on"))
    assignee = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("assigned to"))
    task = SealedTextField(_("what to do"))
    done_on = models.DateField(_("done on"), null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"follow-up {self.pk}"


class BreakGlass(models.Model):
    """A head of office's time-limited access to one case outside their teams, with the
    reason they stated; the case team is told and the trail records it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="break_glass",
                              verbose_name=_("event"))
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+",
                             verbose_name=_("user"))
    reason = models.TextField(_("reason"))
    granted_at = models.DateTimeField(_("granted at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("break-glass access")
        verbose_name_plural = _("break-glass accesses")
        ordering = ["-granted_at"]
        constraints = [models.CheckConstraint(
            condition=models.Q(expires_at__gt=models.F("granted_at")),
            name="case_break_glass_expires_after_grant")]

    def __str__(self) -> str:
        return f"break-glass {self.pk}"


# Revisions (oversight): the previous version of every changed case record.


class Revision(models.Model):
    """What one change to a case record replaced: the changed fields' values before and
    after, sealed as one JSON text, written with the change's trail entry in the same
    transaction. Append-only like the trail (database triggers refuse updates and deletes;
    key rotation alone may re-seal the snapshot, `guard.py`).

    The case, the record and who changed it are kept as values, not foreign keys, like the
    trail's: deleting a user or a record must neither be refused nor rewrite the history.
    A person's revisions carry no case (a person belongs to a team, not to one case)."""

    at = models.DateTimeField(_("when"))
    user_id = models.BigIntegerField(_("user id"), null=True, blank=True)
    username = models.CharField(_("who"), max_length=150)
    office_id = models.BigIntegerField(_("office id"))
    event_id = models.BigIntegerField(_("case"), null=True, blank=True)
    record_type = models.CharField(_("record type"), max_length=40)
    record_id = models.BigIntegerField(_("record"))
    fields = models.JSONField(_("changed fields"), default=list)  # names only, never values
    snapshot = SealedTextField(_("values before and after"))
    # No database constraint: the trail's own TRUNCATE guard must be what refuses its
    # truncation, and neither table ever loses a row.
    trail_entry = models.ForeignKey(TrailEntry, on_delete=models.DO_NOTHING, db_constraint=False,
                                    related_name="+", verbose_name=_("trail entry"))

    class Meta:
        verbose_name = _("case record revision")
        verbose_name_plural = _("case record revisions")
        ordering = ["-id"]
        indexes = [models.Index(fields=["office_id", "event_id"], name="revision_event_idx"),
                   models.Index(fields=["record_type", "record_id"],
                                name="revision_record_idx")]

    def __str__(self) -> str:
        return f"revision {self.pk} of {self.record_type} {self.record_id}"


# Attachments and exports (casework files). A file's bytes live under CASE_FILES_DIR (inside
# the data directory, never MEDIA_ROOT or STATIC_ROOT), sealed with the case keys; the row
# holds its name and description sealed, and what the page needs in the clear: its detected
# type and size. No hash of the plaintext is kept (it would confirm a known document).


class Attachment(models.Model):
    """A document attached to an event, or to one of its information records."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="attachments",
                              verbose_name=_("event"))
    information = models.ForeignKey(Information, null=True, blank=True,
                                    on_delete=models.CASCADE, related_name="attachments",
                                    verbose_name=_("information"))
    name = SealedTextField(_("file name"))
    description = SealedTextField(_("description"), blank=True)
    kind = models.CharField(_("type"), max_length=10)  # detected from the content
    size = models.PositiveBigIntegerField(_("size in bytes"))
    # A photograph whose EXIF, XMP, IPTC and text chunks were removed (on upload, or by
    # `strip_case_photos` for older ones); what was removed is never kept.
    metadata_removed = models.BooleanField(_("metadata removed"), default=False)
    stored_as = models.CharField(max_length=64, unique=True, editable=False)
    key_id = models.CharField(max_length=40, editable=False)  # the key its bytes are under
    uploaded_by = models.ForeignKey("accounts.User", null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("attachment")
        verbose_name_plural = _("attachments")
        ordering = ["uploaded_at", "id"]
        indexes = [models.Index(fields=["key_id"], name="case_attachment_key_idx")]

    def __str__(self) -> str:
        return f"attachment {self.pk}"


class CaseExport(models.Model):
    """An encrypted archive of some of a team's cases, made for its requester only, kept
    until it expires (then `purge_case_exports` deletes it)."""

    class Format(models.TextChoices):
        XLSX = "xlsx", _("one workbook (XLSX)")
        CSV = "csv", _("one CSV file per kind of record")

    office = models.ForeignKey("mandates.Office", on_delete=models.CASCADE,
                               related_name="case_exports", verbose_name=_("office"))
    requested_by = models.ForeignKey("accounts.User", on_delete=models.CASCADE,
                                     related_name="+", verbose_name=_("requested by"))
    event_ids = models.JSONField(_("cases"), default=list)
    purpose = SealedTextField(_("purpose"))
    format = models.CharField(_("format"), max_length=4, choices=Format.choices,
                              default=Format.XLSX)
    with_attachments = models.BooleanField(_("with the attachments"), default=False)
    stored_as = models.CharField(max_length=64, unique=True, editable=False)
    size = models.PositiveBigIntegerField(_("size in bytes"), default=0)
    created_at = models.DateTimeField(_("created at"))
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("case export")
        verbose_name_plural = _("case exports")
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(
            condition=models.Q(expires_at__gt=models.F("created_at")),
            name="case_export_expires_after_creation")]

    def __str__(self) -> str:
        return f"case export {self.pk}"
