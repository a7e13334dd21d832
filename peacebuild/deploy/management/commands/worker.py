"""`peacebuild worker`: run the background queue (report rendering, imports and exports).

Takes django-tasks-db's `db_worker` options (`--queue-name`, `--interval`, `--batch`,
`--max-tasks`, `--worker-id`…) and writes a heartbeat that `/health/` reads. At its start
and at each beat it takes up again the tasks of workers that died
(peacebuild/deploy/recovery.py). Run as many as you like, on as many machines as you
like, against one database (docs/deploy.md).
"""

from typing import Any

from django_tasks_db.management.commands import db_worker

from peacebuild.deploy.recovery import recover_lost
from peacebuild.deploy.worker import Heart, beat, forget_stale, stop_beating


class Command(db_worker.Command):
    help = "Run a background worker (the task queue in the database) with a heartbeat."

    def add_arguments(self, parser: Any) -> None:
        super().add_arguments(parser)
        parser.set_defaults(reload=False)

    def handle(self, *args: Any, **options: Any) -> None:
        heart = Heart(options["worker_id"], after_beat=recover_lost)
        forget_stale()
        # Beat once before taking any task, so no other worker takes this one for lost.
        beat(heart.worker_id, heart.started_at)
        recover_lost()
        heart.start()
        try:
            super().handle(*args, **options)
        finally:
            heart.stop()
            heart.join(timeout=5)
            stop_beating(options["worker_id"])
