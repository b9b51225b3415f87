"""Printing a session's kits and room forms (D−1, п. 7.11.1, 7.11.4) as a background job. What is the
kind's (the session digit of the work code, its title) comes from ``session.rules``."""

from __future__ import annotations

import io
import os
import tempfile
import zipfile
from pathlib import Path
from typing import NamedTuple

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from itog.blanks.codes import make_code
from itog.blanks.kits import render_kits_parallel
from itog.blanks.papers import (
    ListRow,
    RoomPapers,
    VenuePapers,
    render_room_lists,
    render_venue_papers,
)
from itog.blanks.render import KitParticipant, KitRoom, render_kits
from itog.core.bulk import insert_rows
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
    live = WorkCode.objects.filter(voided_at__isnull=True)
    if len(application_ids) > 1000:  # a region's list: the session's codes, not an IN of 20,000 parameters
        wanted = set(application_ids)
        existing = {
            a: c
            for a, c in live.filter(application__session=session).values_list("application_id", "code")
            if a in wanted
        }
    else:
        existing = dict(live.filter(application_id__in=application_ids).values_list("application_id", "code"))
    s_code = session_code(session)
    code_prefix = f"{REGION_CODE:02d}{s_code:02d}"
    serial = WorkCode.objects.filter(code__startswith=code_prefix).aggregate(m=Max("serial"))["m"] or 0
    new = []
    now = timezone.now()
    for app_id in application_ids:
        if app_id not in existing:
            serial += 1
            code = make_code(REGION_CODE, s_code, serial)
            new.append((app_id, code, serial, now, ""))
            existing[app_id] = code
    # COPY on PostgreSQL (bulk_create elsewhere); like bulk_create before, no history rows for new codes
    insert_rows(WorkCode, ["application", "code", "serial", "issued_at", "void_reason"], new)
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
    rows = seats.order_by("venue__organization__code", "room__number", "seat_number").values_list(
        "venue_id",
        "venue__name",
        "venue__code",
        "room_id",
        "room__number",
        "room__capacity",
        "seat_number",
        "application_id",
        "application__form",
        f"{p}last_name",
        f"{p}first_name",
        f"{p}middle_name",
        f"{p}document_series",
        f"{p}document_number",
        f"{p}grade",
        f"{p}class_letter",
        f"{p}school_name",
        f"{p}school__short_name",
        f"{p}school__name",
    )
    rows = list(rows.iterator(chunk_size=5000))
    codes = issue_codes(session, [r[7] for r in rows])
    forms = dict(Application._meta.get_field("form").flatchoices)
    out = []
    for (
        v_id,
        v_name,
        v_code,
        r_id,
        r_number,
        r_capacity,
        seat_number,
        app_id,
        form,
        last,
        first,
        middle,
        series,
        number,
        grade,
        letter,
        school_text,
        school_short,
        school_name,
    ) in rows:
        class_name = f"{grade or ''}{letter}"
        seat = SeatRow(
            v_id,
            v_name,
            v_code,
            r_id,
            r_number,
            r_capacity,
            seat_number,
            app_id,
            " ".join(x for x in (last, first, middle) if x),
            class_name,
            str(forms.get(form, form)),
        )
        out.append(
            (
                seat,
                KitParticipant(
                    work_code=codes[app_id],
                    last_name=last,
                    first_name=first,
                    middle_name=middle,
                    document_series=series,
                    document_number=number,
                    school_name=(school_short or school_name) or school_text,
                    class_name=class_name,
                    venue_name=v_name,
                    room_number=r_number,
                    session_date=session.date,
                    form=form,
                ),
            )
        )
    return out


@job("print-kits")
def print_kits(current, session_id: int, venue_id: int | None = None):
    """The kits (PDF parts rendered by worker processes), the room lists and each room's forms, written into a
    zip file on disk part by part (never a whole archive in memory); the runner moves the file into storage."""
    session = ExamSession.objects.get(pk=session_id)
    pairs = kit_participants(session, venue_id)
    total = len(pairs)
    steps = 2 * total + 1  # kits, then lists and forms, then the archive
    progress(current, 0, steps, "Подготовка")
    fd, zip_path = tempfile.mkstemp(prefix="itog-print-", suffix=".zip")
    os.close(fd)
    try:
        with (
            zipfile.ZipFile(zip_path, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive,
            tempfile.TemporaryDirectory() as tmp,
        ):
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
            progress(current, total, message="Списки по аудиториям и формы ИС-05, ИС-08, ИС-09")
            venues = _venue_papers(session, pairs)
            del pairs
            if len(venues) == 1:  # one venue: its lists also under the plain name
                with archive.open("списки-по-аудиториям.pdf", "w", force_zip64=True) as out:
                    render_room_lists(session.rules.title, fmt_date(session.date), venues, out)
            papers = render_venue_papers(
                venues,
                session.rules.title,
                fmt_date(session.date),
                tmp,
                workers=None if total >= PARALLEL_FROM else 1,
                progress=lambda n: progress(current, total + n, message="Списки и формы ИС-05, ИС-08, ИС-09"),
            )
            for name, path in papers:
                archive.write(path, name)
                path.unlink()
    except BaseException:
        os.unlink(zip_path)
        raise
    progress(current, steps, steps, "Готово")
    name = f"печать-{session.date:%Y%m%d}" + (f"-место{venue_id}" if venue_id else "-регион") + ".zip"
    return name, Path(zip_path)


def _venue_papers(session: ExamSession, pairs: list[tuple[SeatRow, KitParticipant]]) -> list[VenuePapers]:
    venues: dict[int, VenuePapers] = {}
    rooms: dict[int, RoomPapers] = {}
    for seat, kp in pairs:
        venue = venues.get(seat.venue_id)
        if venue is None:
            venue = venues[seat.venue_id] = VenuePapers(seat.venue_name, seat.venue_code or str(seat.venue_id))
        rp = rooms.get(seat.room_id)
        if rp is None:
            rp = rooms[seat.room_id] = RoomPapers(
                KitRoom(
                    venue_name=seat.venue_name,
                    room_number=seat.room_number,
                    session_date=session.date,
                    venue_code=venue.code,
                ),
                seat.room_capacity,
            )
            venue.rooms.append(rp)
        rp.rows.append(ListRow(seat.seat_number, seat.full_name, seat.class_name, seat.form_label))
        rp.kits.append(kp)
    return list(venues.values())


def room_lists_pdf(session: ExamSession, pairs: list[tuple[SeatRow, KitParticipant]]) -> bytes:
    """Списки по аудиториям (для организаторов) и общий список на дверь места проведения."""
    out = io.BytesIO()
    render_room_lists(session.rules.title, fmt_date(session.date), _venue_papers(session, pairs), out)
    return out.getvalue()
