"""Moving a session date with a reason, revoking a consent (A42, V16), voiding a spoiled blank's code."""

from __future__ import annotations

import html
from datetime import date

from itog.exams.models import ApplicationStatus, WorkCode
from itog.exams.printing import kit_participants
from itog.exams.seating.services import seat_session
from tests.exams.fixtures import essay_session, registered_application
from tests.exams.test_seating_db import staff_venue


def test_override_needs_a_reason_and_is_kept_in_history(login, region):
    session = essay_session(region)
    client = login("rcoi")
    page = html.unescape(client.post(f"/sessions/{session.pk}/override/", {"date": "2026-12-09"}).content.decode())
    assert "п. 4.1" in page and 'id="id_reason_errors"' in page
    session.refresh_from_db()
    assert session.date == date(2026, 12, 2)
    response = client.post(
        f"/sessions/{session.pk}/override/", {"date": "2026-12-09", "reason": "Приказ Минпросвещения № 1 от 01.11.2026"}
    )
    assert response.status_code == 302
    session.refresh_from_db()
    assert session.date == date(2026, 12, 9) and session.rule_date == date(2026, 12, 2)
    assert session.history.first().history_user == region.user("rcoi")


def test_revoking_consent_withdraws_the_applications(login, region):
    app = registered_application(region)
    response = login("school").post(
        f"/applications/{app.pk}/action/", {"action": "revoke", "document": "заявление от 20.11.2026"}
    )
    assert response.status_code == 302
    app.refresh_from_db()
    assert app.status == ApplicationStatus.WITHDRAWN
    consent = app.participant.consents.get()
    assert consent.status == "revoked" and consent.revocation_document == "заявление от 20.11.2026"


def test_void_spoiled_blank_from_the_application_page(login, region):
    app = registered_application(region)
    staff_venue(app.session, region.school1)
    seat_session(app.session, seed=3)
    kit_participants(app.session)
    old = WorkCode.objects.get(application=app)
    response = login("school").post(
        f"/applications/{app.pk}/action/",
        {"action": "void", "code": old.pk, "reason": "Испорчен при печати"},
        follow=True,
    )
    assert "аннулирован, выдан новый" in html.unescape(response.content.decode())
    assert WorkCode.objects.filter(application=app, voided_at__isnull=True).exclude(pk=old.pk).count() == 1
