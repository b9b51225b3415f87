"""Interview calendar: federal dates (Порядок ГИА-9), the seed-002 chain, overrides."""

from datetime import date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itog.calendar.workdays import WorkCalendar, is_working_day
from itog.exams.kinds.base import SessionDate, SessionKind
from itog.exams.kinds.interview import calendar as cal

ISSUE_DATES = {
    "2022/23": (date(2023, 2, 8), date(2023, 3, 15), date(2023, 5, 15)),
    "2023/24": (date(2024, 2, 14), date(2024, 3, 13), date(2024, 4, 15)),
    "2024/25": (date(2025, 2, 12), date(2025, 3, 12), date(2025, 4, 21)),
    "2025/26": (date(2026, 2, 11), date(2026, 3, 11), date(2026, 4, 20)),
}


@pytest.mark.parametrize("year", sorted(ISSUE_DATES))
def test_issue_dates(year):
    got = cal.session_dates(year)
    assert tuple(s.date for s in got) == ISSUE_DATES[year]
    assert [s.kind for s in got] == [SessionKind.MAIN, SessionKind.ADDITIONAL, SessionKind.ADDITIONAL]


def test_year_spellings_agree():
    assert cal.session_dates(2023) == cal.session_dates("2023/24") == cal.session_dates("2023-2024")


def test_march_skips_the_8_march_holiday_2023():
    # 08.03.2023 was the second Wednesday of March and a holiday: the second *working* one is 15.03.
    assert date(2023, 3, 8).weekday() == 2 and not is_working_day(date(2023, 3, 8))
    assert cal.session_dates("2022/23")[1].date == date(2023, 3, 15)


def test_regional_day_off_moves_the_working_date():
    # A deployment's extra non-working day on the March date moves it to the next working Wednesday.
    c = WorkCalendar(extra_non_working=[date(2024, 3, 13)])
    assert cal.session_dates("2023/24", calendar=c)[1].date == date(2024, 3, 20)


def test_rule_switch_between_porjadki():
    assert "189/1513" in cal.source_of("2022/23") and "232/551" in cal.source_of("2023/24")


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=2015, max_value=2060))
def test_properties(start):
    main, march, third = (s.date for s in cal.session_dates(start))
    assert main.weekday() == 2 and main.month == 2 and 8 <= main.day <= 14  # 2nd Wednesday
    assert march.weekday() == 2 and march.month == 3 and is_working_day(march)
    assert third.weekday() == 0 and is_working_day(third)
    assert third.month == (4 if start >= 2023 else 5)
    assert main < march < third
    assert cal.academic_year_of(main) == cal.academic_year_label(start)
    # exactly one earlier working Wednesday in March before the March date
    earlier = [march - timedelta(days=7 * k) for k in range(1, 5)]
    assert sum(1 for d in earlier if d.month == 3 and is_working_day(d)) == 1
    if start >= 2023:
        assert sum(1 for k in range(1, 5) if (d := third - timedelta(days=7 * k)).month == 4 and is_working_day(d)) == 2
    for s in cal.session_dates(start):
        assert cal.validate_session(s) == []


def test_seed_002_chain_2024():
    d = cal.session_deadlines(date(2024, 2, 14))
    assert d == {
        "registration": date(2024, 1, 31),  # «До 31.01.2024»
        "commission": date(2024, 1, 31),  # «За две недели»
        "materials_available": date(2024, 2, 7),  # «С 07.02.2024 с 10.00»
        "printing": date(2024, 2, 13),
        "criteria_copies": date(2024, 2, 13),
        "kim_available": date(2024, 2, 14),  # «14.02.2024 с 07.30»
        "exam": date(2024, 2, 14),
        "checking": date(2024, 2, 19),  # «До 19.02.2024 включительно»
        "to_rcoi": date(2024, 2, 20),
        "fis_upload": date(2024, 2, 26),
    }
    texts = {r.key: r.text for r in cal.deadline_chain(date(2024, 2, 14))}
    assert texts["materials_available"] == "С 07.02.2024 с 10.00"
    assert texts["kim_available"] == "С 14.02.2024 с 07.30"
    assert texts["checking"] == "Не позднее 19.02.2024 включительно"


def test_chain_reprojects_onto_2025():
    d = cal.session_deadlines(date(2025, 2, 12))
    assert (d["materials_available"], d["printing"], d["checking"], d["to_rcoi"], d["fis_upload"]) == (
        date(2025, 2, 5),
        date(2025, 2, 11),
        date(2025, 2, 17),
        date(2025, 2, 18),
        date(2025, 2, 24),
    )


def test_check_deadline():
    exam = date(2024, 2, 14)
    assert cal.check_deadline("checking", exam, date(2024, 2, 19)) == []
    late = cal.check_deadline("checking", exam, date(2024, 2, 20))
    assert [v.code for v in late] == ["I03"] and "19.02.2024" in late[0].message
    assert cal.check_deadline("kim_available", exam, datetime(2024, 2, 14, 7, 30)) == []
    early = cal.check_deadline("kim_available", exam, datetime(2024, 2, 14, 7, 29))
    assert [v.code for v in early] == ["I04"] and "07.30" in early[0].message
    assert [v.code for v in cal.check_deadline("materials_available", exam, date(2024, 2, 6))] == ["I04"]
    assert cal.check_deadline("materials_available", exam, datetime(2024, 2, 7, 10, 0)) == []
    assert [v.code for v in cal.check_deadline("exam", exam, date(2024, 2, 15))] == ["I03"]


def test_override_needs_reason():
    rule = date(2024, 2, 14)
    assert cal.validate_override(rule, rule, "") == []
    assert cal.validate_override(rule, date(2024, 2, 21), "Изменение федерального расписания") == []
    got = cal.validate_override(rule, date(2024, 2, 21), "   ")
    assert [(v.code, v.field) for v in got] == [("I01", "date"), ("I02", "reason")]
    assert "21.02.2024" in got[0].message and "третий рабочий понедельник апреля" in got[0].message
    with pytest.raises(ValueError):
        cal.validate_override(date(2024, 2, 15), date(2024, 2, 21), "x")
    assert cal.validate_session(SessionDate(SessionKind.MAIN, date(2024, 2, 21), "перенос")) == []
    assert [v.code for v in cal.validate_session(SessionDate(SessionKind.MAIN, date(2024, 3, 13)))] == ["I01"]


def test_calendar_json_has_the_essay_shape():
    from itog.exams.kinds.essay import calendar as essay

    got = cal.calendar_json("2023/24")
    assert [x["date"] for x in got] == ["2024-02-14", "2024-03-13", "2024-04-15"]
    assert set(got[0]) == {"kind", "stage", "date", "deadlines"} and got[1]["stage"] == "additional"
    assert got[0]["deadlines"]["fis_upload"] == "2024-02-26"
    assert essay.session_dates("2023/24")[0].kind.value == "main"


@pytest.mark.parametrize("year", sorted(ISSUE_DATES))
def test_chain_keeps_its_prerequisite_order_on_every_date(year):
    """J11 (essay-procedure-rules.md, план-график собеседования): access to the instructions and protocols (J3)
    before their printing (J4), access to the КИМ (J6) on the day of the interview (J7), checking (J8) before the
    hand-over to РЦОИ (J9) before the upload to ФИС (J10) — on every date of the calendar, additional ones too."""
    for s in cal.session_dates(year):
        d = cal.session_deadlines(s.date)
        assert d["materials_available"] < d["printing"] < d["exam"], s.date
        assert d["kim_available"] == d["exam"], s.date
        assert d["exam"] < d["checking"] < d["to_rcoi"] < d["fis_upload"], s.date
