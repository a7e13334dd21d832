"""Is this installation able to serve? The same answer for `/health/` and `peacebuild health`.

No secrets and no personal data: whether the database answers, whether the replica (when
one is configured) answers and how many seconds its replay is behind, and how many
workers have beaten lately. A replica that does not answer leaves the installation
serving (pages read from the primary, peacebuild/lib/dbrouting.py): "degraded", not down;
so does one more than REPLICA_LAG_DEGRADED seconds behind.
"""

from __future__ import annotations

from django.conf import settings
from django.db import DatabaseError, connection, connections

from peacebuild.lib.dbrouting import REPLICA, replica_configured

from .worker import live_workers

OK, DEGRADED, UNAVAILABLE = "ok", "degraded", "unavailable"
# A standby this many seconds behind serves stale dashboards: say so (replay stuck, WAN
# link down). Normally its lag is milliseconds (docs/deploy.md, "Measured here").
REPLICA_LAG_DEGRADED = 60.0
# Seconds the standby's replay is behind: 0 when it has replayed all it received (an idle
# primary sends nothing, so the last replayed transaction's age would look like lag).
LAG = """SELECT CASE WHEN NOT pg_is_in_recovery()
                       OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0
                     ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0)
                END"""


def health_report() -> dict[str, object]:
    checks: dict[str, object] = {}
    status = OK
    if database_answers():
        checks["database"] = "ok"
    else:
        checks["database"] = "unavailable"
        status = UNAVAILABLE
    if replica_configured():
        replica = replica_state()
        checks["replica"] = replica
        if status == OK and not replica_current(replica):
            status = DEGRADED
    if not uses_queue():
        checks["workers"] = "not used (tasks run inline)"
    elif status != UNAVAILABLE:
        try:
            workers = live_workers()
        except DatabaseError:  # the table is missing: not migrated
            workers = 0
        checks["workers"] = workers
        if workers == 0:
            status = UNAVAILABLE
    return {"status": status, "checks": checks}


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def replica_state() -> dict[str, object]:
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()
        with replica.cursor() as cursor:
            cursor.execute(LAG if replica.vendor == "postgresql" else "SELECT 0")
            lag = cursor.fetchone()[0]
    except DatabaseError:
        replica.close()
        return {"reachable": False}
    return {"reachable": True, "lag_seconds": round(float(lag), 1)}


def replica_current(replica: dict[str, object]) -> bool:
    lag = replica.get("lag_seconds")
    return bool(replica["reachable"]) and isinstance(lag, float) and lag <= REPLICA_LAG_DEGRADED


def uses_queue() -> bool:
    return "ImmediateBackend" not in settings.TASKS["default"]["BACKEND"]
