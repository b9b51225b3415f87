"""The printable consent to the processing of personal data (приложение 3; essay-procedure-rules.md A33–A43):
filled in for an application's participant, blank for a session; guarded like the printed application."""

from __future__ import annotations

import html
from dataclasses import replace
from datetime import date

import pypdfium2 as pdfium
import pytest

from itog.audit.models import AuditEvent, EventKind
from itog.exams.kinds.essay.procedure import CONSENT_PURPOSES, CONSENT_TEXT_VERSION, CONSENT_THIRD_PARTIES
from itog.exams.models import Consent
from itog.exams.registration.consent_form import ConsentFormData, consent_pdf, is_minor
from itog.exams.registration.services import revoke_consent
from tests.exams.fixtures import essay_session, registered_application

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    pdf = pdfium.PdfDocument(content)
    return " ".join(" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))


def test_filled_consent_names_the_participant_operator_purposes_and_signatures(login, region):
    app = registered_application(region)  # born 14.03.2009: a minor on the exam day
    p = app.participant
    client = login("school")
    response = client.get(f"/applications/{app.pk}/consent.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "Согласие на обработку персональных данных" in text
    assert p.full_name in text and p.document_number in text and "14.03.2009" in text
    assert app.session.region.name in text  # A36: the operator, the region's ministry
    assert "реквизиты документа, удостоверяющего личность" in text and "СНИЛС (при наличии)" in text  # A37
    assert all(purpose in text for purpose in CONSENT_PURPOSES)  # A38
    assert all(party in text for party in CONSENT_THIRD_PARTIES)  # A39
    assert CONSENT_TEXT_VERSION in text and "в течение срока хранения информации" in text  # A41
    assert "Когда и кем выдан документ" in text and "Адрес регистрации" in text  # A34, A35: written by hand
    assert "неавтоматизированный; автоматизированный" in text and "отозвано в любой момент" in text  # A40, A42
    assert "Участник ____" in text and "Дата «____»" in text  # A43
    assert "Родитель (законный представитель) ____" in text  # a minor: the parent signs too
    # the PD export is logged like the printed application's
    event = AuditEvent.objects.filter(kind=EventKind.PD_EXPORT).latest("at")
    assert app.registration_number in event.description and event.user == region.user("school")


def test_filled_consent_prints_the_recorded_wording_not_the_current(login, region):
    """A38, A39: the form shows what this participant agreed to (the consent's own snapshot)."""
    app = registered_application(region)
    Consent.objects.filter(participant=app.participant).update(
        text_version="ред. 0", purposes=["формирование РИС"], third_parties=[]
    )
    text = pdf_text(login("school").get(f"/applications/{app.pk}/consent.pdf").content)
    assert "ред. 0" in text and "формирование ФИС" not in text and "Передача третьим лицам: не допускается" in text


def test_an_adult_has_no_parent_line():
    assert is_minor(date(2009, 3, 14), date(2026, 12, 2)) and not is_minor(date(2008, 12, 2), date(2026, 12, 2))
    data = ConsentFormData("Министерство", "ред. 1", ("формирование РИС",), (), ("автоматизированный",))
    name = "Иванов <b>Ли & Ко</b>"  # markup characters are printed as written
    adult = pdf_text(consent_pdf(replace(data, participant=[("ФИО", name)], minor=False)))
    assert name in adult and "Родитель" not in adult and "Участник ____" in adult


def test_another_schools_user_gets_404(login, region):
    app = registered_application(region)
    assert login("school2").get(f"/applications/{app.pk}/consent.pdf").status_code == 404
    assert not AuditEvent.objects.filter(kind=EventKind.PD_EXPORT).exists()


def test_v16_a_revoked_consent_is_not_printed(login, region):
    app = registered_application(region)
    revoke_consent(app.participant.consents.get(), date(2026, 11, 20), "заявление от 20.11.2026")
    response = login("school").get(f"/applications/{app.pk}/consent.pdf", follow=True)
    assert response.headers["Content-Type"].startswith("text/html")
    assert "отозвано 20.11.2026" in html.unescape(response.content.decode())
    assert not AuditEvent.objects.filter(kind=EventKind.PD_EXPORT).exists()


def test_x81_a_consent_without_the_ris_purpose_is_not_printed(login, region):
    app = registered_application(region)
    Consent.objects.filter(participant=app.participant).update(purposes=["формирование ФИС"])
    response = login("school").get(f"/applications/{app.pk}/consent.pdf", follow=True)
    assert response.headers["Content-Type"].startswith("text/html")
    assert "цель «формирование РИС»" in html.unescape(response.content.decode())


def test_blank_form_has_no_personal_data_and_is_linked(login, region):
    app = registered_application(region)
    client = login("school")
    response = client.get(f"/sessions/{app.session.pk}/consent-blank.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert app.session.region.name in text and all(purpose in text for purpose in CONSENT_PURPOSES)
    assert CONSENT_TEXT_VERSION in text and "Родитель (законный представитель) ____" in text
    p = app.participant
    assert p.last_name not in text and p.document_number not in text and "14.03.2009" not in text
    assert app.registration_number not in text
    assert not AuditEvent.objects.filter(kind=EventKind.PD_EXPORT).exists()
    register = client.get(f"/sessions/{app.session.pk}/register/").content.decode()
    assert f'href="/sessions/{app.session.pk}/consent-blank.pdf"' in register
    page = client.get(f"/applications/{app.pk}/").content.decode()
    assert f'href="/applications/{app.pk}/consent.pdf"' in page


def test_blank_form_is_for_those_who_register(login, region):
    session = essay_session(region)
    assert login("school2").get(f"/sessions/{session.pk}/consent-blank.pdf").status_code == 200
    assert login("expert").get(f"/sessions/{session.pk}/consent-blank.pdf").status_code == 403


def test_x84_nothing_is_printed_for_an_obezlichenny_participant(login, region):
    """A41 (I8): after the keeping period the record is обезличена — neither form prints a cleared record."""
    from itog.exams.models import Participant

    app = registered_application(region)
    Participant.objects.filter(pk=app.participant_id).update(personal_data_removed_on=date(2028, 3, 1))
    client = login("school")
    for url, what in (
        (f"/applications/{app.pk}/consent.pdf", "согласие"),
        (f"/applications/{app.pk}/form.pdf", "бланк заявления"),
    ):
        response = client.get(url, follow=True)
        assert response.headers["Content-Type"].startswith("text/html")
        page = html.unescape(response.content.decode())
        assert (
            f"Персональные данные участника обезличены 01.03.2028 по окончании срока хранения: {what} не печатается."
            in page
        )
    assert not AuditEvent.objects.filter(kind=EventKind.PD_EXPORT).exists()
