"""Recordings of oral answers (the interview): one file per participant, checked on arrival by the kind's
pure rules (``session.rules.recordings.check_recording``: decodable, duration against the ведомость ±2 min,
not silent over the answer), SHA-256 deduplicated per session, kept under ``ITOG_MEDIA_ROOT``.

Or one file per room and day (:func:`upload_room`): the participants' spans come from the room's ведомость
(start and end of each answer) relative to the moment the recording started — given by the uploader, or,
when not given, the first answer's start in the ведомость (the собеседник starts the recorder with the first
participant: our reading of the Рекомендации, which ask for the recording of every answer and leave one file
per room allowed). Each span is checked as a participant's file is (inside the file, not silent by RMS over
the span); a bad span flags that participant only (:class:`RecordingSpan`).

A refused file (unreadable, unsupported, a duplicate, too large) is not saved; a flagged one (silent, cut,
duration off) is saved with its problems, so the school sees it while the participant can still be
re-recorded on an additional date. Audio is personal data: playback is logged in the audit journal.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction

from itog.audit.models import EventKind
from itog.audit.services import record
from itog.conduct.models import DayRecord, Recording, RecordingSpan, RoomRecording
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


def known_hashes(session) -> set[str]:
    """SHA-256 of every file of the session, per participant and per room: the same bytes are one file (I65)."""
    return set(Recording.objects.filter(session=session).values_list("sha256", flat=True)) | set(
        RoomRecording.objects.filter(session=session).values_list("sha256", flat=True)
    )


def _problems(violations) -> list[dict]:
    return [{"code": v.code, "message": v.message, "severity": str(v.severity)} for v in violations]


def _isolation() -> dict:
    """Uploaded audio is decoded by C code (libsndfile): in a child process unless the deployment turned it off
    (``ITOG_AUDIO_ISOLATED``), so that a hostile file that crashes the decoder is refused, not fatal."""
    return {"isolated": True} if settings.ITOG_AUDIO_ISOLATED else {}


def upload(application: Application, data: bytes, name: str, user) -> Recording:
    """Check and keep one participant's recording; raises :class:`Refused` when it cannot be kept."""
    session = application.session
    check_size(session, len(data))
    rec = DayRecord.objects.filter(application=application).first()
    if rec is None or rec.started_at is None:
        raise Refused([violation("I92")])
    known = known_hashes(session)
    report = session.rules.recordings.check_recording(
        data, expected_minutes(application), name, application.participant.full_name, known, **_isolation()
    )
    if report.refused:
        raise Refused([v for v in report.violations if v.is_error])
    problems = _problems(report.violations)
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


def local_time(room, moment: datetime) -> str:
    """HH:MM:SS on the venue's clock (the ведомость's times are the venue's)."""
    from zoneinfo import ZoneInfo

    from itog.conduct.examday.services import venue_zone

    return moment.astimezone(ZoneInfo(venue_zone(room.place))).strftime("%H:%M:%S")


def room_lines(session, room) -> list[DayRecord]:
    """The room's answers in the ведомость (start marked), in time order."""
    return list(
        DayRecord.objects.filter(application__session=session, room=room, started_at__isnull=False)
        .select_related("application__participant")
        .order_by("started_at", "pk")
    )


def upload_room(session, room, data: bytes, name: str, user, started_at: datetime | None = None) -> RoomRecording:
    """Check and keep one room's file for the day, each participant's span cut by the ведомость's times.

    ``started_at``: when the recorder was started (aware datetime); ``None`` takes the first answer's start.
    Refused (nothing saved) when the ведомость has no answers, an answer has no end yet (I54), the recording
    would start after the first answer did (I69), or the file itself is refused (unreadable, duplicate, too large)."""
    check_size(session, len(data))
    lines = room_lines(session, room)
    if not lines:
        raise Refused([violation("I92")])
    open_lines = [r for r in lines if r.ended_at is None]
    if open_lines:
        raise Refused([violation("I54", name=r.application.participant.full_name) for r in open_lines])
    first = lines[0].started_at
    given = started_at is not None
    start = started_at if given else first
    if start > first:
        raise Refused(
            [
                violation(
                    "I69",
                    name=lines[0].application.participant.full_name,
                    start=local_time(room, start),
                    first=local_time(room, first),
                )
            ]
        )
    rules = session.rules.recordings
    spans = rules.spans_from_statement(
        start, [(str(r.application_id), r.application.participant.full_name, r.started_at, r.ended_at) for r in lines]
    )
    report = rules.check_room_recording(data, spans, known_hashes(session), **_isolation())
    if report.refused:
        raise Refused([v for v in report.violations if v.is_error])
    by_id = {sr.span.participant_id: sr for sr in report.spans}
    span_codes = {v.code for sr in report.spans for v in sr.violations}
    file_problems = [v for v in report.violations if v.code not in span_codes]  # I62 (runs past), I66 (clipping)
    with transaction.atomic():
        obj = RoomRecording(
            session=session,
            room=room,
            original_name=(name or "")[:200],
            sha256=report.sha256,
            size=len(data),
            format=report.format or "",
            duration_s=round(report.duration_s, 2),
            started_at=start,
            start_given=given,
            problems=_problems(file_problems),
            flagged=any(v.is_error for v in file_problems),
            uploaded_by=user,
        )
        obj._history_user = user
        obj.file.save("x", ContentFile(data), save=False)
        obj.save()
        rows = []
        for span in spans:
            sr = by_id.get(span.participant_id)
            violations = list(sr.violations) if sr is not None else []
            rows.append(
                RecordingSpan(
                    room_recording=obj,
                    application_id=int(span.participant_id),
                    start_s=round(span.start_s, 2),
                    end_s=round(span.end_s, 2),
                    rms_dbfs=round(sr.rms_dbfs, 1) if sr is not None else None,
                    problems=_problems(violations),
                    flagged=any(v.is_error for v in violations),
                )
            )
        RecordingSpan.objects.bulk_create(rows)
    return obj


def span_audio(span: RecordingSpan) -> bytes:
    """The participant's answer cut out of the room's file on the server (WAV, plays in every browser): the
    file holds other participants' answers too, so it is never sent whole."""
    rules = span.room_recording.session.rules.recordings
    with span.room_recording.file.open("rb") as f:
        return rules.cut_segment(f, rules.Span(str(span.application_id), "", max(0.0, span.start_s), span.end_s), "WAV")


def log_playback(request, recording: Recording | RecordingSpan) -> None:
    """Audio is personal data: every playback is in the audit journal."""
    record(
        EventKind.PD_EXPORT,
        request,
        description=(f"Прослушивание аудиозаписи ответа: {recording.application.registration_number}")[:500],
        rows=1,
    )
