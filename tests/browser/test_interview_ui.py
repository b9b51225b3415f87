"""The interview's whole day in a real Chromium: the school registers a 9th-grader → schedules its rooms →
the собеседник records the answer in the room's ведомость (start/stop) → the room's one-file recording is uploaded
and the answer's span checked → the participant's own recording is uploaded and checked → the protocol is entered twice → РЦОИ processes and publishes → the participant sees «зачет» in the lookup."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from itog.conduct.demo import link_demo_staff
from itog.conduct.models import Work
from itog.exams.kinds.interview import synth_audio
from itog.exams.models import Application
from itog.exams.registration.services import ensure_sessions, override_session_date
from tests.conduct.interview import room_roles, speech_wav

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_interview_day_from_registration_to_lookup(page_for, live_server, live_region, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    region, url = live_region, live_server.url
    link_demo_staff(region.ministry)
    session = ensure_sessions(region.ministry, "2025/26", kind="interview")[0]
    # registration closes two weeks before: the date is put three weeks ahead for the application
    override_session_date(session, timezone.localdate() + timedelta(days=21), "Проверка в браузере")

    school = page_for("school")
    school.goto(f"{url}/sessions/{session.pk}/register/")
    assert school.locator("#id_grade").input_value() == "9"
    school.fill("#id_last_name", "Собеседова")
    school.fill("#id_first_name", "Ольга")
    school.select_option("#id_sex", "ж")
    school.fill("#id_birth_date", "2011-04-17")
    school.fill("#id_document_series", "4512")
    school.fill("#id_document_number", "556677")
    school.fill("#id_consent_signed_on", timezone.localdate().isoformat())
    school.check("#id_pamyatka_ack")
    school.click("form.grid2 button.btn-primary")
    school.wait_for_url(f"{url}/sessions/{session.pk}/")
    app = Application.objects.get(session=session, participant__document_number="556677")
    assert app.form == "interview"

    school.goto(f"{url}/sessions/{session.pk}/interview/")  # the school's own page
    roles = room_roles(region)  # the two rooms «оборудована для аудиозаписи» answer
    for room_pk, role in roles.items():
        if role == "exam":  # pre-selected from the rooms' flag
            assert school.locator(f"#room{room_pk}").input_value() == "exam"
        school.select_option(f"#room{room_pk}", role)
    school.click("#make-schedule")
    school.locator("#schedule table").first.wait_for()
    assert "Собеседова" in school.locator("#schedule").inner_text()
    screenshot(school, "interview-schedule")

    # the exam day is today
    session.refresh_from_db()
    override_session_date(session, timezone.localdate(), "Проверка в браузере: день проведения")
    school.locator("a.room-link").first.click()
    line = school.locator(f"#line-{app.pk}")
    line.locator("button[value=start]").click()
    school.locator(f"#line-{app.pk} button[value=stop]").click()
    school.locator(f"#line-{app.pk} td.state", has_text="завершил").wait_for()
    assert "меньше 10 мин" in school.content()  # an answer of 0 minutes: the warning, saved anyway
    screenshot(school, "interview-vedomost")

    # one file for the room and day: the answer's span is cut by the ведомость's times (start not given:
    # the first answer's start) and checked; playback is the span cut on the server
    room_file = synth_audio.encode(synth_audio.speech_like(60, seed=11), "wav")
    school.set_input_files("#room-file", files=[{"name": "room.wav", "mimeType": "audio/wav", "buffer": room_file}])
    school.click("#room-upload-button")
    school.locator(f"#span-{app.pk} .recording-ok").wait_for()
    assert school.locator(f"#span-{app.pk} audio").get_attribute("src").startswith("/recordings/spans/")

    school.goto(f"{url}/sessions/{session.pk}/interview/")
    school.set_input_files(
        f"#file{app.pk}", files=[{"name": "answer.wav", "mimeType": "audio/wav", "buffer": speech_wav(1)}]
    )
    school.locator(f"#answer-{app.pk} button", has_text="Загрузить").click()
    school.locator(f"#answer-{app.pk} .recording-ok").wait_for()
    school.click("#hand-to-checking")
    school.locator(f"#answer-{app.pk} a.protocol-link").click()
    inputs = school.locator("input.mark-input")
    for i in range(inputs.count()):
        inputs.nth(i).fill(inputs.nth(i).get_attribute("max"))
    school.click("#entry1")
    school.locator("#work-status", has_text="проверена экспертом").wait_for()
    for i in range(inputs.count()):
        inputs.nth(i).fill(inputs.nth(i).get_attribute("max"))
    school.click("#entry2")
    school.locator("#work-result").wait_for()
    assert "«зачет»" in school.locator("#work-result").inner_text()
    screenshot(school, "interview-protocol")

    rcoi = page_for("rcoi")
    rcoi.goto(f"{url}/sessions/{session.pk}/results/")
    rcoi.click("#mark-processed")
    rcoi.click("#publish")
    work = Work.objects.get(application=app)
    session.refresh_from_db()
    assert session.published_at is not None
    session.results_date = timezone.localdate()  # the participant's results day has come
    session.save()

    visitor = page_for("participant")
    visitor.goto(f"{url}/results/")
    visitor.fill("#code", work.code)
    visitor.fill("#document", "556677")
    visitor.click("#lookup-form button")
    visitor.locator("#lookup-result").wait_for()
    assert "«зачет»" in visitor.locator("#lookup-result").inner_text()
    assert "собеседование" in visitor.locator("#lookup-answer").inner_text().lower()
    screenshot(visitor, "interview-lookup")


def test_the_region_schedule_runs_as_a_job_with_its_page(page_for, live_server, live_region):
    """РЦОИ starts the region's schedule: the button lands on the job page (the embedded thread backend runs
    it), the page polls until the counts show, and its link leads back to the interview page."""
    from itog.exams.models import Seat
    from tests.conduct.interview import interview_session, register_ninth

    region, url = live_region, live_server.url
    session = interview_session(region)
    register_ninth(region, session, 2)
    rcoi = page_for("rcoi")
    rcoi.goto(f"{url}/sessions/{session.pk}/interview/")
    rcoi.click("#schedule-region button")
    rcoi.wait_for_url(f"{url}/jobs/*/")
    rcoi.locator("#schedule-outcome").wait_for(timeout=60_000)
    assert "Расписание составлено: ОО — 1, участников — 2." in rcoi.locator("#schedule-outcome").inner_text()
    assert rcoi.locator("#job-status").inner_text() == "завершено"
    assert Seat.objects.filter(run__session=session).count() == 2
    screenshot(rcoi, "interview-region-schedule-job")
    rcoi.click("#job-back")
    rcoi.wait_for_url(f"{url}/sessions/{session.pk}/interview/")
