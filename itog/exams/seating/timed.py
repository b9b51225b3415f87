"""Seating in time: a kind whose participants answer one after another (the interview) gets a schedule per
room — each participant's room and slot — made by the kind's pure rules (``session.rules.seating
.make_schedule``) and saved as a :class:`~itog.exams.models.SeatingRun` whose seats carry the slot times.

A school schedules its own participants (the school is the venue); a new run replaces the school's previous
schedule (the runs are kept: who scheduled what when). The participants' codes are issued with the
schedule, so the lists per room, the ведомость and the protocols print them.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from django.db import transaction

from itog.exams.models import (
    Application,
    ApplicationStatus,
    ExamSession,
    Seat,
    SeatingRun,
)
from itog.exams.registration.services import _app_data_from
from itog.exams.violations import Refused
from itog.orgs.models import Organization, Room


@dataclass
class TimedResult:
    run: SeatingRun | None
    violations: list = field(default_factory=list)


def school_rooms(school: Organization) -> list[Room]:
    return list(
        Room.objects.filter(place__organization=school, place__is_active=True)
        .select_related("place")
        .order_by("place_id", "number")
    )


def school_applications(session: ExamSession, school: Organization):
    return (
        Application.objects.filter(session=session, participant__registration_org=school)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .select_related("participant")
        .prefetch_related("participant__documents")
        .order_by(
            "participant__grade", "participant__class_letter", "participant__last_name", "participant__first_name"
        )
    )


def extended(application: Application) -> bool:
    """+30 minutes: the kind's rule on the application's health grounds and documents."""
    docs = frozenset(d.kind for d in application.participant.documents.all())
    data = replace(_app_data_from(application), documents=docs)
    return (
        application.session.rules.registration.duration_minutes(data)
        > application.session.rules.seating.BASE_DURATION_MIN
    )


def default_room_roles(session: ExamSession, rooms: list[Room]) -> tuple[dict[int, str], list]:
    """The kind's default roles for a school's rooms: answers only in rooms equipped for audio recording
    (``Room.audio_equipped``), the waiting and finished rooms apart; I45 when the school has no equipped room."""
    roles, problems = session.rules.seating.default_roles([(str(r.pk), r.audio_equipped) for r in rooms])
    return {int(k): str(v.value) for k, v in roles.items()}, problems


def schedule_school(
    session: ExamSession, school: Organization, room_roles: dict[int, str] | None = None, user=None
) -> TimedResult:
    """Schedule the school's participants into its rooms. ``room_roles``: room id → role («exam»,
    «waiting», «finished»; rooms not named are not used); ``None`` takes the kind's defaults from the rooms'
    «оборудована для аудиозаписи». Only equipped rooms answer (an unequipped room named «exam» is refused,
    I40; a school without one, I45). Nothing is saved when the rules refuse."""
    seating = session.rules.seating
    rooms = {r.pk: r for r in school_rooms(school)}
    if not any(r.audio_equipped for r in rooms.values()):
        return TimedResult(None, default_room_roles(session, list(rooms.values()))[1])
    if room_roles is None:
        room_roles, problems = default_room_roles(session, list(rooms.values()))
        if problems:
            return TimedResult(None, problems)
    unknown = [pk for pk in room_roles if pk not in rooms]
    if unknown:
        raise Refused("Помещение не найдено среди помещений ОО.")
    rule_rooms = [
        seating.Room(id=str(pk), name=f"ауд. {rooms[pk].number}", kind=role, audio_equipped=rooms[pk].audio_equipped)
        for pk, role in room_roles.items()
        if role
    ]
    apps = list(school_applications(session, school))
    candidates = [
        seating.Candidate(
            id=str(a.pk),
            full_name=a.participant.full_name,
            class_label=f"{a.participant.grade or ''}{a.participant.class_letter}",
            extended=extended(a),
        )
        for a in apps
    ]
    plan = seating.make_schedule(rule_rooms, candidates)
    if not plan.ok:
        return TimedResult(None, plan.violations)
    with transaction.atomic():
        run = SeatingRun.objects.create(
            session=session,
            seed=0,
            created_by=user,
            room_roles={str(k): v for k, v in room_roles.items() if v},
            problems=[{"code": v.code, "message": v.message} for v in plan.violations],
        )
        seats = []
        for room_id, slots in plan.slots.items():
            room = rooms[int(room_id)]
            for n, slot in enumerate(slots, start=1):
                seats.append(
                    Seat(
                        run=run,
                        application_id=int(slot.participant_id),
                        venue=room.place,
                        room=room,
                        seat_number=n,
                        starts_at=slot.start,
                        ends_at=slot.end,
                    )
                )
        Seat.objects.bulk_create(seats)
        run.seated = len(seats)
        run.save(update_fields=["seated"])
        from itog.exams.printing.services import issue_codes

        issue_codes(session, [s.application_id for s in seats])
    return TimedResult(run, plan.violations)


def current_seats(session: ExamSession, school: Organization):
    """The school's schedule: the seats of its latest run (by room, then time)."""
    run = (
        SeatingRun.objects.filter(session=session, seats__venue__organization=school)
        .order_by("-created_at", "-pk")
        .first()
    )
    if run is None:
        return Seat.objects.none()
    return (
        Seat.objects.filter(run=run, venue__organization=school)
        .select_related("application__participant", "room", "venue")
        .order_by("room__number", "starts_at")
    )


def seat_of(application: Application) -> Seat | None:
    return (
        Seat.objects.filter(application=application, run__session=application.session)
        .select_related("venue", "room")
        .order_by("-run__created_at", "-run_id")
        .first()
    )


__all__ = [
    "TimedResult",
    "current_seats",
    "default_room_roles",
    "extended",
    "schedule_school",
    "school_applications",
    "school_rooms",
    "seat_of",
]
