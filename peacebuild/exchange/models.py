"""A long piece of exchange work (an import, a dry run, an export) run in the background.

One row per run: the page and the command line show its progress; a run that dies is
marked failed with its reason, never left running for ever (its heartbeat goes stale).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from peacebuild.mandates.models import Office


class Job(models.Model):
    class Kind(models.TextChoices):
        IATI_IMPORT = "iati_import", _("IATI import")
        IATI_EXPORT = "iati_export", _("IATI export")
        SHEET_IMPORT = "sheet_import", _("spreadsheet import")
        SHEET_EXPORT = "sheet_export", _("spreadsheet export")
        HXL_EXPORT = "hxl_export", _("HXL export")

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        FAILED = "failed", _("failed")

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("office"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    dry_run = models.BooleanField(_("dry run"), default=False)
    state = models.CharField(_("state"), max_length=8, choices=State.choices,
                             default=State.QUEUED)
    # Progress in the job's own unit (activities, rows, bytes): done of total (0 if unknown).
    done = models.PositiveBigIntegerField(_("done"), default=0)
    total = models.PositiveBigIntegerField(_("total"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    # Why it failed, in words a user can act on.
    reason = models.TextField(_("reason"), blank=True)
    # The uploaded file, stored under the data directory (never in the web root).
    input_name = models.CharField(_("file name"), max_length=255, blank=True)
    input_path = models.CharField(_("stored file"), max_length=500, blank=True)
    # What the run found and did: counts, problems (rule ids, sheet/row/column), plan.
    report = models.JSONField(_("report"), default=dict, blank=True)
    output = models.BinaryField(_("output"), null=True, blank=True)
    output_name = models.CharField(_("output file name"), max_length=255, blank=True)
    # The dry run whose exact file this commit applies (a commit re-checks the checksum).
    checksum = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    applies = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+", verbose_name=_("applies the dry run"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                     on_delete=models.SET_NULL, related_name="+",
                                     verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # How many times a worker started it: more than one when a worker died running it and
    # another took it up again (peacebuild/deploy/recovery.py).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)

    class Meta:
        verbose_name = _("exchange job")
        verbose_name_plural = _("exchange jobs")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["office", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.state}"

    @property
    def percent(self) -> int:
        return min(100, self.done * 100 // self.total) if self.total else 0


class IatiActivity(models.Model):
    """A programme that came from (or went to) an IATI file: its `iati-identifier`, the
    `last-updated-datetime` of the version imported, and what the file said that Peacebuild
    keeps no record of (other publishers' participating organisations, locations, document
    links, sectors), so that exporting it again says the same."""

    office = models.ForeignKey(Office, on_delete=models.CASCADE, related_name="+",
                               verbose_name=_("office"))
    identifier = models.CharField(_("IATI identifier"), max_length=250)
    programme = models.OneToOneField("programmes.Programme", on_delete=models.CASCADE,
                                     related_name="iati", verbose_name=_("programme"))
    last_updated = models.DateTimeField(_("last updated (in the file)"), null=True, blank=True)
    kept = models.JSONField(_("kept from the file"), default=dict, blank=True)
    imported_at = models.DateTimeField(_("imported at"), auto_now=True)

    class Meta:
        verbose_name = _("IATI activity")
        verbose_name_plural = _("IATI activities")
        constraints = [models.UniqueConstraint(fields=["office", "identifier"],
                                               name="unique_iati_identifier")]

    def __str__(self) -> str:
        return self.identifier


class IatiActualRow(models.Model):
    """One disaggregated value of an actual imported from IATI (an `<actual>` with
    `<dimension>`s): the entered actual holds the total, these rows its breakdown."""

    actual = models.ForeignKey("programmes.Actual", on_delete=models.CASCADE,
                               related_name="iati_rows", verbose_name=_("actual"))
    # [[name, value], …] in the file's order (a JSON object would lose it in PostgreSQL).
    dimensions = models.JSONField(_("dimensions"), default=list)
    value = models.DecimalField(_("value"), max_digits=14, decimal_places=2)

    class Meta:
        verbose_name = _("IATI disaggregated actual")
        verbose_name_plural = _("IATI disaggregated actuals")
        ordering = ["actual", "id"]

    def __str__(self) -> str:
        return f"{self.dimensions}: {self.value}"

    @property
    def office(self) -> Office:  # for the audit log
        return self.actual.indicator.office
