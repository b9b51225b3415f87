"""Registration, submissions and reconciliation over the database and HTTP (п. 3.2, 3.3, 5.1–5.3)."""

from __future__ import annotations

import html
from datetime import UTC, date, datetime

from itog.exams.models import Application, ApplicationStatus, Participant
from itog.exams.registration.services import ensure_sessions, register, submit_list
from tests.exams.fixtures import essay_session, registered_application, student_registration


def test_sessions_follow_p_4_1(region):
    sessions = ensure_sessions(region.ministry, "2026/27")
    assert [s.date for s in sessions] == [date(2026, 12, 2), date(2027, 2, 3), date(2027, 4, 14)]
    assert ensure_sessions(region.ministry, "2026/27") == sessions, "created once"


def test_p_5_3_ovz_needs_pmpk_and_nothing_is_saved(region):
    session = essay_session(region)
    reg = student_registration(region.school1, personal={"health_category": "ovz"}, conditions={"extra_time"})
    result = register(reg, session, region.school1, today=date(2026, 11, 10))
    assert result.application is None
    assert [v.code for v in result.violations] == ["V07"]
    assert "рекомендаций ПМПК (п. 5.3)" in result.violations[0].message
    assert Participant.objects.count() == 0 and Application.objects.count() == 0
    reg.documents.add("pmpk")
    result = register(reg, session, region.school1, today=date(2026, 11, 10))
    assert result.application is not None and result.application.extra_time


def test_p_5_2_no_consent_no_registration(region):
    reg = student_registration(region.school1, consent_signed_on=None)
    result = register(reg, essay_session(region), region.school1, today=date(2026, 11, 10))
    assert "V05" in [v.code for v in result.violations]


def test_same_document_twice_is_refused(region):
    session = essay_session(region)
    registered_application(region, session)
    result = register(student_registration(region.school1b), session, region.school1b, today=date(2026, 11, 10))
    assert any("уже зарегистрирован" in v.message for v in result.violations)


def test_registration_form_shows_the_refusal_per_field(login, region):
    # The next year's main date: its registration is open on the real today. (The February date would be
    # open too, but п. 10 admits a student there only as a re-admission: see the test below.)
    session = ensure_sessions(region.ministry, "2027/28")[0]
    client = login("school")
    data = {
        "last_name": "Иванов",
        "first_name": "Иван",
        "sex": "м",
        "birth_date": "2009-05-01",
        "citizenship": "Российская Федерация",
        "document_type": "passport_rf",
        "document_series": "4510",
        "document_number": "654321",
        "health_category": "ovz",
        "category": "student",
        "grade": "11",
        "form": "essay",
        "extra_time": "on",
        "consent_signed_on": "2026-11-01",
        "pamyatka_ack": "on",
    }
    response = client.post(f"/sessions/{session.pk}/register/", data)
    text = html.unescape(response.content.decode())
    assert 'id="id_documents_errors"' in text and "рекомендаций ПМПК" in text and "[V07]" in text
    assert Application.objects.count() == 0
    data["documents"] = ["pmpk"]
    response = client.post(f"/sessions/{session.pk}/register/", data)
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.participant.registration_org == region.school1 and app.application_form == "app1"
    assert app.history.first().history_user == region.user("school")


def test_registration_form_refuses_a_student_on_an_additional_date(login, region):
    """п. 10: an ordinary 11th-grader was accepted for February; the form now quotes the item."""
    session = ensure_sessions(region.ministry, "2026/27")[1]
    data = {
        "last_name": "Иванов",
        "first_name": "Иван",
        "sex": "м",
        "birth_date": "2009-05-01",
        "citizenship": "Российская Федерация",
        "document_type": "passport_rf",
        "document_series": "4510",
        "document_number": "654321",
        "health_category": "",
        "category": "student",
        "grade": "11",
        "form": "essay",
        "consent_signed_on": "2026-11-01",
        "pamyatka_ack": "on",
    }
    response = login("school").post(f"/sessions/{session.pk}/register/", data)
    text = html.unescape(response.content.decode())
    assert response.status_code == 200 and "п. 10" in text and "повторно" in text
    assert Application.objects.count() == 0


def test_submission_chain_and_lateness(region):
    session = essay_session(region)
    registered_application(region, session)
    on_time = datetime(2026, 11, 15, 12, tzinfo=UTC)
    school = submit_list(session, region.school1, now=on_time)
    assert school.submission.to_org == region.mouo1 and not school.submission.late
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED_MOUO
    late = datetime(2026, 11, 20, 12, tzinfo=UTC)  # D−14 was 18.11.2026
    mouo = submit_list(session, region.mouo1, now=late)
    assert mouo.submission.to_org == region.rcoi and mouo.submission.late
    assert mouo.violations[0].code == "V14"
    assert Application.objects.get().status == ApplicationStatus.SUBMITTED_RCOI


def test_mouo_sees_the_school_list_and_reconciliation(login, region):
    session = essay_session(region)
    registered_application(region, session)
    submit_list(session, region.school1)
    page = html.unescape(login("mouo").get(f"/sessions/{session.pk}/").content.decode())
    assert "Петрова Анна Сергеевна" in page and "передано в МОУО" in page
    assert region.school1.display_name in page
    assert "Петрова" not in login("mouo2").get(f"/sessions/{session.pk}/").content.decode()
    page = html.unescape(login("rcoi").get(f"/sessions/{session.pk}/reconciliation/").content.decode())
    assert region.school1.display_name in page


def test_calendar_cli_contract(tmp_path):
    import json
    import subprocess
    import sys

    out = subprocess.run(
        [sys.executable, "-m", "itog", "calendar", "--kind", "essay", "--year", "2023/24", "--json"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    sessions = json.loads(out)
    assert [s["date"] for s in sessions] == ["2023-12-06", "2024-02-07", "2024-04-10"]
    assert sessions[0]["deadlines"]["mouo_to_rcoi"] == "2023-11-22"  # п. 3.2: D−14
    assert {"kind", "date", "deadlines"} <= sessions[0].keys()
