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
