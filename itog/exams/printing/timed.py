"""Printable forms of a timed kind (the interview) for one school: lists per room, the ведомость учета
проведения of a room, the experts' protocols, the итоговая ведомость (PDF) and its XLSX. The layouts are the
kind's (``session.rules.printing``); this module fills their plain values from the database."""

from __future__ import annotations

from itog.conduct.models import DayRecord, Work
from itog.exams.models import ExamSession
from itog.exams.seating.timed import current_seats, extended
from itog.orgs.models import Organization, Room


def header(session: ExamSession, school: Organization):
    p = session.rules.printing
    return p.Header(
        school=school.display_name,
        exam_date=session.date,
        region=session.region.display_name,
        session_label=session.get_stage_display(),
    )


def room_lists(session: ExamSession, school: Organization) -> bytes:
    p = session.rules.printing
    seats = list(current_seats(session, school))
    plan = p.Schedule()
    names = {}
    for s in seats:
        rid = str(s.room_id)
        names[rid] = s.room.number
        part = s.application.participant
        plan.slots.setdefault(rid, []).append(
            p.Slot(
                participant_id=str(s.application_id),
                full_name=part.full_name,
                class_label=f"{part.grade or ''}{part.class_letter}",
                room_id=rid,
                start=s.starts_at,
                end=s.ends_at,
                extended=extended(s.application),
            )
        )
    roles = seats[0].run.room_roles if seats else {}
    rooms = {str(r.pk): r for r in Room.objects.filter(pk__in=[int(k) for k in roles])}
    for rid, role in roles.items():
        if rid in rooms and role == "waiting":
            plan.waiting_room = p.Room(id=rid, name=f"ауд. {rooms[rid].number}", kind="waiting")
        if rid in rooms and role == "finished":
            plan.finished_room = p.Room(id=rid, name=f"ауд. {rooms[rid].number}", kind="finished")
    return p.room_lists_pdf(header(session, school), plan, names)


def vedomost(session: ExamSession, school: Organization, room: Room) -> bytes:
    from itog.conduct.examday.statement import statement

    ved, _, _ = statement(session, room)
    return session.rules.printing.vedomost_pdf(header(session, school), room.number, list(ved.lines.values()))


def _works(session: ExamSession, school: Organization):
    return (
        Work.objects.filter(session=session, application__participant__registration_org=school)
        .select_related("application__participant")
        .order_by("application__participant__last_name")
    )


def protocols(session: ExamSession, school: Organization, fmt: str = "pdf") -> bytes:
    p = session.rules.printing
    check = session.rules.checking
    cs = check.criteria_for(session.academic_year)
    rooms = {
        r.application_id: r.room.number
        for r in DayRecord.objects.filter(
            application__session=session, application__participant__registration_org=school
        ).select_related("room")
    }
    data = []
    for w in _works(session, school):
        if not w.expert_marks:
            continue
        part = w.application.participant
        ovz = w.expert_requirements.get("threshold", cs.pass_min) != cs.pass_min
        data.append(
            p.ProtocolData(
                participant=part.full_name,
                class_label=f"{part.grade or ''}{part.class_letter}",
                room=rooms.get(w.application_id, ""),
                marks=w.expert_marks,
                outcome=check.aggregate(cs, w.expert_marks, ovz),
            )
        )
    if fmt == "xlsx":
        return p.protocols_xlsx(header(session, school), cs, data)
    return p.protocols_pdf(header(session, school), cs, data)


def final_rows(session: ExamSession, school: Organization) -> list:
    p = session.rules.printing
    works = {w.application_id: w for w in _works(session, school)}
    out = []
    for r in (
        DayRecord.objects.filter(application__session=session, application__participant__registration_org=school)
        .select_related("application__participant")
        .order_by("application__participant__last_name")
    ):
        part, w = r.application.participant, works.get(r.application_id)
        if r.state == "absent":
            result, note = "неявка", r.reason
        elif r.state == "not_finished":
            result, note = "не завершил", r.reason
        else:
            result, note = (w.result if w and w.result else "не проверено"), ""
        total = w.expert_requirements.get("total") if w and w.result else None
        out.append(
            p.FinalRow(
                participant=part.full_name,
                class_label=f"{part.grade or ''}{part.class_letter}",
                total=total,
                result=result,
                note=note,
            )
        )
    return out


def final_statement(session: ExamSession, school: Organization, fmt: str = "pdf") -> bytes:
    p = session.rules.printing
    rows = final_rows(session, school)
    if fmt == "xlsx":
        return p.final_statement_xlsx(header(session, school), rows)
    return p.final_statement_pdf(header(session, school), rows)
