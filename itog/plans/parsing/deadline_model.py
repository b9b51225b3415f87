"""Value types of the deadline grammar (pure Python, no Django).

See :mod:`itog.plans.parsing.deadlines` for the grammar itself and the
documentation of every field.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

# -- kinds -------------------------------------------------------------------
KIND_DATE = "date"  # one exact day
KIND_BY_DATE = "by_date"  # an upper bound only («до 01.03.2024»)
KIND_WINDOW = "window"  # one range: a month, a month range, «с … по …»
KIND_WINDOWS = "windows"  # several windows in one cell
KIND_CONTINUOUS = "continuous"  # «постоянно», «в течение учебного года»
KIND_RECURRING = "recurring"  # «ежемесячно», «не реже 1 раза в квартал»
KIND_RELATIVE = "relative"  # offset from an event («за 2 недели до начала ГИА»)
KIND_EVENT_PERIOD = "event_period"  # «в период проведения ГИА»
KIND_EXTERNAL = "external"  # «по графику ФЦТ», «по договору»
KIND_UNKNOWN = "unknown"

KINDS = (
    KIND_DATE,
    KIND_BY_DATE,
    KIND_WINDOW,
    KIND_WINDOWS,
    KIND_CONTINUOUS,
    KIND_RECURRING,
    KIND_RELATIVE,
    KIND_EVENT_PERIOD,
    KIND_EXTERNAL,
    KIND_UNKNOWN,
)

# -- anchor units and bounds ---------------------------------------------------
UNIT_CALENDAR_DAY = "calendar_day"
UNIT_WORKING_DAY = "working_day"
UNIT_DAY = "day"  # «2 дней»: the document does not say which; counted as calendar days
UNIT_WEEK = "week"
UNIT_MONTH = "month"
UNIT_HOUR = "hour"

BOUND_NOT_LATER = "not_later"  # «не позднее …», «до …»
BOUND_EXACT = "exact"  # «за 1 календарный день до …», «в день …»
BOUND_WITHIN = "within"  # «в течение N дней после …», «в период …»
BOUND_NOT_EARLIER = "not_earlier"  # «не ранее …», «по завершении …»


@dataclass(frozen=True)
class AcademicYear:
    """An academic (campaign) year, e.g. 2023/24 = 01.09.2023–31.08.2024.

    ``boundary_month`` is the first month of the year (default September);
    with ``boundary_month=1`` the "academic" year is a calendar year.
    """

    start_year: int
    boundary_month: int = 9

    def __post_init__(self) -> None:
        if not 1 <= self.boundary_month <= 12:
            raise ValueError("boundary_month must be 1..12")
        if not 1000 <= self.start_year <= 9000:
            raise ValueError("start_year out of range")

    # -- construction ------------------------------------------------------
    @classmethod
    def parse(cls, value: AcademicYear | str | int, boundary_month: int = 9) -> AcademicYear:
        """Parse «2023/24», «2023/2024», «2023-2024», «2023–24» or a plan year.

        A single year («2024», 2024) is the year a GIA plan is *for*: the
        exams of 2024 belong to the academic year 2023/24.
        """
        if isinstance(value, AcademicYear):
            return value
        if isinstance(value, str):
            return _parse_year_text(value, boundary_month)
        return cls._parse(value, boundary_month)

    @classmethod
    def _parse(cls, value: str | int, boundary_month: int) -> AcademicYear:
        if isinstance(value, int):
            return cls(value - 1 if boundary_month > 1 else value, boundary_month)
        text = str(value).strip()
        m = _AY_RE.match(text)
        if not m:
            raise ValueError(f"Не удалось прочитать учебный год: «{text}»")
        first = int(m.group(1))
        second = m.group(2)
        if second is None:
            return cls(first - 1 if boundary_month > 1 else first, boundary_month)
        second_full = int(second) if len(second) == 4 else (first // 100) * 100 + int(second)
        if second_full != first + 1:
            raise ValueError(f"Годы учебного года должны идти подряд: «{text}»")
        return cls(first, boundary_month)

    @classmethod
    def containing(cls, d: date, boundary_month: int = 9) -> AcademicYear:
        return cls(d.year if d.month >= boundary_month else d.year - 1, boundary_month)

    # -- properties --------------------------------------------------------
    @property
    def start(self) -> date:
        return date(self.start_year, self.boundary_month, 1)

    @property
    def end(self) -> date:
        if self.boundary_month == 1:
            return date(self.start_year, 12, 31)
        return date(self.start_year + 1, self.boundary_month, 1) - timedelta(days=1)

    @property
    def label(self) -> str:
        if self.boundary_month == 1:
            return str(self.start_year)
        return f"{self.start_year}/{(self.start_year + 1) % 100:02d}"

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end

    def year_for_month(self, month: int) -> int:
        """Calendar year of ``month`` inside this academic year."""
        if self.boundary_month == 1 or month >= self.boundary_month:
            return self.start_year
        return self.start_year + 1

    def __str__(self) -> str:
        return self.label


@lru_cache(maxsize=256)
def _parse_year_text(text: str, boundary_month: int) -> AcademicYear:
    return AcademicYear._parse(text, boundary_month)


_AY_RE = re.compile(r"^\s*(\d{4})\s*(?:[/\-\u2013\u2014]\s*(\d{2}|\d{4}))?\s*$")


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


@dataclass(frozen=True)
class Window:
    """A closed date range; ``start``/``end`` may be None for an open side.

    ``qualifiers`` (shallow-frozen) may hold: ``track`` («ГИА-11»),
    ``territory`` (list, «Районы и СПО»), ``times`` (list of
    ``{"time": "HH:MM", "bound": "at|from|until", "label": "ИС"}``),
    ``session`` («основной срок»), ``label``.
    """

    start: date | None
    end: date | None
    qualifiers: dict[str, Any] = field(default_factory=dict, compare=True)

    @property
    def is_reversed(self) -> bool:
        return self.start is not None and self.end is not None and self.end < self.start

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"start": _iso(self.start), "end": _iso(self.end)}
        for key, value in self.qualifiers.items():
            out[key] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass(frozen=True)
class Anchor:
    """A deadline relative to an event: ``event`` + ``offset`` ``unit``s.

    ``offset`` is negative before the event («за 2 недели до» → -2 week),
    positive after it.  ``exam`` narrows ``exam_day`` (essay, interview, …).
    """

    event: str | None
    offset: int = 0
    unit: str | None = None
    bound: str = BOUND_EXACT
    exam: str | None = None
    text: str = ""

    def key(self) -> str | None:
        if self.event is None:
            return None
        return f"{self.event}:{self.exam}" if self.exam else self.event

    def to_json(self) -> dict[str, Any]:
        return {
            "event": self.event,
            "exam": self.exam,
            "offset": self.offset,
            "unit": self.unit,
            "bound": self.bound,
            "text": self.text,
        }


@dataclass(frozen=True)
class Recurrence:
    """«ежемесячно» → freq monthly; «не реже 1 раза в квартал» → quarterly, at_least."""

    freq: str  # daily, weekly, monthly, quarterly, half_yearly, yearly, as_needed
    times: int = 1  # how many times per period
    bound: str = "exact"  # exact, at_least, at_most
    weekday: str | None = None  # «по понедельникам» → monday
    day: int | None = None  # «до 5 числа каждого месяца» → 5
    text: str = ""

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"freq": self.freq, "times": self.times, "bound": self.bound, "text": self.text}
        if self.weekday:
            out["weekday"] = self.weekday
        if self.day is not None:
            out["day"] = self.day
        return out


@dataclass(frozen=True)
class Deadline:
    """The parsed value of one deadline cell (see the module docstring)."""

    raw: str
    kind: str
    windows: tuple[Window, ...] = ()
    anchor: Anchor | None = None
    recurrence: Recurrence | None = None
    schedule_ref: str | None = None
    qualifiers: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    warning_codes: tuple[str, ...] = ()
    academic_year: AcademicYear | None = None
    anchors: tuple[Anchor, ...] = ()

    @property
    def is_unknown(self) -> bool:
        return self.kind == KIND_UNKNOWN

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "raw": self.raw,
            "kind": self.kind,
            "windows": [w.to_json() for w in self.windows],
            "anchor": self.anchor.to_json() if self.anchor else None,
            "recurrence": self.recurrence.to_json() if self.recurrence else None,
            "schedule_ref": self.schedule_ref,
            "qualifiers": _plain(self.qualifiers),
            "warnings": list(self.warnings),
            "warning_codes": list(self.warning_codes),
            "academic_year": self.academic_year.label if self.academic_year else None,
        }
        if len(self.anchors) > 1:
            out["anchors"] = [a.to_json() for a in self.anchors]
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, date):
        return value.isoformat()
    return value
