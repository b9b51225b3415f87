"""The exam day of a kind whose participants answer one after another (the interview): the ведомость учета
проведения of a room, kept as the participants' :class:`~itog.conduct.models.DayRecord` rows with start and
end times. The kind's pure statement (``session.rules.examday.new_vedomost``) decides every action
(start, stop, «Н», not finished with its reason) and its warnings (an answer under 10 or over 25 minutes,
over 55 for ОВЗ); this module loads the room's lines, asks it, and saves the one changed line.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from itog.conduct.models import DayRecord
from itog.exams.common import fmt_date
from itog.exams.models import Application, ExamSession, Seat
from itog.exams.seating.timed import extended
from itog.exams.violations import Refused, refuse_if, violation
from itog.orgs.models import Room

from ..common import local_now
from .services import session_has_works, venue_zone

ACTIONS = ("start", "stop", "absent", "not_finished")


def room_seats(session: ExamSession, room: Room) -> list[Seat]:
    """The room's participants in schedule order (the latest run that seats anyone in this room)."""
    seats = (
        Seat.objects.filter(run__session=session, room=room)
        .select_related("application__participant", "venue")
        .prefetch_related("application__participant__documents")
        .order_by("-run__created_at", "-run_id", "starts_at")
    )
    run_id = seats[0].run_id if seats else None
    return sorted((s for s in seats if s.run_id == run_id), key=lambda s: (s.starts_at, s.seat_number))


def statement(session: ExamSession, room: Room):
    """(the kind's Vedomost with the saved lines, seats by application id, records by application id)."""
    day = session.rules.examday
    seats = room_seats(session, room)
    people = [
        day.Person(
            id=str(s.application_id),
            full_name=s.application.participant.full_name,
            extended=extended(s.application),
            planned_start=s.starts_at.strftime("%H:%M") if s.starts_at else "",
        )
        for s in seats
    ]
    ved = day.new_vedomost(f"ауд. {room.number}", people)
    records = {r.application_id: r for r in DayRecord.objects.filter(application__in=[s.application_id for s in seats])}
    zone = ZoneInfo(venue_zone(seats[0].venue)) if seats else None

    def local(dt):  # the ведомость shows the venue's clock
        return dt.astimezone(zone) if dt is not None and zone is not None else dt

    for app_id, r in records.items():
        line = ved.lines.get(str(app_id))
        if line is not None:
            ved.lines[str(app_id)] = replace(
                line,
                state=day.DayState(r.state),
                started_at=local(r.started_at),
                ended_at=local(r.ended_at),
                reason=r.reason,
            )
    return ved, {s.application_id: s for s in seats}, records


@transaction.atomic
def answer_action(
    session: ExamSession,
    room: Room,
    application: Application,
    action: str,
    user,
    reason: str = "",
    now: datetime | None = None,
) -> list:
    """One action of the собеседник in the room's ведомость; returns the warnings; refused (nothing saved)
    on an error of the rules, before the exam day, or once the answers went to checking."""
    if action not in ACTIONS:
        raise Refused("Неизвестное действие.")
    ved, seats, records = statement(session, room)
    seat = seats.get(application.pk)
    if seat is None:
        raise Refused([violation("I59", participant=application.participant.full_name)])
    now = now or timezone.now()
    if local_now(venue_zone(seat.venue), now).date() < session.date:
        raise Refused([violation("X30", date=fmt_date(session.date))])
    if session_has_works(session):
        raise Refused([violation("X31")])
    pid = str(application.pk)
    if action == "start":
        problems = ved.start(pid, now)
    elif action == "stop":
        problems = ved.stop(pid, now)
    elif action == "absent":
        problems = ved.mark_absent(pid, reason)
    else:
        problems = ved.mark_not_finished(pid, now, reason)
    refuse_if(problems)
    line = ved.lines[pid]
    rec = records.get(application.pk) or DayRecord(application=application, venue=seat.venue, room=seat.room)
    rec.state, rec.started_at, rec.ended_at, rec.reason = line.state.value, line.started_at, line.ended_at, line.reason
    rec.valid_reason_document = rec.valid_reason_document or ""
    rec.recorded_by = user
    rec._history_user = user
    rec.save()
    return [v for v in problems if not v.is_error]
