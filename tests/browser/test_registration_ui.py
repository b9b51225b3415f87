"""Essay registration in a real Chromium: the refusal for a missing ПМПК document (п. 5.3), the fix,
the list handed to the МОУО, and the МОУО operator seeing it."""

from __future__ import annotations

import pytest

from itog.exams.models import Application, ApplicationStatus
from itog.exams.registration.services import ensure_sessions

from .conftest import screenshot

pytestmark = pytest.mark.browser


def test_school_registers_ovz_participant_and_mouo_sees_the_list(page_for, live_server, live_region):
    # next year's main date: registration open (a student may not be registered for February, п. 10)
    session = ensure_sessions(live_region.ministry, "2027/28")[0]
    page = page_for("school")
    page.click("nav >> text=Экзамены")
    page.click(f"text={session.date:%d.%m.%Y}")
    page.click("text=Зарегистрировать заявление")
    page.fill("#id_last_name", "Смирнова")
    page.fill("#id_first_name", "Ольга")
    page.fill("#id_middle_name", "Игоревна")
    page.select_option("#id_sex", "ж")
    page.fill("#id_birth_date", "2009-04-17")
    page.fill("#id_document_series", "4512")
    page.fill("#id_document_number", "778899")
    page.select_option("#id_health_category", "ovz")
    page.check("#id_extra_time")
    page.fill("#id_consent_signed_on", "2026-11-20")
    page.check("#id_pamyatka_ack")
    page.click("text=Зарегистрировать")
    error = page.locator("#id_documents_errors")
    error.wait_for()
    assert "рекомендаций ПМПК" in error.inner_text()
    screenshot(page, "school-registration-refused")
    assert Application.objects.count() == 0

    page.check("input[name=documents][value=pmpk]")
    page.click("text=Зарегистрировать")
    page.locator("#applications tr", has_text="Смирнова Ольга Игоревна").wait_for()
    assert "+1,5 ч" in page.locator("#applications").inner_text()
    page.click("#submit-list")
    page.locator(".msg-success", has_text="Список передан").wait_for()
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED_MOUO

    mouo = page_for("mouo")
    mouo.goto(f"{live_server.url}/sessions/{session.pk}/")
    row = mouo.locator("#applications tr", has_text="Смирнова Ольга Игоревна")
    assert "передано в МОУО" in row.inner_text()
    assert live_region.school1.display_name in mouo.locator("#submissions").inner_text()
    screenshot(mouo, "mouo-session-list")
    other = page_for("mouo2")
    other.goto(f"{live_server.url}/sessions/{session.pk}/")
    assert "Смирнова" not in other.locator("main").inner_text()
