"""What the conduct stages share: the refusal log and the local time of a place."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from itog.audit.models import EventKind
from itog.audit.services import record
from itog.exams.violations import Refused


def log_refusal(request_or_user, exc: Refused, what: str, region_path: str = "") -> None:
    """Every refused attempt is kept in the audit log («Отказ по правилу Порядка»)."""
    request = request_or_user if hasattr(request_or_user, "META") else None
    user = request.user if request is not None else request_or_user
    event = record(
        EventKind.REFUSED,
        request,
        user=user,
        description=f"{what}: {exc}"[:500],
        codes=[v.code for v in exc.violations],
    )
    if region_path and not event.region_path:
        event.region_path = region_path
        event.save(update_fields=["region_path"])


def local_now(tz: str, now: datetime | None = None) -> datetime:
    return (now or timezone.now()).astimezone(ZoneInfo(tz))
