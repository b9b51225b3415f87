"""Rules of registration (sections A, H) through the application — the registration service and the
HTTP form — not only the pure functions: each refusal carries its code and K.3 message and saves
nothing (issue 13). H6/A25: the application confirms that the applicant has read the Памятка."""

from __future__ import annotations

import html
from datetime import date

import pypdfium2 as pdfium
import pytest

from itog.exams.models import Application, Participant
from itog.exams.registration.services import ensure_sessions, register
from tests.exams.fixtures import essay_session, student_registration

TODAY = date(2026, 11, 10)

# code -> (overrides of the registration, a fragment of the K.3 message)
REFUSALS = {
    "V01": ({"form": "exposition"}, "право писать изложение (п. 2.3 Порядка)"),
    "V02": ({"category": "vpl", "form": "exposition"}, "вправе писать только итоговое сочинение (пп. 2.2, 5.2)"),
    "V03": ({"grade": 10}, "Обучающиеся X классов"),
    "V06": ({"pamyatka_ack": False}, "Не подтверждено ознакомление с Памяткой"),
    "V08": ({"personal": {"health_category": "disabled"}}, "справки, подтверждающей инвалидность (п. 5.3)"),
    "V12": ({"category": "vpl"}, "регистрируются только в местах регистрации, определенных министерством"),
    "V15": ({"personal": {"email": "anna@example.invalid"}}, "Поле «email» не входит в перечень"),
    "V17": ({"conditions": {"extra_time"}}, "на 1,5 часа предусмотрено только"),
    "V18": (
        {"personal": {"health_category": "ovz"}, "documents": {"pmpk"}, "conditions": {"at_home"}},
        "Для проведения на дому требуются заключение медицинской организации",
    ),
    "V19": ({"conditions": {"oral_form"}}, "Устная форма допускается только"),
    "V52": ({"conditions": {"assistant"}}, "Ассистент назначается для участников с ОВЗ"),
}


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_registration_service_refuses_with_the_rule_and_saves_nothing(region, code):
    overrides, fragment = REFUSALS[code]
    reg = student_registration(region.school1, **overrides)
    result = register(reg, essay_session(region), region.school1, today=TODAY)
    found = [v for v in result.violations if v.code == code]
    assert result.application is None and found, [v.code for v in result.violations]
    assert fragment in found[0].message
    assert Participant.objects.count() == 0 and Application.objects.count() == 0


def test_v11_spravka_without_the_certificate_refused_then_accepted(region):
    """п. 5.1 (A11): a person with a справка об обучении shows it when applying."""
    session = essay_session(region)
    reg = student_registration(region.school1, category="spravka", grade=None)
    result = register(reg, session, region.school1, today=TODAY)
    assert "V11" in [v.code for v in result.violations] and result.application is None
    reg.documents.add("spravka")
    result = register(reg, session, region.school1, today=TODAY)
    assert "V11" not in [v.code for v in result.violations]


def _form_data() -> dict:
    return {
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
    }


def test_h6_a25_the_form_refuses_an_application_without_the_pamyatka_acknowledgement(login, region):
    """H6 (A25, приложения 1, 2): «С Памяткой … ознакомлен (-а)» is required; without it the form shows V06
    on the field and nothing is saved; with it the application is registered and its printed form shows the acknowledgement."""
    session = ensure_sessions(region.ministry, "2027/28")[0]  # open for registration on the real today
    client = login("school")
    response = client.post(f"/sessions/{session.pk}/register/", _form_data())
    text = html.unescape(response.content.decode())
    assert response.status_code == 200 and "[V06]" in text and "ознакомление с Памяткой" in text
    assert Application.objects.count() == 0
    response = client.post(f"/sessions/{session.pk}/register/", {**_form_data(), "pamyatka_ack": "on"})
    assert response.status_code == 302
    app = Application.objects.get()
    assert app.pamyatka_ack is True
    response = client.get(f"/applications/{app.pk}/form.pdf")  # the printed application, signed on paper
    pdf = pdfium.PdfDocument(b"".join(response.streaming_content) if response.streaming else response.content)
    text = " ".join(" ".join(pdf[i].get_textpage().get_text_range().split()) for i in range(len(pdf)))
    assert "С Памяткой о порядке проведения ознакомлен(а) да" in text, text[:1500]
