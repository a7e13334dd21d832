"""Rendering as a background task: the page polls the job's progress and state.

A rendering saves its output only at its end, in one update, so a worker killed halfway
leaves no partial document. Another worker takes it up again (peacebuild/deploy/
recovery.py calls `retry_lost`): the job goes back to "queued" and renders from the start,
`attempts` counting the starts; each start's writes are fenced with its attempt number.
With no worker left to take it up, a job still "running" with no step for STALE_AFTER is
marked failed by `fail_stale` (run by the job page and before each rendering), and the
user renders again.
"""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from peacebuild.lib.faults import pause_point

from .models import RenderJob
from .render import content_for, render

STALE_AFTER = dt.timedelta(minutes=10)


def fail_stale(now: dt.datetime | None = None) -> int:
    """Mark failed the renderings whose worker stopped giving signs of life."""
    now = now or timezone.now()
    return RenderJob.objects.filter(
        state=RenderJob.State.RUNNING, heartbeat_at__lt=now - STALE_AFTER).update(
        state=RenderJob.State.FAILED, progress=100,
        message=_("The worker rendering this stopped; nothing was kept. Render it again."))


def retry_lost(job_id: int, *, give_up: bool = False) -> bool:
    """The worker rendering this died (called inside recovery's transaction): queue it
    again, or fail it when `give_up`. Returns whether its task should run again."""
    job = RenderJob.objects.select_for_update().defer("output").filter(pk=job_id).first()
    if job is None or job.state not in (RenderJob.State.QUEUED, RenderJob.State.RUNNING):
        return False
    if give_up:
        job.state, job.progress = RenderJob.State.FAILED, 100
        job.message = _("The workers rendering this stopped %(n)s times; nothing was kept. "
                        "Render it again.") % {"n": job.attempts}
    else:
        job.state, job.progress = RenderJob.State.QUEUED, 0
        job.message = _("Its worker stopped; started again (attempt %(n)s).") % {
            "n": job.attempts + 1}
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["state", "progress", "message", "heartbeat_at"])
    return not give_up


@task()
def render_job(job_id: int) -> int:
    fail_stale()
    with transaction.atomic():
        job = (RenderJob.objects.select_for_update(of=("self",)).defer("output")
               .select_related("report__office").get(pk=job_id))
        if job.state != RenderJob.State.QUEUED:  # done, failed, or running elsewhere
            return 0
        job.attempts += 1
        job.progress, job.state, job.message = 10, RenderJob.State.RUNNING, _(
            "Computing the figures…")
        job.heartbeat_at = timezone.now()
        job.save(update_fields=["attempts", "progress", "state", "message", "heartbeat_at"])
    try:
        content = content_for(job.report, job.language)
        _step(job, 40, RenderJob.State.RUNNING, _("Setting the document…"))
        output = render(content, job.format, annex=job.annex)
    except Exception as error:  # the page must say it failed rather than poll for ever
        _step(job, 100, RenderJob.State.FAILED, str(error)[:300])
        raise
    pause_point("render-rendered", job=job.pk, size=len(output))
    _step(job, 100, RenderJob.State.DONE, _("Ready."), output=output)
    return len(output)


def _step(job: RenderJob, progress: int, state: str, message: str,
          output: bytes | None = None) -> None:
    """Save a step, the output with the last; only while this attempt owns the job."""
    job.progress, job.state, job.message = progress, state, message
    job.heartbeat_at = timezone.now()
    fields = {"progress": progress, "state": state, "message": message,
              "heartbeat_at": job.heartbeat_at}
    if output is not None:
        job.output = fields["output"] = output
    RenderJob.objects.filter(pk=job.pk, attempts=job.attempts).update(**fields)
