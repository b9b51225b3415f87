"""The whole second half of the essay in a real Chromium: seat → exam-day marks → the expert checks →
the transfer with a deliberate mismatch caught → publish → the participant looks the result up → the school
files a re-check application on the results day before 18:00 local time (п. 8.2.1)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from itog.conduct.demo import checking_commissions
from itog.conduct.models import DayRecord, RecheckCase, Work
from itog.exams.demo import make_conduct_commissions
from itog.exams.models import Application, CommissionMember, WorkCode
from itog.exams.printing import issue_codes
from itog.exams.registration.services import override_session_date
from itog.exams.seating.services import region_today
from itog.orgs.kinds import RUSSIAN_TIME_ZONES
from itog.people.models import Employee
from tests.conduct.fixtures import add_staff, finished_session, sessions

from .conftest import screenshot

pytestmark = pytest.mark.browser


def _zone_before_1700() -> str:
    """A Russian zone where it is now before 17:00 (there always is one: the zones span ten hours)."""
    now = timezone.now()
    return next(z for z, _ in RUSSIAN_TIME_ZONES if now.astimezone(ZoneInfo(z)).hour < 17)


def _story(region):
    """Last year's main date with our student's «незачет», and the additional date moved to today with that
    student registered (re-admission, п. 10); the demo expert is the only expert of that date."""
    main = finished_session(region)
    work = (
        Work.objects.filter(session=main, application__participant__registration_org=region.school1)
        .select_related("application__participant")
        .first()
    )
    work.result = "незачет"
    work.save()
    participant = work.application.participant
    additional = sessions(region)[1]
    # Seated on D−1 (п. 7.11.1(2), V33); the test moves the date to today after the seating.
    override_session_date(additional, region_today(additional) + timedelta(days=1), "Проверка всего пути в браузере")
    Application.objects.create(
        participant=participant,
        session=additional,
        form="essay",
        application_form="app1",
        pamyatka_ack=True,
        status="submitted_rcoi",
        registration_number="BR-1",
    )
    add_staff(region)
    make_conduct_commissions(region.ministry, additional)
    checking_commissions(region.ministry, additional)
    expert = Employee.objects.get(user=region.user("expert"))
    CommissionMember.objects.filter(commission__session=additional, role="expert").exclude(employee=expert).delete()
    if not CommissionMember.objects.filter(commission__session=additional, employee=expert).exists():
        c = CommissionMember.objects.filter(commission__session=additional).first().commission
        CommissionMember.objects.create(commission=c, employee=expert, role="expert")
    return additional, participant


def _marks(page, values: dict):
    for code, value in values.items():
        page.check(f"input[name={code}][value={value}]")


def test_seat_mark_check_transfer_publish_lookup_recheck(page_for, browser, live_server, live_region):
    region = live_region
    session, participant = _story(region)
    url = live_server.url

    rcoi = page_for("rcoi")
    rcoi.goto(f"{url}/sessions/{session.pk}/seating/")
    rcoi.click("#run-seating")
    rcoi.locator("#seating-rooms").wait_for()
    override_session_date(session, region_today(session), "Проверка всего пути в браузере: день проведения")
    app = Application.objects.get(session=session, participant=participant)
    issue_codes(session, [app.pk])  # the kits are printed (tested in tests/exams/test_printing.py)
    code = WorkCode.objects.get(application=app).code

    school = page_for("school")
    school.goto(f"{url}/sessions/{session.pk}/day/")
    school.locator("#rooms a", has_text="Открыть ведомость").first.click()
    row = school.locator(f"#row-{app.pk}")
    row.locator("select[name$=state]").select_option("finished")
    row.locator("input[name$=is05_signed]").check()
    row.locator("input[name$=blanks_used]").fill("2")
    row.locator("button", has_text="Сохранить").click()
    school.locator(f"#row-{app.pk} >> text=Сохранено").wait_for()
    assert DayRecord.objects.get(application=app).state == "finished"
    screenshot(school, "essay-day-room-register")

    # п. 8.1.3 (V55): the experts are briefed (30 minutes, in a checking place with video) before assignment.
    from datetime import time as _time

    from itog.conduct.checking.services import record_expert_briefing
    from itog.exams.models import Commission
    from itog.orgs.models import Place

    place = Place.objects.filter(kind="checking").first()
    place.has_video = True
    place.save()
    for c in Commission.objects.filter(session=session, kind="check"):
        record_expert_briefing(session, c, place, session.date, _time(9, 0), _time(9, 30), region.user("rcoi"))
    rcoi.goto(f"{url}/sessions/{session.pk}/checking/")
    rcoi.click("#assign")
    rcoi.locator(".msg-success", has_text="Назначено работ: 1").wait_for()

    expert = page_for("expert")
    expert.click("nav >> text=Работы на проверку")
    expert.locator("#my-works tr", has_text=code).locator("text=Проверить").click()
    expert.wait_for_url("**/works/*/check/")
    assert participant.last_name not in expert.locator("main").inner_text()
    _marks(
        expert,
        {"T1": "зачет", "T2": "зачет", "K1": "зачет", "K2": "незачет", "K3": "зачет", "K4": "зачет", "K5": "зачет"},
    )
    assert expert.locator("#overall-preview").inner_text() == "незачет"
    screenshot(expert, "essay-expert-screen")
    expert.click("#submit-marks")
    expert.locator("#confirm-marks-panel").wait_for()  # one-time submission: confirm first (п. 8.1.4)
    assert expert.locator("#confirm-overall").inner_text() == "незачет"
    assert Work.objects.get(work_code=code).checked_at is None
    expert.click("#confirm-marks")
    expert.locator(".msg-success", has_text="«незачет»").wait_for()
    assert expert.locator("#submitted-overall").inner_text() == "незачет"  # the submitted marks stay visible

    transfer = page_for("transfer")
    transfer.goto(f"{url}/sessions/{session.pk}/transfer/")
    transfer.locator("#transfer-works tr", has_text=code).locator("text=Внести оценки").click()
    _marks(
        transfer,
        {"T1": "зачет", "T2": "зачет", "K1": "зачет", "K2": "зачет", "K3": "зачет", "K4": "зачет", "K5": "зачет"},
    )  # K2 copied wrongly
    transfer.click("#submit-transfer")
    transfer.locator("#blocked").wait_for()
    assert "К2" in transfer.locator("#blocked").inner_text()  # Cyrillic К, as officials write it
    screenshot(transfer, "essay-transfer-mismatch")
    assert Work.objects.get(work_code=code).status == "blocked"
    rcoi.goto(f"{url}/sessions/{session.pk}/results/")
    assert "Расхождения при переносе" in rcoi.locator("#blockers").inner_text()
    _marks(
        transfer,
        {"T1": "зачет", "T2": "зачет", "K1": "зачет", "K2": "незачет", "K3": "зачет", "K4": "зачет", "K5": "зачет"},
    )
    transfer.click("#submit-transfer")
    transfer.locator(".msg-success", has_text="перенесены").wait_for()

    # The blanks are scanned and reconciled with these marks (the scanning path has its own browser test,
    # tests/browser/test_scan_ui.py); here the reconciliation's outcome is recorded directly.
    rcoi.goto(f"{url}/sessions/{session.pk}/results/")
    assert "Сверка распознанной информации" in rcoi.locator("#blockers").inner_text()
    Work.objects.filter(work_code=code).update(scan_verified_at=timezone.now())
    rcoi.goto(f"{url}/sessions/{session.pk}/results/")
    rcoi.click("#mark-processed")
    rcoi.click("#publish")
    rcoi.locator(".msg-success", has_text="Результаты опубликованы").wait_for()

    # The next day comes: the results day of the participant's school, before 18:00 there (п. 11, 8.2.1).
    zone = _zone_before_1700()
    region.school1.time_zone = zone
    region.school1.save()
    session.refresh_from_db()
    session.results_date = timezone.now().astimezone(ZoneInfo(zone)).date()
    session.save()

    visitor = browser.new_context(locale="ru-RU").new_page()
    visitor.goto(f"{url}/results/")
    visitor.fill("#code", code)
    visitor.fill("#document", participant.document_number)
    visitor.click("#lookup-form button")
    visitor.locator("#lookup-result").wait_for()
    assert "«незачет»" in visitor.locator("#lookup-result").inner_text()
    assert "18:00" in visitor.locator("#lookup-answer").inner_text()
    screenshot(visitor, "essay-public-lookup")
    visitor.fill("#code", code)
    visitor.fill("#document", "000000")
    visitor.click("#lookup-form button")
    visitor.locator("#lookup-error").wait_for()
    visitor.context.close()

    school = page_for("school")  # logs in again: the school's clock is now in the new zone
    school.goto(f"{url}/sessions/{session.pk}/results/")
    school.locator("#results tr", has_text=code).locator("text=Заявление о повторной проверке").click()
    school.fill("#id_certified_by", "Директор Кузнецова М. В.")
    school.click("#file-recheck")
    school.locator("#tasks").wait_for()
    case = RecheckCase.objects.get(work__work_code=code)
    assert case.kind == "recheck" and case.tasks.count() == 5
    filed_local = case.filed_at.astimezone(ZoneInfo(zone))
    assert filed_local.date() == session.results_date and filed_local.hour < 18
    screenshot(school, "essay-recheck-filed")
