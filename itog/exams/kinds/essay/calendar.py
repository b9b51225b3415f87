"""The calendar of the final essay (п. 4.1, B1–B4; pure Python, no Django): its dates in an
academic year and the rule for moving one.

The plan parser (``itog.plans.parsing.deadlines``) and the sessions (``itog.exams.registration``)
take the essay's days from here, through the registry (``itog.exams.kinds.calendar_of("essay")``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from itog.calendar.workdays import nth_weekday
from itog.exams.common import academic_year_of, academic_year_start, fmt_date
from itog.exams.kinds.base import SessionDate, SessionKind, Violation

from .codes import violation

__all__ = ["DEADLINES", "is_rule_date", "session_dates", "session_deadlines", "validate_override", "validate_session"]

# L9: «не позднее, чем за две недели до даты проведения» = 14 calendar days before the exam,
# the day itself included (sent on D−14 is in time). The ОО → МОУО and МОУО → РЦОИ deadlines
# are the same day, as written (no earlier ОО deadline is invented). The last day to register
# an application is the same D−14 [derived: later applications cannot be in the lists].
SUBMISSION_DAYS_BEFORE = 14

WEDNESDAY = 2  # date.weekday()


def session_dates(academic_year: str | int) -> list[SessionDate]:
    """The dates of п. 4.1 for an academic year (B1–B3): main — the first Wednesday of December;
    additional — the first Wednesday of February and the second Wednesday of April.

    >>> [s.date.isoformat() for s in session_dates("2023/24")]
    ['2023-12-06', '2024-02-07', '2024-04-10']
    """
    start = academic_year_start(academic_year)
    return [
        SessionDate(SessionKind.MAIN, nth_weekday(start, 12, WEDNESDAY, 1)),
        SessionDate(SessionKind.ADDITIONAL, nth_weekday(start + 1, 2, WEDNESDAY, 1)),
        SessionDate(SessionKind.ADDITIONAL, nth_weekday(start + 1, 4, WEDNESDAY, 2)),
    ]


def is_rule_date(d: date) -> bool:
    return any(s.date == d for s in session_dates(academic_year_of(d)))


def validate_session(session: SessionDate) -> list[Violation]:
    """V21: the date (and its kind) must be one the rule gives, unless it was moved with a
    stated reason (the federal schedule changed; see :func:`validate_override`)."""
    rule = {(s.kind, s.date) for s in session_dates(academic_year_of(session.date))}
    if (session.kind, session.date) in rule or session.override_reason.strip():
        return []
    return [violation("V21", field="date", date=fmt_date(session.date))]


def validate_override(rule_date: date, new_date: date, reason: str) -> list[Violation]:
    """Moving a date away from the rule (a changed federal schedule is the caller's business)
    needs a non-empty reason: without one the new date is reported against п. 4.1 (V21, on the
    date) and the missing reason is reported on the reason (X04).

    ``rule_date`` must be a date the rule gives (``ValueError`` otherwise)."""
    if not is_rule_date(rule_date):
        raise ValueError(f"{rule_date} is not a date of п. 4.1")
    if new_date == rule_date or (reason or "").strip():
        return []
    return [
        violation("V21", field="date", date=fmt_date(new_date)),
        violation("X04", field="reason", rule_date=fmt_date(rule_date), new_date=fmt_date(new_date)),
    ]


# ---------------------------------------------------------------- deadlines before the exam (A26–A28, B26–B28)


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str  # Russian, for the UI
    item: str
    days_before: int
    exact_day: bool = False  # True: on that very day; False: that day or earlier

    @property
    def relation(self) -> str:
        return "за один календарный день до проведения" if self.exact_day else "не позднее"


DEADLINES: tuple[Deadline, ...] = (
    Deadline(
        "registration",
        "Регистрация заявлений (последний день для включения в сведения)",
        "пп. 3.2, 3.3",
        SUBMISSION_DAYS_BEFORE,
    ),
    Deadline(
        "oo_to_mouo",
        "Передача ОО в МОУО сведений об обучающихся, зарегистрировавшихся на итоговое сочинение (изложение)",
        "п. 3.3",
        SUBMISSION_DAYS_BEFORE,
    ),
    Deadline(
        "mouo_to_rcoi",
        "Передача МОУО в РЦОИ сведений обо всех участниках, зарегистрировавшихся на итоговое сочинение (изложение)",
        "п. 3.2",
        SUBMISSION_DAYS_BEFORE,
    ),
    Deadline(
        "readiness_check",
        "Проверка готовности помещений и работоспособности технических средств, "
        "в том числе систем видеонаблюдения и видеозаписи",
        "п. 7.11.1",
        1,
    ),
    Deadline("printing", "Печать бланков и отчетных форм", "пп. 7.11.1, 7.11.4", 1),
    Deadline(
        "seating", "Распределение участников по аудиториям в произвольном порядке", "п. 7.11.1", 1, exact_day=True
    ),
    Deadline(
        "staff_allocation",
        "Распределение членов комиссии по проведению по рабочим местам",
        "п. 7.11.1",
        1,
        exact_day=True,
    ),
)
DEADLINE_BY_KEY: dict[str, Deadline] = {d.key: d for d in DEADLINES}
DEADLINE_LABELS: dict[str, str] = {d.key: d.label for d in DEADLINES}


def session_deadlines(exam_date: date) -> dict[str, date]:
    """Deadline dates before an exam, by key (labels and items: :data:`DEADLINES`).

    >>> session_deadlines(date(2023, 12, 6))["mouo_to_rcoi"]
    datetime.date(2023, 11, 22)
    """
    return {d.key: exam_date - timedelta(days=d.days_before) for d in DEADLINES}
