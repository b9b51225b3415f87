"""``/health/`` for the load balancer: is this web process able to serve (database, Redis) and are there
workers for the long jobs. JSON, no personal data, no login; 503 when the database or Redis fails (take the
process out of rotation), 200 with ``"status": "degraded"`` when no Celery worker announced itself lately
(pages work, long jobs wait)."""

from __future__ import annotations

import time

from django.conf import settings
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from itog.jobs.runner import backend


@never_cache
@require_GET
def health(request):
    started = time.monotonic()
    body: dict = {"status": "ok"}
    failed = False
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        body["database"] = "ok"
    except DatabaseError:
        body["database"], failed = "error", True
    if settings.ITOG_REDIS_URL:
        from itog.jobs.tasks import live_workers, redis_client

        try:
            redis_client().ping()
            body["redis"] = "ok"
        except Exception:  # noqa: BLE001 - any failure of the client means "not reachable"
            body["redis"], failed = "error", True
    else:
        body["redis"] = "not configured"
    if backend() == "celery":
        try:
            body["workers"] = live_workers()
        except Exception:  # noqa: BLE001
            body["workers"] = None
        if not body["workers"]:
            body["status"] = "degraded"
    else:
        body["workers"] = "embedded"
    body["jobs"] = backend()
    if failed:
        body["status"] = "error"
    body["ms"] = round((time.monotonic() - started) * 1000, 1)
    return JsonResponse(body, status=503 if failed else 200)
