"""Work whose worker died is taken up again by another worker, without a person.

A task row that says RUNNING while the worker that claimed it has not beaten for
`worker.lost_after()` (six beats: killed, machine lost) is lost. Every worker looks for
lost tasks when it starts and at each of its beats (`recover_lost`):

- an import, export or rendering (`RETRY` below) goes back to the queue: its job is set
  "queued" again and its task row "ready", so the next free worker runs it from its stored
  input. What the dead worker had written inside its transaction was rolled back by the
  database when its connection died, so the new attempt starts from nothing. After
  `TASK_MAX_ATTEMPTS` claims the job is failed instead, with the reason on its page.
- any other task is marked failed (it may not be safe to run twice).

Several workers may look at once: each lost task row is locked with `SELECT … FOR UPDATE
SKIP LOCKED` together with its job, and re-checked under the lock, so only one of them
takes it up. The jobs fence their own writes with their attempt number, so a worker that
was only slow (not dead) cannot commit over the new attempt.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from peacebuild.exchange import jobs
from peacebuild.reporting import tasks as reporting_tasks

from .models import WorkerBeat
from .worker import lost_after

log = logging.getLogger(__name__)

# task path -> retry(job_id, give_up=...) -> whether the task should run again.
RETRY: dict[str, Callable[..., bool]] = {
    "peacebuild.exchange.jobs.run_job_task": jobs.retry_lost,
    "peacebuild.reporting.tasks.render_job": reporting_tasks.retry_lost,
}


class WorkerLost(Exception):
    """The worker running the task stopped giving signs of life."""


def _lost_ids(now: dt.datetime) -> list[str]:
    live = set(WorkerBeat.objects.filter(seen_at__gte=now - lost_after())
               .values_list("worker_id", flat=True))
    return [str(pk) for pk, worker_ids in DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING).values_list("id", "worker_ids")
        if not worker_ids or worker_ids[-1] not in live]


def recover_lost(now: dt.datetime | None = None) -> int:
    """Take up again (or fail) the tasks of lost workers; returns how many were handled."""
    now = now or timezone.now()
    handled = 0
    for pk in _lost_ids(now):
        with transaction.atomic():
            task = (DBTaskResult.objects.select_for_update(skip_locked=True)
                    .filter(pk=pk, status=TaskResultStatus.RUNNING).first())
            if task is None:  # another worker has it, or it ended meanwhile
                continue
            if task.worker_ids and WorkerBeat.objects.filter(
                    worker_id=task.worker_ids[-1], seen_at__gte=now - lost_after()).exists():
                continue  # its worker beat again since we looked
            handled += 1
            retry = RETRY.get(task.task_path)
            args = task.args_kwargs.get("args") or []
            give_up = len(task.worker_ids) >= settings.TASK_MAX_ATTEMPTS
            if retry is not None and args and retry(args[0], give_up=give_up):
                task.status, task.run_after = TaskResultStatus.READY, now
                task.started_at = None
                task.save(update_fields=["status", "run_after", "started_at"])
                log.warning("task %s (%s) of lost worker %s queued again", task.pk,
                            task.task_path, task.worker_ids[-1:])
                continue
            task.status, task.finished_at = TaskResultStatus.FAILED, now
            task.exception_class_path = f"{__name__}.WorkerLost"
            task.traceback = (f"WorkerLost: worker {task.worker_ids[-1:]} stopped while "
                              f"running this task (claimed {len(task.worker_ids)} times).")
            task.save(update_fields=["status", "finished_at", "exception_class_path",
                                     "traceback"])
            log.warning("task %s (%s) of lost worker %s failed", task.pk, task.task_path,
                        task.worker_ids[-1:])
    return handled
