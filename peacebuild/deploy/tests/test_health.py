"""/health/: the database answers, and a worker has beaten lately when a queue is used."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.utils import timezone

from peacebuild.deploy import health, worker
from peacebuild.deploy.models import WorkerBeat
from peacebuild.deploy.worker import Heart, beat

QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


def _health(client):
    response = client.get("/health/")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, json.loads(response.content)


def test_inline_tasks_need_only_the_database(client, db):
    status, body = _health(client)
    assert status == 200
    assert body["status"] == "ok"
    assert body["checks"]["database"] == "ok"


def test_no_worker_is_unavailable_then_a_beat_makes_it_healthy(client, db, settings):
    settings.TASKS = QUEUE
    status, body = _health(client)
    assert (status, body["checks"]["workers"]) == (503, 0)
    beat("w1", timezone.now())
    status, body = _health(client)
    assert (status, body["status"], body["checks"]["workers"]) == (200, "ok", 1)


def test_a_worker_silent_for_a_minute_counts_as_gone(client, db, settings):
    settings.TASKS = QUEUE
    beat("w1", timezone.now())
    WorkerBeat.objects.update(seen_at=timezone.now() - dt.timedelta(seconds=61))
    assert _health(client)[0] == 503


def test_database_down_is_503_without_details(client, db, monkeypatch):
    class Broken:
        def __enter__(self):
            raise DatabaseError("password authentication failed for user secret")

        def __exit__(self, *exc):
            return False

    class Gone:
        def cursor(self):
            return Broken()

    monkeypatch.setattr(health, "connection", Gone())
    status, body = _health(client)
    assert status == 503
    assert body["checks"]["database"] == "unavailable"
    assert "secret" not in json.dumps(body)


def test_the_heart_beats_in_its_own_thread_until_stopped(monkeypatch):
    beats = []
    monkeypatch.setattr(worker, "beat", lambda worker_id, started: beats.append(worker_id))
    heart = Heart("w-thread", every=0.02)
    heart.start()
    try:
        for _ in range(100):
            if len(beats) >= 3:
                break
            heart.stopped.wait(0.02)
    finally:
        heart.stop()
        heart.join(5)
    assert not heart.is_alive()
    assert len(beats) >= 3 and set(beats) == {"w-thread"}


def test_a_failed_beat_does_not_stop_the_heart(monkeypatch):
    calls = []

    def flaky(worker_id, started):
        calls.append(worker_id)
        if len(calls) == 1:
            raise DatabaseError("the database went away")

    monkeypatch.setattr(worker, "beat", flaky)
    heart = Heart("w-flaky", every=0.02)
    heart.start()
    for _ in range(100):
        if len(calls) >= 2:
            break
        heart.stopped.wait(0.02)
    heart.stop()
    heart.join(5)
    assert len(calls) >= 2


@pytest.mark.parametrize("path", ["/health/", "/health/?verbose=1"])
def test_health_reveals_no_configuration(client, db, settings, path):
    content = client.get(path).content.decode()
    for secret in (settings.SECRET_KEY, settings.DATABASES["default"]["NAME"]):
        assert str(secret) not in content


def test_the_replica_is_reported_with_its_lag(client, db, monkeypatch):
    monkeypatch.setattr(health, "replica_configured", lambda: True)
    monkeypatch.setattr(health, "replica_state", lambda: {"reachable": True, "lag_seconds": 0.4})
    status, body = _health(client)
    assert (status, body["status"]) == (200, "ok")
    assert body["checks"]["replica"] == {"reachable": True, "lag_seconds": 0.4}


def test_a_replica_away_is_degraded_but_still_serving(client, db, monkeypatch):
    # Pages then read from the primary (lib/dbrouting.py): the load balancer keeps the server.
    monkeypatch.setattr(health, "replica_configured", lambda: True)
    monkeypatch.setattr(health, "replica_state", lambda: {"reachable": False})
    status, body = _health(client)
    assert (status, body["status"], body["checks"]["replica"]) == (
        200, "degraded", {"reachable": False})


def test_a_replica_far_behind_is_degraded(client, db, monkeypatch):
    monkeypatch.setattr(health, "replica_configured", lambda: True)
    monkeypatch.setattr(health, "replica_state", lambda: {"reachable": True, "lag_seconds": 61.0})
    assert _health(client)[1]["status"] == "degraded"


@pytest.mark.parametrize(("replica", "queue", "code"), [
    (None, False, 0), ({"reachable": False}, False, 1), (None, True, 2)])
def test_the_health_command_exits_as_monitoring_expects(db, settings, monkeypatch, capsys,
                                                         replica, queue, code):
    if queue:
        settings.TASKS = QUEUE  # and no worker has beaten
    if replica is not None:
        monkeypatch.setattr(health, "replica_configured", lambda: True)
        monkeypatch.setattr(health, "replica_state", lambda: replica)
    try:
        call_command("health")
        exited = 0
    except SystemExit as stop:
        exited = int(stop.code)
    report = json.loads(capsys.readouterr().out)
    assert exited == code
    assert report["status"] == ["ok", "degraded", "unavailable"][code]
