"""The region's interview scheduled at once from the database (schedule_region): the same slots as the
school's own run, answers only in equipped rooms, a school without one reported (I45), codes issued."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from itog.exams.models import Seat, SeatingRun, WorkCode
from itog.exams.registration.services import register
from itog.exams.seating import jobs
from itog.exams.seating.jobs import KIND, start_region_schedule
from itog.exams.seating.timed import current_seats, schedule_region, schedule_school
from itog.jobs.models import Job
from itog.jobs.runner import run_job
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


def _region_with_refused_school(region):
    session = interview_session(region)
    register_ninth(region, session, 2)
    other = register(
        student_registration(region.school2, grade=9, form="interview", personal={"document_number": "555556"}),
        session,
        region.school2,
        today=date(2026, 1, 20),
    ).application
    Room.objects.filter(place__organization=region.school2).update(audio_equipped=False)
    return session, other


def test_the_region_schedule_from_the_page(region, login, sync_jobs):
    """The button queues a job (run in the request by the sync backend): the user lands on the job page with
    the counts, the refused school named and a link back to the interview page."""
    session, other = _region_with_refused_school(region)
    url = f"/sessions/{session.pk}/interview/schedule/"
    assert login("mouo").post(url).status_code == 403  # a municipality does not schedule the region
    assert not Job.objects.filter(kind=KIND).exists()
    entry = login("rcoi").get(f"/sessions/{session.pk}/interview/").content.decode()
    assert 'id="schedule-region"' in entry
    response = login("rcoi").post(url)
    job = Job.objects.get(kind=KIND)
    assert response.status_code == 302 and response["Location"] == f"/jobs/{job.pk}/"
    assert job.status == "done" and job.organization == region.ministry
    page = login("rcoi").get(response["Location"]).content.decode()
    assert "Расписание составлено: ОО — 1, участников — 2." in page
    assert region.school2.name in page and "нет ни одной аудитории, оборудованной для аудиозаписи" in page
    assert f'href="/sessions/{session.pk}/interview/"' in page
    assert Seat.objects.filter(run__session=session).count() == 2 and not Seat.objects.filter(application=other)
    assert job.outcome["run"] == SeatingRun.objects.get(session=session).pk
    assert job.outcome["refused_count"] == 1 and job.outcome["refused"][0]["code"] == "I45"
    # a municipality's user does not see the region's job
    assert login("mouo").get(f"/jobs/{job.pk}/").status_code == 404


def test_the_job_records_progress_per_chunk_of_schools(region, settings):
    """The service reports after the reads, per chunk of schools and before the save; the job writes each
    report on its row (the page polls it)."""
    session, _ = _region_with_refused_school(region)
    calls = []
    result = schedule_region(session, on_progress=lambda *a: calls.append(a))
    assert result.run is not None
    assert calls[0][:2] == (0, 2) and "участников — 3, ОО — 2" in calls[0][2]
    assert calls[1] == (1, 2, "Составлено расписаний ОО: 1 из 2")
    assert calls[-1][:2] == (2, 2) and calls[-1][2].startswith("Сохранение расписания: ОО — 1, участников — 2")

    seen = []
    real = jobs.progress

    def spy(current, done, total=None, message=""):
        real(current, done, total, message)
        row = Job.objects.get(pk=current.pk)
        seen.append((row.done, row.total, row.message))

    job = Job.objects.create(kind=KIND, title="t", organization=region.ministry, params={"session_id": session.pk})
    from unittest import mock

    with mock.patch.object(jobs, "progress", spy):
        jobs.run_region_schedule(job, session_id=session.pk)
    assert seen[0] == (0, 0, "Чтение заявлений, документов и аудиторий")
    assert (1, 2, "Составлено расписаний ОО: 1 из 2") in seen
    assert seen[-1][:2] == (2, 2) and seen[-1][2].startswith("Сохранение расписания")
    job.refresh_from_db()
    assert job.message == "Расписание составлено" and job.outcome["seated"] == 2


def test_progress_comes_per_chunk_of_schools_not_per_school(region, monkeypatch):
    """With one report per chunk (PROGRESS_STEPS) a chunk of two schools gives no report in between."""
    from itog.exams.seating import timed

    session, _ = _region_with_refused_school(region)
    monkeypatch.setattr(timed, "PROGRESS_STEPS", 1)
    calls = []
    schedule_region(session, on_progress=lambda *a: calls.append(a))
    assert [c[:2] for c in calls] == [(0, 2), (2, 2)]


def test_a_second_start_while_one_runs_shows_the_running_job(region, login):
    """Thread backend inside the test's transaction: the job stays queued; the second POST starts nothing."""
    session, _ = _region_with_refused_school(region)
    url = f"/sessions/{session.pk}/interview/schedule/"
    first = login("rcoi").post(url)
    job = Job.objects.get(kind=KIND)
    assert job.status == "queued" and first["Location"] == f"/jobs/{job.pk}/"
    second = login("rcoi").post(url, follow=True)
    assert Job.objects.filter(kind=KIND).count() == 1
    assert second.redirect_chain[-1][0] == f"/jobs/{job.pk}/"
    assert "Расписание всех ОО уже составляется: новое задание не запущено." in second.content.decode()
    Job.objects.filter(pk=job.pk).update(status="running", lease_until=timezone.now() + timedelta(seconds=60))
    login("rcoi").post(url)  # running under a live lease: still the one job
    assert Job.objects.filter(kind=KIND).count() == 1
    Job.objects.filter(pk=job.pk).update(status="failed")  # a failed job does not block a new one
    login("rcoi").post(url)
    assert Job.objects.filter(kind=KIND).count() == 2
    # a worker gone (the lease not renewed) or a queued job lost with the demo's process does not block for ever
    Job.objects.filter(kind=KIND).update(status="running", lease_until=timezone.now() - timedelta(seconds=1))
    login("rcoi").post(url)
    assert Job.objects.filter(kind=KIND).count() == 3
    Job.objects.filter(kind=KIND).update(status="queued", lease_until=None)
    Job.objects.filter(kind=KIND).update(created_at=timezone.now() - timedelta(hours=1))
    login("rcoi").post(url)
    assert Job.objects.filter(kind=KIND).count() == 4


def test_a_redelivered_or_racing_run_schedules_once(region, sync_jobs):
    session, _ = _region_with_refused_school(region)
    job, started = start_region_schedule(session, region.user("rcoi"))
    assert started and job.status == "done"
    runs = SeatingRun.objects.filter(session=session).count()
    assert runs == 1
    # re-delivery after the commit: the claim is given back (a lost ack), the outcome is found, nothing runs
    Job.objects.filter(pk=job.pk).update(status="queued")
    assert run_job(job.pk) == "done"
    assert SeatingRun.objects.filter(session=session).count() == runs
    # a run racing the first (it read no outcome): its transaction finds the outcome written and rolls back
    job.refresh_from_db()
    stale = Job.objects.get(pk=job.pk)
    stale.outcome = None
    jobs.run_region_schedule(stale, session_id=session.pk)
    assert SeatingRun.objects.filter(session=session).count() == runs
    assert Seat.objects.filter(run__session=session).count() == 2


def test_a_user_of_another_region_gets_404(region, client):
    from django.contrib.auth import get_user_model

    from itog.accounts.models import Membership
    from itog.orgs.models import Organization

    session, _ = _region_with_refused_school(region)
    other = Organization.objects.create(kind="ministry", code="OTHER-REG", name="Министерство другого региона")
    rcoi = Organization.objects.create(kind="rcoi", code="OTHER-RCOI", name="РЦОИ другого региона", parent=other)
    user = get_user_model().objects.create_user("other_rcoi", password="x-very-long-1")
    Membership.objects.create(user=user, role="rcoi_operator", organization=rcoi)
    client.force_login(user)
    response = client.post(f"/sessions/{session.pk}/interview/schedule/")
    assert response.status_code == 404 and "Страница не найдена" in response.content.decode()
    assert not Job.objects.filter(kind=KIND).exists()


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
