"""The interview's region-wide schedule as a background job (the РЦОИ's run before the day).

The request (``interview.schedule_whole_region``) checks the permission and the session and calls
:func:`start_region_schedule`; a worker runs :func:`schedule_region` with progress per chunk of schools and
records the *outcome* (schools, participants, the schools refused with the rules' first error) on the job row
inside the saving transaction: a re-delivered or retaken job finds the outcome and does nothing, a run racing
another one is rolled back (:class:`itog.jobs.imports.AlreadyImported`), so a region is never scheduled twice by
one job. A second start while a schedule of the same session is queued or running gets that job instead.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from itog.exams.models import ExamSession
from itog.jobs.imports import AlreadyImported, write_outcome
from itog.jobs.models import Job, JobStatus
from itog.jobs.runner import backend, enqueue, job, lease, progress
from itog.orgs.models import Organization

from .timed import RegionResult, schedule_region

log = logging.getLogger(__name__)
KIND = "interview-region-schedule"
REFUSED_KEPT = 1000  # the job row keeps this many refused schools (and the count of all)


def running_schedule(session: ExamSession) -> Job | None:
    """The region schedule job of the session that is queued or running, if any.

    A job whose worker is gone does not block a new start for ever: a running job counts while its lease is
    renewed; a queued one always under Celery (its message waits in the broker; the watchdog re-sends lost
    ones), in the embedded backends only for a few lease periods (its thread starts at once, so an older
    queued job was lost with its process)."""
    now = timezone.now()
    alive = Q(status=JobStatus.RUNNING, lease_until__gte=now)
    if backend() == "celery":
        alive |= Q(status=JobStatus.QUEUED)
    else:
        alive |= Q(status=JobStatus.QUEUED, created_at__gte=now - lease() * 5)
    return Job.objects.filter(alive, kind=KIND, params__session_id=session.pk).order_by("created_at", "pk").first()


def start_region_schedule(session: ExamSession, user) -> tuple[Job, bool]:
    """Queue the region's schedule; ``(job, False)`` when one of the session is already queued or running.

    The session row is locked while the check and the new job are written, so two requests at once start one
    job (PostgreSQL; SQLite serializes writers anyway)."""
    with transaction.atomic():
        ExamSession.objects.select_for_update().filter(pk=session.pk).exists()
        if (current := running_schedule(session)) is not None:
            return current, False
        title = f"Расписание собеседования всех ОО — {session.date:%d.%m.%Y}"
        return enqueue(KIND, title, session.region, user=user, session_id=session.pk), True


def outcome_of(result: RegionResult, session: ExamSession) -> dict:
    """What the job page shows (JSON): the counts and the refused schools with the rules' first error."""
    refused = list(result.refused.items())
    names = dict(
        Organization.objects.filter(pk__in=[org for org, _ in refused[:REFUSED_KEPT]]).values_list("pk", "name")
    )
    return {
        "session": session.pk,
        "saved": result.run is not None,
        "run": result.run.pk if result.run is not None else None,
        "schools": result.schools,
        "seated": result.seated,
        "refused": [
            {"school": names.get(org, str(org)), "code": problems[0].code, "message": problems[0].message}
            for org, problems in refused[:REFUSED_KEPT]
        ],
        "refused_count": len(refused),
        "warnings_count": len(result.warnings),
    }


@job(KIND)
def run_region_schedule(current: Job, session_id: int) -> None:
    if current.outcome is not None:  # a re-delivered message after the schedule committed
        return None
    session = ExamSession.objects.get(pk=session_id)  # the request checked the user's grant on the region
    progress(current, 0, None, "Чтение заявлений, документов и аудиторий")
    try:
        result = schedule_region(
            session,
            current.created_by,
            on_progress=lambda done, total, message: progress(current, done, total, message),
            in_transaction=lambda res: write_outcome(current, outcome_of(res, session)),
        )
    except AlreadyImported:
        log.warning("schedule job %s: another run saved it first; this run rolled back", current.pk)
        return None
    if result.run is None:  # nothing saved: the outcome (the refusals) is recorded here
        Job.objects.filter(pk=current.pk, outcome__isnull=True).update(outcome=outcome_of(result, session))
    Job.objects.filter(pk=current.pk).update(
        message="Расписание составлено" if result.run is not None else "Расписание не составлено"
    )
    return None
