"""Taking up the work of a lost worker (deploy/recovery.py), in one process: what is
retried, what is failed, what is left alone, and that looking twice does nothing twice.
The same with real processes killed: tests/test_faults.py."""

import datetime as dt

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from peacebuild.deploy import recovery, worker
from peacebuild.deploy.models import WorkerBeat
from peacebuild.exchange import jobs
from peacebuild.exchange.models import Job
from peacebuild.reporting import tasks as reporting_tasks
from peacebuild.reporting.models import RenderJob

from .tasks import record


@pytest.fixture
def queue(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    settings.TASK_MAX_ATTEMPTS = 3


def _beat(worker_id: str, seconds_ago: float) -> None:
    now = timezone.now()
    WorkerBeat.objects.create(worker_id=worker_id, host="h", pid=1, started_at=now,
                              seen_at=now - dt.timedelta(seconds=seconds_ago))


def _claimed(result, *worker_ids: str) -> DBTaskResult:
    task = DBTaskResult.objects.get(pk=result.id)
    for worker_id in worker_ids:
        task.claim(worker_id)
    return task


def _running_job(office, attempts: int = 1) -> Job:
    return Job.objects.create(office=office, kind=Job.Kind.SHEET_EXPORT,
                              state=Job.State.RUNNING, attempts=attempts,
                              heartbeat_at=timezone.now())


def test_a_lost_workers_job_is_queued_again_once(db, queue, office):
    job = _running_job(office)
    task = _claimed(jobs.run_job_task.enqueue(job.pk), "dead")
    _beat("dead", seconds_ago=120)
    _beat("alive", seconds_ago=1)
    assert recovery.recover_lost() == 1
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "READY" and task.worker_ids == ["dead"]
    assert job.state == Job.State.QUEUED and "attempt 2" in job.message
    assert recovery.recover_lost() == 0, "nothing twice"
    # The next worker runs it: the export is made, and counted as a second start.
    assert jobs.run_job(job.pk).state == Job.State.DONE
    job.refresh_from_db()
    assert job.attempts == 2 and job.output_name


def test_a_live_workers_task_is_left_alone(db, queue, office):
    job = _running_job(office)
    task = _claimed(jobs.run_job_task.enqueue(job.pk), "busy")
    _beat("busy", seconds_ago=worker.lost_after().total_seconds() - 5)
    assert recovery.recover_lost() == 0
    task.refresh_from_db()
    assert task.status == "RUNNING"
    assert Job.objects.get(pk=job.pk).state == Job.State.RUNNING


def test_after_the_last_attempt_the_job_fails_with_its_reason(db, queue, office):
    job = _running_job(office, attempts=3)
    task = _claimed(jobs.run_job_task.enqueue(job.pk), "a", "b", "c")  # none beats
    assert recovery.recover_lost() == 1
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path.endswith("WorkerLost")
    assert job.state == Job.State.FAILED and "stopped 3 times" in job.reason


def test_a_job_that_ended_before_its_worker_is_not_run_again(db, queue, office):
    job = _running_job(office)
    Job.objects.filter(pk=job.pk).update(state=Job.State.DONE)
    task = _claimed(jobs.run_job_task.enqueue(job.pk), "dead")
    assert recovery.recover_lost() == 1
    task.refresh_from_db()
    assert task.status == "FAILED" and "stopped while running" in task.traceback
    assert Job.objects.get(pk=job.pk).state == Job.State.DONE


def test_another_task_of_a_lost_worker_is_failed_not_run_twice(db, queue, tmp_path):
    task = _claimed(record.enqueue(str(tmp_path / "x"), 1), "dead")
    assert recovery.recover_lost() == 1
    task.refresh_from_db()
    assert task.status == "FAILED" and task.exception_class_path.endswith("WorkerLost")


def test_a_lost_rendering_is_queued_again_and_rendered(db, queue, report):
    job = RenderJob.objects.create(report=report, office=report.office, language="en",
                                   format="html", state=RenderJob.State.RUNNING,
                                   progress=40, attempts=1, heartbeat_at=timezone.now())
    task = _claimed(reporting_tasks.render_job.enqueue(job.pk), "dead")
    assert recovery.recover_lost() == 1
    task.refresh_from_db()
    job.refresh_from_db()
    assert task.status == "READY" and job.state == RenderJob.State.QUEUED
    assert job.progress == 0 and "attempt 2" in job.message
    assert reporting_tasks.render_job.func(job.pk) > 0
    job.refresh_from_db()
    assert job.state == RenderJob.State.DONE and job.attempts == 2 and job.output
    assert reporting_tasks.render_job.func(job.pk) == 0, "a done rendering is not redone"


def test_a_rendering_given_up_says_so(db, report):
    job = RenderJob.objects.create(report=report, office=report.office, language="en",
                                   format="html", state=RenderJob.State.RUNNING, attempts=3)
    assert reporting_tasks.retry_lost(job.pk, give_up=True) is False
    job.refresh_from_db()
    assert job.state == RenderJob.State.FAILED and "stopped 3 times" in job.message
    assert reporting_tasks.retry_lost(job.pk) is False, "an ended one stays ended"


def test_an_attempt_taken_over_cannot_commit_nor_finish(db, office):
    job = _running_job(office)
    stale = Job.objects.get(pk=job.pk)
    Job.objects.filter(pk=job.pk).update(attempts=2)  # given up for lost, started again
    with pytest.raises(jobs.JobFailed, match="taken over"):
        jobs.still_mine(stale)
    jobs._finish(stale, Job.State.FAILED, reason="old attempt")
    assert Job.objects.get(pk=job.pk).state == Job.State.RUNNING


def test_an_import_committed_by_the_lost_attempt_is_not_made_twice(db, office):
    from peacebuild.activities.models import Activity

    # What the lost attempt left: its import committed, with the count, but not "done".
    job = Job.objects.create(office=office, kind=Job.Kind.SHEET_IMPORT, dry_run=False,
                             state=Job.State.QUEUED, attempts=1,
                             report={"language": "en", "created": 40, "summary": []})
    done = jobs.run_job(job.pk)
    assert done.state == Job.State.DONE and done.message == "40 activities imported."
    assert done.attempts == 2 and not Activity.objects.exists()


@pytest.fixture
def report(office):
    from peacebuild.accounts.permissions import SYSTEM
    from peacebuild.reporting import services
    from peacebuild.reporting.models import Report

    return services.report_create(actor=SYSTEM, office=office, kind=Report.Kind.LETTER,
                                  period_start=dt.date(2003, 6, 1),
                                  period_end=dt.date(2004, 5, 31), dated_on=dt.date(2004, 4, 23))
