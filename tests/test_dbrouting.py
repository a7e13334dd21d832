"""The database settings and the replica router's door: several hosts in DATABASE_URL for
failover, and no change at all without a replica. (With a real primary and standby:
tests/test_replication.py.)"""

from django.conf import settings

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
