"""Russian working-day calendar (pure Python, no Django).

Built on the maintained ``holidays`` library (``holidays.country_holidays("RU")``).

What the library models (checked against holidays 0.109):

* the public holidays of Article 112 of the Labour Code (New Year holidays
  1–8 January, 23 February, 8 March, 1 and 9 May, 12 June, 4 November);
* the automatic move of a holiday that falls on a weekend to the next
  working day ("... (observed)");
* the **official weekend transfers** set every year by a decree of the
  Government of the Russian Federation ("О переносе выходных дней в 20xx
  году"): the weekday that becomes a day off is a holiday entry named
  "Day off (substituted from …)", and the Saturday that becomes a working
  day is listed in ``weekend_workdays`` (for example 27.04.2024, 02.11.2024
  and 28.12.2024 under Постановление Правительства РФ от 10.08.2023 № 1314
  «О переносе выходных дней в 2024 году»; 20.02.2021 under Постановление
  Правительства РФ от 10.10.2020 № 1648; 01.11.2025 under Постановление
  Правительства РФ от 04.10.2024 № 1335).  The library cites
  consultant.ru for every year it covers.
* holiday names in Russian (``language="ru"``), e.g. «Выходной (перенесено
  с 06.01.2024)», which is what :func:`holiday_name` returns.

So no table of government transfers is needed here; the tests pin the
2023/24 transfers so that a library regression would be noticed.

What the library does **not** model: one-off non-working days declared by
a decree of the President rather than by the annual government decree.
Only the two that fall on an exam period are listed in
``EXTRA_NON_WORKING_DAYS`` below (June–July 2020, the ЕГЭ period of the
2019/20 academic year). The COVID-19 "нерабочие дни" of spring 2020 and of
30.10–07.11.2021 are deliberately *not* listed: they were not days off for
every employer and were set differently by region. A deployment that needs
them can pass ``extra_non_working`` to :class:`WorkCalendar`.

Conventions
-----------
* Saturday and Sunday are days off unless the library lists the day as a
  weekend working day.
* ``add_working_days(d, n)`` does not count ``d`` itself: ``n > 0`` moves
  forward to the n-th working day after ``d``, ``n < 0`` moves back to the
  |n|-th working day before ``d``, ``n == 0`` returns ``d`` unchanged
  (use :func:`next_working_day` / :func:`previous_working_day` to roll a
  non-working day).
* ``working_days_between(a, b)`` counts the working days ``x`` with
  ``a < x <= b`` (negative when ``b < a``), so that for a working day ``b``
  ``add_working_days(a, working_days_between(a, b)) == b``.
"""

from __future__ import annotations

import calendar as _calendar
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import lru_cache

import holidays as _holidays

__all__ = [
    "EXTRA_NON_WORKING_DAYS",
    "WorkCalendar",
    "DEFAULT_CALENDAR",
    "is_working_day",
    "is_holiday",
    "holiday_name",
    "add_working_days",
    "working_days_between",
    "working_days_in_range",
    "next_working_day",
    "previous_working_day",
    "nth_weekday",
    "add_months",
]

# One-off non-working days declared by decrees of the President of the
# Russian Federation (not by the annual government decree on transfers,
# so the holidays library does not list them).
EXTRA_NON_WORKING_DAYS: Mapping[date, str] = {
    # Указ Президента РФ от 29.05.2020 о проведении военных парадов
    # 24 июня 2020 года: «Объявить 24 июня 2020 года нерабочим днем с
    # сохранением за работниками заработной платы».
    date(2020, 6, 24): "Нерабочий день (парад Победы), указ Президента РФ от 29.05.2020",
    # Указ Президента РФ от 01.06.2020 об определении даты общероссийского
    # голосования по поправкам к Конституции (1 июля 2020 года — нерабочий день).
    date(2020, 7, 1): "Нерабочий день (общероссийское голосование), указ Президента РФ от 01.06.2020",
}


class WorkCalendar:
    """A working-day calendar for Russia with optional local overrides.

    ``extra_non_working`` / ``extra_working`` let a deployment add regional
    days off or cancel a day off without touching the library data.
    """

    def __init__(
        self,
        extra_non_working: Mapping[date, str] | Iterable[date] | None = None,
        extra_working: Iterable[date] | None = None,
        include_presidential_days: bool = True,
    ) -> None:
        extra: dict[date, str] = {}
        if include_presidential_days:
            extra.update(EXTRA_NON_WORKING_DAYS)
        if extra_non_working:
            if isinstance(extra_non_working, Mapping):
                extra.update(extra_non_working)
            else:
                extra.update({d: "Нерабочий день" for d in extra_non_working})
        self._extra_off = extra
        self._extra_work = frozenset(extra_working or ())
        self._years: dict[int, tuple[dict[date, str], frozenset[date]]] = {}

    # -- data ---------------------------------------------------------------
    def _year(self, year: int) -> tuple[dict[date, str], frozenset[date]]:
        cached = self._years.get(year)
        if cached is None:
            cached = _library_year(year)
            self._years[year] = cached
        return cached

    def holiday_name(self, d: date) -> str | None:
        """Name of the holiday or day off on ``d`` (None for ordinary days)."""
        if d in self._extra_off:
            return self._extra_off[d]
        return self._year(d.year)[0].get(d)

    def is_holiday(self, d: date) -> bool:
        """True for a public holiday or an official day off (not plain weekends)."""
        return self.holiday_name(d) is not None

    def is_working_day(self, d: date) -> bool:
        if d in self._extra_work:
            return True
        if d in self._extra_off:
            return False
        holidays_of_year, weekend_workdays = self._year(d.year)
        if d in holidays_of_year:
            return False
        if d.weekday() >= 5:
            return d in weekend_workdays
        return True

    # -- arithmetic ---------------------------------------------------------
    def add_working_days(self, d: date, n: int) -> date:
        if n == 0:
            return d
        step = timedelta(days=1 if n > 0 else -1)
        remaining = abs(n)
        current = d
        while remaining:
            current += step
            if self.is_working_day(current):
                remaining -= 1
        return current

    def working_days_between(self, a: date, b: date) -> int:
        if a == b:
            return 0
        if b < a:
            return -self.working_days_between(b, a)
        count = 0
        current = a
        one = timedelta(days=1)
        while current < b:
            current += one
            if self.is_working_day(current):
                count += 1
        return count

    def working_days_in_range(self, start: date, end: date) -> int:
        """Number of working days in the closed range [start, end] (0 if empty)."""
        if end < start:
            return 0
        return self.working_days_between(start - timedelta(days=1), end)

    def next_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, else the next working day."""
        current = d
        while not self.is_working_day(current):
            current += timedelta(days=1)
        return current

    def previous_working_day(self, d: date) -> date:
        """``d`` itself when it is a working day, else the previous working day."""
        current = d
        while not self.is_working_day(current):
            current -= timedelta(days=1)
        return current


@lru_cache(maxsize=256)
def _library_year(year: int) -> tuple[dict[date, str], frozenset[date]]:
    """Holidays and weekend working days of one year, from the library."""
    if year < 1991 or year > 2199:
        # Outside the library's range: plain weekends only.
        return {}, frozenset()
    try:
        # Russian names: they are shown to users («Новогодние каникулы»).
        data = _holidays.country_holidays("RU", years=year, language="ru")
    except (NotImplementedError, ValueError, TypeError):  # pragma: no cover
        data = _holidays.country_holidays("RU", years=year)
    table = {d: name for d, name in data.items() if d.year == year}
    workdays = frozenset(d for d in getattr(data, "weekend_workdays", ()) if d.year == year)
    return table, workdays


DEFAULT_CALENDAR = WorkCalendar()


def is_working_day(d: date) -> bool:
    return DEFAULT_CALENDAR.is_working_day(d)


def is_holiday(d: date) -> bool:
    return DEFAULT_CALENDAR.is_holiday(d)


def holiday_name(d: date) -> str | None:
    return DEFAULT_CALENDAR.holiday_name(d)


def add_working_days(d: date, n: int) -> date:
    return DEFAULT_CALENDAR.add_working_days(d, n)


def working_days_between(a: date, b: date) -> int:
    return DEFAULT_CALENDAR.working_days_between(a, b)


def working_days_in_range(start: date, end: date) -> int:
    return DEFAULT_CALENDAR.working_days_in_range(start, end)


def next_working_day(d: date) -> date:
    return DEFAULT_CALENDAR.next_working_day(d)


def previous_working_day(d: date) -> date:
    return DEFAULT_CALENDAR.previous_working_day(d)


def nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The n-th ``weekday`` (0 = Monday … 6 = Sunday) of a month.

    ``n`` may be negative: -1 is the last such weekday of the month.
    Raises ValueError when the month has no such day (e.g. a 5th Monday).
    """
    if n == 0:
        raise ValueError("n must not be 0")
    days_in_month = _calendar.monthrange(year, month)[1]
    if n > 0:
        first = date(year, month, 1)
        offset = (weekday - first.weekday()) % 7
        day = 1 + offset + 7 * (n - 1)
    else:
        last = date(year, month, days_in_month)
        offset = (last.weekday() - weekday) % 7
        day = days_in_month - offset - 7 * (-n - 1)
    if not 1 <= day <= days_in_month:
        raise ValueError(f"no weekday #{n} {weekday} in {year}-{month:02d}")
    return date(year, month, day)


def add_months(d: date, months: int) -> date:
    """Calendar month arithmetic; the day is clamped to the month's length."""
    index = d.year * 12 + (d.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    day = min(d.day, _calendar.monthrange(year, month)[1])
    return date(year, month, day)
