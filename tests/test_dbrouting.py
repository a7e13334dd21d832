"""The database settings and the replica router's door: several hosts in DATABASE_URL for
failover, and no change at all without a replica. (With a real primary and standby:
tests/test_replication.py.)"""

from django.conf import settings
from django.db import OperationalError

from peacebuild.lib import dbrouting
from peacebuild.partners.models import Organisation
from peacebuild.settings import database


def test_several_hosts_reach_libpq_as_lists():
    config = database("postgres://pb:secret@db-a:5432,db-b:5433/peacebuild"
                      "?target_session_attrs=read-write")
    assert (config["HOST"], config["PORT"], config["NAME"]) == ("db-a,db-b", "5432,5433",
                                                                "peacebuild")
    assert config["USER"] == "pb" and config["PASSWORD"] == "secret"
    assert config["OPTIONS"] == {"target_session_attrs": "read-write"}
    assert config["CONN_HEALTH_CHECKS"] is True
    assert database("postgres://pb@db-a,db-b/pb")["PORT"] == ""  # libpq's default port
    one = database("postgres://pb@db-a:6432/pb")
    assert (one["HOST"], one["PORT"]) == ("db-a", 6432)


def test_without_a_replica_nothing_changes(client_for):
    assert "replica" not in settings.DATABASES and settings.DATABASE_ROUTERS == []
    client = client_for("head")
    client.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert dbrouting.COOKIE not in client.cookies
    assert dbrouting.ReplicaRouter().db_for_read(Organisation) is None  # outside a page


def test_the_pages_the_replica_serves():
    assert dbrouting.page_reads_replica("api", "activity-list")
    assert dbrouting.page_reads_replica("programmes", "dashboard")
    assert not dbrouting.page_reads_replica("activities", "edit")
    assert not dbrouting.page_reads_replica("accounts", "security")


class _Replica:
    """A stand-in for the replica's connection: answers, or fails as a stopped server does."""

    vendor = "postgresql"

    def __init__(self, answers: bool, lag: float = 0.0) -> None:
        self.answers, self.lag, self.attempts, self.closed = answers, lag, 0, 0

    def close_if_health_check_failed(self) -> None:
        pass

    def ensure_connection(self) -> None:
        self.attempts += 1
        if not self.answers:
            raise OperationalError("connection refused")

    def close(self) -> None:
        self.closed += 1

    def cursor(self):
        replica = self

        class Cursor:
            def __enter__(self):
                replica.ensure_connection()
                return self

            def __exit__(self, *exc):
                return False

            def execute(self, sql, params=None):
                self.sql = sql

            def fetchone(self):
                return (replica.lag,)
        return Cursor()


def test_a_replica_that_does_not_answer_is_skipped_for_a_while(monkeypatch, caplog):
    gone = _Replica(answers=False)
    monkeypatch.setattr(dbrouting, "connections", {dbrouting.REPLICA: gone})
    monkeypatch.setattr(dbrouting, "_replica_down_until", [0.0])
    assert dbrouting.replica_answers() is False
    assert dbrouting.replica_answers() is False  # not tried again: one attempt, one warning
    assert gone.attempts == 1 and gone.closed == 1
    warnings = [r for r in caplog.records if r.name == "peacebuild.dbrouting"]
    assert len(warnings) == 1 and "pages read from the primary" in warnings[0].getMessage()
    # REPLICA_RETRY_SECONDS later it is tried again, and used once it answers.
    dbrouting._replica_down_until[0] = 0.0
    gone.answers = True
    assert dbrouting.replica_answers() is True and gone.attempts == 2


def test_the_replica_state_reports_lag_or_unreachable(monkeypatch):
    from peacebuild.deploy import health

    monkeypatch.setattr(health, "connections", {health.REPLICA: _Replica(True, lag=1.26)})
    assert health.replica_state() == {"reachable": True, "lag_seconds": 1.3}
    monkeypatch.setattr(health, "connections", {health.REPLICA: _Replica(False)})
    assert health.replica_state() == {"reachable": False}
