"""Run by tests/test_replication.py in a child process, against the throw-away cluster of
tests/pgcluster.py: the child's settings come from its environment (DATABASE_URL, and
DATABASE_REPLICA_URL when the scenario has a replica), as a deployed server's would.

`python tests/replica_scenarios.py NAME` runs one scenario and prints what it saw as JSON
on its last line; the test asserts on it. PB_CLUSTER (JSON) names the nodes' data
directories and ports, so a scenario can pause the standby's replay or stop the primary.
"""

import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "peacebuild.settings")
os.environ.setdefault("TASKS_BACKEND", "immediate")

import django  # noqa: E402

django.setup()

from django.db import close_old_connections, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from peacebuild.lib import dbrouting  # noqa: E402
from tests.pgcluster import Cluster, Node  # noqa: E402

seen: dict[str, object] = {}


def cluster() -> Cluster:
    spec = json.loads(os.environ["PB_CLUSTER"])
    nodes = {name: Node(name, Path(d["datadir"]), d["port"], Path(d["log"]))
             for name, d in spec["nodes"].items()}
    return Cluster(Path(spec["root"]), nodes["primary"], nodes.get("standby"))


def world() -> tuple[object, object, str]:
    """An office, its head (who may add partners) and a write token for the API."""
    import datetime as dt

    from conftest import make_user
    from peacebuild.exchange.api.services import token_create
    from peacebuild.mandates.models import Office

    office, _ = Office.objects.get_or_create(
        code="rep", defaults={"name": "Replicated office", "established_on": dt.date(2001, 1, 1)})
    from peacebuild.accounts.models import User
    head = User.objects.filter(username="head").first() or make_user("head", office, "head")
    _token, key = token_create(actor=head, user=head, office=office, name="t", scope="write")
    return office, head, key


def request_starts() -> None:
    """What a server does as each request starts (Django's test client leaves it out): a
    connection that fails its health check is dropped, so the request reconnects."""
    close_old_connections()


def partner_names(client: Client, key: str) -> list[str]:
    response = client.get("/api/partners/", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200, response.content
    return sorted(p["name"] for p in response.json()["results"])


def add_partner(client: Client, key: str, name: str) -> int:
    request_starts()
    return client.post("/api/partners/", {"name": name, "kind": "ngo"},
                       content_type="application/json",
                       headers={"Authorization": f"Bearer {key}"}).status_code


def routing() -> None:
    from peacebuild.partners.models import Organisation

    nodes = cluster()
    _office, _head, key = world()
    writer, reader = Client(), Client()
    seen["created_first"] = add_partner(writer, key, "Alpha")
    nodes.wait_replayed()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        seen["reader_after_replay"] = partner_names(reader, key)
    seen["queries_on_replica"] = len(on_replica.captured_queries)

    # The standby stops replaying: it lags behind the primary for as long as we like.
    nodes.standby.query("SELECT pg_wal_replay_pause()")
    try:
        seen["created_second"] = add_partner(writer, key, "Beta")
        seen["pin_cookie"] = "pb-primary" in writer.cookies
        seen["writer_while_lagging"] = partner_names(writer, key)
        seen["reader_while_lagging"] = partner_names(reader, key)
        # Outside a page (workers, commands) and inside a transaction: the primary.
        seen["orm_outside_page"] = Organisation.objects.filter(name="Beta").exists()
        with transaction.atomic():
            seen["atomic"] = Organisation.objects.filter(name="Beta").exists()
        # Once the pin has run out, the writer reads from the replica again.
        writer.cookies["pb-primary"] = "0"
        seen["writer_after_pin"] = partner_names(writer, key)
    finally:
        nodes.standby.query("SELECT pg_wal_replay_resume()")
    nodes.wait_replayed()
    seen["reader_after_resume"] = partner_names(reader, key)


def replica_down() -> None:
    """The standby stops: the replica's pages read from the primary, /health/ says so."""
    nodes = cluster()
    _office, _head, key = world()
    client = Client()
    seen["created"] = add_partner(client, key, "Gamma")
    client.cookies["pb-primary"] = "0"  # read as anyone would, not pinned to the primary
    nodes.wait_replayed()
    seen["health_before"] = client.get("/health/").json()
    nodes.standby.stop()
    try:
        request_starts()
        seen["names_while_down"] = partner_names(client, key)
        request_starts()
        seen["names_again"] = partner_names(client, key)
        health = client.get("/health/")
        seen["health_while_down"] = [health.status_code, health.json()]
    finally:
        nodes.standby.start()
    dbrouting._replica_down_until[0] = 0.0  # as REPLICA_RETRY_SECONDS later
    request_starts()
    with CaptureQueriesContext(connections["replica"]) as on_replica:
        seen["names_after"] = partner_names(client, key)
    seen["queries_on_replica_after"] = len(on_replica.captured_queries)


def outage() -> None:
    nodes = cluster()
    _office, head, _key = world()
    from conftest import login_verified

    client = login_verified(Client(raise_request_exception=False), head)
    seen["before"] = client.get("/").status_code
    nodes.primary.stop()
    try:
        down = client.get("/", headers={"Accept-Language": "ar"})
        seen["down"] = down.status_code
        seen["down_retry_after"] = down.get("Retry-After")
        seen["down_text"] = down.content.decode()
        seen["down_en"] = client.get("/", headers={"Accept-Language": "en"}).content.decode()
    finally:
        nodes.primary.start()
    seen["after"] = client.get("/").status_code


def failover() -> None:
    from peacebuild.partners.models import Organisation

    nodes = cluster()
    _office, _head, key = world()
    client = Client()
    seen["before"] = add_partner(client, key, "Before failover")
    nodes.wait_replayed()
    nodes.primary.stop()
    nodes.standby.promote()
    seen["promoted_in_recovery"] = nodes.standby.value("SELECT pg_is_in_recovery()")
    seen["after"] = add_partner(client, key, "After failover")
    request_starts()  # as each request and each worker's task does
    seen["names"] = sorted(Organisation.objects.values_list("name", flat=True))
    with connections["default"].cursor() as cursor:
        cursor.execute("SELECT inet_server_port()")
        seen["server_port"] = cursor.fetchone()[0]


def import_world():
    from peacebuild.activities.models import ActivityType
    from peacebuild.places.models import Place
    from peacebuild.places.services import places_load_tajikistan
    from peacebuild.programmes.models import Programme

    office, head, _key = world()
    if not Place.objects.exists():
        places_load_tajikistan()
    Programme.objects.get_or_create(office=office, code="dialogue", defaults={"name": "D"})
    ActivityType.objects.get_or_create(code="discussion-club", defaults={
        "name": "Club", "category": ActivityType.Category.DIALOGUE})
    return office, head


def import_killed() -> None:
    """Starts an import of 40 activities and stops inside its transaction, after the rows
    are written and before the commit, saying so on stdout; the test kills it there."""
    import time

    from peacebuild.activities import services
    from peacebuild.exchange import jobs
    from peacebuild.exchange.models import Job
    from peacebuild.exchange.tests.sheets_helpers import csv_bytes, row

    office, _head = import_world()  # run as the command line runs it (no user)
    job = Job(office=office, kind=Job.Kind.SHEET_IMPORT, dry_run=False, requested_by=None,
              report={"language": "en"})
    jobs.store_input(job, "forty.csv", iter([csv_bytes([row(n) for n in range(40)])]),
                     limit=10_000_000)
    job.save()

    def stall(*_args):  # the bulk path's last step inside its transaction: the summaries
        from peacebuild.activities.models import Activity
        print(f"MIDWAY {job.pk} {Activity.objects.filter(office=office).count()}", flush=True)
        time.sleep(120)

    services.cubes_add_range = stall
    services.cubes_add = stall
    done = jobs.run_job(job.pk)
    seen["not_stopped"] = [done.state, done.reason, done.report.get("problems", [])[:3]]


def import_retry() -> None:
    """After the kill: the stale job is marked failed, and started again from the same
    stored file it imports everything."""
    import datetime as dt

    from django.utils import timezone

    from peacebuild.activities.models import Activity
    from peacebuild.exchange import jobs
    from peacebuild.exchange.models import Job

    killed = Job.objects.get(pk=int(os.environ["PB_JOB"]))
    seen["state_before"] = killed.state
    seen["activities_before"] = Activity.objects.filter(office=killed.office).count()
    seen["marked_stale"] = jobs.fail_stale(timezone.now() + jobs.STALE_AFTER + dt.timedelta(1))
    killed.refresh_from_db()
    seen["state_after"], seen["reason"] = killed.state, killed.reason
    again = Job.objects.create(office=killed.office, kind=killed.kind, dry_run=False,
                               requested_by=killed.requested_by, input_name=killed.input_name,
                               input_path=killed.input_path, checksum=killed.checksum,
                               report={"language": "en"})
    again = jobs.run_job(again.pk)
    seen["retry_state"], seen["retry_reason"] = again.state, again.reason
    seen["activities_after"] = Activity.objects.filter(office=killed.office).count()


if __name__ == "__main__":
    {"routing": routing, "replica_down": replica_down, "outage": outage, "failover": failover,
     "import_killed": import_killed, "import_retry": import_retry}[sys.argv[1]]()
    print(json.dumps(seen, default=str))
