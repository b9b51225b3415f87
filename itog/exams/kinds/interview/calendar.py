"""Calendar of the interview: its dates, the seed-002 deadline chain, date overrides.

Dates (federal Порядок ГИА-9, the item on the final interview — item number: our reading):

* main date — the second Wednesday of February;
* additional dates of the same academic year — the second *working* Wednesday of March and
  - up to 2022/23 (Порядок № 189/1513): the first working Monday of May;
  - from 2023/24 (Порядок № 232/551, in force from 01.09.2023): the third working Monday of April.

Working days come from :mod:`itog.calendar.workdays` (Labour Code holidays and the government's
weekend transfers): 08.03.2023 was a Wednesday holiday, so the March date of 2022/23 is 15.03;
01.05 and 08.05.2023 were days off, so the May date is 15.05.2023.

The deadline chain is seed 002 (Tomsk, February 2024, exam date 14.02.2024) expressed as
offsets from the exam date D, so it re-projects onto any year's date:

====================  ===============================  ==========  ===========
key                    seed 002 row                     2024 date   offset
====================  ===============================  ==========  ===========
registration           Назначение обучающихся …         до 31.01    D−14
commission             Формирование комиссии …          за 2 недели D−14
materials_available    Доступ к инструкциям, протоколам с 07.02 10:00 D−7 from 10:00
printing               Печать протоколов, ведомостей    ≤ 13.02     D−1
criteria_copies        Тиражирование критериев          ≤ 13.02     D−1
kim_available          Доступ к КИМ, тиражирование      14.02 07:30 D from 07:30
exam                   Проведение собеседования         14.02       D
checking               Проверка, итоговая ведомость     ≤ 19.02 вкл D+5
to_rcoi                Передача протоколов, ведомостей,  ≤ 20.02    D+6
                       записей в РЦОИ
fis_upload             Обработка и отгрузка в ФИС       ≤ 26.02     D+12
====================  ===============================  ==========  ===========

Our reading: «до 31.01.2024» for the registration is read with the federal «не позднее чем за
две недели» (D−14 still in time, as the essay's L9 decision); offsets are calendar days and a
deadline on a day off is not moved (the seed's dates are all working days; a region that moves
them overrides ``DEADLINES``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from itog.calendar.workdays import DEFAULT_CALENDAR, WorkCalendar, nth_weekday
from itog.exams.common import academic_year_label, academic_year_of, academic_year_start
from itog.exams.kinds.base import SessionDate, SessionKind, Violation

from .codes import fmt_date, violation
from .sources import PORYADOK_2018, PORYADOK_2023, SEED_002

__all__ = [
    "APRIL_RULE_FROM",
    "DEADLINES",
    "Deadline",
    "ResolvedDeadline",
    "academic_year_label",
    "academic_year_of",
    "calendar_json",
    "check_deadline",
    "deadline_chain",
    "is_rule_date",
    "session_dates",
    "session_deadlines",
    "validate_override",
    "validate_session",
]

WEDNESDAY, MONDAY = 2, 0
# Academic year (its first calendar year) from which the third additional date is the third
# working Monday of April (Порядок № 232/551 in force from 01.09.2023); before it, the first
# working Monday of May (Порядок № 189/1513).
APRIL_RULE_FROM = 2023
KIM_LOCAL_TIME = True  # seed 002 «с 07.30»: read as the school's local time (our reading)


def _working_nth(year: int, month: int, weekday: int, n: int, cal: WorkCalendar) -> date:
    hits = [
        d
        for d in (nth_weekday(year, month, weekday, k) for k in range(1, 6) if _exists(year, month, weekday, k))
        if cal.is_working_day(d)
    ]
    return hits[n - 1]


def _exists(year: int, month: int, weekday: int, k: int) -> bool:
    try:
        nth_weekday(year, month, weekday, k)
    except ValueError:
        return False
    return True


def session_dates(academic_year: str | int, calendar: WorkCalendar | None = None) -> list[SessionDate]:
    """The three dates of an academic year (main, then the two additional ones).

    >>> [s.date.isoformat() for s in session_dates("2023/24")]
    ['2024-02-14', '2024-03-13', '2024-04-15']
    >>> [s.date.isoformat() for s in session_dates("2022/23")]
    ['2023-02-08', '2023-03-15', '2023-05-15']
    """
    cal = calendar or DEFAULT_CALENDAR
    start = academic_year_start(academic_year)
    year = start + 1  # February, March, April/May fall in the second calendar year
    main = nth_weekday(year, 2, WEDNESDAY, 2)  # PORYADOK: «во вторую среду февраля»
    march = _working_nth(year, 3, WEDNESDAY, 2, cal)  # «вторая рабочая среда марта»
    if start >= APRIL_RULE_FROM:
        third = _working_nth(year, 4, MONDAY, 3, cal)  # PORYADOK_2023: «третий рабочий понедельник апреля»
    else:
        third = _working_nth(year, 5, MONDAY, 1, cal)  # PORYADOK_2018: «первый рабочий понедельник мая»
    return [
        SessionDate(SessionKind.MAIN, main),
        SessionDate(SessionKind.ADDITIONAL, march),
        SessionDate(SessionKind.ADDITIONAL, third),
    ]


def source_of(academic_year: str | int) -> str:
    """The federal Порядок the dates of that academic year come from."""
    return PORYADOK_2023 if academic_year_start(academic_year) >= APRIL_RULE_FROM else PORYADOK_2018


def _third_label(academic_year: str | int) -> str:
    if academic_year_start(academic_year) >= APRIL_RULE_FROM:
        return "третий рабочий понедельник апреля"
    return "первый рабочий понедельник мая"


def is_rule_date(d: date) -> bool:
    return any(s.date == d for s in session_dates(academic_year_of(d)))


def validate_session(session: SessionDate) -> list[Violation]:
    """I01: the date and its kind must be the rule's unless moved with a stated reason."""
    year = academic_year_of(session.date)
    rule = {(s.kind, s.date) for s in session_dates(year)}
    if (session.kind, session.date) in rule or session.override_reason.strip():
        return []
    return [violation("I01", field="date", date=fmt_date(session.date), third=_third_label(year))]


def validate_override(rule_date: date, new_date: date, reason: str) -> list[Violation]:
    """Moving a date away from the rule needs a non-empty reason (as for the essay): without one,
    I01 on the date and I02 on the reason. ``rule_date`` must be a rule date (``ValueError``)."""
    if not is_rule_date(rule_date):
        raise ValueError(f"{rule_date} is not a date of the interview schedule")
    if new_date == rule_date or (reason or "").strip():
        return []
    year = academic_year_of(new_date)
    return [
        violation("I01", field="date", date=fmt_date(new_date), third=_third_label(year)),
        violation("I02", field="reason", rule_date=fmt_date(rule_date), new_date=fmt_date(new_date)),
    ]


# ---------------------------------------------------------------- the seed-002 chain


@dataclass(frozen=True)
class Deadline:
    """One row of the chain. ``relation``: ``"not_later"`` (that day or earlier, inclusive),
    ``"from"`` (not before ``at`` of that day), ``"on"`` (that very day)."""

    key: str
    label: str
    responsible: str  # «ОО» | «РЦОИ»
    offset_days: int
    relation: str
    at: time | None = None
    source: str = SEED_002


DEADLINES: tuple[Deadline, ...] = (
    # seed 002 row 1 «Назначение обучающихся на итоговое собеседование … до 31.01.2024» and
    # Порядок ГИА-9: applications «не позднее чем за две недели до начала проведения».
    Deadline(
        "registration",
        "Подача заявлений и назначение обучающихся на итоговое собеседование",
        "ОО",
        -14,
        "not_later",
        source=f"{SEED_002}; {PORYADOK_2023}",
    ),
    # seed 002 row 2 «за две недели до итогового собеседования»
    Deadline(
        "commission",
        "Формирование комиссии по проведению и проверке итогового собеседования, назначение ответственных",
        "ОО",
        -14,
        "not_later",
    ),
    # seed 002 row 3 «С 07.02.2024 с 10.00»
    Deadline(
        "materials_available",
        "Доступ к инструкциям, протоколам экспертов, итоговым ведомостям",
        "РЦОИ",
        -7,
        "from",
        time(10, 0),
    ),
    # seed 002 row 4 «Не позднее 13.02.2024»
    Deadline("printing", "Печать протоколов экспертов, итоговых ведомостей", "ОО", -1, "not_later"),
    # seed 002 row 5 «Не позднее 13.02.2024»
    Deadline("criteria_copies", "Тиражирование критериев для экспертов", "ОО", -1, "not_later"),
    # seed 002 row 6 «14.02.2024 с 07.30»
    Deadline("kim_available", "Доступ к КИМ итогового собеседования, тиражирование", "РЦОИ", 0, "from", time(7, 30)),
    # seed 002 row 7
    Deadline("exam", "Проведение итогового собеседования", "ОО", 0, "on"),
    # seed 002 row 8 «До 19.02.2024 включительно»; Порядок: checking ends «не позднее чем через пять
    # календарных дней с даты его проведения»
    Deadline(
        "checking",
        "Проверка итогового собеседования, заполнение итоговой ведомости",
        "ОО",
        5,
        "not_later",
        source=f"{SEED_002}; {PORYADOK_2023}",
    ),
    # seed 002 row 9 «Не позднее 20.02.2024»
    Deadline(
        "to_rcoi",
        "Передача протоколов экспертов, итоговых ведомостей и записей участников в РЦОИ",
        "ОО",
        6,
        "not_later",
    ),
    # seed 002 row 10 «Не позднее 26.02.2024»
    Deadline("fis_upload", "Обработка и отгрузка результатов итогового собеседования в ФИС", "РЦОИ", 12, "not_later"),
)
DEADLINE_BY_KEY: dict[str, Deadline] = {d.key: d for d in DEADLINES}


@dataclass(frozen=True)
class ResolvedDeadline:
    deadline: Deadline
    day: date

    @property
    def key(self) -> str:
        return self.deadline.key

    @property
    def starts_at(self) -> datetime | None:
        """Naive local datetime from which a ``"from"`` row is available."""
        at = self.deadline.at
        return datetime.combine(self.day, at) if at is not None else None

    @property
    def text(self) -> str:
        """The Russian wording the UI shows: «Не позднее 13.02.2024», «С 07.02.2024 с 10.00»."""
        d = self.deadline
        if d.relation == "from":
            return f"С {fmt_date(self.day)}" + (f" с {d.at:%H.%M}" if d.at else "")
        if d.relation == "on":
            return fmt_date(self.day)
        return f"Не позднее {fmt_date(self.day)}" + (" включительно" if d.key == "checking" else "")


def deadline_chain(exam_date: date) -> list[ResolvedDeadline]:
    """The chain in seed order, projected onto ``exam_date``."""
    return [ResolvedDeadline(d, exam_date + timedelta(days=d.offset_days)) for d in DEADLINES]


def session_deadlines(exam_date: date) -> dict[str, date]:
    """Deadline dates by key (the essay's shape: ``{key: date}``).

    >>> session_deadlines(date(2024, 2, 14))["to_rcoi"]
    datetime.date(2024, 2, 20)
    """
    return {r.key: r.day for r in deadline_chain(exam_date)}


def check_deadline(key: str, exam_date: date, done_at: date | datetime) -> list[Violation]:
    """Is an action of the chain in time? ``not_later``: on the day or before (I03); ``from``: not
    before the start (I04, date and — when ``done_at`` is a datetime — time); ``on``: that day."""
    r = next(x for x in deadline_chain(exam_date) if x.key == key)
    d = r.deadline
    day = done_at.date() if isinstance(done_at, datetime) else done_at
    if d.relation == "not_later" and day > r.day:
        return [violation("I03", field=key, label=d.label, deadline=fmt_date(r.day))]
    if d.relation == "from":
        too_early = day < r.day or (
            isinstance(done_at, datetime) and r.starts_at is not None and done_at.replace(tzinfo=None) < r.starts_at
        )
        if too_early:
            return [violation("I04", field=key, label=d.label, start=r.text.removeprefix("С ").replace(" с ", ", "))]
    if d.relation == "on" and day != r.day:
        return [violation("I03", field=key, label=d.label, deadline=fmt_date(r.day))]
    return []


def calendar_json(academic_year: str | int) -> list[dict]:
    """What ``itog calendar --kind interview --year … --json`` prints — the essay's shape:
    ``[{"kind", "stage", "date", "deadlines": {key: iso date}}, …]``."""
    return [
        {
            "kind": "interview",
            "stage": s.kind.value,
            "date": s.date.isoformat(),
            "deadlines": {k: v.isoformat() for k, v in session_deadlines(s.date).items()},
        }
        for s in session_dates(academic_year)
    ]
