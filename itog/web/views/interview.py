"""Pages of a timed oral exam (the interview) at a school: the schedule by rooms, the room's ведомость учета
проведения on a tablet, recordings (upload with the checks; playback logged), the protocol entered twice,
printable forms. The shared pages (participants, registration, results, the lookup) serve the interview as
they serve the essay; these pages are those the essay has no counterpart for.

Every record is read through the scoping layer (``scoped_get``/``for_user``): another school's or
municipality's records are 404; a change also needs the permission in the record's organization.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from itog.accounts.scope import grants_of, has_perm, may_in, scoped_get
from itog.audit.services import record_export
from itog.conduct.checking.protocols import criteria, enter_protocol, make_works
from itog.conduct.common import log_refusal
from itog.conduct.examday.kim import kim_available_from, kim_for
from itog.conduct.examday.statement import answer_action, statement
from itog.conduct.models import DayRecord, Recording, RecordingSpan, RoomRecording, Work
from itog.conduct.recordings import services as rec_services
from itog.exams.models import Application, ExamSession
from itog.exams.printing import timed as docs
from itog.exams.seating.jobs import start_region_schedule
from itog.exams.seating.timed import (
    current_seats,
    default_room_roles,
    schedule_school,
    school_applications,
    school_rooms,
)
from itog.exams.violations import Refused
from itog.orgs.models import Organization, Room

from ..access import requires
from ..security import download_name

ROOM_ROLES = [
    ("", "не используется"),
    ("exam", "аудитория проведения (с аудиозаписью)"),
    ("waiting", "помещение для ожидания"),
    ("finished", "помещение для завершивших"),
]


def _session(request, pk) -> ExamSession:
    session = scoped_get(ExamSession, request.user, pk=pk)
    if "timed_day" not in session.rules.pages:  # a kind without timed answers has the essay's pages
        raise Http404("Страница относится к итоговому собеседованию")
    return session


def _refused(request, exc: Refused, what: str, session) -> None:
    log_refusal(request, exc, what, session.region.path)
    for v in exc.violations:
        messages.error(request, v.message)


def _edit_in(request, org) -> None:
    if not may_in(request.user, "examday:edit", org):
        raise PermissionDenied("Недостаточно прав")


@requires("examday:view")
def entry(request, pk):
    """A school's user goes to their school's page; others pick a school in their scope."""
    session = _session(request, pk)
    schools = (
        Organization.objects.for_user(request.user)
        .filter(kind="school", is_active=True)
        .filter(
            pk__in=Application.objects.for_user(request.user, "examday:view")
            .filter(session=session)
            .values("participant__registration_org")
        )
        .order_by("code")
    )
    own = [g.org_id for g in grants_of(request.user) if "examday:view" in g.permissions]
    mine = schools.filter(pk__in=own).first()
    if mine is not None:
        return redirect("interview_school", pk=session.pk, org_pk=mine.pk)
    return render(
        request,
        "web/interview/schools.html",
        {
            "session": session,
            "schools": schools[:500],
            "can_schedule_region": may_in(request.user, "examday:edit", session.region),
        },
    )


@requires("examday:edit")
@require_POST
def schedule_whole_region(request, pk):
    """РЦОИ schedules every school of the region at once by the rooms' «оборудована для аудиозаписи» (a school
    the rules refuse keeps its previous schedule and is named). Only a user whose grant covers the region."""
    session = _session(request, pk)
    if not may_in(request.user, "examday:edit", session.region):
        raise PermissionDenied("Расписание всех ОО региона составляет РЦОИ")
    # a background job with progress (a region of 1,000 ОО); its page shows the outcome and links back here
    job, started = start_region_schedule(session, request.user)
    if not started:
        messages.warning(request, "Расписание всех ОО уже составляется: новое задание не запущено.")
    return redirect("job_detail", pk=job.pk)


@requires("examday:view")
def school_page(request, pk, org_pk):
    session = _session(request, pk)
    school = scoped_get(Organization, request.user, pk=org_pk)
    seats = list(current_seats(session, school))
    all_rooms = school_rooms(school)
    defaults, no_equipped = default_room_roles(session, all_rooms)
    roles = seats[0].run.room_roles if seats else {str(k): v for k, v in defaults.items()}
    rooms = [(r, roles.get(str(r.pk), "")) for r in all_rooms]
    by_room: dict = {}
    for s in seats:
        by_room.setdefault(s.room, []).append(s)
    works = {
        w.application_id: w
        for w in Work.objects.for_user(request.user).filter(
            session=session, application__participant__registration_org=school
        )
    }
    recordings: dict = {}
    for r in Recording.objects.for_user(request.user).filter(
        session=session, application__participant__registration_org=school
    ):
        recordings.setdefault(r.application_id, r)
    for sp in (
        RecordingSpan.objects.for_user(request.user)
        .filter(room_recording__session=session, application__participant__registration_org=school)
        .order_by("-room_recording__uploaded_at", "-pk")
    ):
        recordings.setdefault(sp.application_id, sp)  # the latest file of the participant, either kind
    records = {
        r.application_id: r
        for r in DayRecord.objects.for_user(request.user).filter(
            application__session=session, application__participant__registration_org=school
        )
    }
    apps = list(school_applications(session, school))
    rows = [(a, records.get(a.pk), recordings.get(a.pk), works.get(a.pk)) for a in apps]
    return render(
        request,
        "web/interview/school.html",
        {
            "session": session,
            "school": school,
            "rooms": rooms,
            "room_roles": ROOM_ROLES,
            "no_equipped": no_equipped,  # I45: the school has no room equipped for audio recording
            "by_room": by_room,
            "rows": rows,
            "can_edit": may_in(request.user, "examday:edit", school),
            "deadline": session.rules.checking.delivery_deadline(session.date),
        },
    )


@requires("examday:edit")
@require_POST
def schedule(request, pk, org_pk):
    session = _session(request, pk)
    school = scoped_get(Organization, request.user, pk=org_pk)
    _edit_in(request, school)
    roles = {}
    for room in school_rooms(school):
        value = request.POST.get(f"room{room.pk}", "")
        if value in dict(ROOM_ROLES):
            roles[room.pk] = value
    result = schedule_school(session, school, roles, request.user)
    if result.run is None:
        _refused(request, Refused([v for v in result.violations if v.is_error]), "Расписание собеседования", session)
    else:
        messages.success(request, f"Расписание составлено: {result.run.seated} участников.")
    return redirect("interview_school", pk=session.pk, org_pk=school.pk)


@requires("examday:view")
def room_page(request, pk, room_pk):
    session = _session(request, pk)
    room = scoped_get(Room.objects.select_related("place__organization"), request.user, pk=room_pk)
    school = room.place.organization
    can_edit = may_in(request.user, "examday:edit", school)
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Недостаточно прав")
        app = scoped_get(
            Application, request.user, "examday:edit", pk=request.POST.get("application") or 0, session=session
        )
        try:
            warnings = answer_action(
                session,
                room,
                app,
                request.POST.get("action", ""),
                request.user,
                reason=request.POST.get("reason", "")[:300],
            )
            for w in warnings:
                messages.warning(request, w.message)
            messages.success(request, "Отметка сохранена.")
        except Refused as exc:
            _refused(request, exc, f"Ведомость учета проведения, ауд. {room.number}", session)
        return redirect("interview_room", pk=session.pk, room_pk=room.pk)
    ved, seats, _ = statement(session, room)
    lines = [(seats[int(pid)], line) for pid, line in ved.lines.items()]
    files = list(
        RoomRecording.objects.for_user(request.user)
        .filter(session=session, room=room)
        .prefetch_related("spans__application__participant")
    )
    return render(
        request,
        "web/interview/room.html",
        {
            "session": session,
            "room": room,
            "school": school,
            "lines": lines,
            "can_edit": can_edit,
            "counts": ved.counts(),
            "files": files,
        },
    )


def _local_start(session, room, text: str):
    """«ЧЧ:ММ[:СС]» on the venue's clock on the session's day → an aware datetime (None when empty)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from itog.conduct.examday.services import venue_zone

    text = text.strip()
    if not text:
        return None
    for fmt in ("%H:%M:%S", "%H:%M"):
        try:
            t = datetime.strptime(text, fmt).time()
        except ValueError:
            continue
        return datetime.combine(session.date, t, tzinfo=ZoneInfo(venue_zone(room.place)))
    raise Refused("Время начала записи укажите как ЧЧ:ММ или ЧЧ:ММ:СС (по часам ОО).")


@requires("examday:edit")
@require_POST
def upload_room_recording(request, pk, room_pk):
    """One file for the room and day; the answers are cut by the ведомость's times."""
    session = _session(request, pk)
    room = scoped_get(Room.objects.select_related("place__organization"), request.user, pk=room_pk)
    _edit_in(request, room.place.organization)
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, "Выберите файл аудиозаписи аудитории.")
        return redirect("interview_room", pk=session.pk, room_pk=room.pk)
    try:
        rec_services.check_size(session, f.size)  # before anything is read
        started = _local_start(session, room, request.POST.get("started_at", "")[:20])
        rec = rec_services.upload_room(session, room, f.read(), f.name, request.user, started)
        flagged = [sp for sp in rec.spans.select_related("application__participant") if sp.flagged]
        for p in rec.problems:
            messages.warning(request, p["message"])
        for sp in flagged:
            for p in sp.problems:
                messages.warning(request, p["message"])
        if not flagged and not rec.flagged:
            messages.success(request, f"Запись аудитории загружена и проверена: участков ответа {rec.spans.count()}.")
    except Refused as exc:
        _refused(request, exc, f"Аудиозапись аудитории {room.number}", session)
    return redirect("interview_room", pk=session.pk, room_pk=room.pk)


@requires("examday:edit")
@require_POST
def upload_recording(request, pk, app_pk):
    session = _session(request, pk)
    # the exam day's staff of the school (its commission head included) reach its participants as the exam
    # day's records (Application.SCOPE_AS), without the right to the participants' list
    app = scoped_get(
        Application.objects.select_related("participant__registration_org"),
        request.user,
        "examday:edit",
        pk=app_pk,
        session=session,
    )
    school = app.participant.registration_org
    _edit_in(request, school)
    f = request.FILES.get("file")
    if f is None:
        messages.error(request, "Выберите файл аудиозаписи.")
        return redirect("interview_school", pk=session.pk, org_pk=school.pk)
    try:
        rec_services.check_size(session, f.size)  # before anything is read
        rec = rec_services.upload(app, f.read(), f.name, request.user)
        if rec.flagged:
            for p in rec.problems:
                messages.warning(request, p["message"])
        else:
            messages.success(request, "Аудиозапись загружена и проверена.")
    except Refused as exc:
        _refused(request, exc, f"Аудиозапись, участник {app.registration_number}", session)
    return redirect("interview_school", pk=session.pk, org_pk=school.pk)


def _recording_in_scope(user, pk) -> Recording:
    """Those who see the day's records in the school's scope, or the expert whose work it is."""
    if has_perm(user, "examday:view"):
        rec = Recording.objects.for_user(user).select_related("application").filter(pk=pk).first()
        if rec is not None:
            return rec
    if has_perm(user, "works:mark"):  # through the expert's own work: the recording of its participant
        work = Work.objects.for_user(user).filter(application__recordings__pk=pk).select_related("application").first()
        if work is not None:
            return work.application.recordings.select_related("application").get(pk=pk)
    raise Http404("Запись не найдена")


@requires()
def recording_audio(request, rec_pk):
    rec = _recording_in_scope(request.user, rec_pk)
    rec_services.log_playback(request, rec)
    types = {"wav": "audio/wav", "mp3": "audio/mpeg", "ogg": "audio/ogg", "flac": "audio/flac"}
    response = FileResponse(rec.file.open("rb"), content_type=types.get(rec.format, "application/octet-stream"))
    response["Cache-Control"] = "private, no-store"
    return response


def _span_in_scope(user, pk) -> RecordingSpan:
    """As :func:`_recording_in_scope`: the school's day staff, or the expert whose work it is."""
    related = ("room_recording__session", "application")
    if has_perm(user, "examday:view"):
        span = RecordingSpan.objects.for_user(user).select_related(*related).filter(pk=pk).first()
        if span is not None:
            return span
    if has_perm(user, "works:mark"):
        work = Work.objects.for_user(user).filter(application__recording_spans__pk=pk).first()
        if work is not None:
            return work.application.recording_spans.select_related(*related).get(pk=pk)
    raise Http404("Запись не найдена")


@requires()
def span_audio(request, span_pk):
    """One participant's answer from a room's file, cut on the server: the rest of the file (other
    participants' answers) never leaves it. Logged as personal data."""
    span = _span_in_scope(request.user, span_pk)
    data = rec_services.span_audio(span)
    rec_services.log_playback(request, span)
    response = HttpResponse(data, content_type="audio/wav")
    response["Cache-Control"] = "private, no-store"
    return response


@requires("works:view")
def protocol(request, pk):
    work = scoped_get(
        Work.objects.select_related("session", "application__participant__registration_org"), request.user, pk=pk
    )
    session = work.session
    if "timed_day" not in session.rules.pages:
        raise Http404("Страница относится к итоговому собеседованию")
    school = work.application.participant.registration_org
    tech = may_in(request.user, "examday:edit", school)
    expert = has_perm(request.user, "works:mark") and work.expert is not None and work.expert.user_id == request.user.pk
    cs = criteria(session)
    if request.method == "POST":
        entry = 2 if request.POST.get("entry") == "2" else 1
        if not (tech or (expert and entry == 1)):
            raise PermissionDenied("Недостаточно прав")
        marks = {c.key: request.POST.get(f"m_{c.key}", "") for c in cs.criteria}
        try:
            mismatch = enter_protocol(work, request.user, marks, entry)
            if mismatch:
                for m in mismatch:
                    messages.error(request, m)
            else:
                messages.success(request, "Протокол сохранен." if entry == 1 else "Второй ввод совпал с первым.")
        except Refused as exc:
            _refused(request, exc, f"Протокол эксперта, код {work.code}", session)
        return redirect("interview_protocol", pk=work.pk)
    work.refresh_from_db()
    # the work is in the user's scope, so is its participant's recording (a file of its own or a room's span)
    recording = work.application.recordings.first()
    span = None if recording else work.application.recording_spans.order_by("-room_recording__uploaded_at").first()
    return render(
        request,
        "web/interview/protocol.html",
        {
            "work": work,
            "session": session,
            "school": school,
            "criteria": cs,
            "can_first": tech or expert,
            "can_second": tech,
            "recording": recording,
            "span": span,
        },
    )


@requires("examday:view")
def kim(request, pk, org_pk):
    """The КИМ for the school's commission: from 07:30 of the interview day on the school's clock (V77, J6,
    seed 002 row 6); before, the page says when (the refusal is logged)."""
    session = _session(request, pk)
    school = scoped_get(Organization, request.user, pk=org_pk)
    view, refusal = None, None
    try:
        view = kim_for(session, school)
    except Refused as exc:
        log_refusal(request, exc, f"КИМ итогового собеседования ({school.display_name})", session.region.path)
        refusal = exc
    return render(
        request,
        "web/interview/kim.html",
        {
            "session": session,
            "school": school,
            "kim": view,
            "refusal": refusal,
            "available_from": kim_available_from(session, school),
        },
    )


@requires("examday:edit")
@require_POST
def hand_to_checking(request, pk, org_pk):
    session = _session(request, pk)
    school = scoped_get(Organization, request.user, pk=org_pk)
    _edit_in(request, school)
    n = make_works(session, request.user, school)
    messages.success(request, f"Передано на проверку ответов: {n}.")
    return redirect("interview_school", pk=session.pk, org_pk=school.pk)


DOCS = {
    "lists": ("Списки участников по аудиториям", lambda s, o, fmt: docs.room_lists(s, o)),
    "protocols": ("Протоколы экспертов", lambda s, o, fmt: docs.protocols(s, o, fmt)),
    "final": ("Итоговая ведомость", lambda s, o, fmt: docs.final_statement(s, o, fmt)),
}


@requires("examday:view")
def document(request, pk, org_pk, name, fmt):
    session = _session(request, pk)
    school = scoped_get(Organization, request.user, pk=org_pk)
    if name not in DOCS or fmt not in ("pdf", "xlsx") or (name == "lists" and fmt == "xlsx"):
        raise Http404("Нет такой формы")
    title, make = DOCS[name]
    data = make(session, school, fmt)
    record_export(request, f"{title} ({school.display_name})", rows=1, personal_data=True, fmt=fmt)
    types = {"pdf": "application/pdf", "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    response = HttpResponse(data, content_type=types[fmt])
    download_name(response, f"interview-{name}-{session.date:%Y%m%d}.{fmt}")
    return response


@requires("examday:view")
def room_statement_pdf(request, pk, room_pk):
    session = _session(request, pk)
    room = scoped_get(Room.objects.select_related("place__organization"), request.user, pk=room_pk)
    data = docs.vedomost(session, room.place.organization, room)
    record_export(request, f"Ведомость учета проведения, ауд. {room.number}", rows=1, personal_data=True, fmt="pdf")
    response = HttpResponse(data, content_type="application/pdf")
    download_name(response, f"vedomost-{room.number}-{session.date:%Y%m%d}.pdf")
    return response
