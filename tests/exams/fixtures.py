"""An essay session of the demo region with one application registered at school1."""

from __future__ import annotations

from datetime import date

from itog.exams.registration.services import Registration, ensure_sessions, register


def student_registration(school, **overrides) -> Registration:
    personal = {
        "last_name": "Петрова",
        "first_name": "Анна",
        "middle_name": "Сергеевна",
        "sex": "ж",
        "birth_date": date(2009, 3, 14),
        "citizenship": "Российская Федерация",
        "document_type": "passport_rf",
        "document_series": "4509",
        "document_number": "123456",
        "snils": "",
        "phone": "",
        "health_category": "",
    }
    personal.update(overrides.pop("personal", {}))
    values = dict(
        personal=personal,
        category="student",
        school=school,
        grade=11,
        class_letter="а",
        form="essay",
        conditions=set(),
        other_conditions="",
        documents=set(),
        medical_indications=False,
        consent_signed_on=date(2026, 11, 2),
        pamyatka_ack=True,
    )
    values.update(overrides)
    return Registration(**values)


def essay_session(region):
    return ensure_sessions(region.ministry, "2026/27")[0]


def registered_application(region, session=None):
    session = session or essay_session(region)
    result = register(student_registration(region.school1), session, region.school1, today=date(2026, 11, 10))
    assert result.application, result.violations
    return result.application
