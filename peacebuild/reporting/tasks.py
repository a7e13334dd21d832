"""Rendering as a background task: the page polls the job's progress and state.

A rendering saves its output only at its end, in one update, so a worker killed halfway
leaves no partial document; the job, still "running" with no step for STALE_AFTER, is
marked failed by `fail_stale` (run by the job page and before each rendering), and the
user renders again.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

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


@task()
def render_job(job_id: int) -> int:
    fail_stale()
    job = RenderJob.objects.select_related("report__office").get(pk=job_id)
    _step(job, 10, RenderJob.State.RUNNING, _("Computing the figures…"))
    try:
        content = content_for(job.report, job.language)
        _step(job, 40, RenderJob.State.RUNNING, _("Setting the document…"))
        output = render(content, job.format, annex=job.annex)
    except Exception as error:  # the page must say it failed rather than poll for ever
        _step(job, 100, RenderJob.State.FAILED, str(error)[:300])
        raise
    job.output = output
    job.progress, job.state, job.message = 100, RenderJob.State.DONE, _("Ready.")
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["output", "progress", "state", "message", "heartbeat_at"])
    return len(output)


def _step(job: RenderJob, progress: int, state: str, message: str) -> None:
    job.progress, job.state, job.message = progress, state, message
    job.heartbeat_at = timezone.now()
    job.save(update_fields=["progress", "state", "message", "heartbeat_at"])
