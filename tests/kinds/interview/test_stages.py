"""The interview as a KindRules object: every stage the shared services call, and the stages it does not
have refusing in Russian (I90)."""

from datetime import date

import pytest

from itog.exams.kinds import get_rules
from itog.exams.kinds.base import STAGES, ApplicationData, Category, DocumentKind
from itog.exams.violations import Refused, code_table


@pytest.fixture(scope="module")
def rules():
    return get_rules("interview")


def test_every_stage_answers_or_refuses(rules):
    assert rules.missing() == {}
    for stage, names in STAGES.items():
        for name in names:
            assert hasattr(getattr(rules, stage), name), (stage, name)


def test_a_stage_it_does_not_have_refuses_in_russian(rules):
    with pytest.raises(Refused, match="нет этапа «выдача тем и бланков»") as err:
        rules.examday.release_at(date(2024, 2, 14), "Europe/Moscow", "interview")
    assert err.value.violations[0].code == "I90"
    with pytest.raises(Refused, match="повторной проверки"):
        rules.recheck.check_recheck_eligibility()
    with pytest.raises(Refused, match="комиссия по проверке"):
        rules.commissions.check_checking_commission([], date(2024, 2, 14))


def test_interview_codes_are_in_the_one_registry(rules):
    table = code_table()
    assert {"I01", "I73", "I80", "I90", "I91"} <= set(table)
    assert table["I90"].owner == "interview"


def test_registration_stage_uses_the_interviews_rules(rules):
    app = ApplicationData(
        category=Category.STUDENT,
        grade=9,
        ovz=True,
        documents={DocumentKind.PMPK},
        consent_present=True,
        registration_date=date(2024, 1, 31),
    )
    assert rules.registration.check_application(app, date(2024, 2, 14)) == []
    assert rules.registration.duration_minutes(app) == 45  # +30 minutes for ОВЗ (Порядок ГИА-9)
    late = ApplicationData(category=Category.STUDENT, grade=9, consent_present=True, registration_date=date(2024, 2, 1))
    assert [v.code for v in rules.registration.check_application(late, date(2024, 2, 14))] == ["I12"]
    assert rules.registration.application_form_for("student").value == "app1"


def test_additional_date_takes_students_by_readmission_only(rules):
    assert [v.code for v in rules.readmission.check_direct_registration("student", True)] == ["I91"]
    assert rules.readmission.check_direct_registration("student", False) == []


def test_only_a_finished_answer_is_checked_and_no_recheck_deadline(rules):
    assert rules.examday.is_checkable("finished")
    assert not rules.examday.is_checkable("absent")
    assert rules.recheck.recheck_deadline(date(2024, 2, 20), "Europe/Moscow") is None
    assert rules.results.familiarization_date(date(2024, 2, 26)) == date(2024, 2, 27)


def test_retention_extends_the_essays_dates(rules):
    first = rules.retention.destroy_not_before("recording", date(2024, 2, 14), "ignored")
    assert first.month == 3 and first.day == 1
    assert [v.code for v in rules.retention.check_destruction("recording", date(2024, 2, 14), date(2024, 6, 1))] == [
        "I80"
    ]
