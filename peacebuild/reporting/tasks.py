"""Rendering as a background task: the page polls the job's progress and state."""

from django.utils.translation import gettext as _
from django_tasks import task

from .models import RenderJob
from .render import content_for, render


@task()
def render_job(job_id: int) -> int:
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
    job.save(update_fields=["output", "progress", "state", "message"])
    return len(output)


def _step(job: RenderJob, progress: int, state: str, message: str) -> None:
    job.progress, job.state, job.message = progress, state, message
    job.save(update_fields=["progress", "state", "message"])
