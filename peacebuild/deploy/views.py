"""`/health/`: is this installation able to serve? No sign-in, no secrets, no personal data
(deploy/health.py). 200 when it serves (also "degraded": the replica is away and pages read
from the primary), 503 when the database or the workers are missing."""

from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .health import UNAVAILABLE, health_report


@never_cache
@require_GET
def health(request: HttpRequest) -> JsonResponse:
    report = health_report()
    return JsonResponse(report, status=503 if report["status"] == UNAVAILABLE else 200)
