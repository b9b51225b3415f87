"""The Russian deadline grammar: «Сроки» cells of roadmaps and plan-schedules.

Pure Python (no Django).  Public API::

    parse_deadline(raw, year=None, *, anchors=None, calendar=None) -> Deadline
    parse_deadline_cells(start_raw, end_raw, year=None) -> Deadline  # «дата начала» / «дата окончания»
    parse_deadlines_stream(lines, year) -> Iterator[dict]           # CLI: one phrase per line
    resolve(deadline, anchors, calendar=None) -> list[Window]         # relative → absolute
    exam_calendar(year) -> dict[str, tuple[date, ...]]               # essay / interview days
    looks_like_actor(text) -> bool
    deadline_hook(year) -> callable(ParsedItem) -> dict               # for structure.build_plan
    AcademicYear, Deadline, Window, Anchor, Recurrence

``Deadline.to_json()``::

    {"raw": "ГИА-11: с 01.12. 2023 г. - 01.02. 2024 года, ГИА-9: до 01.03.2024 года",
     "kind": "windows",
     "windows": [{"start": "2023-12-01", "end": "2024-02-01", "track": ["ГИА-11"]},
                 {"start": null, "end": "2024-03-01", "track": ["ГИА-9"]}],
     "anchor": null,            # or {"event", "exam", "offset", "unit", "bound", "text"}
     "recurrence": null,        # or {"freq", "times", "bound", "text", ["weekday"], ["day"]}
     "schedule_ref": null,      # «по графику ФЦТ», «по договору», «по отдельному плану» as written
     "qualifiers": {...},       # tracks, territories, times, sessions, schedule, responsible_tail
     "warnings": [...],         # Russian messages
     "warning_codes": [...],    # one code per message
     "academic_year": "2023/24"}

Kinds
-----
``date`` one day · ``by_date`` upper bound only (window start is null) ·
``window`` one range (a month, «с … по …», «с 07.02.2024» with a null end) ·
``windows`` several · ``continuous`` («постоянно», «в течение учебного года»;
window = the academic year) · ``recurring`` («ежемесячно»; windows = the
academic year unless dates are given) · ``relative`` (an ``anchor``) ·
``event_period`` («в период проведения ГИА»; an ``anchor`` with bound
``within``) · ``external`` (only a ``schedule_ref``) · ``unknown`` (the raw
text is kept, a warning says why; never an exception, never a guessed date).

Anchor event vocabulary (``Anchor.event``)
-----------------------------------------
==========================  ===================================================
``exam_day``                день проведения экзамена («до экзамена», «в день
                            проведения экзамена»); ``Anchor.exam`` narrows it:
                            ``essay`` (итоговое сочинение/изложение),
                            ``interview`` (итоговое собеседование)
``exam_days``               дни проведения экзаменов (period)
``gia_start``               начало ГИА / экзаменационной кампании / экзаменов
``gia_end``                 завершение ГИА / экзаменов
``gia_period``              период проведения ГИА (period)
``appeal_filed``            подача апелляции
``appeal_decision``         решение конфликтной комиссии (КК)
``appeal_commission_start`` начало работы конфликтной комиссии
``appeal_commission_period`` сроки работы КК (period)
``gek_approval``            утверждение результатов (председателем) ГЭК
``results_received``        получение результатов / протоколов результатов
``results_day``             объявление результатов, ознакомление с результатами
``decision``                принятие решения (whose, is not said)
``application_filed``       подача / поступление заявления
``registration_end``        окончание регистрации / подачи заявлений
``document_approval``       утверждение / издание приказа, плана
``processing_end``          завершение обработки
``processing_period``       период обработки материалов (period)
``storage_end``             завершение сроков хранения
==========================  ===================================================

``Anchor.offset`` is signed (before the event < 0), ``unit`` is one of
``calendar_day``, ``working_day``, ``day`` (type not stated: counted as
calendar days, with a warning), ``week``, ``month``, ``hour``;
``bound`` is ``not_later`` / ``exact`` / ``within`` / ``not_earlier``.

Resolution (:func:`resolve`): ``exact`` → [A+off, A+off]; ``not_later``
before the event → [null, A+off], after it → [A, A+off]; ``within`` →
[A, A+off]; ``not_earlier`` → [A+off, null]; a period event → its span.
Working days use :mod:`itog.calendar.workdays` (the ``holidays`` library,
with the official weekend transfers).  :func:`exam_calendar` knows the
essay days (first Wednesday of December; additional: first Wednesday of
February, second Wednesday of April) and the interview days (second
Wednesday of February, second working Wednesday of March, third working
Monday of April, as in the 2024 dates 14.02/13.03/15.04 of seed 001), so
``parse_deadline`` resolves «за две недели до итогового собеседования» as
soon as the academic year is known: one window per session, labelled.

Decisions the documents leave open (documented here, not guessed per cell)
-------------------------------------------------------------------------
* «до DD.MM.YYYY» includes the date (``by_date`` ending on it); «до
  <месяца>» ends the day before the month begins, «не позднее <месяца>» at
  its end.
* A year missing from a point is carried from the right (then from the
  left), else taken from the academic year: September–December → the first
  calendar year, January–August → the second.  No warning: that is normal.
* A range written backwards is kept as written with a warning; windows are
  never swapped.
* Start/end columns with *different* territory or track labels on the two
  sides are per-territory dates (seed 000: «16.11.2023г. Районы и СПО» /
  «17.11.2023г. г. Элиста»), not a range.
* Windows entirely outside the academic year (± 2 months) get a warning.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from itog.calendar.workdays import DEFAULT_CALENDAR, WorkCalendar, add_months
from itog.plans.parsing.deadline_dates import DateScan, Qual, scan_dates
from itog.plans.parsing.deadline_lexicon import (
    MONTH_ALT,
    NUMBER_WORD_ALT,
    WEEKDAY_ALT,
    WEEKDAY_NAMES,
    Normalized,
    normalize,
    number_value,
    weekday_number,
)
from itog.plans.parsing.deadline_model import (
    BOUND_EXACT,
    BOUND_NOT_EARLIER,
    BOUND_NOT_LATER,
    BOUND_WITHIN,
    KIND_BY_DATE,
    KIND_CONTINUOUS,
    KIND_DATE,
    KIND_EVENT_PERIOD,
    KIND_EXTERNAL,
    KIND_RECURRING,
    KIND_RELATIVE,
    KIND_UNKNOWN,
    KIND_WINDOW,
    KIND_WINDOWS,
    KINDS,
    UNIT_CALENDAR_DAY,
    UNIT_DAY,
    UNIT_HOUR,
    UNIT_MONTH,
    UNIT_WEEK,
    UNIT_WORKING_DAY,
    AcademicYear,
    Anchor,
    Deadline,
    Recurrence,
    Window,
)

__all__ = [
    "AcademicYear",
    "Anchor",
    "Deadline",
    "Recurrence",
    "Window",
    "KINDS",
    "parse_deadline",
    "parse_deadline_cells",
    "parse_deadlines_stream",
    "resolve",
    "exam_calendar",
    "looks_like_actor",
    "deadline_hook",
    "ANCHOR_EVENTS",
    "PERIOD_EVENTS",
    "EXAM_DAY",
    "EXAM_DAYS",
    "GIA_START",
    "GIA_END",
    "GIA_PERIOD",
    "APPEAL_FILED",
    "APPEAL_DECISION",
    "APPEAL_COMMISSION_START",
    "APPEAL_COMMISSION_PERIOD",
    "GEK_APPROVAL",
    "RESULTS_RECEIVED",
    "RESULTS_DAY",
    "DECISION",
    "APPLICATION_FILED",
    "REGISTRATION_END",
    "DOCUMENT_APPROVAL",
    "PROCESSING_END",
    "PROCESSING_PERIOD",
    "STORAGE_END",
    "EXAM_ESSAY",
    "EXAM_INTERVIEW",
    "SESSION_MAIN",
    "format_deadline",
    "run_parse_deadlines",
]

# -- anchor events ------------------------------------------------------------
EXAM_DAY = "exam_day"
EXAM_DAYS = "exam_days"
GIA_START = "gia_start"
GIA_END = "gia_end"
GIA_PERIOD = "gia_period"
APPEAL_FILED = "appeal_filed"
APPEAL_DECISION = "appeal_decision"
APPEAL_COMMISSION_START = "appeal_commission_start"
APPEAL_COMMISSION_PERIOD = "appeal_commission_period"
GEK_APPROVAL = "gek_approval"
RESULTS_RECEIVED = "results_received"
RESULTS_DAY = "results_day"
DECISION = "decision"
APPLICATION_FILED = "application_filed"
REGISTRATION_END = "registration_end"
DOCUMENT_APPROVAL = "document_approval"
PROCESSING_END = "processing_end"
PROCESSING_PERIOD = "processing_period"
STORAGE_END = "storage_end"

EXAM_ESSAY = "essay"
EXAM_INTERVIEW = "interview"

ANCHOR_EVENTS: dict[str, str] = {
    EXAM_DAY: "день проведения экзамена",
    EXAM_DAYS: "дни проведения экзаменов",
    GIA_START: "начало ГИА",
    GIA_END: "завершение ГИА (экзаменов)",
    GIA_PERIOD: "период проведения ГИА",
    APPEAL_FILED: "подача апелляции",
    APPEAL_DECISION: "решение конфликтной комиссии",
    APPEAL_COMMISSION_START: "начало работы конфликтной комиссии",
    APPEAL_COMMISSION_PERIOD: "сроки работы конфликтной комиссии",
    GEK_APPROVAL: "утверждение результатов ГЭК",
    RESULTS_RECEIVED: "получение результатов",
    RESULTS_DAY: "объявление результатов",
    DECISION: "принятие решения",
    APPLICATION_FILED: "подача заявления",
    REGISTRATION_END: "окончание регистрации",
    DOCUMENT_APPROVAL: "утверждение документа",
    PROCESSING_END: "завершение обработки",
    PROCESSING_PERIOD: "период обработки материалов",
    STORAGE_END: "окончание сроков хранения",
}
PERIOD_EVENTS = frozenset({EXAM_DAYS, GIA_PERIOD, APPEAL_COMMISSION_PERIOD, PROCESSING_PERIOD})

_KK = r"(?:конфликтн\w+\s+комисси\w*|кк)"
_GIA = r"(?:гиа|государственной\s+итоговой\s+аттестации|экзаменационной\s+кампании)"
_PRE = r"(?:(?:дня|даты|момента|дату|день)\s+)?"

# (event, exam, regex) — the order matters: specific phrasings first.
_EVENT_DEFS: list[tuple[str, str | None, str]] = [
    (APPEAL_FILED, None, _PRE + r"подач\w*\s+(?:\w+\s+)?апелляци\w*"),
    (
        APPEAL_DECISION,
        None,
        _PRE
        + r"(?:(?:принятия|вынесения)\s+(?:\w+\s+)?решени\w*\s+"
        + _KK
        + r"|(?:решени\w*|заседани\w*)\s+"
        + _KK
        + r")",
    ),
    (APPEAL_COMMISSION_START, None, r"начал\w*\s+(?:работы\s+|заседани\w*\s+)" + _KK),
    (APPEAL_COMMISSION_PERIOD, None, r"(?:сроки|срок|период\w*|дни|время)\s+работы\s+" + _KK),
    (
        GEK_APPROVAL,
        None,
        _PRE + r"(?:утвержд\w*\s+(?:председател\w*\s+гэк\s+)?результат\w*"
        r"(?:\s+(?:гиа|егэ|огэ|гвэ|экзамен\w*))?(?:\s+председател\w*)?(?:\s+гэк)?"
        r"|(?:решени\w*|заседани\w*)\s+гэк)",
    ),
    (
        RESULTS_RECEIVED,
        None,
        _PRE + r"получени\w*\s+(?:\w+\s+)?(?:протокол\w*|результат\w*)"
        r"(?:\s+(?:протокол\w*|результат\w*))?",
    ),
    (
        RESULTS_DAY,
        None,
        _PRE + r"(?:официального\s+)?(?:объявлени|ознакомлени|опубликовани|публикаци"
        r"|информировани|выдачи)\w*\s+(?:\w+\s+)?(?:с\s+)?результат\w*",
    ),
    (
        REGISTRATION_END,
        None,
        r"(?:окончани|завершени|истечени)\w*\s+(?:срок\w*\s+)?(?:регистраци\w*"
        r"|подачи\s+заявлени\w*|приема\s+заявлени\w*)",
    ),
    (
        APPLICATION_FILED,
        None,
        _PRE + r"(?:подачи|поступлени\w*|получени\w*|приема|регистрации)\s+"
        r"(?:\w+\s+)?заявлени\w*",
    ),
    (
        DOCUMENT_APPROVAL,
        None,
        _PRE + r"(?:утвержд|подписани|издани|вступлени)\w*\s+(?:в\s+силу\s+)?"
        r"(?:приказ|распоряжени|постановлени|документ|план|порядк|регламент|положени)\w*",
    ),
    (STORAGE_END, None, r"(?:окончани|завершени|истечени)\w*\s+срок\w*\s+хранени\w*"),
    (PROCESSING_END, None, r"(?:окончани|завершени)\w*\s+(?:проверки\s+и\s+)?обработк\w*"),
    (
        PROCESSING_PERIOD,
        None,
        r"(?:период\w*|сроки|время)\s+(?:проверки\s+и\s+)?обработки"
        r"(?:\s+(?:экзаменационных\s+)?(?:материал\w*|бланк\w*|работ\w*))?"
        r"(?:\s+по\s+(?:каждому|соответствующему)\s+(?:учебному\s+)?(?:экзамену|предмету))?",
    ),
    (GIA_END, None, r"(?:окончани|завершени)\w*\s+(?:проведения\s+)?(?:всех\s+)?(?:" + _GIA + r"|экзаменов(?![а-я]))"),
    (
        GIA_START,
        None,
        # «до ГИА», «до проведения ГИА», «до начала ГИА»; after the GIA it is its end (_AFTER_RE in
        # _find_relative_events)
        r"(?:(?:начал\w*\s+(?:проведения\s+)?|проведения\s+)(?:" + _GIA + r"|экзаменов(?![а-я]))|" + _GIA + ")"
        r"(?:\s*-\s*(?:9|11|(?:19|20)\d{2}))?",
    ),
    (
        EXAM_DAY,
        EXAM_ESSAY,
        # «до начала проведения итогового сочинения»: a one-day exam starts on its day
        r"(?:начал\w*\s+)?" + _PRE + r"(?:проведения\s+|написания\s+)?итогово\w+\s+(?:сочинени\w*|изложени\w*)"
        r"(?:\s*\(\s*изложени\w*\s*\))?",
    ),
    (
        EXAM_DAY,
        EXAM_INTERVIEW,
        r"(?:начал\w*\s+)?" + _PRE + r"(?:проведения\s+)?итогово\w+\s+собеседовани\w*"
        r"(?:\s+по\s+русскому\s+языку)?",
    ),
    (
        EXAM_DAY,
        None,
        r"(?:(?:начал|окончани|завершени)\w*\s+)?"
        + _PRE
        + r"(?:проведения\s+)?(?:каждого\s+)?(?:экзамен\w*|егэ|огэ|гвэ)"
        r"(?:\s+по\s+(?:соответствующему|каждому)\s+(?:учебному\s+)?предмету)?"
        r"|(?:дня\s+|даты\s+)?проведения(?![а-я])",
    ),
    (DECISION, None, _PRE + r"(?:принятия|вынесения)\s+(?:\w+\s+)?решени\w*"),
]


def _event_rx(event: str) -> str:
    return next(rx for ev, _exam, rx in _EVENT_DEFS if ev == event)


def _event_alt(prefix: str) -> str:
    """All event phrasings as one alternation with groups ``<prefix><index>``."""
    parts = [f"(?P<{prefix}{i}>{rx})" for i, (_event, _exam, rx) in enumerate(_EVENT_DEFS)]
    return "(?:" + "|".join(parts) + ")"


def _event_of(m: re.Match[str], prefix: str) -> tuple[str, str | None, int, int] | None:
    for i, (event, exam, _rx) in enumerate(_EVENT_DEFS):
        g = f"{prefix}{i}"
        if m.group(g) is not None:
            return event, exam, m.start(g), m.end(g)
    return None


_NUM = r"(?:\d{1,3}(?!\d)|" + NUMBER_WORD_ALT + r")"  # not a year: «в течение 2021 года»
# «в трехдневный срок», «в 3-дневный срок», «в двухнедельный срок»: a term of N units
_TERM_NUMBERS = {
    "одно": 1,
    "двух": 2,
    "трех": 3,
    "трёх": 3,
    "четырех": 4,
    "четырёх": 4,
    "пяти": 5,
    "шести": 6,
    "семи": 7,
    "десяти": 10,
    "пятнадцати": 15,
    "тридцати": 30,
}
_TERM = r"(?:" + "|".join(_TERM_NUMBERS) + r")?(?:дневн|недельн|месячн)\w*\s+срок\w*"
# a number and its unit: «3 дня», «3-х дней», «3-дневный срок»
_NUM_SEP = r"(?:\s*-?\s*(?:х|ти|и|ми|ух|ех|ого|го))?(?:\s+|\s*-\s*(?=(?:дневн|недельн|месячн)))"
_UNIT = (
    r"(?P<unit>" + _TERM + r"|дн(?:я|ей|ю|и|ях)(?![а-я])|день|сут(?:ки|ок|ках)|недел(?:я|и|ю|ь|ь)(?![а-я])"
    r"|месяц(?:а|ев)?(?![а-я])|полугод(?:ие|ия|а)|полгода|год(?:а)?(?![а-я])|час(?:а|ов)?(?![а-я]))"
)

# «не позднее чем за 1 рабочий день до экзамена», «в течение 10 дней после экзамена»,
# «1 сутки со дня утверждения результатов ГИА», «в течение полугода по завершении экзаменов»,
# «в 3-дневный (трехдневный) срок после экзамена»
_REL_OFFSET_RE = re.compile(
    r"(?P<pre>(?:в\s+срок\s+)?(?:не\s+позднее|не\s+позже|не\s+ранее)(?:\s*,?\s*чем)?(?:\s+(?:за|через|спустя))?"
    r"|в\s+течение|на\s+протяжении|в\s+срок\s+до|в\s+срок|за|через|спустя|на|до|в(?=\s+\S*(?:дневн|недельн|месячн)))?\s*"
    r"(?:(?P<num>" + _NUM + r")" + _NUM_SEP + r")?"
    r"(?P<mod>(?:календарн|рабоч)\w*\s+)?"
    + _UNIT
    + r"\s+(?P<dir>до|после|со\s+дня|с\s+момента|с\s+даты|с\s+дня|от\s+даты|от\s+дня"
    r"|по(?=\s+(?:завершени|окончани|истечени))|с|от|перед)\s+" + _event_alt("o")
)
# «на следующий (рабочий) день после …», «в день, следующий за днем …»
_REL_NEXT_RE = re.compile(
    r"(?:на|в)\s+следующий\s+(?P<mod>(?:календарн|рабоч)\w*\s+)?день\s+(?:после|за\s+днем)?\s*" + _event_alt("n")
)
# «в день проведения экзамена», «накануне экзаменов», «до начала работы КК»,
# «по завершении обработки всех этапов ГИА»
_REL_ZERO_RE = re.compile(
    r"(?P<pre>в\s+день|в\s+дату|накануне|в\s+срок\s+до|до|не\s+позднее(?:\s*,?\s*чем)?"
    r"|не\s+позже(?:\s*,?\s*чем)?|не\s+ранее(?:\s*,?\s*чем)?"
    r"|после|по(?=\s+(?:завершени|окончани|истечени))|по\s+итогам|с\s+момента|со\s+дня|с\s+даты"
    r"|с\s+начала|с\s+дня|перед)\s+" + _event_alt("z")
)
# «в течение 3 рабочих дней» — an offset whose event is not named
_REL_BARE_RE = re.compile(
    r"(?P<pre>(?:в\s+срок\s+)?(?:не\s+позднее|не\s+позже)(?:\s*,?\s*чем)?|в\s+течение|на\s+протяжении"
    r"|через|спустя|в(?=\s+\S*(?:дневн|недельн|месячн)))\s+(?:(?P<num>" + _NUM + r")" + _NUM_SEP + r")?"
    r"(?P<mod>(?:календарн|рабоч)\w*\s+)?"
    + _UNIT
    # «… с момента поступления», «… после получения запроса»: counted from an event the grammar does not know
    + r"(?P<tail>\s+(?:с\s+момента|со\s+дня|с\s+даты|от\s+даты|после|по\s+получении|по\s+поступлении)"
    r"(?:\s+[а-я]+){1,4})?(?=\s*(?:$|[;,.)\n]))"
)
# «в период ГИА», «в период проведения ГИА», «в период ГИА-2024», «в дни проведения экзаменов»,
# «в сроки работы КК», «в период обработки материалов по каждому экзамену»
_PERIOD_RE = re.compile(
    r"(?P<gia>(?:в\s+(?:период\w*|ходе)|во\s+время)\s+(?:проведения\s+)?(?:"
    + _GIA
    + r"|экзаменов|егэ|огэ|гвэ)(?:\s*-\s*(?:9|11))?(?:\s*-?\s*(?:19|20)\d{2}(?:\s*(?:года|год|г)\.?)?)?)"
    r"|(?P<days>в\s+дни\s+(?:проведения\s+)?(?:экзамен\w*|гиа|егэ|огэ|гвэ|итогово\w+\s+\w+))"
    r"|(?P<other>(?:в\s+)?(?:" + _event_rx(APPEAL_COMMISSION_PERIOD) + r"|" + _event_rx(PROCESSING_PERIOD) + r"))"
)

# Cheap keyword tests: a recogniser runs only when its words can be present.
_EVENT_HINT_RE = re.compile(
    r"экзамен|егэ|огэ|гвэ|гиа|аттестаци|апелляц|(?<![а-я])кк(?![а-я])|конфликтн|гэк|результат|решени"
    r"|заявлени|регистраци|приказ|распоряжени|постановлени|документ|план|порядк|регламент|положени"
    r"|хранени|обработк|сочинени|изложени|собеседовани|проведени|кампани"
)
_BARE_HINT_RE = re.compile(
    r"дн|день|сут|недел|месяц|полугод|полгода|час|(?<!\d)\d{1,3}\s+(?:год|лет)"
    r"|(?:одного|двух|трех)\s+(?:год|лет)"
)
_TIME_HINT_RE = re.compile(r"\d\s*:\s*\d|час|\d\s*ч(?![а-я])|(?:в|с|до|к|по|ранее|позднее|позже)\s+\d{1,2}\.\d\d")
_SCHED_HINT_RE = re.compile(r"по\s|согласно|соответстви|срок")
_CONT_HINT_RE = re.compile(
    r"течени|протяжени|учебн|уч\.|постоянн|круглогод|кругл|весь|всего|систематич"
    r"|непрерывн|кампани|ходе"
)
_TRACK_HINT_RE = re.compile(r"гиа|гвэ|егэ|огэ|класс")
_TERR_HINT_RE = re.compile(r"район|спо|г\.\s?[а-я]{2}|город|округ")
_SESSION_HINT_RE = re.compile(r"досрочн|основн|дополнительн|резервн|этап|волн")

# -- external schedules ----------------------------------------------------------
_SCHED_RE = re.compile(
    r"(?P<agreed>по\s+согласованному\s+с\s+(?P<own>[^;\n]{1,100}?)\s+(?P<h0>плану\s*-\s*графику|графику"
    r"|плану|расписанию))"
    r"|(?P<po>(?:согласно|по)\s+(?:(?:отдельному|отдельно|утвержденному|единому|федеральному"
    r"|региональному|согласованному|установленному|своему|собственному|индивидуальному)\s+)*"
    r"(?P<h1>плану\s*-\s*графику|графику|графиков|плану|планам|расписанию|регламенту|порядку"
    r"|договор(?:у|ам|ом)|контракт(?:у|ам)|соглашени(?:ю|ям)|запрос(?:у|ам)|заявк(?:е|ам)"
    r"|требовани(?:ю|ям)|срокам|согласовани(?:ю)))(?![а-я])"
    r"|(?P<acc>в\s+соответствии\s+с\s+(?:(?:утвержденн|установленн|отдельн|федеральн|единым|действующ)\w*\s+)?"
    r"(?P<h2>порядк\w*\s+и\s+график\w*|график\w*|расписани\w*|план\w*(?:\s*-\s*график\w*)?|порядк\w*"
    r"|регламент\w*|договор\w*|контракт\w*))"
    r"|(?P<est>в\s+(?:установленн|определенн|утвержденн)\w*\s+(?:\w+\s+)?срок\w*"
    r"|в\s+сроки\s*,?\s*(?:установленн|определенн|утвержденн|предусмотренн)\w*)"
)
_SCHED_TYPES = (
    ("плану-графику", "plan_schedule"),
    ("плану - графику", "plan_schedule"),
    ("план", "plan"),
    ("порядк", "procedure"),
    ("график", "schedule"),
    ("расписани", "timetable"),
    ("регламент", "procedure"),
    ("договор", "contract"),
    ("контракт", "contract"),
    ("соглашени", "contract"),
    ("запрос", "request"),
    ("заявк", "applications"),
    ("требовани", "request"),
    ("срокам", "terms"),
    ("согласовани", "agreement"),
)


def _schedule_type(head: str) -> str:
    h = re.sub(r"\s+", " ", head)
    if "порядк" in h and "график" in h:
        return "schedule"
    if "план" in h and "график" in h:
        return "plan_schedule"
    for stem, kind in _SCHED_TYPES:
        if h.startswith(stem) or stem in h:
            return kind
    return "schedule"


# -- recurrence ----------------------------------------------------------------------
_PERIOD_FREQ = (
    ("сут", "daily"),
    ("ден", "daily"),
    ("дн", "daily"),
    ("недел", "weekly"),
    ("месяц", "monthly"),
    ("квартал", "quarterly"),
    ("триместр", "quarterly"),
    ("четверт", "quarterly"),
    ("полугоди", "half_yearly"),
    ("полгода", "half_yearly"),
    ("учебный год", "yearly"),
    ("год", "yearly"),
)
_WORD_FREQ = {
    "ежедневно": "daily",
    "еженедельно": "weekly",
    "ежемесячно": "monthly",
    "ежеквартально": "quarterly",
    "ежегодно": "yearly",
    "раз в полгода": "half_yearly",
    "регулярно": "regular",
}
_REC_RE = re.compile(
    r"(?P<w>ежедневно|еженедельно|ежемесячно|ежеквартально|ежегодно|регулярно)"
    r"|(?:(?P<bnd>не\s+реже|не\s+чаще|не\s+менее|не\s+более|минимум|как\s+минимум)\s+)?"
    r"(?:(?P<n>\d{1,3}|" + NUMBER_WORD_ALT + r")(?:-?(?:х|ух|ех))?\s+)?"
    r"(?P<raz>раза?\s+)?(?<![а-я])в\s+(?P<per>день|сутки|неделю|месяц|квартал|полугодие|полгода|год"
    r"|учебный\s+год|триместр|четверть)(?![а-я])"
    r"|(?P<each>кажд\w+)\s+(?P<per3>день|недел\w*|месяц\w*|квартал\w*|полугоди\w*|год\w*|" + WEEKDAY_ALT + r")(?![а-я])"
    r"|по\s+(?P<wds>понедельникам|вторникам|средам|четвергам|пятницам|субботам|воскресеньям)"
    r"|(?P<need>по\s+мере\s+(?:необходимости|поступлени\w*(?:\s+(?:запрос|заявк|обращени|документ"
    r"|информаци|материал|сведени)\w*)?|готовности|появлени\w*|обращени\w*|выявлени\w*))"
    r"|(?P<md>(?:(?P<mdb>до|не\s+позднее|к)\s+)?(?P<mdd>\d{1,2})(?:\s*-?\s*(?:го|е))?\s+числа"
    r"(?:\s+(?:каждого|следующего\s+за\s+отчетным|текущего)(?:\s+месяца)?|\s+месяца)?"
    r"(?:\s*,?\s*следующ\w+\s+за\s+отч[её]тн\w+(?:\s+(?:месяц\w*|период\w*))?)?)"
)

# -- continuous ----------------------------------------------------------------------
_CONT_RE = re.compile(
    r"(?P<ay>(?:(?:в\s+течение|на\s+протяжении|в\s+ходе)\s+)?(?:всего\s+)?"
    r"(?:(?P<y1>(?:19|20)\d{2})\s*[-/]\s*(?P<y2>(?:19|20)?\d{2})\s*)?(?:текущего\s+)?"
    r"(?:учебн\w+\s+год\w*|уч\.\s*г(?:од\w*|\.)?))"
    r"|(?P<cy>(?:по\s+срокам\s+)?(?:в\s+течение|на\s+протяжении)\s+(?:всего\s+)?(?P<y3>(?:19|20)\d{2})"
    r"\s*(?:года|год|г)(?![а-я])\.?)"
    r"|(?P<yr>(?:в\s+течение|на\s+протяжении)\s+(?:всего\s+)?(?:текущего\s+|календарного\s+)?года(?![а-я]))"
    r"|(?P<always>постоянно|круглогодично|круглый\s+год|весь\s+период|(?:в\s+течение|на\s+протяжении)"
    r"\s+всего\s+периода|систематически|непрерывно|в\s+постоянном\s+режиме|на\s+постоянной\s+основе"
    r"|(?:в\s+течение|на\s+протяжении)\s+(?:всей\s+)?(?:экзаменационной\s+)?кампании|весь\s+учебный\s+год)"
)

# «до конца учебного года», «до начала нового учебного года», «к концу года»: by a date at an edge of a year
_EDGE_RE = re.compile(
    r"(?:до|к)\s+(?P<edge>конц\w*|окончани\w*|начал\w*)\s+(?:(?P<which>текущего|нового|следующего|этого"
    r"|календарного)\s+)?(?:(?P<y1>(?:19|20)\d{2})\s*[-/]\s*(?P<y2>(?:19|20)?\d{2})\s*)?"
    r"(?:(?P<ay>учебн\w+\s+год\w*|уч\.\s*г(?:од\w*|\.)?)|(?P<cy>года|году)(?![а-я]))"
    r"(?!\s*(?:19|20)\d{2})"
)

# -- qualifiers ----------------------------------------------------------------------
_TRACK_RE = re.compile(
    r"(?<![а-я])(?P<tk>гиа|гвэ)\s*-?\s*(?P<tn>9|11)(?!\d)"
    r"|(?<![а-я])(?P<ta>егэ|огэ)(?![а-я])"
    r"|(?<![\d.])(?P<tc>9|11)(?:\s*-?\s*(?:х|ых|е|ый))?\s+класс\w*"
)
_TERR_RE = re.compile(
    r"(?<![а-я])(?:муниципальн\w+\s+)?район\w*(?:\s+и\s+(?:спо|города?|городск\w+\s+округ\w*))?"
    r"|(?<![а-я])спо(?![а-я])"
    r"|(?<![а-я])(?:городск|муниципальн)\w*\s+округ\w*"
    r"|(?<![\dа-я])(?<!\d\s)г\.\s?(?P<city>[а-я][а-я-]+)"
    r"|(?<![а-я])город\s+(?P<city2>[а-я][а-я-]+)"
)
_TIME_RE = re.compile(
    r"(?P<tb>(?:не\s+ранее|не\s+позднее|не\s+позже|начиная\s+с|в|с|до|к|по)\s+)?"
    r"(?<![\d.,:])(?P<h>[01]?\d|2[0-3])\s*(?P<sep>[:.])\s*(?P<mi>[0-5]\d)(?!\d)(?!\s?[./]\s?\d)"
    r"(?P<hs>\s*(?:ч(?![а-я])\.?|час\w*))?(?:\s*(?:по\s+)?местно\w*\s+времени)?"
    r"(?:\s*(?P<lab>ис|из|егэ|огэ|гвэ)(?![а-я]))?"
    r"|(?P<tb2>(?:не\s+ранее|не\s+позднее|начиная\s+с|в|с|до|к)\s+)(?P<h2>[01]?\d|2[0-3])\s*час\w*"
    r"(?:\s*(?P<mi2>[0-5]?\d)\s*минут\w*)?(?:\s*(?:по\s+)?местно\w*\s+времени)?"
)
_SESSION_RE = re.compile(
    r"(?P<sp>досрочн|основн|дополнительн|резервн)\w*\s+(?:период\w*|этап\w*|срок\w*|дн[еия]\w*|дат\w*"
    r"|волн\w*|ден\w*)"
    r"|\(?\s*(?P<stage>\d)\s*(?:-?\s*(?:й|я|ый|ая))?\s*(?P<sw>этап|волна)\s*\)?"
)
_SESSION_NAMES = {
    "досрочн": "досрочный период",
    "основн": "основной период",
    "дополнительн": "дополнительный период",
    "резервн": "резервные дни",
}
_TIME_BOUNDS = {
    "в": "at",
    "с": "from",
    "начиная с": "from",
    "не ранее": "from",
    "до": "until",
    "не позднее": "until",
    "не позже": "until",
    "к": "until",
    "по": "until",
}

# Words that may remain around recognised parts without meaning anything.
_NOISE_RE = re.compile(
    r"(?<![а-я])(?:с|со|по|до|не|позднее|позже|ранее|после|чем|в|во|срок|сроки|срока|сроков|течение|и|или|а"
    r"|также|включительно|года|год|году|г|гг|начиная|к|на|от|числа|за|из|ч|час|часов|том|числе|т\.ч|далее|затем"
    r"|проведения|период|периоде|дата|даты|даты:|ориентировочно|примерно|текущего|текущем|текущий"
    r"|календарного|года:)(?![а-я])\.?"
    r"|(?<![\d.])\d{1,2}\)"
    r"|[\s,.;:()\-—/\"'«»№!?*_]+"
)

# Tokens an event phrase may continue with («…, утвержденных ГЭК», «… из ГЭК»).
_TAIL_TOKEN_RE = re.compile(r"(\s*,)?\s*([^\s,;:()]+)")
_TAIL_STOP = frozenset(
    {
        "но",
        "не",
        "или",
        "либо",
        "по",
        "до",
        "с",
        "со",
        "в",
        "во",
        "на",
        "за",
        "после",
        "а",
        "и",
        "также",
        "однако",
        "к",
        "от",
        "чем",
        "включительно",
    }
)
_TAIL_ACRONYMS = frozenset(
    {
        "гэк",
        "кк",
        "гиа",
        "егэ",
        "огэ",
        "гвэ",
        "ппэ",
        "фцт",
        "рцои",
        "гиа-9",
        "гиа-11",
        "ис",
        "из",
        "гвэ-9",
        "гвэ-11",
        "(изложения)",
        "изложения)",
    }
)

# -- actors ---------------------------------------------------------------------------
_ACTOR_WORD_RE = re.compile(
    r"(?<![а-я])(?:сектор|отдел|управлени|министерств|минпросвещени|центр|комисси|руководител"
    r"|специалист|координатор|учител|эксперт|организаци|учреждени|департамент|институт|служб"
    r"|председател|член|наблюдател|психолог|администрац|школ|рособрнадзор|рособнадзор"
    r"|кузбассобрнадзор|кузбассобнадзор|ростелеком|мвд|полици|спецсвяз|оператор|исполнител"
    r"|ответственн|директор|заместител|начальник|методист|библиотек|колледж|лицей|гимнази"
    r"|университет|филиал|редакци)\w*"
)
_ABBR_RE = re.compile(
    r"(?<![A-Za-zА-Яа-яЁё])(?=[A-Za-zА-Яа-яЁё]*[A-ZА-ЯЁ][A-Za-zА-Яа-яЁё]*[A-ZА-ЯЁ])"
    r"[A-Za-zА-Яа-яЁё]{2,}"
)
_PERSON_RE = re.compile(r"[А-ЯЁ][а-яё]+\s+[А-ЯЁ]\.\s?[А-ЯЁ]\.|[А-ЯЁ]\.\s?[А-ЯЁ]\.\s?[А-ЯЁ][а-яё]+")
_NOT_ACTOR_ABBR = frozenset({"ГИА", "ЕГЭ", "ОГЭ", "ГВЭ", "ИС", "ИЗ", "КИМ", "ЭМ", "ВПР", "НИКО"})
_DEADLINE_HINT_RE = re.compile(
    r"(?<![а-я])" + MONTH_ALT + r"|(?:19|20)\d{2}|\d{1,2}\s?[./]\s?\d{1,2}"
    r"|течени|постоянн|ежедневн|еженедельн|ежемесячн|ежеквартальн|ежегодн|круглогодичн|график|плану"
    r"|договор|период|позднее|позже|ранее|накануне|(?<![а-я])(?:день|дня|дней|сутк|недел|месяц|квартал"
    r"|полугод)|срок|(?<![а-я])до\s|(?<![а-я])за\s+\d|завершени|окончани|по\s+мере|раз\s+в"
)


def looks_like_actor(text: str) -> bool:
    """True when ``text`` names an organisation or a person rather than a deadline.

    «ГУ ОЦМКО», «Сектор ГИА, РЦОИ», «Иванов И.И.» → True; «по графику ФЦТ»,
    «ноябрь 2023 года», «» → False.
    """
    if not text or not text.strip():
        return False
    norm = normalize(text).text
    if _DEADLINE_HINT_RE.search(norm):
        return False
    if _ACTOR_WORD_RE.search(norm) or _PERSON_RE.search(text):
        return True
    return any(m.group() not in _NOT_ACTOR_ABBR for m in _ABBR_RE.finditer(text))


def _mask(text: str, a: int, b: int) -> str:
    return text[:a] + " " * (b - a) + text[b:]


def _raw_token_is_upper_abbr(raw_token: str) -> bool:
    return sum(1 for ch in raw_token if ch.isupper()) >= 2


def _extend_tail(text: str, raw: str, norm: Normalized, end: int, owner: bool = False) -> int:
    """Extend a phrase over the words that still belong to it.

    For an event («… результатов, утвержденных ГЭК», «… всех этапов ГИА») the
    tail is lower-case words and exam acronyms; for a schedule owner
    (``owner=True``: «по графику ФЦТ», «… Рособрнадзора», «… мероприятий,
    утвержденному МОиН») it is abbreviations and words in the genitive.
    Stops before anything that looks like a responsible party («Сектор ГИА»).
    """
    pos = end
    taken = 0
    while taken < 8:
        m = _TAIL_TOKEN_RE.match(text, pos)
        if not m:
            break
        comma, tok = m.group(1), m.group(2)
        tok_clean = tok.strip(".")
        if not tok_clean or tok_clean[0].isdigit() or "\n" in text[pos : m.start(2)]:
            break
        raw_tok = norm.raw_span(raw, m.start(2), m.end(2))
        first = raw_tok[:1]
        if comma and not re.match(
            r"(?:утвержденн|согласованн|установленн|определенн|полученн"
            r"|направленн|предусмотренн)",
            tok_clean,
        ):
            break
        if owner:
            if _raw_token_is_upper_abbr(raw_tok) or tok_clean in _TAIL_ACRONYMS:
                ok = True
            elif tok_clean == "и":
                nxt = _TAIL_TOKEN_RE.match(text, m.end())
                ok = bool(
                    nxt
                    and not nxt.group(1)
                    and (
                        _raw_token_is_upper_abbr(norm.raw_span(raw, nxt.start(2), nxt.end(2)))
                        or re.search(r"(?:а|я|ы|и|ого|его|ой|ей|ых|их|ий|ов|ев|ом|ем)$", nxt.group(2))
                    )
                )
            else:
                ok = (
                    bool(re.search(r"(?:а|я|ы|и|ого|его|ой|ей|ых|их|ий|ов|ев|ом|ем|ому|ему)$", tok_clean))
                    and tok_clean not in _TAIL_STOP
                    or bool(comma)
                )
        else:
            if tok_clean in _TAIL_ACRONYMS:
                ok = True
            elif tok_clean in _TAIL_STOP and tok_clean != "из":
                ok = False
            else:
                ok = bool(first) and first.isalpha() and first.islower() and tok_clean.isalpha() or bool(comma)
        if not ok:
            break
        pos = m.end()
        taken += 1
    return pos


# ---------------------------------------------------------------------------
# the parser
# ---------------------------------------------------------------------------


class _Cell:
    """Working state while one cell is parsed."""

    __slots__ = (
        "raw",
        "norm",
        "text",
        "m",
        "warnings",
        "quals",
        "anchors",
        "periods",
        "recs",
        "schedules",
        "continuous",
        "edges",
    )

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self.norm = normalize(raw)
        self.text = self.norm.text
        self.m = self.text  # masked copy
        self.warnings: list[tuple[str, str]] = []
        self.quals: list[Qual] = []
        self.anchors: list[Anchor] = []
        self.periods: list[Anchor] = []
        self.recs: list[tuple[int, int, dict[str, Any]]] = []
        self.schedules: list[dict[str, Any]] = []
        self.continuous: list[tuple[Window | None, str]] = []
        # «до конца учебного года»: a by-date window at an edge of the year (None: the plan's year is unknown)
        self.edges: list[Window | None] = []

    def quote(self, a: int, b: int) -> str:
        return re.sub(r"\s+", " ", self.norm.raw_span(self.raw, a, b))

    def mask(self, a: int, b: int) -> None:
        self.m = _mask(self.m, a, b)

    def warn(self, code: str, message: str) -> None:
        if (code, message) not in self.warnings:
            self.warnings.append((code, message))


def _coerce_year(year: AcademicYear | str | int | None, cell: _Cell) -> AcademicYear | None:
    if year is None or year == "":
        return None
    try:
        return AcademicYear.parse(year)
    except (ValueError, TypeError):
        cell.warn("bad_academic_year", f"Не удалось прочитать учебный год «{year}»; он не используется.")
        return None


def _find_times(cell: _Cell) -> None:
    if not _TIME_HINT_RE.search(cell.m):
        return
    found: list[Qual] = []
    for mt in _TIME_RE.finditer(cell.m):
        end = mt.end()
        if mt.group("h") is not None:
            minutes = int(mt.group("mi"))
            if mt.group("sep") == "." and not mt.group("hs"):
                # «10.05» is a date unless it cannot be one («10.00», «07.30») and follows «с/в/до»
                if not mt.group("tb") or 1 <= minutes <= 12:
                    continue
            hh, mm, tb = int(mt.group("h")), minutes, mt.group("tb")
        else:
            hh, mm, tb = int(mt.group("h2")), int(mt.group("mi2") or 0), mt.group("tb2")
        bound = _TIME_BOUNDS.get(re.sub(r"\s+", " ", (tb or "").strip()), "at")
        value: dict[str, Any] = {"time": f"{hh:02d}:{mm:02d}", "bound": bound}
        lab = mt.group("lab") if mt.group("h") is not None else None
        if lab:
            raw_lab = cell.quote(mt.start("lab"), mt.end("lab"))
            if lab != "из" or raw_lab.isupper():
                value["label"] = raw_lab.upper()
            else:
                end = mt.start("lab")
        found.append(Qual(mt.start(), end, "time", value))
    for prev, cur in zip(found, found[1:]):
        if cell.text[prev.end : cur.start].strip() in ("-", "до"):
            if prev.value["bound"] == "at":
                prev.value["bound"] = "from"
            cur.value["bound"] = "until"
    for q in found:
        cell.mask(q.start, q.end)
    cell.quals.extend(found)


def _find_schedules(cell: _Cell) -> None:
    if not _SCHED_HINT_RE.search(cell.m):
        return
    for ms in list(_SCHED_RE.finditer(cell.m)):
        start = ms.start()
        if ms.group("agreed"):
            head, end = ms.group("h0"), ms.end()
            owner = cell.quote(ms.start("own"), ms.end("own"))
        else:
            head = ms.group("h1") or ms.group("h2") or "сроки"
            end = _extend_tail(cell.text, cell.raw, cell.norm, ms.end(), owner=True)
            owner = cell.quote(ms.end(), end) or None
        kind = "established_terms" if ms.group("est") else _schedule_type(head)
        entry = {"type": kind, "owner": owner, "text": cell.quote(start, end)}
        annex = _ANNEX_RE.match(cell.m, end)
        if annex:  # «по отдельному графику (приложение 2)»: the schedule is an annex of the plan
            entry["annex"] = annex.group("n")
            end = annex.end()
        cell.schedules.append(entry)
        cell.mask(start, end)


_ANNEX_RE = re.compile(
    r"\s*[(,]?\s*(?:(?:см\.|согласно)\s+)?(?:приложени[еюия]|прил\.)\s*(?:№\s*)?(?P<n>\d{1,2}(?:\.\d{1,2})?)"
    r"(?:\s+к\s+(?:настоящ\w+\s+)?(?:план\w*|дорожн\w+\s+карт\w*|приказ\w*))?\s*\)?"
)


_REC_HINT_RE = re.compile(r"еже|раз|кажд|по\s+\w+ам(?![а-я])|по\s+мере|числа|регулярно|дважды|трижды")


def _find_recurrence(cell: _Cell) -> None:
    if not _REC_HINT_RE.search(cell.m):
        return
    for mr in list(_REC_RE.finditer(cell.m)):
        g = mr.group
        rec: dict[str, Any]
        if g("w"):
            rec = {"freq": _WORD_FREQ[g("w")]}
        elif g("per"):
            n = g("n")
            if not g("raz") and n not in ("дважды", "трижды"):
                continue
            per = re.sub(r"\s+", " ", g("per"))
            freq = next(f for stem, f in _PERIOD_FREQ if per.startswith(stem))
            bnd = re.sub(r"\s+", " ", g("bnd") or "")
            bound = (
                "at_least"
                if bnd in ("не реже", "не менее", "минимум", "как минимум")
                else "at_most"
                if bnd in ("не чаще", "не более")
                else "exact"
            )
            rec = {"freq": freq, "times": number_value(n, 1), "bound": bound}
        elif g("each"):
            per = g("per3")
            if re.match(WEEKDAY_ALT, per):
                rec = {"freq": "weekly", "weekday": WEEKDAY_NAMES[weekday_number(per)]}
            else:
                rec = {"freq": next(f for stem, f in _PERIOD_FREQ if per.startswith(stem))}
        elif g("wds"):
            rec = {"freq": "weekly", "weekday": WEEKDAY_NAMES[weekday_number(g("wds"))]}
        elif g("need"):
            rec = {"freq": "as_needed"}
        elif g("md"):
            day = int(g("mdd"))
            if not 1 <= day <= 31:
                continue
            rec = {"freq": "monthly", "day": day, "from_day": True}
        else:  # pragma: no cover
            continue
        cell.recs.append((mr.start(), mr.end(), rec))
        cell.mask(mr.start(), mr.end())


def _find_periods(cell: _Cell) -> None:
    if not _EVENT_HINT_RE.search(cell.m):
        return
    for mp in list(_PERIOD_RE.finditer(cell.m)):
        if mp.group("gia"):
            event = GIA_PERIOD
        elif mp.group("days"):
            event = EXAM_DAYS
        else:
            event = (
                APPEAL_COMMISSION_PERIOD if re.search(r"(?<![а-я])работы\s", mp.group("other")) else PROCESSING_PERIOD
            )
        end = _extend_tail(cell.text, cell.raw, cell.norm, mp.end())
        cell.periods.append(Anchor(event, 0, None, BOUND_WITHIN, None, cell.quote(mp.start(), end)))
        cell.mask(mp.start(), end)


def _unit_and_count(unit_word: str, num: str | None) -> tuple[str, int]:
    """The unit and the number of units of «3 дня», «полугода», «трехдневный срок»."""
    n = number_value(num, 1)
    if "срок" in unit_word:
        prefix = next((p for p in _TERM_NUMBERS if unit_word.startswith(p)), "")
        if prefix and not num:
            n = _TERM_NUMBERS[prefix]
        stem = unit_word[len(prefix) :]
        unit = UNIT_DAY if stem.startswith("дн") else UNIT_WEEK if stem.startswith("недел") else UNIT_MONTH
        return unit, n
    unit = next(u for stem, u in _UNIT_OF if unit_word.startswith(stem))
    if unit_word.startswith(("полугод", "полгода")):
        n *= 6
    elif unit_word.startswith("год"):
        n *= 12
    return unit, n


_UNIT_OF = (
    ("сут", UNIT_CALENDAR_DAY),
    ("дн", UNIT_DAY),
    ("ден", UNIT_DAY),
    ("недел", UNIT_WEEK),
    ("месяц", UNIT_MONTH),
    ("полугод", UNIT_MONTH),
    ("полгода", UNIT_MONTH),
    ("год", UNIT_MONTH),
    ("час", UNIT_HOUR),
)


def _find_relative(cell: _Cell) -> None:
    if _EVENT_HINT_RE.search(cell.m):
        _find_relative_events(cell)
    if not cell.anchors and _BARE_HINT_RE.search(cell.m):
        _find_relative_bare(cell)


_AFTER_RE = re.compile(r"после|по\s+итогам|по$|с\s+момента|со\s+дня|с\s+даты|с\s+дня|от\s+даты|от\s+дня|с$|от$")


def _find_relative_events(cell: _Cell) -> None:
    for rx, prefix in ((_REL_NEXT_RE, "n"), (_REL_OFFSET_RE, "o"), (_REL_ZERO_RE, "z")):
        for mr in list(rx.finditer(cell.m)):
            ev = _event_of(mr, prefix)
            if ev is None:  # pragma: no cover - the regex always has an event
                continue
            event, exam, es, _ee = ev
            after = (mr.group("dir") if prefix == "o" else mr.group("pre") if prefix == "z" else "после") or ""
            if event == GIA_START and _AFTER_RE.match(after) and not cell.m.startswith("начал", es):
                event = GIA_END  # «по итогам (проведения) ГИА», «через 2 недели после ГИА»: once it is over
            end = _extend_tail(cell.text, cell.raw, cell.norm, mr.end())
            text = cell.quote(mr.start(), end)
            if prefix == "o":
                pre = re.sub(r"\s+", " ", mr.group("pre") or "")
                unit_word = mr.group("unit")
                unit, n = _unit_and_count(unit_word, mr.group("num"))
                mod = mr.group("mod") or ""
                if unit == UNIT_DAY and mod.startswith("календарн"):
                    unit = UNIT_CALENDAR_DAY
                elif unit == UNIT_DAY and mod.startswith("рабоч"):
                    unit = UNIT_WORKING_DAY
                sign = -1 if mr.group("dir") in ("до", "перед") else 1
                if "не позднее" in pre or "не позже" in pre or pre in ("до", "в срок до"):
                    bound = BOUND_NOT_LATER
                elif "не ранее" in pre:
                    bound = BOUND_NOT_EARLIER
                elif pre in ("в течение", "на протяжении", "в срок", "в") or (not pre and sign > 0):
                    bound = BOUND_WITHIN
                else:
                    bound = BOUND_EXACT
                anchor = Anchor(event, sign * n, unit, bound, exam, text)
                if unit == UNIT_DAY:
                    cell.warn(
                        "day_type_unspecified",
                        f"В сроке «{text}» не сказано, календарные это дни или рабочие; "
                        "при расчёте дни считаются календарными.",
                    )
            elif prefix == "n":
                mod = mr.group("mod") or ""
                unit = UNIT_WORKING_DAY if mod.startswith("рабоч") else UNIT_CALENDAR_DAY
                anchor = Anchor(event, 1, unit, BOUND_EXACT, exam, text)
            else:
                pre = re.sub(r"\s+", " ", mr.group("pre"))
                if pre in ("в день", "в дату"):
                    anchor = Anchor(event, 0, UNIT_CALENDAR_DAY, BOUND_EXACT, exam, text)
                elif pre == "накануне":
                    anchor = Anchor(event, -1, UNIT_CALENDAR_DAY, BOUND_EXACT, exam, text)
                elif pre in ("до", "в срок до", "перед") or pre.startswith(("не позднее", "не позже")):
                    anchor = Anchor(event, 0, UNIT_CALENDAR_DAY, BOUND_NOT_LATER, exam, text)
                else:
                    anchor = Anchor(event, 0, UNIT_CALENDAR_DAY, BOUND_NOT_EARLIER, exam, text)
            cell.anchors.append(anchor)
            cell.mask(mr.start(), end)


def _find_relative_bare(cell: _Cell) -> None:
    for mr in list(_REL_BARE_RE.finditer(cell.m)):
        pre = re.sub(r"\s+", " ", mr.group("pre"))
        unit_word = mr.group("unit")
        if not mr.group("num") and unit_word.startswith("год"):
            continue  # «в течение года» is continuous, not an offset
        unit, n = _unit_and_count(unit_word, mr.group("num"))
        mod = mr.group("mod") or ""
        if unit == UNIT_DAY and mod:
            unit = UNIT_WORKING_DAY if mod.startswith("рабоч") else UNIT_CALENDAR_DAY
        bound = (
            BOUND_NOT_LATER
            if pre.endswith(("позднее", "позже", "чем"))
            else BOUND_EXACT
            if pre in ("через", "спустя")
            else BOUND_WITHIN
        )
        text = cell.quote(mr.start(), mr.end())
        cell.anchors.append(Anchor(None, n, unit, bound, None, text))
        tail = re.sub(r"\s+", " ", mr.group("tail") or "").strip()
        cell.warn(
            "event_unspecified",
            f"В сроке «{text}» срок отсчитывается от события, которого нет в календаре кампании («{tail}»); "
            "он не пересчитывается в даты."
            if tail
            else f"В сроке «{text}» не сказано, от какого события отсчитывать срок; он не пересчитывается в даты.",
        )
        cell.mask(mr.start(), mr.end())


_HALF_BEFORE_RE = re.compile(r"полугоди\w*\s+$")


def _find_continuous(cell: _Cell, ay: AcademicYear | None) -> None:
    if not _CONT_HINT_RE.search(cell.m):
        return
    for mc in list(_CONT_RE.finditer(cell.m)):
        if _HALF_BEFORE_RE.search(cell.m, 0, mc.start()):
            continue  # «II полугодие 2025/26 уч. г.»: a half of the year, read with the dates
        text = cell.quote(mc.start(), mc.end())
        window: Window | None = None
        if mc.group("ay") and mc.group("y1"):
            y1 = int(mc.group("y1"))
            y2t = mc.group("y2")
            y2 = int(y2t) if len(y2t) == 4 else (y1 // 100) * 100 + int(y2t)
            if y2 != y1 + 1:
                cell.warn(
                    "bad_year_span",
                    f"Учебный год «{text}»: годы должны идти подряд; взят учебный год, начинающийся в {y1} году.",
                )
            span = AcademicYear(y1, ay.boundary_month if ay else 9)
            if ay is not None and span != ay:
                cell.warn(
                    "academic_year_mismatch", f"В сроке указан {span.label} учебный год, а план относится к {ay.label}."
                )
            window = Window(span.start, span.end)
        elif mc.group("cy"):
            y = int(mc.group("y3"))
            window = Window(date(y, 1, 1), date(y, 12, 31))
            if mc.group("cy").startswith("по срокам"):
                cell.schedules.append({"type": "terms", "owner": None, "text": "по срокам"})
        elif ay is not None:
            window = Window(ay.start, ay.end)
        else:
            cell.warn("year_unknown", f"Учебный год плана не задан: период «{text}» нельзя привязать к датам.")
        cell.continuous.append((window, text))
        cell.mask(mc.start(), mc.end())


def _find_year_edges(cell: _Cell, ay: AcademicYear | None) -> None:
    """«до конца учебного года» → by the plan's year end; «до начала (нового) учебного года» → by the start
    of the next one; «до конца года» → by 31 December of the calendar year the plan's year starts in. The two
    guesses (which year's start, which calendar year) are said to the user."""
    for me in list(_EDGE_RE.finditer(cell.m)):
        text = cell.quote(me.start(), me.end())
        cell.mask(me.start(), me.end())
        if me.group("y1"):
            if not me.group("ay"):
                continue  # «до конца 2025/26 года» is not a form a plan uses; the rest of the grammar reports it
            span = AcademicYear(int(me.group("y1")), ay.boundary_month if ay else 9)
            if ay is not None and span != ay:
                cell.warn(
                    "academic_year_mismatch", f"В сроке указан {span.label} учебный год, а план относится к {ay.label}."
                )
            ay = span
        if ay is None:
            cell.warn("year_unknown", f"Учебный год плана не задан: срок «{text}» нельзя привязать к датам.")
            cell.edges.append(None)
            continue
        start = me.group("edge").startswith("начал")
        which = me.group("which") or ""
        if me.group("ay"):
            if not start:
                end = ay.end
            elif which in ("текущего", "этого"):
                end = ay.start - timedelta(days=1)
            else:
                end = ay.end
                if not which:
                    cell.warn(
                        "year_edge_assumed",
                        f"Срок «{text}» понят как «до начала следующего учебного года» (до {ay.end:%d.%m.%Y} "
                        "включительно); если имеется в виду начало текущего учебного года, исправьте срок.",
                    )
        elif start:
            end = date(ay.start.year + 1, 1, 1) - timedelta(days=1)
            cell.warn(
                "year_edge_assumed",
                f"Срок «{text}» понят как до {end:%d.%m.%Y}: проверьте, о каком годе идёт речь.",
            )
        else:
            end = date(ay.start.year, 12, 31)
            cell.warn(
                "year_edge_assumed",
                f"Срок «{text}» понят как до {end:%d.%m.%Y} (конец {ay.start.year} года, в котором начинается "
                "учебный год плана); если имеется в виду другой год, исправьте срок.",
            )
        cell.edges.append(Window(None, end))


def _find_qualifiers(cell: _Cell) -> None:
    if _TRACK_HINT_RE.search(cell.m):
        _find_tracks(cell)
    if _TERR_HINT_RE.search(cell.m):
        _find_territories(cell)
    if _SESSION_HINT_RE.search(cell.m):
        _find_sessions(cell)
    cell.quals.sort(key=lambda q: q.start)


def _find_tracks(cell: _Cell) -> None:
    for mt in list(_TRACK_RE.finditer(cell.m)):
        if mt.group("tk"):
            value = f"{mt.group('tk').upper()}-{mt.group('tn')}"
        elif mt.group("ta"):
            value = mt.group("ta").upper()
        else:
            value = f"ГИА-{mt.group('tc')}"
        cell.quals.append(Qual(mt.start(), mt.end(), "track", value))
        cell.mask(mt.start(), mt.end())


def _find_territories(cell: _Cell) -> None:
    for mt in list(_TERR_RE.finditer(cell.m)):
        if mt.group("city"):
            city = cell.quote(mt.start("city"), mt.end("city"))
            if not city[:1].isupper():
                continue
            value = "г. " + city
        elif mt.group("city2"):
            city = cell.quote(mt.start("city2"), mt.end("city2"))
            if not city[:1].isupper():
                continue
            value = "г. " + city
        else:
            value = cell.quote(mt.start(), mt.end())
        cell.quals.append(Qual(mt.start(), mt.end(), "territory", value))
        cell.mask(mt.start(), mt.end())


def _find_sessions(cell: _Cell) -> None:
    for mt in list(_SESSION_RE.finditer(cell.m)):
        if mt.group("sp"):
            value = _SESSION_NAMES[mt.group("sp")]
        else:
            value = f"{mt.group('stage')} {mt.group('sw')}"
        cell.quals.append(Qual(mt.start(), mt.end(), "session", value))
        cell.mask(mt.start(), mt.end())


# ---------------------------------------------------------------------------
# exam calendar and resolution of relative deadlines
# ---------------------------------------------------------------------------

SESSION_MAIN = "основной срок"


def exam_calendar(year: AcademicYear | str | int, calendar: WorkCalendar | None = None) -> dict[str, dict[str, date]]:
    """Exam days that follow from the academic year alone.

    * итоговое сочинение (изложение): first Wednesday of December; additional
      days: first Wednesday of February, second Wednesday of April
      (essay-procedure-rules.md, B1–B3: 2023/24 → 06.12.2023, 07.02.2024, 10.04.2024);
    * итоговое собеседование: second Wednesday of February; additional days:
      second working Wednesday of March, third working Monday of April
      (matches seed 001: 14.02.2024, 13.03.2024, 15.04.2024).

    Keys are anchor keys (``"exam_day:essay"``); values map a session label
    to its date.
    """
    ay = AcademicYear.parse(year)
    if calendar is None or calendar is DEFAULT_CALENDAR:
        return {k: dict(v) for k, v in _default_exam_calendar(ay).items()}
    return _exam_calendar(ay, calendar)


@lru_cache(maxsize=64)
def _default_exam_calendar(ay: AcademicYear) -> dict[str, dict[str, date]]:
    return _exam_calendar(ay, DEFAULT_CALENDAR)


def _exam_calendar(ay: AcademicYear, cal: WorkCalendar) -> dict[str, dict[str, date]]:
    # One home for each exam calendar: the kinds' pure calendars (itog.exams.kinds; the interview's working
    # days are counted on the default calendar there, so ``cal`` no longer shifts them).
    from itog.exams.kinds import calendar_of

    months = {12: "декабрь", 1: "январь", 2: "февраль", 3: "март", 4: "апрель", 5: "май"}
    out: dict[str, dict[str, date]] = {}
    for exam in (EXAM_ESSAY, EXAM_INTERVIEW):
        kind_calendar = calendar_of(exam)
        sessions: dict[str, date] = {}
        for i, sd in enumerate(kind_calendar.session_dates(ay.start_year)):
            shift = ay.year_for_month(sd.date.month) - sd.date.year  # another year boundary than September
            if shift:
                sd = kind_calendar.session_dates(ay.start_year + shift)[i]
            month = months.get(sd.date.month, sd.date.month)
            label = SESSION_MAIN if sd.kind == "main" else f"дополнительный срок ({month})"
            sessions[label] = sd.date
        out[f"{EXAM_DAY}:{exam}"] = sessions
    return out


_MAX_OFFSET_DAYS = 3660


def _shift(d: date, offset: int, unit: str | None, cal: WorkCalendar) -> date:
    if unit == UNIT_WORKING_DAY:
        if abs(offset) > _MAX_OFFSET_DAYS:
            raise OverflowError("offset too large")
        return cal.add_working_days(d, offset)
    if unit == UNIT_WEEK:
        days = 7 * offset
    elif unit == UNIT_MONTH:
        if abs(offset) > _MAX_OFFSET_DAYS // 30:
            raise OverflowError("offset too large")
        return add_months(d, offset)
    elif unit == UNIT_HOUR:
        days = (abs(offset) + 23) // 24 * (1 if offset >= 0 else -1)
    else:
        days = offset
    if abs(days) > _MAX_OFFSET_DAYS:
        raise OverflowError("offset too large")
    return d + timedelta(days=days)


def _values(value: Any) -> list[tuple[str | None, Any]]:
    """Normalise an anchors-table value to ``[(label, date | (start, end))]``."""
    if value is None:
        return []
    if isinstance(value, date):
        return [(None, value)]
    if isinstance(value, Mapping):
        return [(str(k), v) for k, v in value.items() if isinstance(v, (date, tuple, list))]
    if isinstance(value, tuple) and len(value) == 2 and all(isinstance(v, date) for v in value):
        return [(None, (value[0], value[1]))]
    if isinstance(value, (list, tuple)):
        return [(None, v) for v in value if isinstance(v, (date, tuple))]
    return []


def _lookup(anchor: Anchor, table: Mapping[str, Any]) -> list[tuple[str | None, Any]]:
    key = anchor.key()
    if key is None:
        return []
    if key in table:
        return _values(table[key])
    if anchor.exam and anchor.event in table:
        return _values(table[anchor.event])
    if anchor.event == GIA_PERIOD and GIA_START in table and GIA_END in table:
        starts, ends = _values(table[GIA_START]), _values(table[GIA_END])
        if starts and ends and isinstance(starts[0][1], date) and isinstance(ends[-1][1], date):
            return [(None, (starts[0][1], ends[-1][1]))]
    if anchor.event == EXAM_DAYS and EXAM_DAY in table:
        return _values(table[EXAM_DAY])
    return []


def _resolve_anchor(anchor: Anchor, table: Mapping[str, Any], cal: WorkCalendar) -> list[Window]:
    out: list[Window] = []
    for label, value in _lookup(anchor, table):
        quals: dict[str, Any] = {}
        if label:
            quals["session"] = label
        if isinstance(value, (tuple, list)):
            start, end = value[0], value[-1]
            if anchor.event not in PERIOD_EVENTS:
                start = end = value[0]
        else:
            start = end = value
        if not isinstance(start, date) or not isinstance(end, date):
            continue
        quals["anchor_date"] = start.isoformat()
        if anchor.event in PERIOD_EVENTS:
            if end != start:
                quals["anchor_end"] = end.isoformat()
            out.append(Window(start, end, quals))
            continue
        a = start
        target = _shift(a, anchor.offset, anchor.unit, cal)
        if anchor.bound == BOUND_EXACT:
            out.append(Window(target, target, quals))
        elif anchor.bound == BOUND_NOT_LATER:
            out.append(Window(a if anchor.offset > 0 else None, target, quals))
        elif anchor.bound == BOUND_WITHIN:
            lo, hi = (a, target) if target >= a else (target, a)
            out.append(Window(lo, hi, quals))
        else:
            out.append(Window(target, None, quals))
    return out


def resolve(deadline: Deadline, anchors: Mapping[str, Any], calendar: WorkCalendar | None = None) -> list[Window]:
    """Absolute windows of a relative or event-period deadline.

    ``anchors`` maps an anchor key to its date(s): ``"exam_day"`` (or the
    narrower ``"exam_day:essay"``) → a date, a list of dates or a
    ``{label: date}`` mapping (one window per session); a period event
    (``"gia_period"``) → ``(start, end)``; ``"gia_period"`` is also built
    from ``"gia_start"`` + ``"gia_end"``.  Working days use the Russian
    calendar of :mod:`itog.calendar.workdays`.  Returns ``[]`` while the
    event has no date; other kinds return their own windows unchanged.
    """
    if deadline.kind not in (KIND_RELATIVE, KIND_EVENT_PERIOD):
        return list(deadline.windows)
    cal = calendar or DEFAULT_CALENDAR
    table = dict(anchors or {})
    out: list[Window] = []
    for anchor in deadline.anchors or ((deadline.anchor,) if deadline.anchor else ()):
        try:
            out.extend(_resolve_anchor(anchor, table, cal))
        except (OverflowError, ValueError):
            continue
    return out


# ---------------------------------------------------------------------------
# assembly
# ---------------------------------------------------------------------------


def _aggregate_quals(cell: _Cell) -> dict[str, Any]:
    out: dict[str, Any] = {}
    names = {"track": "tracks", "territory": "territories", "session": "sessions"}
    for q in cell.quals:
        if q.type == "time":
            out.setdefault("times", []).append(dict(q.value))
        else:
            values = out.setdefault(names[q.type], [])
            if q.value not in values:
                values.append(q.value)
    if cell.schedules:
        out["schedule"] = [dict(s) for s in cell.schedules]
    return out


def _recurrence(cell: _Cell) -> Recurrence | None:
    if not cell.recs:
        return None
    merged: dict[str, Any] = {}
    for _a, _b, rec in cell.recs:
        if rec.get("from_day"):
            merged.setdefault("freq", rec["freq"])
            merged["day"] = rec["day"]
        else:
            day = merged.get("day")
            merged.update({k: v for k, v in rec.items()})
            if day is not None:
                merged["day"] = day
    text = " ".join(cell.quote(a, b) for a, b, _r in cell.recs)
    return Recurrence(
        freq=merged.get("freq", "monthly"),
        times=merged.get("times", 1),
        bound=merged.get("bound", "exact"),
        weekday=merged.get("weekday"),
        day=merged.get("day"),
        text=text,
    )


_WORDISH_RE = re.compile(r"[^\W_]")


def _leftover(cell: _Cell, recognised: bool) -> tuple[str | None, str | None]:
    """(responsible tail, unparsed text) left after every recognised part."""
    if not _WORDISH_RE.search(cell.m):
        return None, None
    spots = [(a, b) for a, b in _residual_spans(cell.m)]
    if not spots:
        return None, None
    lo, hi = spots[0][0], spots[-1][1]
    snippet = cell.quote(lo, hi)
    if not snippet:
        return None, None
    if looks_like_actor(snippet):
        # everything from the first leftover word to the end must be the name
        return snippet, None
    return None, snippet


def _residual_spans(masked: str) -> list[tuple[int, int]]:
    """Spans of what is left once the noise words and punctuation are removed."""
    out: list[tuple[int, int]] = []
    pos = 0
    n = len(masked)
    while pos < n:
        m = _NOISE_RE.match(masked, pos)
        if m and m.end() > pos:
            pos = m.end()
            continue
        m = _RESIDUAL_TOKEN_RE.match(masked, pos)
        end = m.end() if m and m.end() > pos else pos + 1
        out.append((pos, end))
        pos = end
    return out


_RESIDUAL_TOKEN_RE = re.compile(r"[^\s,.;:()\-—/\"'«»№!?*_]+")


def _date_kind(windows: Sequence[Window]) -> str:
    if len(windows) > 1:
        return KIND_WINDOWS
    w = windows[0]
    if w.start is None:
        return KIND_BY_DATE
    if w.end is not None and w.start == w.end:
        return KIND_DATE
    return KIND_WINDOW


def _parse(raw: str, year: Any, anchors: Mapping[str, Any] | None, calendar: WorkCalendar | None) -> Deadline:
    cell = _Cell(raw)
    ay = _coerce_year(year, cell)
    cal = calendar or DEFAULT_CALENDAR
    if not cell.text.strip(" \n;-"):
        return Deadline(
            raw=raw,
            kind=KIND_UNKNOWN,
            academic_year=ay,
            warnings=("Срок не указан (пустая ячейка).",),
            warning_codes=("empty",),
        )

    if cell.text.lstrip().startswith("="):  # a spreadsheet formula with no saved value: its numbers are not dates
        return Deadline(
            raw=raw,
            kind=KIND_UNKNOWN,
            academic_year=ay,
            warnings=(f"В ячейке срока формула без сохранённого значения («{raw.strip()[:80]}»): срок не прочитан.",),
            warning_codes=("formula",),
        )

    _find_times(cell)
    _find_schedules(cell)
    _find_recurrence(cell)
    _find_periods(cell)
    _find_relative(cell)
    _find_year_edges(cell, ay)
    _find_continuous(cell, ay)
    _find_qualifiers(cell)
    scan: DateScan = scan_dates(cell.m, ay, cell.quals, cal, quote=cell.quote)
    for a, b in scan.spans:
        cell.mask(a, b)
    for code, message in scan.warnings:
        cell.warn(code, message)

    recognised = bool(
        cell.schedules or cell.recs or cell.periods or cell.anchors or cell.continuous or cell.edges or scan.found
    )
    tail, unparsed = _leftover(cell, recognised)
    qualifiers = _aggregate_quals(cell)
    recurrence = _recurrence(cell)
    schedule_ref = " ".join(s["text"] for s in cell.schedules) or None
    date_windows = list(scan.windows) + [w for w in cell.edges if w is not None]
    cont_windows = [w for w, _t in cell.continuous if w is not None]
    all_anchors = tuple(cell.anchors) + tuple(cell.periods)

    if not recognised:
        if tail:
            cell.warn("actor_in_deadline", f"В ячейке срока указан исполнитель, а не срок: «{tail}».")
            qualifiers["responsible_tail"] = tail
        else:
            cell.warn("unparsed", f"Не удалось разобрать срок: «{cell.quote(0, len(cell.text))}».")
        return _finish(raw, KIND_UNKNOWN, (), None, None, None, qualifiers, cell, ay)

    if tail:
        qualifiers["responsible_tail"] = tail
        cell.warn(
            "responsible_in_deadline",
            f"После срока в ячейке указан исполнитель «{tail}»; он не считается частью срока.",
        )
    if unparsed:
        cell.warn("unparsed_text", f"Часть текста не разобрана: «{unparsed}».")

    windows: list[Window]
    anchor: Anchor | None = all_anchors[0] if all_anchors else None
    if recurrence is not None:
        kind = KIND_RECURRING
        windows = date_windows or cont_windows or ([Window(ay.start, ay.end)] if ay else [])
    elif cell.anchors or cell.periods:
        kind = KIND_RELATIVE if cell.anchors else KIND_EVENT_PERIOD
        table: dict[str, Any] = {}
        if ay is not None and any(a.exam for a in all_anchors):
            table.update(exam_calendar(ay, cal))
        if anchors:
            table.update(anchors)
        windows = list(date_windows)
        for anc in all_anchors:
            try:
                windows.extend(_resolve_anchor(anc, table, cal))
            except (OverflowError, ValueError):
                cell.warn("offset_too_large", f"Слишком большой сдвиг в сроке «{anc.text}»; срок не пересчитан в даты.")
    elif date_windows:
        windows = date_windows
        kind = _date_kind(windows)
    elif scan.found:
        windows = []
        codes = {c for c, _m in cell.warnings}
        if "year_unknown" in codes:
            kind = KIND_WINDOW if len(scan.spans) == 1 else KIND_WINDOWS
        else:
            kind = KIND_UNKNOWN
    elif cell.continuous:
        kind = KIND_CONTINUOUS
        windows = cont_windows
    elif cell.schedules:
        kind = KIND_EXTERNAL
        windows = []
    else:  # an edge of a year when the plan's year is unknown (said in a warning)
        kind, windows = KIND_UNKNOWN, []
    return _finish(raw, kind, tuple(windows), anchor, recurrence, schedule_ref, qualifiers, cell, ay, all_anchors)


def _finish(
    raw: str,
    kind: str,
    windows: tuple[Window, ...],
    anchor: Anchor | None,
    recurrence: Recurrence | None,
    schedule_ref: str | None,
    qualifiers: dict[str, Any],
    cell: _Cell,
    ay: AcademicYear | None,
    anchors: tuple[Anchor, ...] = (),
) -> Deadline:
    return Deadline(
        raw=raw,
        kind=kind,
        windows=windows,
        anchor=anchor,
        recurrence=recurrence,
        schedule_ref=schedule_ref,
        qualifiers=qualifiers,
        warnings=tuple(msg for _c, msg in cell.warnings),
        warning_codes=tuple(c for c, _m in cell.warnings),
        academic_year=ay,
        anchors=anchors,
    )


def parse_deadline(
    raw: str,
    year: AcademicYear | str | int | None = None,
    *,
    anchors: Mapping[str, Any] | None = None,
    calendar: WorkCalendar | None = None,
) -> Deadline:
    """Parse one «Сроки» cell.  Never raises; see the module docstring.

    ``year``: the plan's academic year («2023/24», «2024» = the GIA year,
    or an :class:`AcademicYear`); it resolves missing years, «в течение
    учебного года» and the essay/interview days.  ``anchors``: known dates
    of anchor events (see :func:`resolve`).
    """
    text = raw if isinstance(raw, str) else ("" if raw is None else str(raw))
    try:
        return _parse(text, year, anchors, calendar)
    except Exception as exc:  # noqa: BLE001 - the contract: never an exception
        return Deadline(
            raw=text,
            kind=KIND_UNKNOWN,
            warnings=(f"Внутренняя ошибка разбора срока ({type(exc).__name__}); срок оставлен как текст.",),
            warning_codes=("internal_error",),
        )


def parse_deadline_cells(
    start_raw: str | None,
    end_raw: str | None,
    year: AcademicYear | str | int | None = None,
    *,
    anchors: Mapping[str, Any] | None = None,
) -> Deadline:
    """Parse the «дата начала» / «дата окончания» columns of a plan-schedule.

    Both present → one phrase «start – end» (per-territory dates and times of
    day are understood, see the module docstring).  Only the end → an upper
    bound (``by_date``).  ``raw`` is «start – end» as ``structure.py`` builds it.
    """
    start = (start_raw or "").strip()
    end = (end_raw or "").strip()
    joined = " – ".join(p for p in (start, end) if p)
    if start and end:
        return parse_deadline(joined, year, anchors=anchors)
    result = parse_deadline(joined, year, anchors=anchors)
    if end and not start and result.kind == KIND_DATE:
        w = result.windows[0]
        return Deadline(
            raw=result.raw,
            kind=KIND_BY_DATE,
            windows=(Window(None, w.end, w.qualifiers),),
            anchor=result.anchor,
            recurrence=result.recurrence,
            schedule_ref=result.schedule_ref,
            qualifiers=result.qualifiers,
            warnings=result.warnings,
            warning_codes=result.warning_codes,
            academic_year=result.academic_year,
            anchors=result.anchors,
        )
    return result


def parse_deadlines_stream(
    lines: Iterable[str], year: AcademicYear | str | int | None = None, *, anchors: Mapping[str, Any] | None = None
) -> Iterator[dict[str, Any]]:
    """One JSON-ready dict per input line, same order (the CLI contract).

    A literal ``\\n`` (backslash + n) inside a line stands for a line break
    inside the cell.  Empty lines give ``kind: unknown`` with a warning so
    that the output stays aligned with the input.
    """
    ay: Any = year
    if isinstance(year, str) and year.strip():
        try:
            ay = AcademicYear.parse(year)
        except ValueError:
            ay = year
    for line in lines:
        text = line.rstrip("\r\n").replace("\\n", "\n")
        yield parse_deadline(text, ay, anchors=anchors).to_json()


def format_deadline(d: dict[str, Any]) -> str:
    """A one-line human summary of a parsed deadline (CLI without --json)."""
    parts = [d["kind"]]
    for w in d["windows"]:
        parts.append(f"[{w['start'] or '…'} – {w['end'] or '…'}]")
    if d.get("anchor"):
        a = d["anchor"]
        parts.append(
            f"{a['event']}{':' + a['exam'] if a.get('exam') else ''} "
            f"{a['offset']:+d} {a['unit'] or ''} {a['bound']}".rstrip()
        )
    if d.get("recurrence"):
        parts.append(f"{d['recurrence']['freq']}")
    if d.get("schedule_ref"):
        parts.append(f"«{d['schedule_ref']}»")
    for w in d.get("warnings", []):
        parts.append(f"! {w}")
    return f"{d['raw']!r}: " + " ".join(parts)


def run_parse_deadlines(stdin: Iterable[str], stdout: Any, year: str | None = None, as_json: bool = True) -> int:
    """Body of ``itog plan parse-deadlines [--year 2023/24] [--json]``; returns the exit code."""
    if year:
        try:
            AcademicYear.parse(year)
        except ValueError as exc:
            print(str(exc), file=stdout)
            return 2
    for obj in parse_deadlines_stream(stdin, year):
        stdout.write((json.dumps(obj, ensure_ascii=False) if as_json else format_deadline(obj)) + "\n")
    return 0


def deadline_hook(
    year: AcademicYear | str | int | None = None, *, anchors: Mapping[str, Any] | None = None
) -> Callable[[Any], dict[str, Any]]:
    """A ``parse_deadline`` hook for ``structure.build_plan`` / ``readers``.

    The hook reads ``deadline_start_raw``/``deadline_end_raw`` when the item
    has them (plan-schedules with start/end columns), else ``deadline_raw``.
    """
    ay = AcademicYear.parse(year) if year not in (None, "") else None

    def hook(item: Any) -> dict[str, Any]:
        start = getattr(item, "deadline_start_raw", None)
        end = getattr(item, "deadline_end_raw", None)
        if start is not None or end is not None:
            result = parse_deadline_cells(start, end, ay, anchors=anchors)
        else:
            result = parse_deadline(getattr(item, "deadline_raw", "") or "", ay, anchors=anchors)
        out = result.to_json()
        out.pop("raw", None)
        return out

    return hook
