"""Printing a session's kits and room forms (D−1, п. 7.11.1, 7.11.4) as a background job. What is the
kind's (the session digit of the work code, its title) comes from ``session.rules``."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from itog.blanks.codes import make_code
from itog.blanks.kits import render_kits_parallel
from itog.blanks.render import KitParticipant, KitRoom, render_kits, render_room_forms
from itog.exams.common import fmt_date
from itog.exams.violations import Refused, violation
from itog.jobs.runner import job, progress

from itog.exams.models import ExamSession, Seat, SeatingRun, WorkCode

REGION_CODE = int(os.environ.get("ITOG_REGION_CODE", "99"))  # the region's number in work codes
PARALLEL_FROM = 3000  # participants; smaller jobs render in one process


PrintRefused = Refused  # the one refusal; the old name kept for its callers


def session_code(session: ExamSession) -> int:
    """Two digits of the work code for the session: year digit + the kind's session digit (the essay:
    01.12 → 61, 02 → 62, 04 → 63)."""
    return (int(session.academic_year[:4]) % 10) * 10 + session.rules.blanks.session_index(session.date)


def latest_seating(session: ExamSession) -> SeatingRun:
    run = session.seatings.first()
    if run is None or run.seated == 0:
        raise Refused([violation("X54")])
    return run


@transaction.atomic
def issue_codes(session: ExamSession, application_ids: list[int]) -> dict[int, str]:
    """A code per application (kept if already issued and not voided)."""
    ExamSession.objects.select_for_update().filter(pk=session.pk).first()
    existing = {w.application_id: w.code for w in WorkCode.objects.filter(application_id__in=application_ids,
                                                                          voided_at__isnull=True)}
    code_prefix = f"{REGION_CODE:02d}{session_code(session):02d}"
    serial = WorkCode.objects.filter(code__startswith=code_prefix).aggregate(m=Max("serial"))["m"] or 0
    new = []
    for app_id in application_ids:
        if app_id not in existing:
            serial += 1
            code = make_code(REGION_CODE, session_code(session), serial)
            new.append(WorkCode(application_id=app_id, code=code, serial=serial))
            existing[app_id] = code
    WorkCode.objects.bulk_create(new, batch_size=2000)
    return existing


def check_printing_day(session: ExamSession, today) -> list:
    """V31 (п. 7.11.1(1), 7.11.4(1), B27): the kits (blanks and report forms) are printed «не позднее, чем за
    день до проведения». On the exam day itself a short blank is not copied either (V32: each blank carries a
    unique work code) — an additional blank is issued with a new code through :func:`void_and_reissue`, which
    is not limited to D−1. The procedure allows no later printing of the kits, so there is no override."""
    check = getattr(session.rules.seating, "check_blank_printing", None)
    if check is None:
        return []
    return [v for v in check(today, session.date) if v.code == "V31"]


@transaction.atomic
def void_and_reissue(work_code: WorkCode, reason: str, user=None) -> WorkCode:
    """A spoiled blank: the old code is voided (kept in history), a new one is issued, and the participant's
    work (if the works are already made) follows the new code — in one transaction."""
    from itog.conduct.models import Work

    if not reason.strip():
        raise Refused([violation("X55", field="reason")])
    work_code.voided_at = timezone.now()
    work_code.void_reason = reason.strip()
    work_code._history_user = user
    work_code.save()
    session = work_code.application.session
    code = issue_codes(session, [work_code.application_id])[work_code.application_id]
    for work in Work.objects.filter(application_id=work_code.application_id):
        work.work_code_id = code
        work._history_user = user
        work._change_reason = f"Код {work_code.code} аннулирован, выдан {code}"
        work.save(update_fields=["work_code"])
    return WorkCode.objects.get(code=code)


def kit_participants(session: ExamSession, venue_id: int | None = None) -> list[tuple[Seat, KitParticipant]]:
    run = latest_seating(session)
    seats = (Seat.objects.filter(run=run).select_related("application__participant", "venue", "room",
                                                         "application__participant__school")
             .order_by("venue__organization__code", "room__number", "seat_number"))
    if venue_id:
        seats = seats.filter(venue_id=venue_id)
    seats = list(seats)
    codes = issue_codes(session, [s.application_id for s in seats])
    out = []
    for s in seats:
        p = s.application.participant
        out.append((s, KitParticipant(
            work_code=codes[s.application_id], last_name=p.last_name, first_name=p.first_name,
            middle_name=p.middle_name, document_series=p.document_series, document_number=p.document_number,
            school_name=p.school.display_name if p.school else p.school_name,
            class_name=f"{p.grade or ''}{p.class_letter}", venue_name=s.venue.name, room_number=s.room.number,
            session_date=session.date, form=s.application.form)))
    return out


@job("print-kits")
def print_kits(current, session_id: int, venue_id: int | None = None):
    session = ExamSession.objects.get(pk=session_id)
    pairs = kit_participants(session, venue_id)
    total = len(pairs)
    progress(current, 0, total + 1, "Подготовка")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive, \
            tempfile.TemporaryDirectory() as tmp:
        kits = [kp for _, kp in pairs]
        if total >= PARALLEL_FROM:
            parts = render_kits_parallel(kits, tmp, progress=lambda n: progress(current, n, message="Комплекты"))
        else:
            path = Path(tmp) / "kits-0001.pdf"
            with open(path, "wb") as pdf:
                render_kits(kits, pdf, progress=lambda n: progress(current, n, message="Комплекты"))
            parts = [path]
        for part in parts:
            archive.write(part, f"комплекты/{part.name}")
        archive.writestr("списки-по-аудиториям.pdf", room_lists_pdf(session, [seat for seat, _ in pairs]))
        by_room = defaultdict(list)
        for seat, kp in pairs:
            by_room[(seat.venue, seat.room)].append(kp)
        for (venue, room), kps in by_room.items():
            forms = io.BytesIO()
            render_room_forms(KitRoom(venue_name=venue.name, room_number=room.number, session_date=session.date,
                                      venue_code=venue.code), kps, forms)
            archive.writestr(f"формы/{venue.code or venue.pk}-ауд{room.number}-ИС-05-08-09.pdf", forms.getvalue())
    progress(current, total + 1, total + 1, "Готово")
    name = f"печать-{session.date:%Y%m%d}" + (f"-место{venue_id}" if venue_id else "-регион") + ".zip"
    return name, buffer.getvalue()


def room_lists_pdf(session: ExamSession, seats: list[Seat]) -> bytes:
    """Списки по аудиториям (для организаторов) и общий список на дверь места проведения."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import (
        PageBreak,
        Paragraph,
        SimpleDocTemplate,
        Spacer,
        Table,
        TableStyle,
    )

    from itog.blanks.render import FONT, FONT_BOLD, register_fonts

    register_fonts()
    title = ParagraphStyle("t", fontName=FONT_BOLD, fontSize=13, leading=16, spaceAfter=6)
    normal = ParagraphStyle("n", fontName=FONT, fontSize=10, leading=12)
    style = TableStyle([("FONT", (0, 0), (-1, -1), FONT, 10), ("FONT", (0, 0), (-1, 0), FONT_BOLD, 10),
                        ("GRID", (0, 0), (-1, -1), 0.4, "#555555"), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("REPEATROWS", (0, 0), (-1, 0), 1)])
    story = []
    by_venue = defaultdict(lambda: defaultdict(list))
    for seat in seats:
        by_venue[seat.venue][seat.room].append(seat)
    for venue, rooms in by_venue.items():
        door = sorted(((s.application.participant.full_name, room.number) for room, ss in rooms.items() for s in ss))
        story += [Paragraph(f"Список участников на дверь — {venue.name}", title),
                  Paragraph(f"{session.rules.title} {fmt_date(session.date)}", normal), Spacer(1, 4 * mm),
                  Table([["№", "Фамилия, имя, отчество", "Аудитория"]]
                        + [[i, name, number] for i, (name, number) in enumerate(door, start=1)],
                        colWidths=[12 * mm, 120 * mm, 30 * mm], style=style), PageBreak()]
        for room, ss in sorted(rooms.items(), key=lambda kv: kv[0].number):
            story += [Paragraph(f"Аудитория № {room.number} — {venue.name}", title),
                      Paragraph(f"{session.date:%d.%m.%Y}; мест в аудитории: {room.capacity}; участников: {len(ss)}",
                                normal), Spacer(1, 4 * mm),
                      Table([["Место", "Фамилия, имя, отчество", "Класс", "Форма"]]
                            + [[s.seat_number, s.application.participant.full_name,
                                f"{s.application.participant.grade or ''}{s.application.participant.class_letter}",
                                s.application.get_form_display()] for s in sorted(ss, key=lambda s: s.seat_number)],
                            colWidths=[16 * mm, 110 * mm, 18 * mm, 28 * mm], style=style), PageBreak()]
    out = io.BytesIO()
    SimpleDocTemplate(out, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, title="Списки по аудиториям").build(story or [Spacer(1, 1)])
    return out.getvalue()
