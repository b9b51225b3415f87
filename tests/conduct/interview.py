"""The interview's story at school1 of the small test region: a session of 2025/26 (main date 11.02.2026),
9th-graders registered, scheduled, through the day, recorded, checked."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from itog.exams.kinds.interview import synth_audio
from itog.exams.registration.services import ensure_sessions, register
from itog.orgs.models import Room
from tests.exams.fixtures import student_registration

YEAR = "2025/26"
MAIN = date(2026, 2, 11)


def interview_session(region):
    return ensure_sessions(region.ministry, YEAR, kind="interview")[0]


def register_ninth(region, session, n: int = 3, **overrides):
    apps = []
    for i in range(n):
        reg = student_registration(
            region.school1,
            grade=9,
            class_letter="б",
            form="interview",
            consent_signed_on=date(2026, 1, 10),
            personal={"last_name": f"Девятова{i}", "document_number": f"90000{i}", "birth_date": date(2011, 5, 1 + i)},
            **overrides,
        )
        result = register(reg, session, region.school1, today=date(2026, 1, 20))
        assert result.application, result.violations
        apps.append(result.application)
    return apps


def room_roles(region) -> dict[int, str]:
    """Two rooms equipped for audio recording answer; two others are the waiting and the finished room."""
    rooms = list(Room.objects.filter(place__organization=region.school1).order_by("number"))
    Room.objects.filter(pk__in=[rooms[0].pk, rooms[1].pk]).update(audio_equipped=True)
    return {rooms[0].pk: "exam", rooms[1].pk: "exam", rooms[2].pk: "waiting", rooms[3].pk: "finished"}


def at(hh: int, mm: int, day: date = MAIN, tz: str = "Europe/Moscow") -> datetime:
    return datetime(day.year, day.month, day.day, hh, mm, tzinfo=ZoneInfo(tz))


def speech_wav(minutes: float) -> bytes:
    return synth_audio.encode(synth_audio.speech_like(minutes * 60, seed=3), "wav")


def silent_wav(minutes: float) -> bytes:
    return synth_audio.encode(synth_audio.silence(minutes * 60), "wav")


__all__ = ["MAIN", "at", "interview_session", "register_ninth", "room_roles", "silent_wav", "speech_wav", "timedelta"]
