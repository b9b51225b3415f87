"""The interview in the demo: this academic year's dates for the demo region, the 9th-graders of the demo
school («school» login) registered and scheduled by rooms; last year's main date at the same school taken
through the exam day (ведомость учета проведения), with synthesised recordings (one of them silent, so it is
flagged for re-recording), protocols entered twice, results published. Everything goes through the same
services the pages use; idempotent (a second run adds nothing).
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model

from itog.conduct.checking.protocols import criteria, enter_protocol, make_works
from itog.conduct.examday.statement import answer_action
from itog.conduct.models import Work
from itog.conduct.recordings.services import upload
from itog.conduct.results.services import mark_processed, publish
from itog.exams.common import academic_year_label, academic_year_of
from itog.exams.models import Application
from itog.exams.registration.services import Registration, ensure_sessions, register
from itog.exams.seating.timed import current_seats, schedule_school, school_rooms
from itog.orgs.models import Organization
from itog.people.models import PERSONAL_FIELDS, Student

KIND = "interview"
DEMO_MINUTES = 11  # each synthesised answer (a real one is about 15 minutes; shorter keeps the demo small)
SAMPLE_RATE = 8000


def _demo_school(region: Organization) -> Organization | None:
    user = get_user_model().objects.filter(username="school").first()
    m = user.memberships.filter(role="oo_operator").first() if user else None
    return m.organization if m else None


def _register(session, school, students, today) -> list[Application]:
    deadline = session.rules.calendar.session_deadlines(session.date)["registration"]
    on = min(today, deadline)
    apps = []
    for s in students:
        personal = {f: getattr(s, f) for f in PERSONAL_FIELDS}
        docs = {"pmpk"} if s.health_category == "ovz" else {"disability"} if s.health_category else set()
        reg = Registration(
            personal=personal,
            category="student",
            school=school,
            grade=9,
            class_letter=s.class_letter,
            form=KIND,
            conditions=set(),
            other_conditions="",
            documents=docs,
            medical_indications=False,
            consent_signed_on=on - timedelta(days=3),
            pamyatka_ack=True,
            student_id=s.pk,
        )
        result = register(reg, session, school, today=on)
        if result.application:
            apps.append(result.application)
    return apps


def _equip(school) -> None:
    """The demo school's first two rooms are equipped for audio recording (as the generator marks them; a demo
    database built before the flag existed gets it here), so the kind's default roles apply."""
    from itog.orgs.models import Room

    rooms = school_rooms(school)
    if rooms and not any(r.audio_equipped for r in rooms):
        Room.objects.filter(pk__in=[r.pk for r in rooms[:2]]).update(audio_equipped=True)


def _commission(session, school) -> None:
    """The school's commission (formed by the school): one person per role, the собеседник and the эксперт apart."""
    from itog.exams.commissions.services import create_commission
    from itog.exams.models import CommissionMember
    from itog.orgs.models import Place
    from itog.people.models import Employee

    venue = Place.objects.filter(organization=school).first()
    people = list(Employee.objects.filter(organization=school).order_by("pk")[:5])
    if venue is None or len(people) < 5:
        return
    commission = create_commission(
        session, "conduct", school, venue, school, order_number="12-о", order_date=session.date - timedelta(days=20)
    )
    for person, role in zip(people, ("responsible", "organizer", "interlocutor", "expert", "tech_specialist")):
        CommissionMember.objects.create(commission=commission, employee=person, role=role, trained=True)


def _conduct(session, school, progress) -> None:
    """Last year's day at the school: answers in the scheduled order, one absence, recordings, protocols."""
    User = get_user_model()
    user = User.objects.filter(username="school").first()
    synth = session.rules.recordings.synth
    tz = ZoneInfo(school.time_zone)
    seats = list(current_seats(session, school))
    cs = criteria(session)
    for n, seat in enumerate(seats):
        app = seat.application
        start = datetime.combine(session.date, seat.starts_at, tzinfo=tz)
        if n == len(seats) - 1:
            answer_action(
                session, seat.room, app, "absent", user, reason="болезнь (справка)", now=start + timedelta(minutes=1)
            )
            continue
        answer_action(session, seat.room, app, "start", user, now=start)
        answer_action(session, seat.room, app, "stop", user, now=start + timedelta(minutes=DEMO_MINUTES))
        if n < 4:  # a few recordings; the fourth is silent (the microphone was off): flagged
            samples = (
                synth.silence(DEMO_MINUTES * 60, sr=SAMPLE_RATE)
                if n == 3
                else synth.speech_like(DEMO_MINUTES * 60, sr=SAMPLE_RATE, seed=n)
            )
            upload(app, synth.encode(samples, "wav", sr=SAMPLE_RATE), f"ответ-{n + 1}.wav", user)
    make_works(session, user, school)
    for n, work in enumerate(Work.objects.filter(session=session).order_by("pk")):
        marks = {c.key: c.max for c in cs.criteria}
        if n % 4 == 2:  # a «незачет»: reading and retelling only
            marks = {c.key: (c.max if c.block in ("1", "2") and not c.literacy else 0) for c in cs.criteria}
        checked = datetime.combine(session.date, time(17, 0), tzinfo=tz)  # checked on the day (D+5 at the latest)
        enter_protocol(work, user, marks, 1, now=checked)
        enter_protocol(work, user, marks, 2, now=checked)
    progress(f"  собеседование {session.date:%d.%m.%Y}: {len(seats)} участников, записи и протоколы")


def load_demo_interview(region: Organization, today: date, progress=print) -> None:
    school = _demo_school(region)
    if school is None:
        return
    _equip(school)
    roles = len(school_rooms(school)) >= 4  # two recording rooms, the waiting and the finished room
    ninth = list(Student.objects.filter(school=school, grade=9, participant__isnull=True).order_by("pk"))
    this_year = academic_year_label(academic_year_of(today))
    last_year = academic_year_label(int(this_year[:4]) - 1)
    # last year's main date, through the day and published
    past = ensure_sessions(region, last_year, kind=KIND)[0]
    if not Application.objects.filter(session=past).exists() and roles and len(ninth) >= 6:
        _register(past, school, ninth[:6], today)
        _commission(past, school)
        schedule_school(past, school)  # the kind's default roles from «оборудована для аудиозаписи»
        _conduct(past, school, progress)
        mark_processed(past, None, today=past.date + timedelta(days=6))
        publish(past, None, today=past.date + timedelta(days=12))
    # this year's dates, the school's 9th-graders registered and scheduled
    current = ensure_sessions(region, this_year, kind=KIND)[0]
    if not Application.objects.filter(session=current).exists():
        ninth = list(Student.objects.filter(school=school, grade=9, participant__isnull=True).order_by("pk"))
        apps = _register(current, school, ninth[:12], today)
        if roles and apps:
            _commission(current, school)
            schedule_school(current, school)
        progress(f"  собеседование {current.date:%d.%m.%Y}: зарегистрировано {len(apps)}, расписание составлено")
