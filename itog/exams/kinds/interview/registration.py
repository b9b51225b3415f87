"""Participants and applications of the interview; durations; re-admission.

Facts (federal Порядок ГИА-9 № 232/551, the items on the final interview — item numbers: our
reading; the same rules stood in № 189/1513):

* the interview is held for «обучающиеся» of the IX class and externs; its «зачет» is the
  condition of admission to ГИА-9;
* the application (with the consent to personal-data processing) is filed «не позднее чем за
  две недели до начала проведения итогового собеседования» — students at their own school,
  externs at a school of their choice (the school is the venue);
* participants with ОВЗ present a copy of the ПМПК recommendations; children with a disability
  and disabled persons — the original or a certified copy of the certificate of disability
  (the same :class:`DocumentKind` values as the essay);
* for participants with ОВЗ, children with a disability and disabled persons the duration is
  extended by 30 minutes (Рекомендации: about 15–16 minutes in all, so about 45 with the
  extension);
* re-admitted to an additional date of the same academic year: those with «незачет», those
  absent and those who did not finish for a valid reason confirmed by a document.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from itog.exams.common import academic_year_label, academic_year_of
from itog.exams.kinds.base import (
    ApplicationData,
    Category,
    DocumentKind,
    SessionDate,
    SessionKind,
    SpecialCondition,
    Violation,
)

from .calendar import session_dates, session_deadlines
from .codes import fmt_date, violation
from .values import FAIL, AnswerState

__all__ = [
    "BASE_MINUTES",
    "EXTRA_MINUTES",
    "ELIGIBLE_CATEGORIES",
    "Readmission",
    "check_application",
    "check_readmission_target",
    "duration_minutes",
    "extra_time_granted",
    "readmission",
    "readmission_targets",
    "required_documents",
]

ELIGIBLE_CATEGORIES = frozenset({Category.STUDENT, Category.EXTERN})  # обучающиеся IX классов, экстерны
GRADE = 9
BASE_MINUTES = 15  # Рекомендации: «в среднем 15–16 минут» per participant (configuration)
EXTRA_MINUTES = 30  # Порядок ГИА-9: «увеличивается на 30 минут»
# Our reading: the +30 minutes are granted to everyone with documented health grounds (the
# Порядок says «увеличивается», no request needed). Set True to grant it only when the
# application asks for SpecialCondition.EXTRA_TIME.
EXTRA_TIME_ON_REQUEST = False
REGISTRATION_DAYS_BEFORE = 14  # «не позднее чем за две недели»: D−14 is still in time


def required_documents(app: ApplicationData) -> frozenset[DocumentKind]:
    """ОВЗ → рекомендации ПМПК; ребенок-инвалид/инвалид → справка об инвалидности (Порядок ГИА-9)."""
    docs = set()
    if app.ovz:
        docs.add(DocumentKind.PMPK)
    if app.child_disabled or app.disabled:
        docs.add(DocumentKind.DISABILITY)
    return frozenset(docs)


def extra_time_granted(app: ApplicationData) -> bool:
    """+30 minutes: health grounds backed by their documents (and a request, if configured)."""
    if not app.health_grounds or not required_documents(app) <= app.documents:
        return False
    return SpecialCondition.EXTRA_TIME in app.special_conditions or not EXTRA_TIME_ON_REQUEST


def duration_minutes(app: ApplicationData, base: int = BASE_MINUTES, extra: int = EXTRA_MINUTES) -> int:
    """15 minutes, 45 with the extension (both configurable)."""
    return base + (extra if extra_time_granted(app) else 0)


def check_application(app: ApplicationData, session: SessionDate | date) -> list[Violation]:
    """All violations of one application for one date (main or additional)."""
    exam_date = session.date if isinstance(session, SessionDate) else session
    out: list[Violation] = []
    category = Category(app.category)
    if category not in ELIGIBLE_CATEGORIES:
        out.append(violation("I10", field="category", category=category.label))
    elif category == Category.STUDENT and app.grade is not None and app.grade != GRADE:
        out.append(violation("I11", field="grade", grade=app.grade))
    if category == Category.EXTERN and not app.school_id:
        out.append(violation("I17", field="school_id"))
    if not app.consent_present:
        out.append(violation("I13", field="consent_present"))
    elif app.consent_revoked_on is not None:
        out.append(violation("I18", field="consent_revoked_on", date=fmt_date(app.consent_revoked_on)))
    if app.ovz and DocumentKind.PMPK not in app.documents:
        out.append(violation("I14", field="documents"))
    if (app.child_disabled or app.disabled) and DocumentKind.DISABILITY not in app.documents:
        out.append(violation("I15", field="documents"))
    if SpecialCondition.EXTRA_TIME in app.special_conditions and not app.health_grounds:
        out.append(violation("I16", field="special_conditions"))
    deadline = session_deadlines(exam_date)["registration"]
    if app.registration_date is not None and app.registration_date > deadline:
        out.append(
            violation(
                "I12", field="registration_date", deadline=fmt_date(deadline), filed=fmt_date(app.registration_date)
            )
        )
    return out


# ---------------------------------------------------------------- re-admission

GROUND_FAIL = "незачет"
GROUND_ABSENT = "не явился по уважительной причине"
GROUND_NOT_FINISHED = "не завершил по уважительной причине"


@dataclass(frozen=True)
class Readmission:
    eligible: bool
    ground: str | None
    violations: tuple[Violation, ...] = ()


def readmission(state: AnswerState | str, result: str | None, valid_reason_document: bool) -> Readmission:
    """Порядок ГИА-9: re-admission to an additional date of the same academic year for «незачет»,
    or absence / not finishing for a valid reason confirmed by a document (I21 without it; I20
    otherwise)."""
    state = AnswerState(state)
    if state in (AnswerState.ABSENT, AnswerState.NOT_FINISHED):
        if not valid_reason_document:
            return Readmission(False, None, (violation("I21", field="valid_reason_document"),))
        return Readmission(True, GROUND_ABSENT if state == AnswerState.ABSENT else GROUND_NOT_FINISHED)
    if state == AnswerState.FINISHED and (result or "").strip().lower() == FAIL:
        return Readmission(True, GROUND_FAIL)
    return Readmission(False, None, (violation("I20", field="result"),))


def readmission_targets(source_date: date, today: date | None = None) -> list[SessionDate]:
    """The additional dates of the same academic year after ``source_date`` (not in the past)."""
    return [
        s
        for s in session_dates(academic_year_of(source_date))
        if s.kind == SessionKind.ADDITIONAL and s.date > source_date and (today is None or s.date >= today)
    ]


def check_readmission_target(target: SessionDate, source_date: date, today: date) -> list[Violation]:
    """I22: an additional date of the same academic year, after the source date, not in the past."""
    ok = (
        target.kind == SessionKind.ADDITIONAL
        and academic_year_of(target.date) == academic_year_label(academic_year_of(source_date))
        and target.date > source_date
        and target.date >= today
    )
    return [] if ok else [violation("I22", field="target")]
