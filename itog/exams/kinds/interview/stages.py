"""The interview as a :class:`~itog.exams.kinds.base.KindRules`: one object per stage in the shape the
shared services call (:data:`itog.exams.kinds.base.STAGES`), built from the pure modules of this folder.

A stage the interview does not have (paper blanks, topics released by the clock, the essay's re-check
by the regional commission, list import in the essay's columns) is an :class:`Absent` object: any name
asked of it refuses with a Russian sentence saying why (code I90), so a shared service reached with an
interview session fails loudly instead of applying the essay's rule.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from itog.exams.kinds.base import (
    SESSION_PAGES,
    ApplicationForm,
    Category,
    KindRules,
    OrgKind,
    Violation,
)
from itog.exams.violations import Refused, register
from itog.exams.violations import violation as _violation

from . import (
    audio,
    calendar,
    commission,
    criteria,
    examday,
    exports,
    forms,
    registration,
    retention,
    schedule,
    synth_audio,
)
from .codes import VALIDATIONS
from .codes import fmt_date as _codes_fmt_date
from .codes import violation as _codes_violation
from .rules import RULES as INTERVIEW
from .sources import RULESET
from .values import AnswerState, Role

__all__ = ["RULES", "Absent"]

# The interview's own codes in the one registry, plus the refusal of a stage it does not have.
STAGE_CODES: dict[str, tuple[str, str]] = {
    "I90": ("Порядок ГИА-9", "В итоговом собеседовании нет этапа «{stage}»: {why}"),
    "I91": (
        "Порядок ГИА-9",
        "На дополнительную дату итогового собеседования участник допускается повторно "
        "(«незачет», неявка или незавершение по уважительной причине), а не по новому заявлению.",
    ),
    "I92": (
        "Рекомендации",
        "Аудиозапись загружается для участника, начавшего ответ (в ведомости учета проведения отмечено начало).",
    ),
    "I93": (
        "Рекомендации",
        "Протокол эксперта вносится для участника, завершившего ответ (ведомость учета проведения).",
    ),
    "I94": ("Рекомендации", "Расписание по аудиториям не составлено: выполните распределение участников ОО."),
}
register(VALIDATIONS, owner="interview")
register(STAGE_CODES, owner="interview")


class Absent:
    """A stage the interview does not have: asking it for anything refuses (I90)."""

    def __init__(self, stage: str, why: str) -> None:
        self._stage, self._why = stage, why

    def refusal(self) -> Refused:
        return Refused([_violation("I90", stage=self._stage, why=self._why)])

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)

        def refuse(*_args: Any, **_kwargs: Any) -> Any:
            raise self.refusal()

        return refuse

    def __repr__(self) -> str:
        return f"<Absent stage {self._stage}>"


class Partial(Absent):
    """A stage the interview has in part: the names it has are attributes; any other name refuses (I90)."""

    def __init__(self, stage: str, why: str, **present: Any) -> None:
        super().__init__(stage, why)
        self.__dict__.update(present)


_absent_names = Partial


# ---------------------------------------------------------------- registration


def application_form_for(category: Category | str) -> ApplicationForm:
    """The interview has one application form (our reading: the federal recommendations give one form for
    обучающиеся and экстерны); stored as «приложение 1»."""
    return ApplicationForm.APP1


def check_submission(route, today: date, exam_date: date) -> list[Violation]:
    """The school's list of participants goes up by the registration deadline (D−14; our reading: the seed
    names no separate step for the list, so the application deadline is the list's)."""
    deadline = calendar.session_deadlines(exam_date)["registration"]
    if today > deadline:
        return [
            _violation(
                "I03", severity="warning", label="Передача списка участников", deadline=deadline.strftime("%d.%m.%Y")
            )
        ]
    return []


def session_deadlines(exam_date: date) -> dict[str, date]:
    """The calendar's chain plus the two submission routes the shared service reads by key."""
    out = dict(calendar.session_deadlines(exam_date))
    out.setdefault("oo_to_mouo", out["registration"])
    out.setdefault("mouo_to_rcoi", out["registration"])
    return out


_registration = _absent_names(
    "загрузка списка участников в формате сочинения",
    "участники собеседования регистрируются заявлениями в своей ОО.",
    check_application=registration.check_application,
    required_documents=registration.required_documents,
    duration_minutes=lambda app: INTERVIEW.duration_minutes(app),
    application_form_for=application_form_for,
    check_submission=check_submission,
    session_deadlines=session_deadlines,
    extra_time_granted=registration.extra_time_granted,
    DEFAULT_GRADE=registration.GRADE,
)

# ---------------------------------------------------------------- commissions


def commission_creator(kind: str, venue_kind=None) -> OrgKind:
    """The school forms its own commission (Рекомендации; seed 002: by D−14)."""
    return OrgKind.OO


# the shared model's role values (base.StaffRole) -> the interview's roles
ROLE_OF = {
    "responsible": Role.RESPONSIBLE,
    "organizer": Role.ORGANIZER,
    "interlocutor": Role.INTERLOCUTOR,
    "expert": Role.EXPERT,
    "tech_specialist": Role.TECH,
}
ROLE_CHOICES = [
    ("responsible", Role.RESPONSIBLE.label),
    ("organizer", Role.ORGANIZER.label),
    ("interlocutor", Role.INTERLOCUTOR.label),
    ("expert", Role.EXPERT.label),
    ("tech_specialist", Role.TECH.label),
]


def check_conduct_commission(
    members, venue=None, participants=(), exam_date: date | None = None, formed_on: date | None = None, rooms=()
) -> list[Violation]:
    """The school's commission as the shared service gives it (one :class:`StaffMember` per role held):
    grouped per person, then the interview's rules (roles present, one responsible organizer, the combinations
    the region forbids — by default the собеседник and the эксперт are two people)."""
    people: dict[tuple, set] = {}
    for m in members:
        role = ROLE_OF.get(str(m.role))
        if role is not None:
            people.setdefault((m.full_name, m.school_id), set()).add(role)
    grouped = [
        commission.Member(id=f"{name}|{school}", full_name=name, roles=frozenset(roles))
        for (name, school), roles in people.items()
    ]
    return INTERVIEW.check_commission(grouped, exam_date or date.today(), formed_on, rooms)


_commissions = _absent_names(
    "комиссия по проверке",
    "ответы оценивают эксперты комиссии ОО (одна комиссия на ОО).",
    commission_creator=commission_creator,
    check_conduct_commission=check_conduct_commission,
    COMMISSION_DATED=True,  # check_conduct_commission takes exam_date and formed_on (I30: formed by I−14)
    formed_by=commission.formed_by,
    Role=Role,
    Member=commission.Member,
    ROLE_CHOICES=ROLE_CHOICES,
)

# ---------------------------------------------------------------- seating = the schedule by rooms

_seating = _absent_names(
    "рассадка в ППЭ",
    "ОО — место проведения; участники распределяются по аудиториям и времени (расписание).",
    BASE_DURATION_MIN=registration.BASE_MINUTES,
    EXTRA_DURATION_MIN=registration.EXTRA_MINUTES,
    make_schedule=INTERVIEW.make_schedule,
    default_roles=schedule.default_roles,
    Room=schedule.Room,
    RoomKind=schedule.RoomKind,
    Candidate=schedule.Candidate,
    check_venue_readiness=lambda venue: [],
)

# ---------------------------------------------------------------- the exam day


def is_checkable(state: str) -> bool:
    """Only a finished answer is evaluated (Рекомендации)."""
    return state == AnswerState.FINISHED


def check_checkable(state: str) -> list[Violation]:
    """Why an answer is not evaluated (the shared checking asks it of every kind): only a finished one is (I93)."""
    return [] if is_checkable(state) else [_violation("I93", field="state")]


_examday = _absent_names(
    "выдача тем и бланков",
    "КИМ собеседования выдаются собеседнику в аудитории; бланков нет.",
    DayState=AnswerState,
    is_checkable=is_checkable,
    check_checkable=check_checkable,
    ENTERED_STATES=(AnswerState.FINISHED, AnswerState.NOT_FINISHED),
    NO_WORK_STATES=(AnswerState.ABSENT,),
    new_vedomost=INTERVIEW.new_vedomost,
    Person=examday.Person,
    Line=examday.Line,
    Thresholds=examday.Thresholds,
)

# ---------------------------------------------------------------- recordings (the interview's own stage)

recordings = SimpleNamespace(
    check_recording=INTERVIEW.check_recording,
    # one file per room, cut by the ведомость's times (Span, spans_from_statement, check_room_recording)
    check_room_recording=INTERVIEW.check_room_recording,
    Span=audio.Span,
    spans_from_statement=audio.spans_from_statement,
    cut_segment=audio.cut_segment,
    sha256=audio.sha256,
    synth=synth_audio,
    max_bytes=INTERVIEW.settings.audio.max_bytes,
)

# ---------------------------------------------------------------- checking


def check_expert_marks(cs: criteria.CriteriaSet, marks) -> list[Violation]:
    return criteria.validate_marks(cs, marks)


def delivery_deadline(exam_date: date) -> date:
    """Checking ends D+5 inclusive (seed 002)."""
    return exam_date + timedelta(days=5)


def check_checking_done(exam_date: date, done_on: date) -> list[Violation]:
    """V78 (J8; seed 002 row 8 «До 19.02.2024 включительно»; Порядок ГИА-9: не позднее пяти календарных дней):
    the expert's protocol is entered by D+5 inclusive, on the school's calendar (I74)."""
    last = delivery_deadline(exam_date)
    if done_on > last:
        return [_codes_violation("I74", field="checked_at", deadline=_codes_fmt_date(last))]
    return []


_checking = _absent_names(
    "перенос оценок уполномоченным лицом МОУО",
    "протокол эксперта дважды вносит технический специалист ОО.",
    criteria_for=criteria.criteria_for,
    check_expert_marks=check_expert_marks,
    compare_entries=criteria.compare_entries,
    aggregate=INTERVIEW.aggregate,
    delivery_deadline=delivery_deadline,
    check_checking_done=check_checking_done,
)

# ---------------------------------------------------------------- results


def familiarization_date(published_on: date) -> date:
    """Our reading (as for the essay): the school and the participant see the result from the next day."""
    return published_on + timedelta(days=1)


def recheck_deadline(results_day: date, tz: str) -> None:
    """No re-check on application for the interview (the Порядок ГИА-9 gives none): nothing to show."""
    return


_results = SimpleNamespace(familiarization_date=familiarization_date)
_recheck = _absent_names(
    "повторная проверка",
    "Порядок ГИА-9 не предусматривает повторной проверки итогового собеседования; "
    "участник с «незачетом» допускается повторно на дополнительную дату.",
    recheck_deadline=recheck_deadline,
)

# ---------------------------------------------------------------- re-admission


def check_direct_registration(category: str, additional: bool) -> list[Violation]:
    """An additional date takes students by re-admission only (Порядок ГИА-9; as the essay's п. 10)."""
    if additional and category == Category.STUDENT:
        return [_violation("I91", field="category")]
    return []


_readmission = SimpleNamespace(
    readmission=registration.readmission,
    check_readmission_target=registration.check_readmission_target,
    check_direct_registration=check_direct_registration,
    readmission_targets=registration.readmission_targets,
)

# ---------------------------------------------------------------- retention


def destroy_not_before(kind, exam_date: date, reading: str | None = None) -> date:
    """The essay's storage dates extended to the interview's materials (:mod:`.retention`; the reading of
    «1 March» is the essay's, so ``reading`` is accepted and not used)."""
    return retention.destroy_not_before(kind, exam_date)


def check_destruction(kind, exam_date: date, on: date, reading: str | None = None) -> list[Violation]:
    return retention.check_destruction(kind, exam_date, on)


def kept_items(total: int) -> list[tuple[str, str]]:
    """What the РЦОИ keeps after an interview session: (kind, description) per kept set."""
    return [(k.value, k.label) for k in retention.Kept] if total else []


_retention = SimpleNamespace(
    StorageKind=retention.Kept,
    ORIGINALS_READING=retention.Kept.RECORDING,
    destroy_not_before=destroy_not_before,
    check_destruction=check_destruction,
    kept_items=kept_items,
)

# ---------------------------------------------------------------- participant codes (no paper blanks)


def session_index(session_date: date) -> int:
    """The session digit of the participant's code (the work code's shape, printed on the lists and the
    protocol and used in the results lookup): 5 for February, 6 March, 7 April/May, 8 a moved date — apart
    from the essay's usual digits (1–3); codes stay unique anyway, the serial counts per prefix."""
    return {2: 5, 3: 6, 4: 7, 5: 7}.get(session_date.month, 8)


blanks = SimpleNamespace(session_index=session_index, BOX_OF={})  # no boxes: nothing is scanned

# Why a session page of the paper-blank cycle is not the interview's (the I90 sentence of a typed URL).
PAGE_WHY = {
    "import": "участники собеседования регистрируются заявлениями в своей ОО.",
    "seating": "ОО — место проведения; участники распределяются по аудиториям и времени на странице «Проведение в ОО».",
    "day": "ответы отмечаются в ведомости учета проведения аудитории на странице «Проведение в ОО».",
    "handover": "бланков нет; аудиозаписи, протоколы и ведомости передаются в РЦОИ до D+6.",
    "checking": "ответы оценивают эксперты комиссии ОО по протоколу.",
    "transfer": "протокол эксперта дважды вносит технический специалист ОО.",
    "scanning": "бланков нет: ответы записываются на аудио.",
}

RULES = KindRules(
    kind="interview",
    title="Итоговое собеседование по русскому языку",
    label="итоговое собеседование",
    genitive="итогового собеседования",
    prepositional="итоговом собеседовании",
    ruleset=RULESET,
    calendar=SimpleNamespace(
        session_dates=calendar.session_dates,
        validate_override=calendar.validate_override,
        session_deadlines=calendar.session_deadlines,
        deadline_chain=calendar.deadline_chain,
        check_deadline=calendar.check_deadline,
        calendar_json=calendar.calendar_json,
        validate_session=calendar.validate_session,
        DEADLINE_LABELS={d.key: d.label for d in calendar.DEADLINES},
    ),
    registration=_registration,
    commissions=_commissions,
    seating=_seating,
    examday=_examday,
    checking=_checking,
    results=_results,
    recheck=_recheck,
    readmission=_readmission,
    retention=_retention,
    codes={**VALIDATIONS, **STAGE_CODES},
    blanks=blanks,
    forms={"interview": "собеседование"},
    # The school is the venue and answers are recorded: no ППЭ seating, no blanks to hand over or scan, no
    # assignment of works to the region's experts or transfer into copies (Порядок ГИА-9, Рекомендации); the
    # day, recordings and protocols live on the school's page ("timed_day"). Results and re-admission are
    # the shared pages.
    pages=frozenset({"results", "readmission", "timed_day"}),
    page_refusal=lambda key: Refused(
        [_violation("I90", stage=SESSION_PAGES[key], why=PAGE_WHY.get(key, "этап относится к сочинению."))]
    ),
)
# printable forms (PDF) and exports (XLSX) of the interview, from plain values the services fill
RULES.printing = SimpleNamespace(
    Header=forms.Header,
    ProtocolData=forms.ProtocolData,
    FinalRow=forms.FinalRow,
    Schedule=schedule.Schedule,
    Slot=schedule.Slot,
    Room=schedule.Room,
    room_lists_pdf=forms.render_room_lists,
    vedomost_pdf=forms.render_vedomost,
    protocols_pdf=forms.render_protocols,
    final_statement_pdf=forms.render_final_statement,
    final_statement_xlsx=exports.final_statement_xlsx,
    protocols_xlsx=exports.protocols_xlsx,
)
RULES.recordings = recordings  # the interview's own stage (recordings of the answers)
RULES.interview = INTERVIEW  # the full pure rules object (regional settings)
