"""The interview end to end on the shared services: registration by its rules, the schedule by rooms, the
ведомость учета проведения, recordings with their checks, the protocol entered twice, results, the lookup,
storage. Each step asserts the interview's rule (codes I…) and the shared record it leaves."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from itog.conduct.checking.protocols import criteria, enter_protocol, make_works
from itog.conduct.examday.statement import answer_action, statement
from itog.conduct.models import DayRecord, Recording, StorageItem, Work, WorkStatus
from itog.conduct.recordings.services import check_size, upload
from itog.conduct.results.services import lookup_result, mark_processed, publish
from itog.exams.models import WorkCode
from itog.exams.registration.services import register
from itog.exams.seating.timed import current_seats, schedule_school
from itog.exams.violations import Refused
from tests.conduct.interview import (
    MAIN,
    at,
    interview_session,
    register_ninth,
    room_roles,
    silent_wav,
    speech_wav,
)
from tests.exams.fixtures import student_registration

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(region, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    session = interview_session(region)
    apps = register_ninth(region, session, 3)
    return session, apps


def test_sessions_come_from_the_interviews_calendar(region):
    from itog.exams.registration.services import ensure_sessions

    dates = [s.date for s in ensure_sessions(region.ministry, "2025/26", kind="interview")]
    assert dates == [date(2026, 2, 11), date(2026, 3, 11), date(2026, 4, 20)]


def test_registration_by_the_interviews_rules(region, story):
    session, apps = story
    assert apps[0].form == "interview" and apps[0].application_form == "app1"
    eleventh = register(
        student_registration(region.school1, grade=11, form="interview", personal={"document_number": "111111"}),
        session,
        region.school1,
        today=date(2026, 1, 20),
    )
    assert [v.code for v in eleventh.violations] == ["I11"]
    late = register(
        student_registration(region.school1, grade=9, form="interview", personal={"document_number": "222222"}),
        session,
        region.school1,
        today=date(2026, 2, 1),
    )
    assert [v.code for v in late.violations] == ["I12"]  # two weeks before: 28.01.2026
    ovz = register(
        student_registration(
            region.school1, grade=9, form="interview", personal={"document_number": "333333", "health_category": "ovz"}
        ),
        session,
        region.school1,
        today=date(2026, 1, 20),
    )
    assert [v.code for v in ovz.violations] == ["I14"]  # the ПМПК recommendations are required


def test_schedule_by_rooms_with_codes_and_extended_slots(region, story):
    session, apps = story
    ovz = register(
        student_registration(
            region.school1,
            grade=9,
            form="interview",
            documents={"pmpk"},
            personal={"document_number": "444444", "health_category": "ovz"},
        ),
        session,
        region.school1,
        today=date(2026, 1, 20),
    ).application
    result = schedule_school(session, region.school1, room_roles(region))
    assert result.run is not None, result.violations
    seats = list(current_seats(session, region.school1))
    assert {s.application_id for s in seats} == {a.pk for a in apps} | {ovz.pk}
    minutes = {
        s.application_id: (datetime.combine(MAIN, s.ends_at) - datetime.combine(MAIN, s.starts_at)).seconds // 60
        for s in seats
    }
    assert minutes[ovz.pk] == 45 and minutes[apps[0].pk] == 15  # +30 minutes for ОВЗ (Порядок ГИА-9)
    assert WorkCode.objects.filter(application__session=session).count() == 4
    no_waiting = {k: v for k, v in room_roles(region).items() if v != "waiting"}
    refused = schedule_school(session, region.school1, no_waiting)
    assert refused.run is None and "I41" in [v.code for v in refused.violations]


def test_the_day_recordings_protocols_results(region, story):
    """The interview's artefacts (J12): the answers of the ведомость, the participants' recordings, the experts'
    protocols entered twice and the results."""
    session, apps = story
    rcoi, school = region.user("rcoi"), region.user("school")
    schedule_school(session, region.school1, room_roles(region))
    seats = {s.application_id: s for s in current_seats(session, region.school1)}
    a0, a1, a2 = apps
    room = seats[a0.pk].room
    with pytest.raises(Refused, match="не ранее дня проведения"):
        answer_action(session, room, a0, "start", school, now=at(9, 0, MAIN - timedelta(days=1)))
    assert answer_action(session, seats[a0.pk].room, a0, "start", school, now=at(9, 0)) == []
    with pytest.raises(Refused) as err:  # one answer at a time in a room
        other = next(a for a in apps[1:] if seats[a.pk].room == room)
        answer_action(session, room, other, "start", school, now=at(9, 1))
    assert err.value.violations[0].code == "I57"
    assert answer_action(session, room, a0, "stop", school, now=at(9, 15)) == []
    r1, r2 = seats[a1.pk].room, seats[a2.pk].room
    answer_action(session, r1, a1, "start", school, now=at(9, 20))
    warnings = answer_action(session, r1, a1, "stop", school, now=at(9, 25))
    assert [w.code for w in warnings] == ["I50"]  # under 10 minutes: a warning, saved
    assert answer_action(session, r2, a2, "absent", school, reason="болезнь", now=at(9, 30)) == []
    with pytest.raises(Refused) as err:  # «Н» and a start do not go together
        answer_action(session, r2, a2, "start", school, now=at(9, 31))
    assert err.value.violations[0].code == "I56"
    assert DayRecord.objects.get(application=a2).reason == "болезнь"
    rec0 = DayRecord.objects.get(application=a0)
    assert rec0.state == "finished" and (rec0.ended_at - rec0.started_at) == timedelta(minutes=15)
    ved, _, _ = statement(session, room)
    assert ved.lines[str(a0.pk)].state == "finished"

    good = upload(a0, speech_wav(15), "a0.wav", school)
    assert not good.flagged and good.file.name.endswith(".wav") and good.sha256
    with pytest.raises(Refused) as err:
        upload(a0, speech_wav(15), "copy.wav", school)
    assert err.value.violations[0].code == "I65"  # the same file again
    silent = upload(a1, silent_wav(5), "a1.wav", school)
    assert silent.flagged and "I63" in [p["code"] for p in silent.problems]
    with pytest.raises(Refused) as err:
        upload(a2, speech_wav(1), "a2.wav", school)
    assert err.value.violations[0].code == "I92"  # absent: no answer was recorded
    with pytest.raises(Refused) as err:
        check_size(session, 10**10)
    assert err.value.violations[0].code == "I67"
    with pytest.raises(Refused) as err:
        upload(a0, b"RIFF\x00\x00\x00\x00WAVEjunk", "bad.wav", school)
    assert err.value.violations[0].code in ("I60", "I61")

    assert make_works(session, rcoi) == 2  # the finished answers; the absent one is not checked
    w0, w1 = Work.objects.get(application=a0), Work.objects.get(application=a1)
    cs = criteria(session)
    full = {c.key: c.max for c in cs.criteria}
    with pytest.raises(Refused) as err:
        enter_protocol(w0, school, {**full, "2.П1": 5}, 1, now=at(16, 0))
    assert err.value.violations[0].code == "I70"
    enter_protocol(w0, school, full, 1, now=at(16, 0))
    second = dict(full, **{"3.М1": 0})
    assert enter_protocol(w0, school, second, 2, now=at(16, 0))  # a mismatch blocks
    w0.refresh_from_db()
    assert w0.status == WorkStatus.BLOCKED and not w0.result
    assert enter_protocol(w0, school, full, 2, now=at(16, 0)) == []
    w0.refresh_from_db()
    assert w0.status == WorkStatus.TRANSFERRED and w0.result == "зачет"
    assert w0.expert_requirements["total"] == 20
    low = {c.key: 0 for c in cs.criteria}
    low.update({"1.ИЧ": 1, "1.ТЧ": 1, "2.П1": 2})
    enter_protocol(w1, school, low, 1, now=at(16, 0))
    enter_protocol(w1, school, low, 2, now=at(16, 0))
    w1.refresh_from_db()
    assert w1.result == "незачет" and w1.expert_requirements["total"] == 4

    mark_processed(session, rcoi)
    results_day = publish(session, rcoi, today=MAIN + timedelta(days=10))
    assert results_day == MAIN + timedelta(days=11)
    answer = lookup_result(w0.code, a0.participant.document_number)
    assert answer.found and answer.result == "зачет" and answer.title.startswith("Итоговое собеседование")
    assert answer.recheck_until is None
    assert not lookup_result(w0.code, "000000").found

    # analytics: the interview's criteria by points — failed by whoever got 0 on it (issue 14)
    from itog.analytics.models import CriterionFact, ResultFact
    from itog.analytics.refresh import refresh_session

    refresh_session(session, "test")
    by_code: dict[str, list[int]] = {}
    for code, failed, n in CriterionFact.objects.filter(fact__session=session).values_list("code", "failed", "checked"):
        by_code.setdefault(code, [0, 0])
        by_code[code][0] += failed
        by_code[code][1] += n
    assert set(by_code) == {c.key for c in cs.criteria}
    assert by_code["1.ИЧ"] == [0, 2] and by_code["3.М1"] == [1, 2] and by_code["2.П1"] == [0, 2]
    facts = ResultFact.objects.filter(session=session)
    assert sum(f.passed for f in facts) == 1 and sum(f.failed for f in facts) == 1
    kept = set(StorageItem.objects.filter(session=session).values_list("kind", flat=True))
    assert kept == {"recording", "protocol", "statement"}
    assert Recording.objects.filter(session=session).count() == 2

    # printable forms, parsed back
    import io

    import openpyxl
    import pdfplumber

    from itog.exams.printing import timed as docs

    def pdf_text(data: bytes) -> str:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            return "\n".join(page.extract_text() or "" for page in pdf.pages)

    lists = pdf_text(docs.room_lists(session, region.school1))
    assert a0.participant.last_name in lists and "Помещение для ожидания" in lists
    ved = pdf_text(docs.vedomost(session, region.school1, room))
    assert a0.participant.last_name in ved and "09:00" in ved
    assert a0.participant.last_name in pdf_text(docs.protocols(session, region.school1))
    final = pdf_text(docs.final_statement(session, region.school1))
    assert "неявка" in final and "незачет" in final
    wb = openpyxl.load_workbook(io.BytesIO(docs.final_statement(session, region.school1, "xlsx")))
    cells = [str(c) for row in wb.active.iter_rows(values_only=True) for c in row if c is not None]
    assert "зачет" in cells and any(a1.participant.last_name in c for c in cells)


def test_commission_formed_after_two_weeks_before_is_refused_its_order(region, story):
    """Seed 002 row 2 (J2; K.3 V76 = the interview's I30): the commission is formed not later than two weeks before
    the interview — an approving order dated later is refused with the date; dated in time, the order is made."""
    from itog.exams.commissions.services import check_commission, create_commission, order_docx
    from itog.exams.models import CommissionMember
    from itog.people.models import Employee

    session, _ = story
    venue = region.school1.places.filter(kind="venue").first()
    deadline = session.date - timedelta(days=14)
    commission = create_commission(
        session, "conduct", region.school1, venue, region.school1, "5", deadline + timedelta(days=1)
    )
    staff = list(Employee.objects.filter(organization=region.school1)[:5])
    for employee, role in zip(staff, ["responsible", "organizer", "interlocutor", "expert", "tech_specialist"]):
        CommissionMember.objects.create(commission=commission, employee=employee, role=role, trained=True)
    found = [v for v in check_commission(commission) if v.code == "I30"]
    assert [v.message for v in found] == [
        f"Комиссия по проведению и проверке формируется образовательной организацией не позднее "
        f"{deadline:%d.%m.%Y} (за две недели до итогового собеседования)."
    ]
    with pytest.raises(Refused) as exc:
        order_docx(commission)
    assert "I30" in [v.code for v in exc.value.violations]
    commission.order_date = deadline
    commission.save()
    assert not [v for v in check_commission(commission) if v.code == "I30"]
