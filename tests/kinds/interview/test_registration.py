"""Interview applications and re-admission (Порядок ГИА-9)."""

from datetime import date

import pytest

from itog.exams.kinds.base import ApplicationData, DocumentKind, SessionDate, SessionKind, SpecialCondition
from itog.exams.kinds.interview import registration as reg
from itog.exams.kinds.interview.codes import VALIDATIONS

EXAM = date(2024, 2, 14)


def app(**kw):
    base = dict(category="student", grade=9, consent_present=True, registration_date=date(2024, 1, 20), school_id="s1")
    base.update(kw)
    return ApplicationData(**base)


def codes(vs):
    return sorted(v.code for v in vs)


def test_clean_application():
    assert reg.check_application(app(), SessionDate(SessionKind.MAIN, EXAM)) == []
    assert reg.check_application(app(category="extern", grade=None), EXAM) == []


@pytest.mark.parametrize(
    "kw, expected",
    [
        (dict(category="vpl"), ["I10"]),
        (dict(category="spravka"), ["I10"]),
        (dict(grade=11), ["I11"]),
        (dict(category="extern", school_id=None), ["I17"]),
        (dict(consent_present=False), ["I13"]),
        (dict(consent_revoked_on=date(2024, 1, 25)), ["I18"]),
        (dict(ovz=True), ["I14"]),
        (dict(disabled=True), ["I15"]),
        (dict(child_disabled=True, ovz=True, documents=["pmpk"]), ["I15"]),
        (dict(special_conditions=["extra_time"]), ["I16"]),
        (dict(registration_date=date(2024, 2, 1)), ["I12"]),
    ],
)
def test_violations(kw, expected):
    got = reg.check_application(app(**kw), EXAM)
    assert codes(got) == expected
    for v in got:
        assert v.item == VALIDATIONS[v.code][0] and v.message and v.field


def test_deadline_is_inclusive_d_minus_14():
    assert reg.check_application(app(registration_date=date(2024, 1, 31)), EXAM) == []
    msg = reg.check_application(app(registration_date=date(2024, 2, 1)), EXAM)[0].message
    assert "31.01.2024" in msg and "01.02.2024" in msg


def test_all_problems_reported_together():
    got = reg.check_application(
        app(category="vpl", consent_present=False, ovz=True, registration_date=date(2024, 2, 10)), EXAM
    )
    assert codes(got) == ["I10", "I12", "I13", "I14"]


def test_duration():
    assert reg.duration_minutes(app()) == 15
    assert reg.duration_minutes(app(ovz=True, documents=[DocumentKind.PMPK])) == 45
    assert reg.duration_minutes(app(disabled=True, documents=["disability"])) == 45
    assert reg.duration_minutes(app(ovz=True)) == 15  # no document, no extension
    assert reg.duration_minutes(app(), base=16) == 16


def test_extra_time_on_request_setting(monkeypatch):
    monkeypatch.setattr(reg, "EXTRA_TIME_ON_REQUEST", True)
    assert reg.duration_minutes(app(ovz=True, documents=["pmpk"])) == 15
    assert (
        reg.duration_minutes(app(ovz=True, documents=["pmpk"], special_conditions=[SpecialCondition.EXTRA_TIME])) == 45
    )


def test_readmission():
    assert reg.readmission("finished", "незачет", False) == reg.Readmission(True, reg.GROUND_FAIL)
    assert reg.readmission("absent", None, True).ground == reg.GROUND_ABSENT
    assert reg.readmission("not_finished", None, True).ground == reg.GROUND_NOT_FINISHED
    assert codes(reg.readmission("absent", None, False).violations) == ["I21"]
    assert codes(reg.readmission("finished", "зачет", True).violations) == ["I20"]
    assert codes(reg.readmission("planned", None, True).violations) == ["I20"]


def test_readmission_targets():
    assert [s.date for s in reg.readmission_targets(EXAM)] == [date(2024, 3, 13), date(2024, 4, 15)]
    assert [s.date for s in reg.readmission_targets(date(2024, 3, 13))] == [date(2024, 4, 15)]
    assert [s.date for s in reg.readmission_targets(EXAM, today=date(2024, 3, 20))] == [date(2024, 4, 15)]
    ok = SessionDate(SessionKind.ADDITIONAL, date(2024, 3, 13))
    assert reg.check_readmission_target(ok, EXAM, date(2024, 2, 20)) == []
    assert codes(reg.check_readmission_target(ok, EXAM, date(2024, 3, 14))) == ["I22"]
    next_year = SessionDate(SessionKind.ADDITIONAL, date(2025, 3, 12))
    assert codes(reg.check_readmission_target(next_year, EXAM, date(2024, 2, 20))) == ["I22"]
    main = SessionDate(SessionKind.MAIN, EXAM)
    assert codes(reg.check_readmission_target(main, date(2024, 2, 1), date(2024, 2, 1))) == ["I22"]
