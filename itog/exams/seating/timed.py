"""Seating in time: a kind whose participants answer one after another (the interview) gets a schedule per
room — each participant's room and slot — made by the kind's pure rules (``session.rules.seating
.make_schedule``) and saved as a :class:`~itog.exams.models.SeatingRun` whose seats carry the slot times.

A school schedules its own participants (the school is the venue); a new run replaces the school's previous
schedule (the runs are kept: who scheduled what when). The participants' codes are issued with the
schedule, so the lists per room, the ведомость and the protocols print them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace

from django.db import transaction

from itog.core.bulk import insert_rows
from itog.exams.kinds.base import ApplicationData, Category, ExamForm
from itog.exams.models import (
    Application,
    ApplicationStatus,
    ExamSession,
    Seat,
    SeatingRun,
)
from itog.exams.registration.services import CONDITION_FIELDS, _app_data_from
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


@dataclass
class RegionResult:
    run: SeatingRun | None
    seated: int = 0
    schools: int = 0
    refused: dict[int, list] = field(default_factory=dict)  # school id -> the rules' errors (nothing saved)
    warnings: dict[int, list] = field(default_factory=dict)


_APP_FIELDS = (
    "pk",
    "form",
    "school_type",
    "home_schooling_health",
    *CONDITION_FIELDS.values(),
    "participant_id",
    "participant__registration_org_id",
    "participant__last_name",
    "participant__first_name",
    "participant__middle_name",
    "participant__category",
    "participant__grade",
    "participant__class_letter",
    "participant__health_category",
)


ProgressFunc = Callable[[int, int, str], None]
PROGRESS_STEPS = 20  # at most this many progress reports while the schools are scheduled (a region of 1,000 ОО)


def schedule_region(
    session: ExamSession,
    user=None,
    on_progress: ProgressFunc | None = None,
    in_transaction: Callable[[RegionResult], None] | None = None,
) -> RegionResult:
    """Schedule every school of the session's region at once (the РЦОИ's run before the day; seed 002: the
    school is the venue, so each school is scheduled into its own rooms by the kind's default roles — answers
    only in rooms «оборудована для аудиозаписи»). Bulk reads (one query each for the applications, the
    documents and the rooms), the kind's pure schedule per school, bulk writes (one run, its seats, the
    participants' codes). A school the rules refuse (no equipped room, I45; no waiting room …) keeps its
    previous schedule and is reported; the others are saved in one transaction.

    ``on_progress(done, total, message)`` (optional) hears of the schools scheduled: after the reads, then per
    chunk of schools (at most :data:`PROGRESS_STEPS` calls, no query of its own here), then before the save.
    ``in_transaction(result)`` (optional) runs inside the saving transaction after the rows are written (a job
    records its outcome there, so a retried job never schedules twice; raising rolls everything back)."""
    from itog.exams.models import SupportingDocument

    report = on_progress or (lambda done, total, message: None)

    rules = session.rules
    seating, registration = rules.seating, rules.registration
    apps = list(
        Application.objects.filter(session=session)
        .exclude(status=ApplicationStatus.WITHDRAWN)
        .values_list(*_APP_FIELDS)
        .iterator(chunk_size=5000)
    )
    docs: dict[int, set[str]] = {}
    for pid, kind in SupportingDocument.objects.filter(participant__applications__session=session).values_list(
        "participant_id", "kind"
    ):
        docs.setdefault(pid, set()).add(kind)
    n_cond = len(CONDITION_FIELDS)
    by_school: dict[int, list] = {}
    extended_of: dict[tuple, bool] = {}  # the kind's rule per distinct set of facts (most rows share a few)
    for row in apps:
        pk, form, school_type, home_health = row[:4]
        flags = row[4 : 4 + n_cond]
        pid, org_id, last, first, middle, category, grade, letter, health = row[4 + n_cond :]
        key = (form, school_type, home_health, flags, category, grade, health, frozenset(docs.get(pid, ())))
        ext = extended_of.get(key)
        if ext is None:
            data = ApplicationData(
                category=Category(category),
                grade=grade,
                ovz=health == "ovz",
                child_disabled=health == "disabled_child",
                disabled=health == "disabled",
                exam_form=ExamForm(form),
                school_type=school_type,
                home_schooling_health=home_health,
                special_conditions=frozenset(c for c, on in zip(CONDITION_FIELDS, flags) if on),
                documents=key[-1],
            )
            ext = extended_of[key] = registration.duration_minutes(data) > seating.BASE_DURATION_MIN
        by_school.setdefault(org_id, []).append(
            seating.Candidate(
                id=str(pk),
                full_name=" ".join(p for p in (last, first, middle) if p),
                class_label=f"{grade or ''}{letter}",
                extended=ext,
            )
        )
    rooms: dict[int, list[tuple[int, int, str, bool]]] = {}
    for pk, place_id, org_id, number, equipped in (
        Room.objects.filter(place__organization_id__in=list(by_school), place__is_active=True)
        .order_by("place_id", "number")
        .values_list("pk", "place_id", "place__organization_id", "number", "audio_equipped")
    ):
        rooms.setdefault(org_id, []).append((pk, place_id, number, equipped))
    result = RegionResult(None)
    all_roles: dict[str, str] = {}
    placed: list[tuple[int, int, int, object]] = []  # (room id, place id, seat number, slot)
    total = len(by_school)
    step = max(1, -(-total // PROGRESS_STEPS))
    report(0, total, f"Заявления прочитаны: участников — {len(apps)}, ОО — {total}")
    for done, (org_id, candidates) in enumerate(by_school.items(), start=1):
        if done % step == 0 and done < total:
            report(done, total, f"Составлено расписаний ОО: {done} из {total}")
        school_rooms_ = rooms.get(org_id, [])
        roles, problems = seating.default_roles([(str(r[0]), r[3]) for r in school_rooms_])
        if problems:
            result.refused[org_id] = problems
            continue
        info = {str(r[0]): r for r in school_rooms_}
        rule_rooms = [
            seating.Room(id=rid, name=f"ауд. {info[rid][2]}", kind=kind, audio_equipped=info[rid][3])
            for rid, kind in roles.items()
        ]
        plan = seating.make_schedule(rule_rooms, candidates)
        if not plan.ok:
            result.refused[org_id] = [v for v in plan.violations if v.is_error]
            continue
        if plan.violations:
            result.warnings[org_id] = plan.violations
        all_roles.update({rid: str(kind.value) for rid, kind in roles.items()})
        for rid, slots in plan.slots.items():
            for n, slot in enumerate(slots, start=1):
                placed.append((int(rid), info[rid][1], n, slot))
        result.schools += 1
    if not placed:
        return result
    report(total, total, f"Сохранение расписания: ОО — {result.schools}, участников — {len(placed)}")
    with transaction.atomic():
        run = SeatingRun.objects.create(
            session=session,
            seed=0,
            created_by=user,
            room_roles=all_roles,
            seated=len(placed),
            problems=[
                {"code": v.code, "message": v.message, "school_id": org}
                for org, vs in (result.refused | result.warnings).items()
                for v in vs
            ],
        )
        insert_rows(  # COPY on PostgreSQL: 20,000 seats as Django objects took seconds
            Seat,
            ["run", "application", "venue", "room", "seat_number", "starts_at", "ends_at"],
            (
                (run.pk, int(slot.participant_id), place_id, room_id, n, slot.start, slot.end)
                for room_id, place_id, n, slot in placed
            ),
        )
        from itog.exams.printing.services import issue_codes

        issue_codes(session, [int(slot.participant_id) for *_, slot in placed])
        result.run, result.seated = run, len(placed)
        if in_transaction is not None:
            in_transaction(result)
    return result


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
    "RegionResult",
    "TimedResult",
    "current_seats",
    "default_room_roles",
    "extended",
    "schedule_school",
    "school_applications",
    "schedule_region",
    "school_rooms",
    "seat_of",
]
