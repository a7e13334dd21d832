"""Several `peacebuild worker` processes on one queue: every task runs, none twice; each
worker beats while it runs and removes its beat when it stops."""

import os
import subprocess
import sys

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from peacebuild.deploy.models import WorkerBeat

from .tasks import record

TASKS = 30


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="the workers are other processes: SQLite's test database is in "
                           "memory; on SQLite the library takes tasks in an exclusive "
                           "transaction")
def test_two_workers_run_every_task_exactly_once(transactional_db, settings, tmp_path):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    out = tmp_path / "runs.txt"
    for number in range(TASKS):
        record.enqueue(str(out), number)
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    url = (f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:"
           f"{db['PORT'] or 5432}/{db['NAME']}")
    environment = os.environ | {"DATABASE_URL": url, "TASKS_BACKEND": "database"}
    workers = [subprocess.Popen(
        [sys.executable, "-m", "peacebuild", "worker", "--batch", "--no-startup-delay",
         "--interval", "0", "--worker-id", f"test-{i}"],
        env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        for i in range(2)]
    for worker in workers:
        output, _ = worker.communicate(timeout=120)
        assert worker.returncode == 0, output.decode()[-2000:]
    runs = [line.split() for line in out.read_text().splitlines()]
    assert sorted(int(n) for n, _ in runs) == list(range(TASKS)), "each task once"
    results = DBTaskResult.objects.all()
    assert {r.status for r in results} == {"SUCCESSFUL"}
    assert all(len(r.worker_ids) == 1 for r in results)
    assert not WorkerBeat.objects.exists(), "a worker that stops removes its heartbeat"
