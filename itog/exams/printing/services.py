"""Printing a session's kits and room forms (D−1, п. 7.11.1, 7.11.4) as a background job. What is the
kind's (the session digit of the work code, its title) comes from ``session.rules``."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path
from typing import BinaryIO, NamedTuple

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from itog.blanks.codes import make_code
from itog.blanks.kits import render_kits_parallel
from itog.blanks.render import KitParticipant, KitRoom, render_kits, render_room_forms
from itog.exams.common import fmt_date
from itog.exams.models import Application, ExamSession, Seat, SeatingRun, WorkCode
from itog.exams.violations import Refused, violation
from itog.jobs.runner import job, progress

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


class SeatRow(NamedTuple):
    """What printing needs of a seat: plain values, not model instances (75,000 seats with their
    participant, venue, room and school as Django objects took over 1 GiB in the print job)."""

    venue_id: int
    venue_name: str
    venue_code: str
    room_id: int
    room_number: str
    room_capacity: int
    seat_number: int
    application_id: int
    full_name: str
    class_name: str
    form_label: str


def kit_participants(session: ExamSession, venue_id: int | None = None) -> list[tuple[SeatRow, KitParticipant]]:
    run = latest_seating(session)
    seats = Seat.objects.filter(run=run)
    if venue_id:
        seats = seats.filter(venue_id=venue_id)
    p = "application__participant__"
    rows = (seats.order_by("venue__organization__code", "room__number", "seat_number")
            .values_list("venue_id", "venue__name", "venue__code", "room_id", "room__number", "room__capacity",
                         "seat_number", "application_id", "application__form", f"{p}last_name", f"{p}first_name",
                         f"{p}middle_name", f"{p}document_series", f"{p}document_number", f"{p}grade",
                         f"{p}class_letter", f"{p}school_name", f"{p}school__short_name", f"{p}school__name"))
    rows = list(rows.iterator(chunk_size=5000))
    codes = issue_codes(session, [r[7] for r in rows])
    forms = dict(Application._meta.get_field("form").flatchoices)
    out = []
    for (v_id, v_name, v_code, r_id, r_number, r_capacity, seat_number, app_id, form, last, first, middle, series,
         number, grade, letter, school_text, school_short, school_name) in rows:
        class_name = f"{grade or ''}{letter}"
        seat = SeatRow(v_id, v_name, v_code, r_id, r_number, r_capacity, seat_number, app_id,
                       " ".join(x for x in (last, first, middle) if x), class_name, str(forms.get(form, form)))
        out.append((seat, KitParticipant(
            work_code=codes[app_id], last_name=last, first_name=first, middle_name=middle, document_series=series,
            document_number=number, school_name=(school_short or school_name) or school_text,
            class_name=class_name, venue_name=v_name, room_number=r_number, session_date=session.date, form=form)))
    return out


@job("print-kits")
def print_kits(current, session_id: int, venue_id: int | None = None):
    """The kits (PDF parts rendered by worker processes), the room lists and each room's forms, written into a
    zip file on disk part by part (never a whole archive in memory); the runner moves the file into storage."""
    session = ExamSession.objects.get(pk=session_id)
    pairs = kit_participants(session, venue_id)
    total = len(pairs)
    progress(current, 0, total + 1, "Подготовка")
    fd, zip_path = tempfile.mkstemp(prefix="itog-print-", suffix=".zip")
    os.close(fd)
    try:
        with zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive, \
                tempfile.TemporaryDirectory() as tmp:
            kits = [kp for _, kp in pairs]
            if total >= PARALLEL_FROM:
                parts = render_kits_parallel(kits, tmp, progress=lambda n: progress(current, n, message="Комплекты"))
            else:
                path = Path(tmp) / "kits-0001.pdf"
                with open(path, "wb") as pdf:
                    render_kits(kits, pdf, progress=lambda n: progress(current, n, message="Комплекты"))
                parts = [path]
            del kits
            for part in parts:
                archive.write(part, f"комплекты/{part.name}")
                part.unlink()  # written into the archive: free the disk
            progress(current, total, message="Списки по аудиториям")
            with archive.open("списки-по-аудиториям.pdf", "w", force_zip64=True) as out:
                room_lists_pdf(session, [seat for seat, _ in pairs], out)
            by_room: dict[tuple, list[KitParticipant]] = defaultdict(list)
            for seat, kp in pairs:
                by_room[(seat.venue_name, seat.venue_code or seat.venue_id, seat.room_number)].append(kp)
            del pairs
            progress(current, total, message="Формы ИС-05, ИС-08, ИС-09")
            for (venue_name, venue_code, room_number), kps in by_room.items():
                with archive.open(f"формы/{venue_code}-ауд{room_number}-ИС-05-08-09.pdf", "w") as forms:
                    render_room_forms(KitRoom(venue_name=venue_name, room_number=room_number,
                                              session_date=session.date, venue_code=str(venue_code)), kps, forms)
    except BaseException:
        os.unlink(zip_path)
        raise
    progress(current, total + 1, total + 1, "Готово")
    name = f"печать-{session.date:%Y%m%d}" + (f"-место{venue_id}" if venue_id else "-регион") + ".zip"
    return name, Path(zip_path)


def room_lists_pdf(session: ExamSession, seats: list[SeatRow], out: BinaryIO | None = None) -> bytes | None:
    """Списки по аудиториям (для организаторов) и общий список на дверь места проведения; written to ``out``
    when given (else returned)."""
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
    by_venue: dict = defaultdict(lambda: defaultdict(list))
    for seat in seats:
        by_venue[(seat.venue_id, seat.venue_name)][(seat.room_id, seat.room_number, seat.room_capacity)].append(seat)
    for (_venue_id, venue_name), rooms in by_venue.items():
        door = sorted(((s.full_name, room[1]) for room, ss in rooms.items() for s in ss))
        story += [Paragraph(f"Список участников на дверь — {venue_name}", title),
                  Paragraph(f"{session.rules.title} {fmt_date(session.date)}", normal), Spacer(1, 4 * mm),
                  Table([["№", "Фамилия, имя, отчество", "Аудитория"]]
                        + [[i, name, number] for i, (name, number) in enumerate(door, start=1)],
                        colWidths=[12 * mm, 120 * mm, 30 * mm], style=style), PageBreak()]
        for (_room_id, room_number, capacity), ss in sorted(rooms.items(), key=lambda kv: kv[0][1]):
            story += [Paragraph(f"Аудитория № {room_number} — {venue_name}", title),
                      Paragraph(f"{session.date:%d.%m.%Y}; мест в аудитории: {capacity}; участников: {len(ss)}",
                                normal), Spacer(1, 4 * mm),
                      Table([["Место", "Фамилия, имя, отчество", "Класс", "Форма"]]
                            + [[s.seat_number, s.full_name, s.class_name, s.form_label]
                               for s in sorted(ss, key=lambda s: s.seat_number)],
                            colWidths=[16 * mm, 110 * mm, 18 * mm, 28 * mm], style=style), PageBreak()]
    target = out if out is not None else io.BytesIO()
    SimpleDocTemplate(target, pagesize=A4, leftMargin=15 * mm, rightMargin=15 * mm, topMargin=15 * mm,
                      bottomMargin=15 * mm, title="Списки по аудиториям").build(story or [Spacer(1, 1)])
    return None if out is not None else target.getvalue()
