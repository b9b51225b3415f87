"""Essay rules: calendar, deadlines before the exam, durations, meals, times of day
(section B of the analysis; п. 3.2, 3.3, 4.1–4.6, 7.1, 7.2, 7.7, 7.11 of order № 3311)."""

from __future__ import annotations

from datetime import date, time

import pytest

from itog.exams.kinds.base import (
    ApplicationData,
    Category,
    SessionDate,
    SessionKind,
    Severity,
    SpecialCondition,
    SubmissionRoute,
    WorkMedium,
)
from itog.exams.kinds.essay import procedure as essay

V21_TEXT = (
    "Дата {} не соответствует расписанию: основная дата — первая среда декабря, дополнительные — "
    "первая среда февраля и вторая среда апреля (п. 4.1)."
)


def app(**kw) -> ApplicationData:
    base = dict(category=Category.STUDENT, grade=11, consent_present=True, pamyatka_ack=True)
    base.update(kw)
    return ApplicationData(**base)


# ---------------------------------------------------------------- S1–S3: the act


def test_s1_s3_ruleset_is_order_3311_of_24_11_2023():
    assert essay.RULESET.number == "3311"
    assert essay.RULESET.signed_on == date(2023, 11, 24)
    assert essay.RULESET.region == "Краснодарский край"
    assert "3380" in essay.RULESET.supersedes
    assert essay.KIND == "essay"


# ---------------------------------------------------------------- B1–B3: dates of п. 4.1


@pytest.mark.parametrize(
    "year, expected",
    [
        ("2023/24", [date(2023, 12, 6), date(2024, 2, 7), date(2024, 4, 10)]),
        ("2024/25", [date(2024, 12, 4), date(2025, 2, 5), date(2025, 4, 9)]),
        ("2025/26", [date(2025, 12, 3), date(2026, 2, 4), date(2026, 4, 8)]),
    ],
)
def test_p_4_1_b1_b3_session_dates(year, expected):
    """п. 4.1: main — first Wednesday of December; additional — first Wednesday of February and
    second Wednesday of April (B3's computed dates)."""
    sessions = essay.session_dates(year)
    assert [s.date for s in sessions] == expected
    assert [s.kind for s in sessions] == [SessionKind.MAIN, SessionKind.ADDITIONAL, SessionKind.ADDITIONAL]
    assert [s.kind for s in sessions] == ["main", "additional", "additional"]


def test_p_4_1_b1_main_date_is_first_wednesday_of_december_every_year():
    for start in range(2015, 2040):
        main, feb, apr = (s.date for s in essay.session_dates(start))
        assert main.weekday() == feb.weekday() == apr.weekday() == 2
        assert (main.month, feb.month, apr.month) == (12, 2, 4)
        assert main.day <= 7 and feb.day <= 7 and 8 <= apr.day <= 14
        assert main.year == start and feb.year == apr.year == start + 1


@pytest.mark.parametrize("spelling", ["2023/24", "2023/2024", "2023-24", "2023", 2023, " 2023 / 24 "])
def test_p_4_1_academic_year_spellings(spelling):
    assert essay.session_dates(spelling)[0].date == date(2023, 12, 6)
    assert essay.academic_year_label(spelling) == "2023/24"


@pytest.mark.parametrize("bad", ["2023/25", "2023/2025", "23/24", "учебный год", ""])
def test_p_4_1_bad_academic_year_rejected(bad):
    with pytest.raises(ValueError):
        essay.session_dates(bad)


@pytest.mark.parametrize(
    "d, year",
    [
        (date(2023, 9, 1), "2023/24"),
        (date(2023, 12, 6), "2023/24"),
        (date(2024, 4, 10), "2023/24"),
        (date(2024, 8, 31), "2023/24"),
        (date(2025, 12, 3), "2025/26"),
        (date(2099, 1, 1), "2098/99"),
    ],
)
def test_p_4_1_academic_year_of_a_date(d, year):
    assert essay.academic_year_of(d) == year


# ---------------------------------------------------------------- V21: a session off the rule


def test_p_4_1_v21_session_date_off_the_rule():
    bad = SessionDate(SessionKind.MAIN, date(2023, 12, 13))
    [v] = essay.validate_session(bad)
    assert (v.code, v.item, v.field) == ("V21", "п. 4.1", "date")
    assert v.message == V21_TEXT.format("13.12.2023")


def test_p_4_1_v21_kind_must_match_the_date():
    """06.12.2023 is the main date, not an additional one."""
    [v] = essay.validate_session(SessionDate(SessionKind.ADDITIONAL, date(2023, 12, 6)))
    assert v.code == "V21"


def test_p_4_1_rule_dates_and_overrides_with_reason_are_valid():
    for s in essay.session_dates("2025/26"):
        assert essay.validate_session(s) == []
    moved = SessionDate(SessionKind.MAIN, date(2023, 12, 13), override_reason="Расписание Рособрнадзора")
    assert essay.validate_session(moved) == []


def test_p_4_1_override_without_reason_v21_and_x04():
    out = essay.validate_override(date(2023, 12, 6), date(2023, 12, 13), "  ")
    assert [(v.code, v.field) for v in out] == [("V21", "date"), ("X04", "reason")]
    assert out[0].message == V21_TEXT.format("13.12.2023")
    assert out[1].message == (
        "Для переноса даты проведения с 06.12.2023 на 13.12.2023 необходимо указать основание (п. 4.1)."
    )


def test_p_4_1_override_with_reason_or_unchanged_is_accepted():
    assert essay.validate_override(date(2023, 12, 6), date(2023, 12, 13), "приказ Рособрнадзора № 1") == []
    assert essay.validate_override(date(2024, 2, 7), date(2024, 2, 7), "") == []


def test_p_4_1_override_of_a_non_rule_date_is_a_programming_error():
    with pytest.raises(ValueError):
        essay.validate_override(date(2023, 12, 7), date(2023, 12, 13), "x")


# ---------------------------------------------------------------- A26–A28, B26–B28: deadlines


@pytest.mark.parametrize(
    "exam, d14",
    [
        (date(2023, 12, 6), date(2023, 11, 22)),
        (date(2024, 2, 7), date(2024, 1, 24)),
        (date(2024, 4, 10), date(2024, 3, 27)),
        (date(2024, 12, 4), date(2024, 11, 20)),
        (date(2025, 12, 3), date(2025, 11, 19)),
        (date(2026, 2, 4), date(2026, 1, 21)),
        (date(2026, 4, 8), date(2026, 3, 25)),
    ],
)
def test_a28_p_3_2_3_3_d_minus_14_deadlines(exam, d14):
    """A28: ОО → МОУО (п. 3.3) and МОУО → РЦОИ (п. 3.2) «не позднее, чем за две недели»."""
    deadlines = essay.session_deadlines(exam)
    assert deadlines["oo_to_mouo"] == deadlines["mouo_to_rcoi"] == deadlines["registration"] == d14


def test_b26_b28_p_7_11_1_day_before_deadlines():
    deadlines = essay.session_deadlines(date(2023, 12, 6))
    for key in ("readiness_check", "printing", "seating", "staff_allocation"):
        assert deadlines[key] == date(2023, 12, 5)
    assert essay.DEADLINE_BY_KEY["seating"].exact_day and essay.DEADLINE_BY_KEY["staff_allocation"].exact_day
    assert not essay.DEADLINE_BY_KEY["printing"].exact_day


def test_deadline_labels_and_items():
    assert set(essay.DEADLINE_LABELS) == set(essay.session_deadlines(date(2023, 12, 6)))
    items = {d.key: d.item for d in essay.DEADLINES}
    assert items["oo_to_mouo"] == "п. 3.3"
    assert items["mouo_to_rcoi"] == "п. 3.2"
    assert items["printing"] == "пп. 7.11.1, 7.11.4"
    assert items["seating"] == items["staff_allocation"] == items["readiness_check"] == "п. 7.11.1"
    assert essay.DEADLINE_LABELS["printing"] == "Печать бланков и отчетных форм"
    assert essay.DEADLINE_BY_KEY["oo_to_mouo"].relation == "не позднее"


def test_a26_p_3_3_oo_to_mouo_late_v14():
    [v] = essay.check_submission(SubmissionRoute.OO_TO_MOUO, date(2023, 11, 23), date(2023, 12, 6))
    assert (v.code, v.item, v.field) == ("V14", "п. 3.3", "sent_on")
    assert v.message == (
        "Сведения о зарегистрированных участниках должны быть переданы в МОУО не позднее "
        "22.11.2023 (за две недели до даты проведения, пп. 3.2, 3.3)."
    )


def test_a27_p_3_2_mouo_to_rcoi_late_v14():
    [v] = essay.check_submission("mouo_to_rcoi", date(2024, 1, 25), date(2024, 2, 7))
    assert (v.code, v.item) == ("V14", "п. 3.2")
    assert v.message == (
        "Сведения о зарегистрированных участниках должны быть переданы в РЦОИ не позднее "
        "24.01.2024 (за две недели до даты проведения, пп. 3.2, 3.3)."
    )


@pytest.mark.parametrize("sent", [date(2023, 11, 22), date(2023, 11, 1)])
def test_l9_p_3_2_3_3_d_minus_14_itself_is_in_time(sent):
    for route in SubmissionRoute:
        assert essay.check_submission(route, sent, date(2023, 12, 6)) == []


# ---------------------------------------------------------------- B5–B9: durations and meals


def test_b5_p_4_2_base_duration_235():
    assert essay.BASE_DURATION_MIN == 235
    assert essay.duration_minutes(app()) == 235


@pytest.mark.parametrize("flag", ["ovz", "child_disabled", "disabled"])
def test_b6_p_4_4_extra_90_minutes_for_health_on_request(flag):
    requested = app(**{flag: True}, special_conditions={SpecialCondition.EXTRA_TIME})
    assert essay.duration_minutes(requested) == 325
    assert essay.duration_minutes(app(**{flag: True})) == 235  # L15: not requested, not granted


def test_b6_p_4_4_no_extension_without_health_grounds():
    assert essay.duration_minutes(app(special_conditions={"extra_time"})) == 235


def test_l15_automatic_extension_when_switched(monkeypatch):
    monkeypatch.setattr(essay, "EXTRA_TIME_ON_REQUEST", False)
    assert essay.duration_minutes(app(ovz=True)) == 325
    assert essay.duration_minutes(app()) == 235


def test_b7_p_4_3_excluded_time_and_assistant_transfer_media():
    assert len(essay.EXCLUDED_FROM_DURATION) == 4
    assert any("инструктаж" in x for x in essay.EXCLUDED_FROM_DURATION)
    assert {
        WorkMedium.SPECIAL_NOTEBOOK,
        WorkMedium.ENLARGED_BLANK,
        WorkMedium.COMPUTER,
        WorkMedium.ORAL_AUDIO,
    } == essay.ASSISTANT_TRANSFER_MEDIA
    assert essay.work_medium(app()) == WorkMedium.STANDARD
    assert essay.work_medium(app(ovz=True, special_conditions={"oral_form"})) == WorkMedium.ORAL_AUDIO
    assert essay.work_medium(app(ovz=True, special_conditions={"enlarged_blanks"})) == WorkMedium.ENLARGED_BLANK
    assert essay.work_medium(app(ovz=True, special_conditions={"computer"})) == WorkMedium.COMPUTER
    assert essay.work_medium(app(ovz=True, special_conditions={"special_notebook"})) == WorkMedium.SPECIAL_NOTEBOOK


@pytest.mark.parametrize("minutes, required", [(235, False), (239, False), (240, True), (325, True)])
def test_b9_p_4_5_meals_from_four_hours(minutes, required):
    assert essay.meal_break_required(minutes) is required


def test_b9_p_4_5_meals_follow_the_duration_of_the_application():
    assert essay.meal_break_required(app()) is False
    assert essay.meal_break_required(app(disabled=True, special_conditions={"extra_time"})) is True


def test_b24_l16_reading_40_minutes_does_not_lengthen_the_writing_time():
    assert essay.READING_MIN == 40
    reader = app(ovz=True, exam_form="exposition", documents={"pmpk"}, special_conditions={"reading_40min"})
    assert essay.duration_minutes(reader) == 235


# ---------------------------------------------------------------- B14–B23: times of the exam day (data)


@pytest.mark.parametrize(
    "key, at, relation, item, code",
    [
        ("staff_briefing", time(8, 15), "not_before", "п. 7.11.1", "V35"),  # B15
        ("medic_present", time(9, 0), "from", "п. 7.7", "V53"),  # B14
        ("exposition_texts_published", time(9, 30), "not_before", "п. 7.2", "V37"),  # B16
        ("participants_seated", time(9, 40), "not_later", "п. 7.11.1", "V39"),  # B17
        ("essay_topics_published", time(9, 45), "not_before", "п. 7.1", "V37"),  # B18
        ("kits_to_organizers", time(9, 45), "not_before", "пп. 7.11.1, 7.11.3", "V36"),  # B19
        ("briefing_part1", time(9, 50), "not_before", "п. 7.11.3", "V38"),  # B20
        ("briefing_part2", time(10, 0), "not_before", "п. 7.11.3", "V38"),  # B21
    ],
)
def test_b14_b21_time_rules(key, at, relation, item, code):
    rule = essay.TIME_RULES[key]
    assert (rule.at, rule.relation, rule.item, rule.code) == (at, relation, item, code)
    assert rule.local_time  # L21: publication times read as local time too


def test_b17_b14_warnings_per_k3():
    assert essay.TIME_RULES["participants_seated"].severity == Severity.WARNING
    assert essay.TIME_RULES["medic_present"].severity == Severity.WARNING
    assert essay.TIME_RULES["staff_briefing"].severity == Severity.ERROR


def test_b23_p_7_11_3_announcements_30_and_5_minutes_before_end():
    assert essay.ANNOUNCE_BEFORE_END_MIN == (30, 5)
