"""Reads from a hot standby, writes to the primary, and read-your-writes for whoever wrote.

With `DATABASE_REPLICA_URL` set (settings.py), `ReplicaRouter` sends the record reads of
the pages in `REPLICA_PAGES` (dashboards, reports, the overview, the API's reads) to the
`replica` database: a PostgreSQL hot standby fed by streaming replication, which may be a
moment behind. Everything else reads from the primary:

- every write, migration, worker, command and shell (the flag below is only set by the
  middleware, for a page in the list);
- sessions, accounts, sign-in throttling, API tokens and jobs (`PRIMARY_APPS`), so that
  signing in, a revoked right or a token takes effect at once;
- reads inside a transaction, which must see its own writes;
- every page for DATABASE_PRIMARY_PIN_SECONDS after the same browser or client wrote
  (a POST, PUT, PATCH or DELETE, or any request that wrote to the database): the
  `pb-primary` cookie carries the time until which it reads from the primary, so a user
  sees their own change at once even when the standby lags.

When the replica does not answer, pages read from the primary: the middleware checks the
replica's connection before sending a page's reads to it, and after a failure leaves it
alone for REPLICA_RETRY_SECONDS (one warning in the log each time), so a lost standby
costs neither errors nor a connection attempt per request.

Without a replica, the router is not installed and the middleware does nothing.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.db.models import Model
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = "default"
COOKIE = "pb-primary"
# Pages whose reads the replica serves: "namespace:name", or "namespace:*" for all of it.
REPLICA_PAGES = frozenset({
    "ui:home",
    "programmes:dashboard", "programmes:programme", "programmes:framework",
    "programmes:indicator", "programmes:download",
    "reporting:list", "reporting:detail",
    "api:*",
})
# Apps read from the primary always: who is signed in and what they may do must be current.
PRIMARY_APPS = frozenset({
    "sessions", "auth", "accounts", "axes", "otp_totp", "django_otp", "contenttypes",
    "admin", "exchange", "exchange_api", "django_tasks_database", "casework",
})
WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "CREATE", "ALTER", "DROP", "TRUNCATE")
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

REPLICA_RETRY_SECONDS = 10.0

log = logging.getLogger("peacebuild.dbrouting")
_on_replica: ContextVar[bool] = ContextVar("pb_reads_on_replica", default=False)
_replica_down_until = [0.0]  # per process: time.monotonic() until which the replica is skipped


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


class ReplicaRouter:
    def db_for_read(self, model: type[Model], **hints: Any) -> str | None:
        if not _on_replica.get() or model._meta.app_label in PRIMARY_APPS:
            return None
        if connections[PRIMARY].in_atomic_block:  # a transaction reads its own writes
            return None
        return REPLICA

    def db_for_write(self, model: type[Model], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # the same records on both

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == PRIMARY


def replica_answers() -> bool:
    """The replica's connection is usable (a kept one is checked, a new one is opened); if
    not, it is skipped for REPLICA_RETRY_SECONDS and the reads go to the primary."""
    now = time.monotonic()
    if now < _replica_down_until[0]:
        return False
    replica = connections[REPLICA]
    try:
        replica.close_if_health_check_failed()
        replica.ensure_connection()
    except DatabaseError as error:
        replica.close()
        _replica_down_until[0] = now + REPLICA_RETRY_SECONDS
        log.warning("The replica does not answer (%s); pages read from the primary, the "
                    "replica is tried again in %.0f s.", type(error).__name__,
                    REPLICA_RETRY_SECONDS)
        return False
    return True


def page_reads_replica(namespace: str, url_name: str | None) -> bool:
    return f"{namespace}:*" in REPLICA_PAGES or f"{namespace}:{url_name}" in REPLICA_PAGES


def pinned_until(request: HttpRequest) -> float:
    try:
        return float(request.COOKIES.get(COOKIE, "0"))
    except ValueError:
        return 0.0


class ReplicaRoutingMiddleware:
    """Decides, per request, whether the page's reads may go to the replica, and pins the
    client to the primary for a while after it wrote."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.active = replica_configured()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not self.active:
            return self.get_response(request)
        wrote = [request.method not in SAFE_METHODS]

        def spot_writes(execute: Callable[..., Any], sql: str, params: Any, many: bool,
                        context: dict[str, Any]) -> Any:
            if not wrote[0] and sql.lstrip()[:8].upper().startswith(WRITES):
                wrote[0] = True
            return execute(sql, params, many, context)

        token = _on_replica.set(False)
        try:
            with connections[PRIMARY].execute_wrapper(spot_writes):
                response = self.get_response(request)
        finally:
            _on_replica.reset(token)
        if wrote[0]:
            seconds = settings.DATABASE_PRIMARY_PIN_SECONDS
            response.set_cookie(COOKIE, f"{time.time() + seconds:.3f}", max_age=seconds,
                                httponly=True, samesite="Lax",
                                secure=settings.SESSION_COOKIE_SECURE)
        return response

    def process_view(self, request: HttpRequest, view: Callable[..., Any], args: Any,
                     kwargs: Any) -> None:
        if not self.active or request.method not in SAFE_METHODS:
            return
        if pinned_until(request) > time.time():
            return
        match = request.resolver_match
        if (match is not None and page_reads_replica(match.namespace, match.url_name)
                and replica_answers()):
            _on_replica.set(True)
            request.reads_from_replica = True  # type: ignore[attr-defined]  # for the log
