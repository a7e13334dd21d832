"""A rendering whose worker was killed halfway keeps no partial document, shows as failed
(not "running" for ever) once it gave no sign of life for STALE_AFTER, and renders again."""

import datetime as dt

from django.utils import timezone

from peacebuild.reporting import services, tasks
from peacebuild.reporting.models import RenderJob


def test_a_rendering_whose_worker_died_shows_failed_and_renders_again(report, users,
                                                                      client_for):
    def running(minutes_ago: int) -> RenderJob:
        # What a killed worker leaves: the step it reached, no output.
        return RenderJob.objects.create(
            report=report, office=report.office, language="en", format="html",
            state=RenderJob.State.RUNNING, progress=40, message="Setting the document…",
            requested_by=users["programme"],
            heartbeat_at=timezone.now() - dt.timedelta(minutes=minutes_ago))

    dead, alive = running(11), running(1)
    client = client_for("programme")
    page = client.get(f"/reports/jobs/{dead.pk}/").content.decode()
    assert 'data-state="failed"' in page and "Render it again" in page
    assert "hx-get" not in page  # the page stops polling
    dead.refresh_from_db()
    assert dead.output is None and dead.state == RenderJob.State.FAILED
    alive.refresh_from_db()
    assert alive.state == RenderJob.State.RUNNING  # still within its time
    assert tasks.fail_stale() == 0
    again = services.job_create(actor=users["programme"], report=report, language="en",
                                format="html")
    again.refresh_from_db()
    assert again.state == RenderJob.State.DONE and again.output
    assert again.heartbeat_at is not None
