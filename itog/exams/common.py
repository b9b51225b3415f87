"""One home for the small things every exam kind and stage shares (pure Python, no Django):
the academic year, the date format of documents, the pass/fail mark.

    >>> academic_year_label("2023-2024"), academic_year_of(date(2024, 2, 7)), fmt_date(date(2023, 12, 6))
    ('2023/24', '2023/24', '06.12.2023')
"""

from __future__ import annotations

import re
from datetime import date

__all__ = [
    "FAIL",
    "MARKS",
    "PASS",
    "RESULT_CHOICES",
    "academic_year_label",
    "academic_year_of",
    "academic_year_start",
    "fmt_date",
]

# ---------------------------------------------------------------- the pass/fail mark

PASS, FAIL = "зачет", "незачет"  # the marks of the essay and the interview (and of every criterion)
MARKS = (PASS, FAIL)
RESULT_CHOICES = [(PASS, "зачет"), (FAIL, "незачет")]  # Django ``choices`` and form choices

# ---------------------------------------------------------------- dates


def fmt_date(d: date) -> str:
    """A date as documents write it: 06.12.2023."""
    return d.strftime("%d.%m.%Y")


# ---------------------------------------------------------------- the academic year (September to August)

_ACADEMIC_YEAR = re.compile(r"^\s*(\d{4})\s*(?:[/\-–]\s*(\d{2}|\d{4}))?\s*$")


def academic_year_start(academic_year: str | int) -> int:
    """The calendar year in which the academic year begins: "2023/24", "2023/2024", "2023-24",
    "2023" and 2023 all give 2023."""
    if isinstance(academic_year, int):
        return academic_year
    m = _ACADEMIC_YEAR.match(academic_year)
    if not m:
        raise ValueError(f"not an academic year: {academic_year!r}")
    start, end = int(m.group(1)), m.group(2)
    if end is not None:
        expected = start + 1 if len(end) == 4 else (start + 1) % 100
        if int(end) != expected:
            raise ValueError(f"not an academic year: {academic_year!r}")
    return start


def academic_year_label(academic_year: str | int) -> str:
    """ "2023/24" for any spelling of the academic year (or its first calendar year)."""
    start = academic_year_start(academic_year)
    return f"{start}/{(start + 1) % 100:02d}"


def academic_year_of(d: date) -> str:
    """The academic year a date belongs to (September to August): 06.12.2023 -> "2023/24"."""
    return academic_year_label(d.year if d.month >= 9 else d.year - 1)
