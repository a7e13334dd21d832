"""`peacebuild worker`: django-tasks' database worker with a heartbeat.

The queue is a table (django-tasks-db). A worker takes a task with `SELECT … FOR UPDATE
SKIP LOCKED` on PostgreSQL (an exclusive transaction on SQLite) and marks it running in
the same transaction, so any number of workers on any number of machines share one queue
and no task runs twice. Each worker process writes its heartbeat (`WorkerBeat`) every
`WORKER_BEAT_SECONDS` (setting) from a thread of its own, also while a long task runs;
`/health/` reports the workers whose heartbeat is younger than `STALE_AFTER`. A worker
silent for `lost_after()` is lost: at each beat the others take up its tasks
(peacebuild/deploy/recovery.py).
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection
from django.utils import timezone

from .models import WorkerBeat

log = logging.getLogger(__name__)

STALE_AFTER = dt.timedelta(seconds=60)


def lost_after() -> dt.timedelta:
    """How long a worker may stay silent before its tasks are taken up by another."""
    return dt.timedelta(seconds=6 * settings.WORKER_BEAT_SECONDS)


def beat(worker_id: str, started_at: dt.datetime) -> None:
    WorkerBeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={"host": socket.gethostname()[:255], "pid": os.getpid(),
                  "started_at": started_at, "seen_at": timezone.now()})


def stop_beating(worker_id: str) -> None:
    """A worker that stops cleanly says so: its row goes."""
    WorkerBeat.objects.filter(worker_id=worker_id).delete()


class Heart(threading.Thread):
    """Beats until stopped; a failed beat (the database away a moment) is tried again at
    the next beat rather than ending the thread."""

    def __init__(self, worker_id: str, every: float | None = None,
                 after_beat: Callable[[], object] | None = None) -> None:
        super().__init__(name="peacebuild-heartbeat", daemon=True)
        self.worker_id = worker_id
        self.every = settings.WORKER_BEAT_SECONDS if every is None else every
        self.after_beat = after_beat
        self.started_at = timezone.now()
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while True:
                close_old_connections()
                try:
                    beat(self.worker_id, self.started_at)
                    if self.after_beat is not None:
                        self.after_beat()
                except Exception:  # noqa: BLE001 - the next beat tries again
                    log.warning("worker %s: beat failed", self.worker_id, exc_info=True)
                    connection.close()
                if self.stopped.wait(self.every):
                    break
        finally:
            connection.close()

    def stop(self) -> None:
        self.stopped.set()


def live_workers(now: dt.datetime | None = None) -> int:
    now = now or timezone.now()
    return WorkerBeat.objects.filter(seen_at__gte=now - STALE_AFTER).count()


def forget_stale(now: dt.datetime | None = None) -> int:
    """Rows of workers gone for an hour (killed, machine lost) are dropped."""
    now = now or timezone.now()
    return WorkerBeat.objects.filter(seen_at__lt=now - dt.timedelta(hours=1)).delete()[0]
