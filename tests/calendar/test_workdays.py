"""Tests of the Russian working-day calendar (pure Python, no Django)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itog.calendar import workdays as wd
from itog.calendar.workdays import (
    WorkCalendar,
    add_months,
    add_working_days,
    holiday_name,
    is_holiday,
    is_working_day,
    next_working_day,
    nth_weekday,
    previous_working_day,
    working_days_between,
    working_days_in_range,
)


@pytest.mark.parametrize(
    "d",
    [
        date(2024, 1, 1),
        date(2024, 1, 5),
        date(2024, 1, 8),  # New Year holidays
        date(2024, 2, 23),
        date(2024, 3, 8),
        date(2024, 5, 1),
        date(2024, 5, 9),
        date(2024, 6, 12),
        date(2024, 11, 4),
    ],
)
def test_public_holidays_2024_are_days_off(d):
    assert not is_working_day(d)
    assert is_holiday(d)


@pytest.mark.parametrize(
    "d",
    [
        # Постановление Правительства РФ от 10.08.2023 № 1314: days off moved
        date(2024, 4, 29),
        date(2024, 4, 30),
        date(2024, 5, 10),
        date(2024, 12, 30),
        date(2024, 12, 31),
    ],
)
def test_transferred_days_off_2024(d):
    assert d.weekday() < 5
    assert not is_working_day(d)
    assert holiday_name(d)


@pytest.mark.parametrize("d", [date(2024, 4, 27), date(2024, 11, 2), date(2024, 12, 28), date(2021, 2, 20)])
def test_saturdays_that_became_working_days(d):
    assert d.weekday() == 5
    assert is_working_day(d)


def test_plain_weekend_and_weekday():
    assert not is_working_day(date(2024, 1, 13))  # Saturday
    assert not is_working_day(date(2024, 1, 14))  # Sunday
    assert is_working_day(date(2024, 1, 9))  # first working day of 2024
    assert is_working_day(date(2023, 12, 6))  # essay day, Wednesday


def test_holiday_names_are_russian():
    assert holiday_name(date(2024, 1, 3)) == "Новогодние каникулы"
    assert "перенесено" in holiday_name(date(2024, 5, 10))
    assert holiday_name(date(2024, 1, 9)) is None


def test_presidential_non_working_days_2020():
    assert not is_working_day(date(2020, 6, 24))
    assert not is_working_day(date(2020, 7, 1))
    plain = WorkCalendar(include_presidential_days=False)
    assert plain.is_working_day(date(2020, 7, 1))


def test_add_working_days_across_new_year():
    # Friday 29.12.2023 -> next working day is Tuesday 09.01.2024
    assert add_working_days(date(2023, 12, 29), 1) == date(2024, 1, 9)
    assert add_working_days(date(2024, 1, 9), -1) == date(2023, 12, 29)
    assert add_working_days(date(2023, 12, 28), 2) == date(2024, 1, 9)
    # from inside the holidays
    assert add_working_days(date(2024, 1, 3), 1) == date(2024, 1, 9)
    assert add_working_days(date(2024, 1, 3), -1) == date(2023, 12, 29)
    assert add_working_days(date(2024, 1, 3), 0) == date(2024, 1, 3)


def test_add_working_days_with_transfer():
    # Friday 26.04.2024 + 1 -> Saturday 27.04.2024 (a working day by transfer)
    assert add_working_days(date(2024, 4, 26), 1) == date(2024, 4, 27)
    # Saturday 27.04 + 1 -> Thursday 02.05 (29, 30 April and 1 May are off)
    assert add_working_days(date(2024, 4, 27), 1) == date(2024, 5, 2)


def test_working_days_between_and_range():
    assert working_days_between(date(2023, 12, 29), date(2024, 1, 9)) == 1
    assert working_days_between(date(2024, 1, 9), date(2023, 12, 29)) == -1
    assert working_days_between(date(2024, 1, 9), date(2024, 1, 9)) == 0
    # January 2024 had 17 working days
    assert working_days_in_range(date(2024, 1, 1), date(2024, 1, 31)) == 17
    assert working_days_in_range(date(2024, 1, 31), date(2024, 1, 1)) == 0


def test_next_previous_working_day():
    assert next_working_day(date(2024, 1, 1)) == date(2024, 1, 9)
    assert previous_working_day(date(2024, 1, 8)) == date(2023, 12, 29)
    assert next_working_day(date(2024, 1, 9)) == date(2024, 1, 9)


def test_local_overrides():
    cal = WorkCalendar(extra_non_working={date(2024, 3, 11): "Региональный праздник"}, extra_working=[date(2024, 3, 9)])
    assert not cal.is_working_day(date(2024, 3, 11))
    assert cal.holiday_name(date(2024, 3, 11)) == "Региональный праздник"
    assert cal.is_working_day(date(2024, 3, 9))
    assert is_working_day(date(2024, 3, 11))


def test_nth_weekday_essay_and_interview_days():
    # first Wednesday of December / February, second Wednesday of April
    assert nth_weekday(2023, 12, 2, 1) == date(2023, 12, 6)
    assert nth_weekday(2024, 2, 2, 1) == date(2024, 2, 7)
    assert nth_weekday(2024, 4, 2, 2) == date(2024, 4, 10)
    assert nth_weekday(2024, 12, 2, 1) == date(2024, 12, 4)
    assert nth_weekday(2024, 1, 2, -1) == date(2024, 1, 31)
    with pytest.raises(ValueError):
        nth_weekday(2024, 2, 0, 5)


def test_add_months():
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2023, 12, 15), 6) == date(2024, 6, 15)
    assert add_months(date(2024, 3, 31), -1) == date(2024, 2, 29)


def test_years_outside_library_range_fall_back_to_weekends():
    assert wd.WorkCalendar().is_working_day(date(1980, 1, 2))
    assert not wd.WorkCalendar().is_working_day(date(1980, 1, 5))


_days = st.dates(min_value=date(2019, 1, 1), max_value=date(2027, 12, 31))


@settings(max_examples=150, deadline=None)
@given(_days, st.integers(min_value=-40, max_value=40))
def test_add_working_days_lands_on_working_day(d, n):
    result = add_working_days(d, n)
    if n == 0:
        assert result == d
    else:
        assert is_working_day(result)
        assert (result > d) == (n > 0)
        if n > 0:
            # working days x with d < x <= result
            assert working_days_between(d, result) == n
        else:
            # working days x with result <= x < d
            assert working_days_in_range(result, d - timedelta(days=1)) == -n


@settings(max_examples=100, deadline=None)
@given(_days, _days)
def test_working_days_between_antisymmetric(a, b):
    assert working_days_between(a, b) == -working_days_between(b, a)
    if b >= a:
        assert working_days_in_range(a + timedelta(days=1), b) == working_days_between(a, b)
