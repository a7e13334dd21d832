"""Beyond one machine: a PostgreSQL primary and a hot standby on loopback (tests/pgcluster.py),
the application reading from the standby and writing to the primary, a user reading their
own writes while the standby lags, a lost database answering 503 and recovering, and a
failover to the promoted standby without restarting the application.

The cluster is started here whatever DATABASE_URL says, but these tests run only in the
PostgreSQL run of the suite (DATABASE_URL=postgres://...): the behaviour is PostgreSQL's,
and the ~20 s they take need not be spent twice. Each scenario runs in a child process
(tests/replica_scenarios.py) whose settings come from its environment, as a server's do.
"""

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests import pgcluster

ROOT = Path(__file__).resolve().parent.parent
pytestmark = [
    pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                       reason="the replication tests run in the PostgreSQL run"),
    pytest.mark.skipif(not pgcluster.available(),
                       reason="PostgreSQL 15's server binaries are not installed"),
]


def child_env(cluster, *, replica: bool = True, url: str | None = None,
              extra: dict[str, str] | None = None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_REPLICA_URL",)}
    env["DATABASE_URL"] = url or cluster.primary.url()
    env["PB_CLUSTER"] = pgcluster.describe(cluster)
    env["SECRET_KEY"] = "replication-tests"
    env["ALLOWED_HOSTS"] = "testserver"
    env["PEACEBUILD_DATA_DIR"] = str(cluster.root / "data")
    env.update(extra or {})
    if replica and cluster.standby is not None:
        env["DATABASE_REPLICA_URL"] = cluster.standby.url()
    return env


def run(cluster, scenario: str, **kw) -> dict:
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "replica_scenarios.py"), scenario],
                          env=child_env(cluster, **kw), capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    seen["stderr"] = done.stderr[-3000:]
    return seen


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    cluster = pgcluster.start_cluster()
    try:
        migrate = subprocess.run(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"],
            env=child_env(cluster, replica=False), capture_output=True, text=True,
            timeout=300, check=False)
        assert migrate.returncode == 0, migrate.stderr[-3000:]
        cluster.wait_replayed()
        yield cluster
    finally:
        cluster.close()


def test_standby_replays_the_schema_and_refuses_writes(cluster):
    # Migrations ran on the primary only; the standby has the tables by replication.
    assert cluster.standby.value("SELECT pg_is_in_recovery()") is True
    assert cluster.standby.value("SELECT count(*) FROM django_migrations",
                                 dbname="peacebuild") > 0
    with pytest.raises(Exception, match="read-only"):
        cluster.standby.query("CREATE TABLE nope (x int)", dbname="peacebuild")


def test_reads_on_the_replica_and_a_writer_reads_their_own_writes(cluster):
    seen = run(cluster, "routing")
    assert seen["created_first"] == 201 and seen["created_second"] == 201
    # The API's list was read on the standby and shows what it replayed.
    assert seen["queries_on_replica"] > 0 and seen["reader_after_replay"] == ["Alpha"]
    # With replay paused, the one who wrote sees the new partner (from the primary) ...
    assert seen["pin_cookie"] is True
    assert seen["writer_while_lagging"] == ["Alpha", "Beta"]
    # ... while another reader sees the lagging standby: the reads really go there.
    assert seen["reader_while_lagging"] == ["Alpha"]
    assert seen["writer_after_pin"] == ["Alpha"]
    # Code outside a page, and any transaction, reads the primary.
    assert seen["orm_outside_page"] is True and seen["atomic"] is True
    assert seen["reader_after_resume"] == ["Alpha", "Beta"]


def test_a_replica_that_does_not_answer_leaves_the_reads_to_the_primary(cluster):
    seen = run(cluster, "replica_down")
    assert seen["created"] == 201
    assert seen["health_before"]["checks"]["replica"] == {"reachable": True, "lag_seconds": 0.0}
    # The standby stopped: the API's list still answers, from the primary ...
    assert "Gamma" in seen["names_while_down"] and "Gamma" in seen["names_again"]
    # ... the log says so once (the second request does not try the replica again) ...
    assert seen["stderr"].count("The replica does not answer") == 1, seen["stderr"]
    # ... and /health/ keeps the server in the load balancer, saying what is wrong.
    status, health = seen["health_while_down"]
    assert (status, health["status"], health["checks"]["replica"]) == (
        200, "degraded", {"reachable": False})
    # Back, the replica serves the reads again.
    assert "Gamma" in seen["names_after"] and seen["queries_on_replica_after"] > 0


def test_a_lost_database_answers_503_and_recovers_by_itself(cluster):
    seen = run(cluster, "outage", replica=False)
    assert seen["before"] == 200
    assert seen["down"] == 503 and seen["down_retry_after"]
    # In the visitor's language (here Arabic):
    assert "تعذّر الوصول إلى قاعدة البيانات" in seen["down_text"]
    assert "The database is unreachable; try again in a moment." in seen["down_en"]
    assert "Traceback" not in seen["down_en"] and "OperationalError" not in seen["down_en"]
    assert seen["after"] == 200  # the same process, reconnected by itself


def test_a_worker_killed_inside_an_import_leaves_nothing_and_the_retry_imports_all(cluster):
    child = subprocess.Popen(
        [sys.executable, str(ROOT / "tests" / "replica_scenarios.py"), "import_killed"],
        env=child_env(cluster, replica=False), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True)
    try:
        line = child.stdout.readline()
        assert line.startswith("MIDWAY"), line + child.stderr.read()[-3000:]
        _word, job, written = line.split()
        assert int(written) == 40  # inside its transaction, the rows are written
    finally:
        child.send_signal(signal.SIGKILL)
        child.wait(timeout=30)
    # The database rolled the open transaction back when the connection died.
    seen = run(cluster, "import_retry", replica=False, extra={"PB_JOB": job})
    assert seen["state_before"] == "running" and seen["activities_before"] == 0
    assert seen["marked_stale"] == 1 and seen["state_after"] == "failed"
    assert "start it again" in seen["reason"]
    assert seen["retry_state"] == "done", seen["retry_reason"]
    assert seen["activities_after"] == 40


def test_failover_to_the_promoted_standby_without_a_restart(cluster):
    # Last in the module: the primary is gone after it. Both servers in one URL; libpq
    # keeps the one that takes writes.
    url = (f"postgres://postgres@127.0.0.1:{cluster.primary.port},"
           f"127.0.0.1:{cluster.standby.port}/peacebuild?target_session_attrs=read-write")
    seen = run(cluster, "failover", replica=False, url=url)
    assert seen["before"] == 201 and seen["after"] == 201, seen["stderr"]
    assert seen["promoted_in_recovery"] is False
    assert seen["server_port"] == cluster.standby.port
    assert {"Before failover", "After failover"} <= set(seen["names"])
