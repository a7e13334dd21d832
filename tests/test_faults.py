"""Faults with real processes: a `peacebuild worker` killed (SIGKILL) in the middle of a
spreadsheet import and of a report rendering, and the work taken up by another worker
without anyone doing anything; the server killed in the middle of a request that writes.

The work is started the way a user starts it (the pages, through the services); the
processes hold still at a named point (the test-only PEACEBUILD_FAULT_PAUSE_AT,
peacebuild/lib/faults.py) so the test knows they are midway, and are killed there.

PostgreSQL only: the workers and the server are other processes, and SQLite's test
database is in memory.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django_tasks_db.models import DBTaskResult

from conftest import login_verified
from peacebuild.accounts.models import AuditEntry
from peacebuild.accounts.permissions import SYSTEM
from peacebuild.activities.models import Activity
from peacebuild.activities.services import activity_create
from peacebuild.deploy.models import WorkerBeat
from peacebuild.deploy.tests.test_deploy_doc import database_url, free_port
from peacebuild.exchange.models import Job
from peacebuild.exchange.tests.sheets_helpers import csv_bytes, row
from peacebuild.figures.models import ActivityCube
from peacebuild.reporting import services
from peacebuild.reporting.models import RenderJob, Report
from tests.api_helpers import key_for

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the workers and the server are other processes: SQLite's test database is in "
           "memory")

BEAT = "0.25"  # seconds: a worker silent for six beats (1.5 s) is lost
ROWS = 40


class Processes:
    """Processes started by a test, with their output in files; all killed at its end."""

    def __init__(self, root: Path, environment: dict[str, str]) -> None:
        self.root, self.environment = root, environment
        self.started: list[tuple[subprocess.Popen, Path]] = []

    def start(self, name: str, *args: str, **extra: str) -> subprocess.Popen:
        log = self.root / f"{name}.log"
        with open(log, "wb") as out:
            # A session of its own: a server's workers are killed with it (killpg).
            process = subprocess.Popen([sys.executable, "-m", "peacebuild", *args],
                                       env=self.environment | extra, stdout=out,
                                       stderr=subprocess.STDOUT, start_new_session=True)
        self.started.append((process, log))
        return process

    def worker(self, name: str, **extra: str) -> subprocess.Popen:
        return self.start(name, "worker", "--no-startup-delay", "--interval", "0.1",
                          "--worker-id", name, **extra)

    def log(self, process: subprocess.Popen) -> str:
        return next(log for p, log in self.started if p is process).read_text()

    def wait_for(self, what: Callable[[], object], process: subprocess.Popen,
                 timeout: float = 40) -> object:
        """Wait until `what()` is true; fail with the process's log if it dies or is late."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if value := what():
                return value
            if process.poll() is not None:
                pytest.fail(f"{process.args[3]} exited: {self.log(process)[-3000:]}")
            time.sleep(0.1)
        pytest.fail(f"timed out; log: {self.log(process)[-3000:]}")

    def paused(self, process: subprocess.Popen, point: str) -> Callable[[], bool]:
        return lambda: f"PAUSED {point}" in self.log(process)

    def kill_all(self) -> None:
        for process, _log in self.started:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:  # the whole group has ended
                pass
            process.wait(timeout=30)


@pytest.fixture
def processes(transactional_db, settings, tmp_path) -> Iterator[Processes]:
    # The pages enqueue into the database's queue, as in production.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    environment = os.environ | {
        "DATABASE_URL": database_url(connection.settings_dict["NAME"]),
        "TASKS_BACKEND": "database", "WORKER_BEAT_SECONDS": BEAT,
        # The uploads wait in the inbox under the data directory, the same for all.
        "PEACEBUILD_DATA_DIR": str(settings.DATA_DIR)}
    environment.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    environment.pop("PEACEBUILD_FAULT_PAUSE_AT", None)
    started = Processes(tmp_path, environment)
    try:
        yield started
    finally:
        started.kill_all()


def _fresh(model, pk):
    return model.objects.filter(pk=pk).defer("output").first() if model is RenderJob \
        else model.objects.get(pk=pk)


def test_a_worker_killed_inside_an_import_leaves_nothing_and_another_imports_all(
        processes, users, places, activity_type, client_for):
    client = client_for("programme")
    upload = SimpleUploadedFile("forty.csv", csv_bytes([row(n) for n in range(ROWS)]))
    assert client.post("/exchange/sheets/import/", {"file": upload}).status_code == 302
    dry = Job.objects.get(dry_run=True)
    first = processes.worker("first", PEACEBUILD_FAULT_PAUSE_AT="sheet-import-written")
    processes.wait_for(lambda: _fresh(Job, dry.pk).state == Job.State.DONE, first)
    assert client.post(f"/exchange/sheets/jobs/{dry.pk}/import/").status_code == 302
    job = Job.objects.get(dry_run=False)

    # Midway: inside its transaction the worker has written every row, not committed.
    processes.wait_for(processes.paused(first, "sheet-import-written"), first)
    assert f"written={ROWS}" in processes.log(first)
    running = _fresh(Job, job.pk)
    assert running.state == Job.State.RUNNING and running.attempts == 1
    assert running.total == ROWS, "its progress is on the page"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)

    # Nothing of it was kept: the database rolled back what the dead connection held.
    assert Activity.objects.count() == 0
    assert DBTaskResult.objects.filter(status="RUNNING").count() == 1, "left as it was"

    # Two workers look for lost work at once: one of them takes it up, once.
    second, third = processes.worker("second"), processes.worker("third")
    processes.wait_for(lambda: _fresh(Job, job.pk).state in (Job.State.DONE,
                                                             Job.State.FAILED), second)
    job.refresh_from_db()
    assert (job.state, job.reason) == (Job.State.DONE, "")
    assert job.attempts == 2
    assert Activity.objects.count() == ROWS, "all of it, once"
    # The task row is marked a moment after the job (the worker's last step).
    task = processes.wait_for(lambda: DBTaskResult.objects.filter(
        args_kwargs__args=[job.pk], status="SUCCESSFUL").first(), second)
    assert task.worker_ids in (["first", "second"], ["first", "third"])
    page = client.get(f"/exchange/sheets/jobs/{job.pk}/").content.decode()
    assert 'data-state="done"' in page
    assert "Started 2 times: a worker stopped and another took it up." in page
    assert f"{ROWS} activities imported." in page
    assert not Path(job.input_path).exists(), "the upload is removed once imported"
    for worker in (second, third):
        # a SIGTERM before the worker has set its handler would kill it outright
        processes.wait_for(lambda w=worker: "Starting worker" in processes.log(w), worker)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    assert list(WorkerBeat.objects.values_list("worker_id", flat=True)) == ["first"]


def test_a_worker_killed_inside_a_rendering_keeps_no_output_and_another_renders_it(
        processes, users, office, programme):
    report = services.report_create(actor=SYSTEM, office=office, kind=Report.Kind.LETTER,
                                    period_start=dt.date(2003, 6, 1),
                                    period_end=dt.date(2004, 5, 31),
                                    dated_on=dt.date(2004, 4, 23))
    client = login_verified(Client(), users["programme"])
    answer = client.post(f"/reports/{report.pk}/render/", {"language": "fr", "format": "html",
                                                            "annex": "on"})
    assert answer.status_code == 200
    job = RenderJob.objects.get()
    first = processes.worker("first", PEACEBUILD_FAULT_PAUSE_AT="render-rendered")
    processes.wait_for(processes.paused(first, "render-rendered"), first)
    midway = _fresh(RenderJob, job.pk)
    assert (midway.state, midway.progress, midway.attempts) == (RenderJob.State.RUNNING, 40, 1)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    job.refresh_from_db()
    assert job.output is None, "no half-written document"
    status = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert 'data-state="running"' in status  # until a worker takes it up

    second = processes.worker("second")
    processes.wait_for(lambda: _fresh(RenderJob, job.pk).state == RenderJob.State.DONE,
                       second)
    job.refresh_from_db()
    assert job.attempts == 2 and b"<html" in bytes(job.output)
    status = client.get(f"/reports/jobs/{job.pk}/").content.decode()
    assert 'data-state="done"' in status and "Started 2 times" in status
    download = client.get(f"/reports/jobs/{job.pk}/download/")
    assert download.status_code == 200 and download.content == bytes(job.output)


def _http(port: int, method: str, path: str, key: str, body: dict | None = None,
          headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], dict]:

    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
        | (headers or {}))
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, dict(answer.headers), json.loads(answer.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read() or b"{}")


def test_the_server_killed_inside_an_edit_keeps_nothing_and_the_edit_can_be_made_again(
        processes, users, office, programme, activity_type):
    activity = activity_create(actor=SYSTEM, office=office, programme=programme,
                               type=activity_type, title="Discussion club",
                               starts_on=dt.date(2004, 3, 1), ends_on=dt.date(2004, 3, 1),
                               participants_total=12)
    key = key_for(users["programme"], office, "write")
    cubes = sorted(ActivityCube.objects.values_list("activities", "participants"))
    trail = AuditEntry.objects.count()
    port = free_port()

    def serve(name: str, **extra: str) -> subprocess.Popen:
        server = processes.start(name, "serve", "--bind", f"127.0.0.1:{port}", "--workers",
                                 "1", TASKS_BACKEND="immediate", **extra)
        processes.wait_for(lambda: _up(port), server, timeout=60)
        return server

    server = serve("server", PEACEBUILD_FAULT_PAUSE_AT="activity-saved")
    status, headers, _body = _http(port, "GET", f"/api/activities/{activity.pk}/", key)
    assert status == 200
    etag = headers["ETag"]
    edit = {"title": "Discussion club, renamed", "participants_total": 30}
    request = json_request(port, f"/api/activities/{activity.pk}/", key, edit, etag)
    # Midway: the service has saved the activity, its trail entry and its summaries,
    # inside its transaction; the server is killed there, master and worker at once.
    processes.wait_for(processes.paused(server, "activity-saved"), server)
    os.killpg(server.pid, signal.SIGKILL)
    server.wait(timeout=30)
    assert request.recv(65536) == b"", "the client got no answer"
    request.close()
    deadline = time.monotonic() + 10  # the orphaned worker dies a moment after its master
    while _up(port) and time.monotonic() < deadline:
        time.sleep(0.1)
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", port), timeout=2).close()

    activity.refresh_from_db()
    assert (activity.title, activity.participants_total) == ("Discussion club", 12)
    assert AuditEntry.objects.count() == trail, "no trail entry of an edit not made"
    assert sorted(ActivityCube.objects.values_list("activities", "participants")) == cubes

    # After a restart the user makes the edit again, with the version they saw.
    serve("restarted")
    status, _headers, body = _http(port, "PATCH", f"/api/activities/{activity.pk}/", key,
                                   edit, {"If-Match": etag})
    assert status == 200, body
    activity.refresh_from_db()
    assert (activity.title, activity.participants_total) == ("Discussion club, renamed", 30)
    assert AuditEntry.objects.count() == trail + 1
    assert sorted(ActivityCube.objects.values_list("activities", "participants")) != cubes


def _up(port: int) -> bool:

    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=2):
            return True
    except OSError:
        return False


def json_request(port: int, path: str, key: str, body: dict, etag: str):
    """Send a PATCH and leave the answer unread: the socket, to read from later."""

    data = json.dumps(body).encode()
    request = socket.create_connection(("127.0.0.1", port), timeout=30)
    request.sendall(
        f"PATCH {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {key}\r\n"
        f"Content-Type: application/json\r\nIf-Match: {etag}\r\n"
        f"Content-Length: {len(data)}\r\nConnection: close\r\n\r\n".encode() + data)
    return request
