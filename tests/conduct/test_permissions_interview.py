"""Role × scope matrix for the interview's pages (one story built once): a record of another school or
municipality → 404; a role without the permission → 403; the pages that change something are POSTed."""

from __future__ import annotations

from django.core.files.base import ContentFile

from itog.conduct.checking.protocols import make_works
from itog.conduct.examday.statement import answer_action
from itog.conduct.models import Recording, RecordingSpan, RoomRecording, Work
from itog.exams.seating.timed import current_seats, schedule_school
from itog.people.models import Employee
from tests.conduct.interview import at, interview_session, register_ninth, room_roles
from tests.web.test_permissions import ROLES

REGION = {"minobr": 200, "inspector": 200, "rcoi": 200}
S1 = dict(REGION, mouo=200, mouo2=404, school=200, school2=404)
S1_EDIT = {"rcoi": 302, "mouo": 302, "mouo2": 404, "school": 302, "school2": 404}


def expect(default: int, **by_role: int) -> dict[str, int]:
    return {role: by_role.get(role, default) for role in ROLES}


INTERVIEW_PAGES = [
    (
        "interview_entry",
        "/sessions/{sess}/interview/",
        expect(403, **REGION, mouo=200, mouo2=200, school=302, school2=302, commission=302),
    ),
    ("interview_school", "/sessions/{sess}/interview/{s1}/", expect(403, **S1, commission=200)),
    # the whole region's schedule: only a grant covering the region (РЦОИ); a МОУО or school may not
    (
        "interview_schedule_region",
        "/sessions/{sess}/interview/schedule/",
        expect(403, rcoi=302),
    ),
    # the region schedule's job page (the job belongs to the region): region-wide roles only
    ("job_detail schedule", "/jobs/{sched_job}/", expect(403, **REGION, mouo=404, mouo2=404, school=404, school2=404)),
    (
        "interview_school s2",
        "/sessions/{sess}/interview/{s2}/",
        expect(403, **REGION, mouo=404, mouo2=200, school=404, school2=200, commission=404),
    ),
    # the school's commission head (school1) conducts the day at their school
    ("interview_schedule", "/sessions/{sess}/interview/{s1}/schedule/", expect(403, **S1_EDIT, commission=302)),
    ("interview_hand_to_checking", "/sessions/{sess}/interview/{s1}/checking/", expect(403, **S1_EDIT, commission=302)),
    ("interview_kim", "/sessions/{sess}/interview/{s1}/kim/", expect(403, **S1, commission=200)),
    (
        "interview_kim s2",
        "/sessions/{sess}/interview/{s2}/kim/",
        expect(403, **REGION, mouo=404, mouo2=200, school=404, school2=200, commission=404),
    ),
    ("interview_document", "/sessions/{sess}/interview/{s1}/final.pdf", expect(403, **S1, commission=200)),
    ("interview_document xlsx", "/sessions/{sess}/interview/{s1}/protocols.xlsx", expect(403, **S1, commission=200)),
    ("interview_room", "/sessions/{sess}/interview/rooms/{room1}/", expect(403, **S1, commission=200)),
    (
        "interview_room s2",
        "/sessions/{sess}/interview/rooms/{room2}/",
        expect(403, **REGION, mouo=404, mouo2=200, school=404, school2=200, commission=404),
    ),
    ("interview_room_pdf", "/sessions/{sess}/interview/rooms/{room1}/vedomost.pdf", expect(403, **S1, commission=200)),
    # the commission head of school1 uploads its recordings (examday:edit through Application.SCOPE_AS)
    (
        "interview_upload",
        "/sessions/{sess}/interview/applications/{app1}/recording/",
        expect(403, **S1_EDIT, commission=302),
    ),
    (
        "interview_upload s2",
        "/sessions/{sess}/interview/applications/{app2}/recording/",
        expect(403, rcoi=302, mouo=404, mouo2=302, school=404, school2=302, commission=404),
    ),
    (
        "interview_room_upload",
        "/sessions/{sess}/interview/rooms/{room1}/recording/",
        expect(403, **S1_EDIT, commission=302),
    ),
    (
        "interview_room_upload s2",
        "/sessions/{sess}/interview/rooms/{room2}/recording/",
        expect(403, rcoi=302, mouo=404, mouo2=302, school=404, school2=302, commission=404),
    ),
    ("recording_audio", "/recordings/{rec1}/audio", expect(404, **S1, expert=200, commission=200)),
    ("span_audio", "/recordings/spans/{span1}/audio", expect(404, **S1, expert=200, commission=200)),
    ("interview_protocol", "/works/{w1}/protocol/", expect(403, **S1, expert=200, authorized=404)),
]
POST_PAGES = {
    "interview_schedule",
    "interview_schedule_region",
    "interview_hand_to_checking",
    "interview_upload",
    "interview_room_upload",
}


def _story(region):
    from itog.conduct.demo import link_demo_staff
    from tests.conduct.interview import speech_wav

    link_demo_staff(region.ministry)
    session = interview_session(region)
    a0, _ = register_ninth(region, session, 2)
    schedule_school(session, region.school1, room_roles(region))
    seat = {s.application_id: s for s in current_seats(session, region.school1)}[a0.pk]
    school = region.user("school")
    answer_action(session, seat.room, a0, "start", school, now=at(9, 0))
    answer_action(session, seat.room, a0, "stop", school, now=at(9, 15))
    rec = Recording(session=session, application=a0, sha256="0" * 64, size=10, format="wav", duration_s=900)
    rec.file.save("x", ContentFile(speech_wav(0.05)), save=False)
    rec.save()
    room_file = RoomRecording(
        session=session, room=seat.room, sha256="1" * 64, size=10, format="wav", duration_s=3, started_at=at(9, 0)
    )
    room_file.file.save("y", ContentFile(speech_wav(0.05)), save=False)
    room_file.save()
    span = RecordingSpan.objects.create(room_recording=room_file, application=a0, start_s=0, end_s=2)
    make_works(session, school)
    w1 = Work.objects.get(application=a0)
    w1.expert = Employee.objects.get(user=region.user("expert"))  # the school3 expert checks it
    w1.save()
    from itog.orgs.models import Room

    other = register_school2(region, session)
    from itog.exams.seating.jobs import KIND
    from itog.jobs.models import Job

    sched_job = Job.objects.create(
        kind=KIND,
        title="Расписание собеседования всех ОО",
        organization=region.ministry,
        created_by=region.user("rcoi"),
        params={"session_id": session.pk},
    )
    return {
        "sched_job": sched_job.pk,
        "app2": other.pk,
        "span1": span.pk,
        "sess": session.pk,
        "s1": region.school1.pk,
        "s2": region.school2.pk,
        "room1": seat.room_id,
        "room2": Room.objects.filter(place__organization=region.school2).first().pk,
        "app1": a0.pk,
        "rec1": rec.pk,
        "w1": w1.pk,
    }


def register_school2(region, session):
    """A participant of school2 (another municipality) registered for the session."""
    from datetime import date

    from itog.exams.registration.services import register
    from tests.exams.fixtures import student_registration

    reg = student_registration(
        region.school2,
        grade=9,
        form="interview",
        consent_signed_on=date(2026, 1, 10),
        personal={"last_name": "Другая", "document_number": "920001", "birth_date": date(2011, 3, 1)},
    )
    result = register(reg, session, region.school2, today=date(2026, 1, 20))
    assert result.application, result.violations
    return result.application


def test_a_commission_head_of_another_school_gets_404(region, client, settings, tmp_path):
    """The head of school2's interview commission reaches school2's day, never school1's records."""
    from itog.accounts.models import Membership
    from itog.people.models import Employee  # noqa: F401 - the demo staff are linked in _story

    settings.MEDIA_ROOT = str(tmp_path)
    ids = _story(region)
    head2 = type(region.user("commission")).objects.create_user("head2", password="x")
    Membership.objects.create(user=head2, role="commission_head", organization=region.school2)
    client.force_login(head2)
    for url in (
        "/sessions/{sess}/interview/{s1}/",
        "/sessions/{sess}/interview/rooms/{room1}/",
        "/recordings/{rec1}/audio",
        "/recordings/spans/{span1}/audio",
    ):
        assert client.get(url.format(**ids)).status_code == 404, url
    for url in (
        "/sessions/{sess}/interview/applications/{app1}/recording/",
        "/sessions/{sess}/interview/rooms/{room1}/recording/",
        "/sessions/{sess}/interview/{s1}/schedule/",
    ):
        assert client.post(url.format(**ids), {}).status_code == 404, url
    # their own school's participant: the upload answers (no file chosen → back to the page)
    assert client.post("/sessions/{sess}/interview/applications/{app2}/recording/".format(**ids)).status_code == 302
    assert client.get("/sessions/{sess}/interview/{s2}/".format(**ids)).status_code == 200


def test_interview_pages_matrix(region, login, settings, tmp_path):
    from django.test import Client

    settings.MEDIA_ROOT = str(tmp_path)
    client = Client()
    ids = _story(region)
    failures = []
    for name, url, expected in INTERVIEW_PAGES:
        url = url.format(**ids)
        key = name.split(" ")[0]
        anonymous = client.post(url, {}) if key in POST_PAGES else client.get(url)
        if anonymous.status_code != 302 or not anonymous["Location"].startswith("/login/"):
            failures.append(f"anonymous {url}: {anonymous.status_code}")
        for role in ROLES:
            c = login(role)
            response = c.post(url, {}) if key in POST_PAGES else c.get(url)
            if response.status_code != expected[role]:
                failures.append(f"{role} {url}: {response.status_code} != {expected[role]}")
            elif response.status_code == 404 and "Страница не найдена" not in response.content.decode():
                failures.append(f"{role} {url}: the 404 page is not the generic one")
    assert not failures, "\n".join(failures)


def test_a_refusal_no_page_caught_is_the_rules_sentence(region, rf):
    """A stage the interview does not have, reached by an essay-shaped page, answers with the I90 sentence
    (409), never a server error (itog.web.errors.RefusedMiddleware)."""
    from django.contrib.auth.models import AnonymousUser

    from itog.exams.violations import Refused
    from itog.web.errors import RefusedMiddleware

    session = interview_session(region)
    request = rf.get("/")
    request.user = AnonymousUser()
    try:
        session.rules.examday.release_at(session.date, "Europe/Moscow", "interview")
    except Refused as exc:
        response = RefusedMiddleware(lambda r: None).process_exception(request, exc)
    assert response.status_code == 409
    assert "В итоговом собеседовании нет этапа «выдача тем и бланков»" in response.content.decode()
    assert RefusedMiddleware(lambda r: None).process_exception(request, ValueError()) is None
