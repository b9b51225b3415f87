"""InterviewRules: one object with the essay's ExamRules interface plus the interview's stages."""

from datetime import date

from itog.exams.kinds.base import ApplicationData, ExamRules
from itog.exams.kinds.interview.commission import CombinationPolicy, Member
from itog.exams.kinds.interview.criteria import PassPolicy
from itog.exams.kinds.interview.rules import RULES, InterviewRules, RegionalSettings
from itog.exams.kinds.interview.schedule import Candidate, Room, ScheduleConfig
from itog.exams.kinds.interview.values import Role


def test_satisfies_the_exam_rules_protocol():
    assert isinstance(RULES, ExamRules)
    assert RULES.KIND == "interview" and RULES.RULESET.number == "54-0370"
    assert set(RULES.PRE_EXAM_CODES) <= set(RULES.VALIDATIONS)
    assert all(code.startswith("I") for code in RULES.VALIDATIONS)


def test_every_code_has_item_and_russian_message():
    for code, (item, message) in RULES.VALIDATIONS.items():
        assert item and any("а" <= ch <= "я" for ch in message.lower()), code


def test_end_to_end_through_the_object():
    r = InterviewRules()
    main = r.session_dates("2023/24")[0]
    app = ApplicationData(
        category="student",
        grade=9,
        ovz=True,
        documents=["pmpk"],
        consent_present=True,
        registration_date=date(2024, 1, 31),
        school_id="s1",
    )
    assert r.check_application(app, main) == [] and r.duration_minutes(app) == 45
    assert r.session_deadlines(main.date)["fis_upload"] == date(2024, 2, 26)
    cs = r.criteria("2023/24")
    marks = {c.key: 0 for c in cs.criteria}
    for key in list(marks)[:6]:
        marks[key] = 1
    assert r.aggregate(cs, marks).result == "незачет"
    assert r.aggregate(cs, marks, ovz_lower_threshold=True).result == "зачет"
    assert [s.date for s in r.readmission_targets(main.date)] == [date(2024, 3, 13), date(2024, 4, 15)]


def test_regional_settings_flow_through():
    r = InterviewRules(
        RegionalSettings(
            combination=CombinationPolicy(frozenset()),
            pass_policy=PassPolicy(pass_min_ovz=8),
            schedule=ScheduleConfig(minutes_regular=16, minutes_extended=46),
        )
    )
    people = [
        Member("1", "А", {Role.RESPONSIBLE, Role.TECH}),
        Member("2", "Б", {Role.ORGANIZER}),
        Member("3", "В", {Role.INTERLOCUTOR, Role.EXPERT}, {"101"}),
    ]
    assert r.check_commission(people, date(2024, 2, 14), rooms=["101"]) == []
    assert [v.code for v in RULES.check_commission(people, date(2024, 2, 14), rooms=["101"])] == ["I32"]
    app = ApplicationData(category="student", grade=9, consent_present=True)
    assert r.duration_minutes(app) == 16
    s = r.make_schedule(
        [Room("101", "101"), Room("w", "w", "waiting"), Room("f", "f", "finished")], [Candidate("p", "П")]
    )
    assert s.slot_of("p").end.minute == 16


def test_retention_through_the_object():
    assert RULES.destroy_not_before("recording", date(2024, 2, 14)) == date(2025, 3, 1)
    assert [v.code for v in RULES.check_destruction("statement", date(2024, 2, 14), date(2024, 6, 1))] == ["I80"]
