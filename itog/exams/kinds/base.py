"""The interface of an exam kind and the value types its rules share (pure Python, no Django).

Every exam kind (the final essay now; the final interview, ОГЭ and ЕГЭ later) is one
:class:`KindRules` object — its rules for every stage of the cycle — registered in
:mod:`itog.exams.kinds` and reached as ``session.rules``. The rules never touch the
database: the caller copies what it knows into the plain dataclasses below, and the
rules answer with a list of :class:`Violation` — all of them, not only the first one.

String values of the enumerations are the ones the Django models of ``itog.exams``
store (``"student"``, ``"pmpk"``, ``"exposition"``, ``"organizer_in_room"`` …), so a
model value can be passed straight in: ``Category("vpl")``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, fields
from datetime import date
from enum import StrEnum
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "ApplicationData",
    "ApplicationForm",
    "Category",
    "Choice",
    "CommissionKind",
    "DocumentKind",
    "ExamForm",
    "CalendarRules",
    "ExamRules",
    "KindRules",
    "OrgKind",
    "ParticipantRef",
    "Position",
    "RegistrationPlaceKind",
    "RuleSetInfo",
    "SchoolType",
    "SeatingPlan",
    "SessionDate",
    "SessionKind",
    "Severity",
    "SpecialCondition",
    "StaffMember",
    "StaffRole",
    "SubmissionRoute",
    "VenueData",
    "VenueKind",
    "Violation",
    "WorkMedium",
]


class Choice(StrEnum):
    """A string enumeration whose members carry a Russian label: ``Member = "value", "метка"``."""

    label: str

    def __new__(cls, value: str, label: str = ""):
        obj = str.__new__(cls, value)
        obj._value_ = value
        obj.label = label or value
        return obj

    @classmethod
    def choices(cls) -> list[tuple[str, str]]:
        """``[(value, label), …]`` in declaration order (the shape Django ``choices`` expects)."""
        return [(m.value, m.label) for m in cls]


def _frozen(value: Any) -> frozenset:
    if value is None:
        return frozenset()
    if isinstance(value, (str, bytes)):
        raise TypeError("expected a collection, got a string")
    return frozenset(value)


_TYPE_NAME = re.compile(r"^(frozenset\[)?(\w+)\]?( \| None)?$")


class _FreezeSets:
    """Lets callers pass lists or sets for ``frozenset`` fields of a frozen dataclass, and
    plain strings (model values) for enumeration fields: both are converted on creation."""

    def __post_init__(self) -> None:
        # The conversion plan is worked out once per class (from the field annotations) and cached: a page
        # of 50 commissions creates thousands of these objects (0.4 ms each when the plan was re-derived).
        plan = _PLANS.get(type(self))
        if plan is None:
            plan = _PLANS[type(self)] = _plan(type(self))
        for name, is_set, convert in plan:
            value = getattr(self, name)
            if is_set:
                items = _frozen(value)
                if convert is not None:
                    items = frozenset(convert(v) for v in items)
                object.__setattr__(self, name, items)
            elif convert is not None and value is not None and not isinstance(value, convert):
                object.__setattr__(self, name, convert(value))


_PLANS: dict[type, list[tuple[str, bool, type | None]]] = {}


def _plan(cls: type) -> list[tuple[str, bool, type | None]]:
    """(field name, is a frozenset, Choice to convert to) for the fields ``_FreezeSets`` converts."""
    out = []
    for f in fields(cls):  # type: ignore[arg-type]
        type_text = str(f.type)
        is_set = type_text.startswith("frozenset")
        m = _TYPE_NAME.match(type_text)
        enum = globals().get(m.group(2)) if m else None
        convert = enum if isinstance(enum, type) and issubclass(enum, Choice) else None
        if is_set or convert is not None:
            out.append((f.name, is_set, convert))
    return out


# ---------------------------------------------------------------- violations


class Severity(Choice):
    ERROR = "error", "ошибка"
    WARNING = "warning", "предупреждение"


@dataclass(frozen=True)
class Violation(_FreezeSets):
    """One broken rule.

    ``code`` is the validation code ("V05" from section K.3 of the analysis, or "X01"…
    for the few checks this package adds); ``item`` is the item of the procedure
    ("п. 5.2"); ``message`` is the Russian text shown to the user; ``field`` names the
    input field at fault, when there is one. ``severity`` is "error" (blocks) unless a
    decision of the analysis made the rule a warning.
    """

    code: str
    item: str
    message: str
    field: str | None = None
    severity: Severity = Severity.ERROR

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


# ---------------------------------------------------------------- calendar


class SessionKind(Choice):
    MAIN = "main", "основная дата"
    ADDITIONAL = "additional", "дополнительная дата"


@dataclass(frozen=True)
class SessionDate(_FreezeSets):
    """One date of the schedule. ``override_reason`` is set only when the date was moved
    away from the date the rule gives (a changed federal schedule)."""

    kind: SessionKind
    date: date
    override_reason: str = ""


@dataclass(frozen=True)
class RuleSetInfo:
    """The regional act the rules come from."""

    region: str
    act: str
    number: str
    signed_on: date
    title: str
    supersedes: str = ""


# ---------------------------------------------------------------- participants and applications


class Category(Choice):
    """Participant categories of п. 2.1–2.2 (A1–A3)."""

    STUDENT = "student", "обучающийся XI (XII) класса"
    EXTERN = "extern", "экстерн"
    VPL = "vpl", "выпускник прошлых лет"
    SPO = "spo", "обучающийся по программам СПО"
    FOREIGN = "foreign", "обучающийся иностранной ОО"
    SPRAVKA = "spravka", "лицо со справкой об обучении"


class SchoolType(Choice):
    """Kind of the participant's ОО, as far as the rules care (п. 2.3, 5.4)."""

    REGULAR = "regular", "общеобразовательная организация"
    SUVU_CLOSED = "suvu_closed", "специальное учебно-воспитательное учреждение закрытого типа"
    PENAL = "penal", "учреждение, исполняющее наказание в виде лишения свободы"
    SANATORIUM = "sanatorium", "ОО (в том числе санаторно-курортная) с лечебными мероприятиями"


class ExamForm(Choice):
    ESSAY = "essay", "сочинение"
    EXPOSITION = "exposition", "изложение"
    INTERVIEW = "interview", "собеседование"  # the final interview has one form


class ApplicationForm(Choice):
    APP1 = "app1", "приложение 1"
    APP2 = "app2", "приложение 2"


class DocumentKind(Choice):
    """Documents presented with an application (п. 5.1, 5.3, 5.4, 2.3, 7.5.1)."""

    PMPK = "pmpk", "рекомендации ПМПК"
    DISABILITY = "disability", "справка, подтверждающая инвалидность (МСЭ)"
    MED_CONCLUSION = "med_conclusion", "заключение медицинской организации"
    SPRAVKA = "spravka", "справка об обучении"
    ENROLMENT_ORDER = "enrolment_order", "копия приказа о зачислении"
    APPLICATION_COPY = "application_copy", "копия заявления"
    VALID_REASON = "valid_reason", "документ, подтверждающий уважительную причину"


class SpecialCondition(Choice):
    """Conditions a participant may request in the application (form tail, п. 4.3, 4.4,
    7.5.1, 7.5.2, 7.11.1(2), 7.11.5)."""

    EXTRA_TIME = "extra_time", "увеличение продолжительности на 1,5 ч"
    ORAL_FORM = "oral_form", "сдача в устной форме"
    AT_HOME = "at_home", "проведение на дому"
    ENLARGED_BLANKS = "enlarged_blanks", "бланки увеличенного размера"
    SPECIAL_NOTEBOOK = "special_notebook", "специально предусмотренные тетради (для слепых и слабовидящих)"
    COMPUTER = "computer", "выполнение на компьютере"
    ASSISTANT = "assistant", "помощь ассистента"
    SPECIAL_TECH = "special_tech", "специальные технические средства"
    READING_40MIN = "reading_40min", "выдача текста изложения для чтения на 40 минут"


class WorkMedium(Choice):
    """What the work is written on (п. 4.3, B7); anything but STANDARD is transferred by an assistant."""

    STANDARD = "standard", "стандартные бланки"
    SPECIAL_NOTEBOOK = "special_notebook", "специально предусмотренные тетради"
    ENLARGED_BLANK = "enlarged_blank", "бланки увеличенного размера"
    COMPUTER = "computer", "компьютер"
    ORAL_AUDIO = "oral_audio", "аудиозапись устного ответа"


class RegistrationPlaceKind(Choice):
    """Where an application is registered (п. 5.1, A9–A12)."""

    OWN_OO = "own_oo", "ОО, в которой участник осваивает программу среднего общего образования"
    CHOSEN_OO = "chosen_oo", "ОО по выбору экстерна"
    REINSTATEMENT_OO = "reinstatement_oo", "ОО, в которой лицо восстанавливается для прохождения ГИА"
    MINISTRY_PLACE = "ministry_place", "место регистрации, определенное министерством"


class OrgKind(Choice):
    MINISTRY = "ministry", "министерство"
    RCOI = "rcoi", "РЦОИ (ГКУ КК ЦОКО)"
    MOUO = "mouo", "МОУО"
    OO = "oo", "ОО"


class SubmissionRoute(Choice):
    """Lists of registered participants handed up before the exam (п. 3.2, 3.3)."""

    OO_TO_MOUO = "oo_to_mouo", "в МОУО"
    MOUO_TO_RCOI = "mouo_to_rcoi", "в РЦОИ"


@dataclass(frozen=True)
class ApplicationData(_FreezeSets):
    """What the registration rules need to know about one application (приложения 1–3).

    Forms 1 and 2 are missing from the source except for their tail (analysis 0.1, L1):
    this holds only what the rules check, not the whole form.

    * ``category``, ``grade`` — п. 2.1–2.4; ``grade`` is the class number (10, 11, 12).
    * ``ovz``, ``child_disabled``, ``disabled`` — ОВЗ, ребенок-инвалид, инвалид.
    * ``school_type``, ``home_schooling_health`` — grounds of п. 2.3 for the exposition
      (``home_schooling_health``: learns at home for health reasons).
    * ``exam_form`` — сочинение or изложение; ``application_form`` — приложение 1 or 2,
      ``None`` when the caller lets :func:`application_form_for` choose it.
    * ``documents`` — kinds presented as an original or a properly certified copy.
    * ``special_conditions`` — requested conditions; ``other_conditions`` — the free text
      «иное»; ``medical_indications`` — medical indications for the oral form (п. 7.5.2).
    * ``consent_present`` / ``consent_revoked_on`` — приложение 3 and its revocation.
    * ``pamyatka_ack`` — «С Памяткой … ознакомлен (-а)».
    * ``registration_place`` — where it was registered; ``chosen_date`` — the date an
      ЕГЭ participant chose (п. 5.5); ``registration_date`` — when it was registered.
    * ``personal_data_fields`` — names of the personal-data fields stored for the
      participant (checked against the consent whitelist).
    * ``participant_id``, ``full_name``, ``school_id``, ``class_label`` — identity, used
      when the application is turned into a :class:`ParticipantRef`.
    """

    category: Category
    grade: int | None = None
    ovz: bool = False
    child_disabled: bool = False
    disabled: bool = False
    school_type: SchoolType = SchoolType.REGULAR
    home_schooling_health: bool = False
    exam_form: ExamForm = ExamForm.ESSAY
    application_form: ApplicationForm | None = None
    documents: frozenset[DocumentKind] = frozenset()
    special_conditions: frozenset[SpecialCondition] = frozenset()
    other_conditions: str = ""
    medical_indications: bool = False
    consent_present: bool = False
    consent_revoked_on: date | None = None
    pamyatka_ack: bool = False
    registration_place: RegistrationPlaceKind | None = None
    chosen_date: date | None = None
    registration_date: date | None = None
    personal_data_fields: frozenset[str] = frozenset()
    participant_id: str = ""
    full_name: str = ""
    school_id: str | None = None
    class_label: str = ""

    @property
    def health_grounds(self) -> bool:
        """ОВЗ, ребенок-инвалид or инвалид."""
        return self.ovz or self.child_disabled or self.disabled


@dataclass(frozen=True)
class ParticipantRef(_FreezeSets):
    """A participant as the commission, venue and seating rules see them."""

    id: str
    full_name: str = ""
    school_id: str | None = None
    class_label: str = ""
    ovz: bool = False
    child_disabled: bool = False
    disabled: bool = False
    exam_form: ExamForm = ExamForm.ESSAY
    reading_40min: bool = False
    duration_min: int = 235

    @property
    def health_grounds(self) -> bool:
        return self.ovz or self.child_disabled or self.disabled


# ---------------------------------------------------------------- commissions, staff, venues


class CommissionKind(Choice):
    CONDUCT = "conduct", "комиссия по проведению"
    CHECK = "check", "комиссия по проверке"
    REGIONAL_RECHECK = "regional_recheck", "комиссия по перепроверке и повторной проверке"


class Position(Choice):
    """Position at the employer ОО."""

    HEAD = "head", "руководитель ОО"
    DEPUTY_HEAD = "deputy_head", "заместитель руководителя ОО"
    TEACHER = "teacher", "учитель"
    OTHER = "other", "иной работник"


class StaffRole(Choice):
    """Roles in the commissions and around them (C23–C34)."""

    CONDUCT_HEAD = "conduct_head", "руководитель комиссии по проведению"
    ORGANIZER_IN_ROOM = "organizer_in_room", "организатор в аудитории"
    ORGANIZER_OUTSIDE = "organizer_outside", "организатор вне аудитории"
    TECH_SPECIALIST = "tech_specialist", "технический специалист"
    ASSISTANT = "assistant", "ассистент"
    MEDIC = "medic", "медицинский работник"
    CHECK_HEAD = "check_head", "руководитель комиссии по проверке"
    EXPERT = "expert", "эксперт"
    CHECK_TECH = "check_tech", "технический специалист комиссии по проверке"
    RECHECK_CHAIR = "recheck_chair", "председатель комиссии по перепроверке и повторной проверке"
    RECHECK_MEMBER = "recheck_member", "член комиссии по перепроверке и повторной проверке"
    # the interview's commission of the school (Рекомендации; its rules: kinds/interview/commission.py);
    # «эксперт» and «технический специалист» are the roles above
    RESPONSIBLE_ORGANIZER = "responsible", "ответственный организатор (собеседование)"
    INTERVIEW_ORGANIZER = "organizer", "организатор проведения итогового собеседования"
    INTERLOCUTOR = "interlocutor", "экзаменатор-собеседник"


@dataclass(frozen=True)
class StaffMember(_FreezeSets):
    """A person proposed for a commission.

    ``school_id`` is the employer ОО (``None``: not an ОО employee). Teaching is known
    either per participant (``teaches_participant_ids``) or per class
    (``teaches_classes``: pairs ``(school_id, class_label)``), whichever the caller has;
    both are checked. ``trained`` — «прошедших подготовку на муниципальном уровне».
    ``relative_of_participant_ids`` — participants this person is a close relative of.
    ``room_id`` — the room of an organizer in the room; ``assisted_participant_ids`` —
    the participants an assistant works with.
    """

    id: str
    full_name: str
    school_id: str | None = None
    position: Position = Position.TEACHER
    is_pedagogical: bool = True
    is_russian_specialist: bool = False
    trained: bool = False
    teaches_participant_ids: frozenset[str] = frozenset()
    teaches_classes: frozenset[tuple[str, str]] = frozenset()
    relative_of_participant_ids: frozenset[str] = frozenset()
    role: StaffRole | None = None
    room_id: str | None = None
    assisted_participant_ids: frozenset[str] = frozenset()

    def teaches(self, participant: ParticipantRef) -> bool:
        if participant.id in self.teaches_participant_ids:
            return True
        return (participant.school_id, participant.class_label) in self.teaches_classes


class VenueKind(Choice):
    OO = "oo", "ОО"
    MINISTRY_PLACE = "ministry_place", "место, определенное министерством"
    HOME = "home", "на дому"


@dataclass(frozen=True)
class VenueData(_FreezeSets):
    """An exam venue as its readiness check (the day before, п. 7.11.1(1)) sees it."""

    id: str
    kind: VenueKind = VenueKind.OO
    school_id: str | None = None
    has_meal_room: bool = False
    meal_room_fridge: bool = False
    meal_room_kettle: bool = False
    meal_room_sanitary_ok: bool = False
    has_medical_room: bool = False
    has_participant_storage: bool = False
    has_staff_storage: bool = False
    head_room_safe: bool = False
    has_video: bool = False


@dataclass(frozen=True)
class SeatingPlan(_FreezeSets):
    """Who sits in which room, made on ``done_on``; ``random_seed`` is the logged seed of
    the random order (``None``: the order was not random)."""

    done_on: date
    assignments: Mapping[str, str]  # participant id -> room id
    random_seed: int | str | None = None


# ---------------------------------------------------------------- the interface of an exam kind


@runtime_checkable
class CalendarRules(Protocol):
    """The calendar of a kind: the one thing the plan parser and the sessions need. A kind may be
    registered with its calendar only (``itog.exams.kinds.register(kind, calendar=...)``)."""

    def session_dates(self, academic_year: str | int) -> list[SessionDate]: ...


@runtime_checkable
class ExamRules(Protocol):
    """What the shared registration services ask of a kind's registration rules (the essay's
    :mod:`itog.exams.kinds.essay.procedure` is the first). Checks whose shape depends on the exam
    (commissions, seating, venues) are the stage objects of :class:`KindRules`: the essay has
    separate conduct and checking commissions, the interview one combined."""

    KIND: str
    RULESET: RuleSetInfo
    VALIDATIONS: Mapping[str, tuple[str, str]]
    PRE_EXAM_CODES: frozenset[str]

    def session_dates(self, academic_year: str | int) -> list[SessionDate]: ...

    def session_deadlines(self, exam_date: date) -> dict[str, date]: ...

    def validate_override(self, rule_date: date, new_date: date, reason: str) -> list[Violation]: ...

    def check_application(self, app: Any, session: SessionDate) -> list[Violation]: ...

    def duration_minutes(self, app: Any) -> int: ...


# Which stage of the cycle asks what of a kind (the names the shared services call; each stage
# object is a module or any object with these attributes):
# The pages of a session's cycle that belong to a stage some kind may not have: page key → what it is. A kind
# names the ones it offers (``KindRules.pages``); templates show a link, tab or button only when
# ``"<key>" in session.rules.pages``, and the page itself still refuses a kind without the stage (I90).
SESSION_PAGES: dict[str, str] = {
    "import": "загрузка списка участников (колонки заявления сочинения)",
    "seating": "рассадка по аудиториям ППЭ и печать комплектов",
    "day": "день проведения в ППЭ (темы, ИС-05, бланки)",
    "handover": "передача бланков",
    "checking": "распределение работ экспертам",
    "transfer": "перенос оценок в копии",
    "scanning": "сканирование бланков",
    "results": "результаты",
    "readmission": "повторный допуск",
    "timed_day": "проведение в ОО по расписанию (аудиозапись, ведомость учета проведения, протоколы)",
}
ESSAY_SHAPED_PAGES = frozenset(SESSION_PAGES) - {"timed_day"}

STAGES: dict[str, tuple[str, ...]] = {
    "calendar": ("session_dates", "validate_override", "session_deadlines"),
    "registration": (
        "check_application",
        "application_form_for",
        "required_documents",
        "check_submission",
        "duration_minutes",
        "to_participant",
        "HEADER",
        "validate_rows",
    ),
    "commissions": ("commission_creator", "check_conduct_commission", "check_checking_commission"),
    "seating": ("check_venue_readiness", "BASE_DURATION_MIN", "EXTRA_DURATION_MIN"),
    "examday": (
        "TOPIC_LABELS",
        "release_at",
        "check_release",
        "DayState",
        "DayRecord",
        "check_day_record",
        "is_checkable",
        "check_checkable",
        "custody_checks",
        "check_delivery",
    ),
    "checking": ("criteria_for", "check_expert_marks", "compare_entries", "check_transfer_person", "delivery_deadline"),
    "results": ("familiarization_date",),
    "recheck": (
        "check_recheck_eligibility",
        "check_recheck_filing",
        "check_recheck_copies",
        "recheck_chain",
        "check_chain_task",
        "check_decision",
        "check_protocol_delivery",
        "recheck_deadline",
    ),
    "readmission": ("readmission", "check_readmission_target", "check_direct_registration"),
    "retention": ("StorageKind", "ORIGINALS_READING", "destroy_not_before", "check_destruction"),
}


class KindRules:
    """One exam kind's rules for every stage of the cycle, resolved once per session
    (``session.rules``). ``kind`` is the value of ``ExamSession.kind``; ``title`` the display name
    («Итоговое сочинение (изложение)») and ``label`` the same in a sentence («итоговое сочинение
    (изложение)»). Each stage (see :data:`STAGES`) is a module or object of pure rules; ``codes`` is
    the kind's table of violation codes; ``genitive``/``prepositional`` the label in those cases; ``blanks`` the kind's blank layout for printing and scanning
    (``box_of``: page box code → mark-field prefix; ``session_index``: the session digit of the work
    code) — ``None`` for a kind without paper blanks."""

    def __init__(
        self,
        *,
        kind: str,
        title: str,
        label: str,
        genitive: str = "",
        prepositional: str = "",
        ruleset: RuleSetInfo | None,
        calendar: Any,
        registration: Any = None,
        commissions: Any = None,
        seating: Any = None,
        examday: Any = None,
        checking: Any = None,
        results: Any = None,
        recheck: Any = None,
        readmission: Any = None,
        retention: Any = None,
        codes: Mapping[str, tuple[str, str]] | None = None,
        blanks: Any = None,
        forms: Mapping[str, str] | None = None,
        profile: Any = None,
        pages: frozenset[str] | None = None,
        page_refusal: Any = None,
    ) -> None:
        self.kind, self.title, self.label, self.ruleset = kind, title, label, ruleset
        # the display name in the cases sentences need («… итогового сочинения», «… в итоговом сочинении»)
        self.genitive, self.prepositional = genitive or label, prepositional or label
        self.calendar, self.registration, self.commissions, self.seating = calendar, registration, commissions, seating
        self.examday, self.checking, self.results, self.recheck = examday, checking, results, recheck
        self.readmission, self.retention = readmission, retention
        self.codes = dict(codes or {})
        self.blanks = blanks
        self.forms = dict(forms or {})  # form value → label («essay» → «сочинение»)
        # the module of the kind's regional procedure profile (ProcedureProfile, DEFAULT, validate, …) or None
        self.profile = profile
        # the session pages of SESSION_PAGES this kind offers (default: the paper-blank cycle's)
        self.pages = frozenset(ESSAY_SHAPED_PAGES if pages is None else pages)
        unknown = self.pages - set(SESSION_PAGES)
        if unknown:
            raise ValueError(f"{kind}: unknown session pages {sorted(unknown)}")
        # page key -> the kind's Refused for a page it does not have (a typed URL; no link leads there)
        self.page_refusal = page_refusal

    def __repr__(self) -> str:
        return f"<KindRules {self.kind}>"

    def check_page(self, key: str) -> None:
        """Refuse a session page (:data:`SESSION_PAGES`) this kind does not have, in the kind's words: the
        pages offer no link to it, but a typed or old URL must not apply another kind's stage."""
        if key in self.pages:
            return
        from itog.exams.violations import Refused

        if self.page_refusal is not None:
            raise self.page_refusal(key)
        raise Refused(f"В {self.prepositional} нет этапа «{SESSION_PAGES[key]}».")

    def missing(self) -> dict[str, list[str]]:
        """Per stage, the names of :data:`STAGES` this kind does not provide (empty: complete)."""
        out: dict[str, list[str]] = {}
        for stage, names in STAGES.items():
            obj = getattr(self, stage)
            lacking = [n for n in names if obj is None or not hasattr(obj, n)]
            if lacking:
                out[stage] = lacking
        return out

    # The calendar is asked for by name often enough to be reachable directly.
    def session_dates(self, academic_year: str | int) -> list[SessionDate]:
        return self.calendar.session_dates(academic_year)
