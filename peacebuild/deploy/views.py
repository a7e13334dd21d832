"""`/health/`: is this installation able to serve? No sign-in, no secrets, no personal data:
the database answers a query, and (when a queue is used) a worker has beaten lately."""

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .worker import live_workers


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    checks: dict[str, object] = {}
    healthy = True
    if database_answers():
        checks["database"] = "ok"
    else:
        checks["database"] = "unavailable"
        healthy = False
    if not uses_queue():
        checks["workers"] = "not used (tasks run inline)"
    elif healthy:
        try:
            workers = live_workers()
        except DatabaseError:  # the table is missing: not migrated
            workers = 0
        checks["workers"] = workers
        healthy = workers > 0
    return JsonResponse({"status": "ok" if healthy else "unavailable", "checks": checks},
                        status=200 if healthy else 503)


def database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def uses_queue() -> bool:
    return "ImmediateBackend" not in settings.TASKS["default"]["BACKEND"]
