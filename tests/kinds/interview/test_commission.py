"""The school's commission: roles, combinations as a regional setting, D−14 (seed 002 row 2; rules J2, J13:
one commission «по проведению и проверке» formed by the school)."""

from datetime import date

import pytest

from itog.exams.kinds.interview.commission import CombinationPolicy, EvaluationMode, Member, check_commission, formed_by
from itog.exams.kinds.interview.values import Role

EXAM = date(2024, 2, 14)


def full(**overrides):
    people = [
        Member("1", "Иванова А. А.", {Role.RESPONSIBLE}),
        Member("2", "Петров Б. Б.", {Role.ORGANIZER}),
        Member("3", "Сидорова В. В.", {Role.INTERLOCUTOR}, {"101"}),
        Member("4", "Кузнецова Г. Г.", {Role.EXPERT}, {"101"}),
        Member("5", "Смирнов Д. Д.", {Role.TECH}),
    ]
    return people


def codes(vs):
    return sorted(v.code for v in vs)


def test_complete_commission_ok():
    assert check_commission(full(), EXAM, formed_on=date(2024, 1, 31), rooms=["101"]) == []
    assert formed_by(EXAM) == date(2024, 1, 31)


def test_formed_late():
    got = check_commission(full(), EXAM, formed_on=date(2024, 2, 1))
    assert codes(got) == ["I30"] and "31.01.2024" in got[0].message


def test_missing_roles_each_named():
    got = check_commission(full()[:2], EXAM)
    assert codes(got) == ["I31", "I31", "I31"]
    text = " ".join(v.message for v in got)
    assert "экзаменатор-собеседник" in text and "эксперт" in text and "технический специалист" in text


def test_default_forbids_interlocutor_as_expert():
    people = full()[:2] + [
        Member("3", "Сидорова В. В.", {Role.INTERLOCUTOR, Role.EXPERT}, {"101"}),
        Member("5", "Смирнов Д. Д.", {Role.TECH}),
    ]
    got = check_commission(people, EXAM, rooms=["101"])
    assert codes(got) == ["I32"] and "Сидорова" in got[0].message


def test_region_may_allow_it_and_forbid_other_pairs():
    people = full()[:2] + [
        Member("3", "Сидорова В. В.", {Role.INTERLOCUTOR, Role.EXPERT}, {"101"}),
        Member("5", "Смирнов Д. Д.", {Role.TECH, Role.ORGANIZER}),
    ]
    policy = CombinationPolicy.from_data([["tech", "organizer"]])
    got = check_commission(people, EXAM, rooms=["101"], policy=policy)
    assert codes(got) == ["I32"] and "Смирнов" in got[0].message
    with pytest.raises(ValueError):
        CombinationPolicy.from_data([["expert", "expert"]])


def test_one_responsible_and_rooms():
    people = full() + [Member("6", "Орлова Е. Е.", {Role.RESPONSIBLE})]
    assert codes(check_commission(people, EXAM)) == ["I33"]
    people = full()
    people[2] = Member("3", "Сидорова В. В.", {Role.INTERLOCUTOR}, {"101", "102"})
    got = check_commission(people, EXAM, rooms=["101", "102"])
    assert codes(got) == ["I34", "I35"]  # in two rooms; room 102 has no expert


def test_evaluation_from_recording_needs_no_expert_in_room():
    people = full()
    people[3] = Member("4", "Кузнецова Г. Г.", {Role.EXPERT}, {"101", "102"})
    people.append(Member("7", "Лебедев Ж. Ж.", {Role.INTERLOCUTOR}, {"102"}))
    assert codes(check_commission(people, EXAM, rooms=["101", "102"])) == ["I34"]
    assert check_commission(people, EXAM, rooms=["101", "102"], mode=EvaluationMode.RECORDING) == []
