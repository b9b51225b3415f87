"""The calendar of the final interview (pure Python, no Django).

The rule the plan parser used so far (seed 001/002, the Tomsk plan-schedule): the main date is the
second Wednesday of February; the additional dates the second working Wednesday of March and the
third working Monday of April (2023/24: 14.02, 13.03, 15.04.2024). Working days: itog.calendar.workdays.
"""

from __future__ import annotations

from datetime import date

from itog.calendar.workdays import DEFAULT_CALENDAR, nth_weekday
from itog.exams.common import academic_year_start
from itog.exams.kinds.base import SessionDate, SessionKind

__all__ = ["session_dates"]

MONDAY, WEDNESDAY = 0, 2


def _working_nth(year: int, month: int, weekday: int, n: int) -> date:
    hits = [d for d in (nth_weekday(year, month, weekday, k) for k in range(1, 5))
            if DEFAULT_CALENDAR.is_working_day(d)]
    return hits[n - 1]


def session_dates(academic_year: str | int) -> list[SessionDate]:
    """>>> [s.date.isoformat() for s in session_dates("2023/24")]
    ['2024-02-14', '2024-03-13', '2024-04-15']
    """
    year = academic_year_start(academic_year) + 1
    return [
        SessionDate(SessionKind.MAIN, nth_weekday(year, 2, WEDNESDAY, 2)),
        SessionDate(SessionKind.ADDITIONAL, _working_nth(year, 3, WEDNESDAY, 2)),
        SessionDate(SessionKind.ADDITIONAL, _working_nth(year, 4, MONDAY, 3)),
    ]
