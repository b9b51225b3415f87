"""Recordings of oral answers (the interview): one file per participant, checked on arrival by the kind's
pure rules (``session.rules.recordings.check_recording``: decodable, duration against the ведомость ±2 min,
not silent over the answer), SHA-256 deduplicated per session, kept under ``ITOG_MEDIA_ROOT``.

A refused file (unreadable, unsupported, a duplicate, too large) is not saved; a flagged one (silent, cut,
duration off) is saved with its problems, so the school sees it while the participant can still be
re-recorded on an additional date. Audio is personal data: playback is logged in the audit journal.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from itog.audit.models import EventKind
from itog.audit.services import record
from itog.conduct.models import DayRecord, Recording
from itog.exams.models import Application
from itog.exams.violations import Refused, violation

MB = 1024 * 1024


def max_bytes(session) -> int:
    """The smaller of the kind's limit and the region's setting ``ITOG_MAX_AUDIO_MB``."""
    return min(session.rules.recordings.max_bytes, settings.ITOG_MAX_AUDIO_MB * MB)


def check_size(session, size: int) -> None:
    """Before anything is read: the size bound (I67), as every upload is bounded (itog.core.limits)."""
    limit = max_bytes(session)
    if size > limit:
        raise Refused([violation("I67", size=f"{size / MB:.1f}", limit=f"{limit / MB:.0f}")])


def expected_minutes(application: Application) -> float | None:
    r = DayRecord.objects.filter(application=application).first()
    if r is None or r.started_at is None or r.ended_at is None:
        return None
    return (r.ended_at - r.started_at).total_seconds() / 60


def upload(application: Application, data: bytes, name: str, user) -> Recording:
    """Check and keep one participant's recording; raises :class:`Refused` when it cannot be kept."""
    session = application.session
    check_size(session, len(data))
    rec = DayRecord.objects.filter(application=application).first()
    if rec is None or rec.started_at is None:
        raise Refused([violation("I92")])
    known = set(Recording.objects.filter(session=session).values_list("sha256", flat=True))
    report = session.rules.recordings.check_recording(
        data, expected_minutes(application), name, application.participant.full_name, known
    )
    if report.refused:
        raise Refused([v for v in report.violations if v.is_error])
    problems = [{"code": v.code, "message": v.message, "severity": str(v.severity)} for v in report.violations]
    with transaction.atomic():
        obj = Recording(
            session=session,
            application=application,
            original_name=(name or "")[:200],
            sha256=report.sha256,
            size=len(data),
            format=report.format or "",
            duration_s=round(report.duration_s, 2),
            problems=problems,
            flagged=report.flagged,
            uploaded_by=user,
        )
        obj._history_user = user
        obj.file.save("x", ContentFile(data), save=False)
        obj.save()
    return obj


def log_playback(request, recording: Recording) -> None:
    """Audio is personal data: every playback is in the audit journal."""
    record(
        EventKind.PD_EXPORT,
        request,
        description=(f"Прослушивание аудиозаписи ответа: {recording.application.registration_number}")[:500],
        rows=1,
    )
