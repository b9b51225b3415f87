"""The region's interview scheduled at once from the database (schedule_region): the same slots as the
school's own run, answers only in equipped rooms, a school without one reported (I45), codes issued."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from itog.exams.models import Seat, WorkCode
from itog.exams.registration.services import register
from itog.exams.seating.timed import current_seats, schedule_region, schedule_school
from itog.orgs.models import Room
from tests.conduct.interview import MAIN, interview_session, register_ninth
from tests.exams.fixtures import student_registration

pytestmark = pytest.mark.django_db


def test_region_run_matches_the_schools_own_and_reports_the_unequipped(region):
    session = interview_session(region)
    apps = register_ninth(region, session, 4)
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
    other = register(
        student_registration(region.school2, grade=9, form="interview", personal={"document_number": "555555"}),
        session,
        region.school2,
        today=date(2026, 1, 20),
    ).application
    Room.objects.filter(place__organization=region.school2).update(audio_equipped=False)
    rooms = list(Room.objects.filter(place__organization=region.school1).order_by("number"))
    Room.objects.filter(place__organization=region.school1).update(audio_equipped=False)
    Room.objects.filter(pk__in=[rooms[0].pk, rooms[1].pk]).update(audio_equipped=True)

    own = schedule_school(session, region.school1)
    assert own.run is not None, own.violations
    own_slots = {s.application_id: (s.room_id, s.starts_at, s.ends_at) for s in current_seats(session, region.school1)}

    result = schedule_region(session)
    assert result.run is not None and result.seated == 5 and result.schools == 1
    assert [v.code for v in result.refused[region.school2.pk]] == ["I45"]
    seats = {s.application_id: (s.room_id, s.starts_at, s.ends_at) for s in current_seats(session, region.school1)}
    assert seats == own_slots  # the same deterministic schedule as the school's own run
    assert {r for r, _, _ in seats.values()} <= {rooms[0].pk, rooms[1].pk}
    start, end = seats[ovz.pk][1], seats[ovz.pk][2]
    assert (datetime.combine(MAIN, end) - datetime.combine(MAIN, start)).seconds == 45 * 60
    assert {a.pk for a in apps} | {ovz.pk} == set(seats)
    assert not Seat.objects.filter(application=other).exists()
    assert WorkCode.objects.filter(application__session=session, voided_at__isnull=True).count() == 5
    assert result.run.room_roles[str(rooms[0].pk)] == "exam"


def test_the_region_schedule_from_the_page(region, login):
    session = interview_session(region)
    register_ninth(region, session, 2)
    other = register(
        student_registration(region.school2, grade=9, form="interview", personal={"document_number": "555556"}),
        session,
        region.school2,
        today=date(2026, 1, 20),
    ).application
    Room.objects.filter(place__organization=region.school2).update(audio_equipped=False)
    url = f"/sessions/{session.pk}/interview/schedule/"
    assert login("mouo").post(url).status_code == 403  # a municipality does not schedule the region
    entry = login("rcoi").get(f"/sessions/{session.pk}/interview/").content.decode()
    assert 'id="schedule-region"' in entry
    page = login("rcoi").post(url, follow=True).content.decode()
    assert "Расписание составлено: ОО — 1, участников — 2." in page
    assert region.school2.name in page and "нет ни одной аудитории, оборудованной для аудиозаписи" in page
    assert Seat.objects.filter(run__session=session).count() == 2 and not Seat.objects.filter(application=other)


def test_the_commission_head_conducts_the_day_at_their_school(region, login, settings, tmp_path):
    """The head of school1's interview commission marks the ведомость and uploads the recording (examday:edit
    through Application.SCOPE_AS) — before, both answered 404 for want of participants:view."""
    from django.utils import timezone

    from itog.conduct.models import DayRecord, Recording
    from itog.exams.registration.services import override_session_date
    from tests.conduct.interview import room_roles, speech_wav

    settings.MEDIA_ROOT = str(tmp_path)
    session = interview_session(region)
    (a0,) = register_ninth(region, session, 1)
    schedule_school(session, region.school1, room_roles(region))
    override_session_date(session, timezone.localdate(), "проверка: день проведения")
    seat = current_seats(session, region.school1)[0]
    head = login("commission")
    room_url = f"/sessions/{session.pk}/interview/rooms/{seat.room_id}/"
    assert head.post(room_url, {"application": a0.pk, "action": "start"}).status_code == 302
    assert head.post(room_url, {"application": a0.pk, "action": "stop"}).status_code == 302
    assert DayRecord.objects.get(application=a0).state == "finished"
    from django.core.files.uploadedfile import SimpleUploadedFile

    r = head.post(
        f"/sessions/{session.pk}/interview/applications/{a0.pk}/recording/",
        {"file": SimpleUploadedFile("a.wav", speech_wav(0.1))},
    )
    assert r.status_code == 302 and Recording.objects.filter(application=a0, uploaded_by__username="commission")
