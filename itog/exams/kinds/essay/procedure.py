"""Rules of the final essay (итоговое сочинение (изложение)), Krasnodar region — up to the
evening before the exam (pure Python, no Django).

Source: приказ министерства образования, науки и молодежной политики Краснодарского края
от 24.11.2023 № 3311 «Об утверждении Порядка проведения и проверки итогового сочинения
(изложения) в Краснодарском крае» (seed 003). Analysis: shared/domain/essay-procedure-rules.md
— rule ids A1–A43, B1–B28, C1–C38 and validation codes V01–V74 (section K.3) below refer to it.

What is here
------------
* calendar (п. 4.1): :func:`session_dates`, :func:`academic_year_of`, :func:`validate_session`,
  :func:`validate_override`; deadlines before the exam: :func:`session_deadlines`,
  :data:`DEADLINES`; durations and meals (п. 4.2–4.6): :func:`duration_minutes`,
  :func:`meal_break_required`; times of day on the exam day as data: :data:`TIME_RULES`;
* participants and applications (п. 2, 5, 7.5, приложение 3): :func:`check_application` and
  the helpers :func:`allowed_forms`, :func:`required_documents`,
  :func:`allowed_special_conditions`, :func:`registration_place_kind`,
  :func:`application_form_for`; submissions: :func:`check_submission`; the consent:
  :func:`check_personal_data_fields`;
* commissions and staff (п. 3.1–3.3, 7.11): :func:`check_conduct_commission`,
  :func:`check_checking_commission`, :func:`check_staff_allocation`, :func:`check_assistants`,
  :func:`commission_creator`, :func:`proposal_route`;
* the day before the exam (п. 7.11.1(1)–(2), 7.11.4(1), 4.6.1, 7.6, 7.7):
  :func:`check_venue_readiness`, :func:`check_blank_printing`, :func:`check_seating`.

Every check returns *all* the violations it finds, with the Russian message of section K.3.
:data:`VALIDATIONS` lists every code V01–V74 of K.3 (those of the exam day and later too, so
that the later code reuses the same texts) plus the codes X01… this module adds where K.3 has
no message; :data:`PRE_EXAM_CODES` are the ones produced here.

Open questions of the analysis (section L) that touch this part are decided by the module
constants of the block "decisions on open questions"; each cites its L-number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time, timedelta

from itog.exams.kinds.base import (
    ApplicationData,
    ApplicationForm,
    Category,
    CommissionKind,
    DocumentKind,
    ExamForm,
    OrgKind,
    ParticipantRef,
    Position,
    RegistrationPlaceKind,
    RuleSetInfo,
    SchoolType,
    SeatingPlan,
    SessionDate,
    Severity,
    SpecialCondition,
    StaffMember,
    StaffRole,
    SubmissionRoute,
    VenueData,
    VenueKind,
    Violation,
    WorkMedium,
)

KIND = "essay"

RULESET = RuleSetInfo(
    region="Краснодарский край",
    act="приказ министерства образования, науки и молодежной политики Краснодарского края",
    number="3311",
    signed_on=date(2023, 11, 24),
    title="Об утверждении Порядка проведения и проверки итогового сочинения (изложения) в Краснодарском крае",
    supersedes="приказ от 9 ноября 2021 г. № 3380",
)

# ---------------------------------------------------------------- parameters of the procedure

BASE_DURATION_MIN = 235  # п. 4.2: 3 часа 55 минут
EXTRA_DURATION_MIN = 90  # п. 4.4: + 1,5 часа
MEAL_THRESHOLD_MIN = 240  # п. 4.5: «четыре и более часа»
READING_MIN = 40  # п. 7.11.1(2): текст для чтения на 40 минут
MIN_CONDUCT_MEMBERS = 3  # п. 3.2 (the default; a region's value: profile.min_conduct_members)
MIN_CHECK_SPECIALISTS = 3  # п. 3.2 (the default; profile.min_check_specialists)
MIN_ORGANIZERS_PER_ROOM = 2  # п. 7.11.3
ANNOUNCE_BEFORE_END_MIN = (30, 5)  # п. 7.11.3: за тридцать и за пять минут до окончания

# Participant groups (п. 2.1, 2.2).
OBUCHAYUSHCHIESYA = frozenset({Category.STUDENT, Category.EXTERN})  # «обучающиеся», п. 2.1 (A1)
EGE_PARTICIPANTS = frozenset({Category.VPL, Category.SPO, Category.FOREIGN})  # «участники ЕГЭ», п. 2.2 (A2)
# A3: «лица со справкой об обучении» are named after the group definition of п. 2.2, so they
# are neither «обучающиеся» nor «участники ЕГЭ».

# ---------------------------------------------------------------- decisions on open questions (section L)

# L1: forms 1 and 2 survive only as their tail. ApplicationData holds what the rules check
# (the visible tail plus the facts п. 2–5 need), nothing guessed from the missing header.

# L9 (submission deadline D−14): SUBMISSION_DAYS_BEFORE of .calendar.

# L11: «участники ГИА» (п. 5.2, 6.2.1) are the «обучающиеся» of п. 2.1 (students and externs):
# they file приложение 1; everyone else files приложение 2.
GIA_PARTICIPANTS = OBUCHAYUSHCHIESYA

# L12: ЕГЭ applications are registered by the МОУО (п. 3.2), which runs the registration places
# the ministry defines (п. 5.1); students', externs' and «справка» applications by the ОО.
EGE_REGISTRAR = OrgKind.MOUO

# L13: the close-relative exclusion is written for the checking commission only; the conduct
# commission is not checked for relatives (a region extends it: profile.conduct_excludes_relatives).
CONDUCT_EXCLUDES_RELATIVES = False

# L14: the head of the conduct commission must be the ОО head or deputy (п. 7.11.1); if that
# person is a Russian/literature specialist or teaches the participants, п. 3.2 is broken —
# reported as a warning, not a block, until the ministry confirms (profile.head_composition_blocks).
HEAD_COMPOSITION_SEVERITY = Severity.WARNING

# L15: the +1.5 h of п. 4.4 is granted when requested in the application (the form offers it as
# a checkbox); it is never automatic. Set False to grant it to every eligible participant.
EXTRA_TIME_ON_REQUEST = True

# L16: the 40-minute reading of the text is for participants of the exposition only (the text
# says «участники итогового изложения»); no further category limit is invented. The reading is
# part of the writing time: it does not lengthen the duration.
READING_40MIN_FORMS = frozenset({ExamForm.EXPOSITION})
READING_40MIN_EXTENDS_DURATION = False

# L21: the publication times of topics (09:45, п. 7.1) and texts (09:30, п. 7.2) are read as
# local time, like every other time of п. 7.11 (in Krasnodar local time is Moscow time).
PUBLICATION_TIMES_LOCAL = True

# Gap not listed in section L: п. 5.3 names «обучающиеся, экстерны, участники ЕГЭ» but not
# «лица со справкой об обучении». Their ОВЗ or disability status still has to be documented
# to claim the conditions of п. 4.4 and 7.5, so the same documents are required of them.
SPRAVKA_HEALTH_DOCUMENTS_REQUIRED = True

# п. 7.11.5 says «ассистент (для участников с ОВЗ)»: taken literally, an assistant is for
# participants with the ОВЗ status only (V52).
ASSISTANT_NEEDS_OVZ = True

# Exams at home (п. 7.5.1): the venue is the participant's home, so the rooms of п. 4.6.1, 7.6,
# 7.7 and the head's safe are not required there.
HOME_VENUE_EXEMPT_FROM_ROOMS = True

from itog.exams.common import (  # noqa: F401 - re-exported for the essay's other modules
    academic_year_label,
    academic_year_of,
    academic_year_start,
    fmt_date,
)

from .calendar import (  # noqa: F401
    DEADLINE_BY_KEY,
    DEADLINE_LABELS,
    DEADLINES,
    SUBMISSION_DAYS_BEFORE,
    WEDNESDAY,
    Deadline,
    is_rule_date,
    session_dates,
    session_deadlines,
    validate_override,
    validate_session,
)
from .codes import (  # noqa: F401
    AFTER,
    CHECKING,
    EXAM_DAY,
    PHASES,
    PRE_EXAM,
    PRE_EXAM_CODES,
    RECHECK,
    V12_MESSAGES,
    VALIDATIONS,
    message,
    violation,
)
from .participants_import import HEADER, validate_rows  # noqa: F401 - the list upload (registration stage)
from .profile import DEFAULT as DEFAULT_PROFILE
from .profile import CommissionCreator, ProcedureProfile

# ---------------------------------------------------------------- deadlines before the exam: see .calendar


def check_submission(route: SubmissionRoute | str, sent_on: date, exam_date: date) -> list[Violation]:
    """V14: lists of registered participants go ОО → МОУО (п. 3.3) and МОУО → РЦОИ (п. 3.2)
    not later than two weeks before the exam (D−14 is still in time, L9)."""
    route = SubmissionRoute(route)
    key = route.value
    deadline = session_deadlines(exam_date)[key]
    if sent_on <= deadline:
        return []
    return [
        violation(
            "V14", field="sent_on", item=DEADLINE_BY_KEY[key].item, recipient=route.label, deadline=fmt_date(deadline)
        )
    ]


# ---------------------------------------------------------------- durations and meals (п. 4.2–4.6, B5–B13)

# п. 4.3 (B7): what the writing time does not include.
EXCLUDED_FROM_DURATION: tuple[str, ...] = (
    "подготовительные мероприятия (инструктаж участников, заполнение регистрационных полей бланков и др.)",
    "организация питания",
    "проведение необходимых медико-профилактических процедур",
    "перенос ассистентом в стандартные бланки записи работ, выполненных в специально предусмотренных "
    "тетрадях, в бланках увеличенного размера, на компьютере, устных работ из аудиозаписей",
)

# п. 4.3: works on these media are transferred by an assistant into standard blanks.
ASSISTANT_TRANSFER_MEDIA = frozenset(m for m in WorkMedium if m != WorkMedium.STANDARD)


def extra_time_granted(app: ApplicationData) -> bool:
    """п. 4.4 (B6): ОВЗ, ребенок-инвалид, инвалид — +1.5 h; on request only (L15)."""
    if not app.health_grounds:
        return False
    return SpecialCondition.EXTRA_TIME in app.special_conditions or not EXTRA_TIME_ON_REQUEST


def duration_minutes(app: ApplicationData) -> int:
    """Writing time in minutes: 235 (п. 4.2), 325 with the extension of п. 4.4. The 40-minute
    reading does not lengthen it (L16)."""
    minutes = BASE_DURATION_MIN + (EXTRA_DURATION_MIN if extra_time_granted(app) else 0)
    if READING_40MIN_EXTENDS_DURATION and SpecialCondition.READING_40MIN in app.special_conditions:
        minutes += READING_MIN
    return minutes


def meal_break_required(duration: int | ApplicationData | ParticipantRef) -> bool:
    """п. 4.5 (B9): meals and breaks are organised when the writing time is 4 hours or more —
    never for 235 minutes, always for 325."""
    if isinstance(duration, ApplicationData):
        duration = duration_minutes(duration)
    elif isinstance(duration, ParticipantRef):
        duration = duration.duration_min
    return duration >= MEAL_THRESHOLD_MIN


def work_medium(app: ApplicationData) -> WorkMedium:
    """What the participant writes on (п. 4.3), from the requested conditions."""
    conditions = app.special_conditions
    for condition, medium in (
        (SpecialCondition.ORAL_FORM, WorkMedium.ORAL_AUDIO),
        (SpecialCondition.COMPUTER, WorkMedium.COMPUTER),
        (SpecialCondition.SPECIAL_NOTEBOOK, WorkMedium.SPECIAL_NOTEBOOK),
        (SpecialCondition.ENLARGED_BLANKS, WorkMedium.ENLARGED_BLANK),
    ):
        if condition in conditions:
            return medium
    return WorkMedium.STANDARD


# ---------------------------------------------------------------- times of the exam day (B14–B25), as data


@dataclass(frozen=True)
class TimeRule:
    key: str
    item: str
    relation: str  # "not_before" | "not_later" | "from"
    at: time
    label: str
    code: str  # the K.3 code the exam-day check reports
    local_time: bool = True
    severity: Severity = Severity.ERROR


TIME_RULES: dict[str, TimeRule] = {
    r.key: r
    for r in (
        TimeRule(
            "staff_briefing",
            "п. 7.11.1",
            "not_before",
            time(8, 15),
            "Инструктаж организаторов и технических специалистов",
            "V35",
        ),
        TimeRule(
            "medic_present",
            "п. 7.7",
            "from",
            time(9, 0),
            "Присутствие медицинского работника (до выхода последнего участника)",
            "V53",
            severity=Severity.WARNING,
        ),
        TimeRule(
            "exposition_texts_published",
            "п. 7.2",
            "not_before",
            time(9, 30),
            "Размещение текстов изложения в «личных кабинетах» руководителей ОО",
            "V37",
            local_time=PUBLICATION_TIMES_LOCAL,
        ),
        TimeRule(
            "participants_seated",
            "п. 7.11.1",
            "not_later",
            time(9, 40),
            "Вход и размещение участников в аудиториях",
            "V39",
            severity=Severity.WARNING,
        ),
        TimeRule(
            "essay_topics_published",
            "п. 7.1",
            "not_before",
            time(9, 45),
            "Размещение тем итогового сочинения",
            "V37",
            local_time=PUBLICATION_TIMES_LOCAL,
        ),
        TimeRule(
            "kits_to_organizers",
            "пп. 7.11.1, 7.11.3",
            "not_before",
            time(9, 45),
            "Выдача организаторам комплектов тем (текстов), бланков и форм",
            "V36",
        ),
        TimeRule(
            "briefing_part1", "п. 7.11.3", "not_before", time(9, 50), "Первая часть инструктажа участников", "V38"
        ),
        TimeRule(
            "briefing_part2",
            "п. 7.11.3",
            "not_before",
            time(10, 0),
            "Вторая часть инструктажа (ознакомление с темами, текстами)",
            "V38",
        ),
    )
}


# ================================================================ participants and applications (A1–A43)

GROUP_OBUCH = "obuch"  # обучающиеся (п. 2.1)
GROUP_EGE = "ege"  # участники ЕГЭ (п. 2.2)
GROUP_SPRAVKA = "spravka"  # лица со справкой об обучении (п. 2.2, A3)


def category_group(category: Category | str) -> str:
    category = Category(category)
    if category in OBUCHAYUSHCHIESYA:
        return GROUP_OBUCH
    if category in EGE_PARTICIPANTS:
        return GROUP_EGE
    return GROUP_SPRAVKA


def exam_purpose(category: Category | str) -> str:
    """Why the category writes (п. 2.1, 2.2)."""
    if category_group(category) == GROUP_OBUCH:
        return "условие допуска к ГИА"
    return "использование результатов при приеме на обучение по программам бакалавриата и специалитета"


def is_blocked(app: ApplicationData) -> bool:
    """п. 2.4 (A8): X-graders («обучающиеся X классов») taking early subject exams do not take part."""
    return app.grade == 10 and category_group(app.category) == GROUP_OBUCH


def application_form_for(category: Category | str) -> ApplicationForm:
    """п. 5.2 (A17, A18; L11): приложение 1 for «участники ГИА», приложение 2 for ЕГЭ participants
    and persons with a справка."""
    return ApplicationForm.APP1 if Category(category) in GIA_PARTICIPANTS else ApplicationForm.APP2


_PLACE_BY_CATEGORY = {
    Category.STUDENT: RegistrationPlaceKind.OWN_OO,  # A9
    Category.EXTERN: RegistrationPlaceKind.CHOSEN_OO,  # A10
    Category.SPRAVKA: RegistrationPlaceKind.REINSTATEMENT_OO,  # A11
}


def registration_place_kind(category: Category | str) -> RegistrationPlaceKind:
    """п. 5.1 (A9–A12): where the application of a category is registered."""
    return _PLACE_BY_CATEGORY.get(Category(category), RegistrationPlaceKind.MINISTRY_PLACE)


def registering_org_kind(category: Category | str) -> OrgKind:
    """Who registers the application: the МОУО for ЕГЭ participants (п. 3.2, A13; L12), the ОО for
    everyone else (п. 3.3, 5.1, A14)."""
    return EGE_REGISTRAR if category_group(category) == GROUP_EGE else OrgKind.OO


def exposition_grounds(app: ApplicationData) -> tuple[str, ...]:
    """The grounds of п. 2.3 the participant has: "A5" (ОВЗ, ребенок-инвалид, инвалид), "A6"
    (СУВУ закрытого типа, учреждение, исполняющее наказание), "A7" (learning at home or in a
    medical/sanatorium ОО for health reasons, with a medical conclusion on file). Only
    «обучающиеся» (students and externs) can have them (A4)."""
    if category_group(app.category) != GROUP_OBUCH:
        return ()
    grounds = []
    if app.health_grounds:
        grounds.append("A5")
    if app.school_type in (SchoolType.SUVU_CLOSED, SchoolType.PENAL):
        grounds.append("A6")
    if _a7_candidate(app) and DocumentKind.MED_CONCLUSION in app.documents:
        grounds.append("A7")
    return tuple(grounds)


def _a7_candidate(app: ApplicationData) -> bool:
    return app.home_schooling_health or app.school_type == SchoolType.SANATORIUM


def allowed_forms(app: ApplicationData) -> frozenset[ExamForm]:
    """The forms the participant may choose: the essay for everyone admitted, the exposition with
    a ground of п. 2.3; nothing for the X-graders of п. 2.4."""
    if is_blocked(app):
        return frozenset()
    if exposition_grounds(app):
        return frozenset({ExamForm.ESSAY, ExamForm.EXPOSITION})
    return frozenset({ExamForm.ESSAY})


def _health_documents_apply(app: ApplicationData) -> bool:
    return app.category != Category.SPRAVKA or SPRAVKA_HEALTH_DOCUMENTS_REQUIRED


def required_documents(app: ApplicationData) -> frozenset[DocumentKind]:
    """Documents the application needs, each as an original or a properly certified copy:

    * ОВЗ — рекомендации ПМПК (п. 5.3, A19);
    * ребенок-инвалид, инвалид — справка об инвалидности (п. 5.3, A20);
    * лицо со справкой — справка об обучении (п. 5.1, A11);
    * СУВУ закрытого типа, учреждение, исполняющее наказание — копия заявления and копия приказа
      о зачислении, sent by the ОО head to the МОУО (п. 5.4, A21);
    * the exposition on the ground of п. 2.3 «на дому / в санаторной ОО» alone — заключение
      медицинской организации (п. 2.3, A7);
    * the exam at home — заключение медицинской организации and рекомендации ПМПК (п. 7.5.1, A22).
    """
    docs: set[DocumentKind] = set()
    if _health_documents_apply(app):
        if app.ovz:
            docs.add(DocumentKind.PMPK)
        if app.child_disabled or app.disabled:
            docs.add(DocumentKind.DISABILITY)
    if app.category == Category.SPRAVKA:
        docs.add(DocumentKind.SPRAVKA)
    if category_group(app.category) == GROUP_OBUCH and app.school_type in (SchoolType.SUVU_CLOSED, SchoolType.PENAL):
        docs.update({DocumentKind.APPLICATION_COPY, DocumentKind.ENROLMENT_ORDER})
    if app.exam_form == ExamForm.EXPOSITION and _exposition_needs_med_conclusion(app):
        docs.add(DocumentKind.MED_CONCLUSION)
    if SpecialCondition.AT_HOME in app.special_conditions:
        docs.update({DocumentKind.MED_CONCLUSION, DocumentKind.PMPK})
    return frozenset(docs)


def _exposition_needs_med_conclusion(app: ApplicationData) -> bool:
    """The only ground the participant could have for the exposition is A7."""
    if category_group(app.category) != GROUP_OBUCH or not _a7_candidate(app):
        return False
    grounds = set(exposition_grounds(app)) - {"A7"}
    return not grounds


# Conditions that п. 1.6, 4.3, 4.4, 7.5 and 7.11.6 give to participants with ОВЗ, children with
# disabilities and persons with disabilities, with the item that grants each.
HEALTH_CONDITIONS: dict[SpecialCondition, str] = {
    SpecialCondition.EXTRA_TIME: "п. 4.4",
    SpecialCondition.ORAL_FORM: "п. 7.5.2",
    SpecialCondition.AT_HOME: "п. 7.5.1",
    SpecialCondition.ENLARGED_BLANKS: "п. 4.3",
    SpecialCondition.SPECIAL_NOTEBOOK: "п. 4.3",
    SpecialCondition.COMPUTER: "п. 4.3",
    SpecialCondition.SPECIAL_TECH: "п. 7.11.6",
}


def allowed_special_conditions(app: ApplicationData) -> frozenset[SpecialCondition]:
    """Conditions the participant's category allows (documents are checked separately):

    * +1.5 h (п. 4.4), oral form (п. 7.5.2), at home (п. 7.5.1), enlarged blanks, special
      notebooks, a computer (п. 4.3), special technical means (п. 7.11.6) — ОВЗ, ребенок-инвалид,
      инвалид;
    * an assistant (п. 7.11.5) — ОВЗ (ASSISTANT_NEEDS_OVZ);
    * the 40-minute reading of the text (п. 7.11.1(2)) — participants of the exposition (L16).
    """
    allowed: set[SpecialCondition] = set()
    if app.health_grounds:
        allowed.update(HEALTH_CONDITIONS)
    if app.ovz or (app.health_grounds and not ASSISTANT_NEEDS_OVZ):
        allowed.add(SpecialCondition.ASSISTANT)
    if app.exam_form in READING_40MIN_FORMS:
        allowed.add(SpecialCondition.READING_40MIN)
    return frozenset(allowed)


# ---------------------------------------------------------------- the consent (приложение 3, A33–A43)

# A37: the closed list of personal data the consent covers, by the field names of the
# participant record («… относящихся исключительно к перечисленным ниже категориям»).
CONSENT_PD_FIELDS: dict[str, str] = {
    "last_name": "фамилия",
    "first_name": "имя",
    "middle_name": "отчество",
    "sex": "пол",
    "birth_date": "дата рождения",
    "phone": "контактный телефон",
    "citizenship": "гражданство",
    "snils": "СНИЛС",
    "document_type": "вид документа, удостоверяющего личность",
    "document_series": "серия документа, удостоверяющего личность",
    "document_number": "номер документа, удостоверяющего личность",
    "document_issued_on": "дата выдачи документа, удостоверяющего личность",
    "document_issued_by": "кем выдан документ, удостоверяющий личность",
    "school": "наименование образовательной организации",
    "school_name": "наименование образовательной организации",
    "grade": "номер класса",
    "class_letter": "литера класса",
    "health_category": "отнесение к категории лиц с ОВЗ, детей-инвалидов или инвалидов",
    "ovz": "отнесение к категории лиц с ОВЗ",
    "child_disabled": "отнесение к категории детей-инвалидов",
    "disabled": "отнесение к категории инвалидов",
}
# «(при наличии)»: may be empty.
CONSENT_OPTIONAL_PD_FIELDS = frozenset({"middle_name", "phone", "snils", "grade", "class_letter"})
# Fields of the consent form itself (A33–A36, A43) — stored with the consent, not in the
# participant record, so they are outside the whitelist on purpose.
CONSENT_FORM_FIELDS: dict[str, str] = {
    "full_name": "ФИО",
    "passport_series_number": "паспорт (серия, номер)",
    "passport_issued": "паспорт (когда и кем выдан)",
    "registration_address": "адрес регистрации",
    "operator_org": "наименование организации (оператор)",
    "signed_on": "дата",
    "signature": "подпись",
    "signature_transcript": "расшифровка подписи",
}
CONSENT_PURPOSES = ("формирование ФИС", "формирование РИС", "хранение данных о результатах на электронных носителях")
CONSENT_THIRD_PARTIES = ("оператор ФИС", "оператор РИС")  # A39: the only third parties
CONSENT_MODES = ("неавтоматизированный", "автоматизированный")  # A40
# The text of the consent form (приложение 3) in force: each consent records this version with the purposes
# (A38) and third parties (A39) it was given for, so that a later change of the form does not rewrite what a
# participant agreed to. A new wording of the form = a new version here.
CONSENT_TEXT_VERSION = "прил. 3 к Порядку (Краснодарский край), ред. 1"
# Processing by the operator itself (the region's РИС, the schools' and commissions' forms) has no third party.
OPERATOR_ITSELF = ""


def check_pd_transfer(
    purpose: str, recipient: str, purposes: Iterable[str], third_parties: Iterable[str]
) -> list[Violation]:
    """A38 (приложение 3: «исключительно в целях формирования ФИС … и РИС …, а также хранение данных об этих
    результатах»): personal data leave the system only for a purpose the consent names; A39 («передачу третьим
    лицам … (операторам ФИС и РИС)»): a third party only among those the consent names (X81)."""
    purposes, third_parties = tuple(purposes), tuple(third_parties)
    out = []
    if purpose not in purposes:
        out.append(violation("X81", field="purpose", what=f"цель «{purpose}»", allowed="; ".join(purposes) or "—"))
    if recipient != OPERATOR_ITSELF and recipient not in third_parties:
        out.append(
            violation(
                "X81", field="recipient", what=f"получатель «{recipient}»", allowed="; ".join(third_parties) or "—"
            )
        )
    return out


def check_personal_data_fields(fields: Iterable[str] | Mapping[str, str]) -> list[Violation]:
    """V15: every personal-data field stored for a participant must be on the consent's list
    (A37). ``fields`` are field names, or a mapping of field names to the labels to show."""
    labels = fields if isinstance(fields, Mapping) else {}
    return [
        violation("V15", field=name, label=labels.get(name) or name)
        for name in sorted(fields)
        if name not in CONSENT_PD_FIELDS
    ]


def consent_valid_until(purposes_achieved_on: date, storage_ends_on: date) -> date:
    """A41: «до достижения целей обработки … или в течение срока хранения информации» — the later
    of the two (storage, п. 13.3, usually outlives the purposes)."""
    return max(purposes_achieved_on, storage_ends_on)


def check_pd_removal(kept_until: date | None, today: date, what: str = "") -> list[Violation]:
    """I8 (A41: the consent is valid «в течение срока хранения информации»): the participants' personal data are
    removed (обезличены, A39) when the keeping period of the session's materials ends — not before (X82). An
    undetermined period (nothing kept yet) is not ended."""
    if kept_until is None or today < kept_until:
        return [violation("X82", what=what, date=fmt_date(kept_until) if kept_until else "окончания срока хранения")]
    return []


def check_consent(consent_present: bool, revoked_on: date | None = None) -> list[Violation]:
    """V05 — no consent, no registration (п. 5.2, A24); V16 — after a (written, A42) revocation
    nothing may be processed."""
    if revoked_on is not None:
        return [violation("V16", field="consent", date=fmt_date(revoked_on))]
    if not consent_present:
        return [violation("V05", field="consent")]
    return []


# ---------------------------------------------------------------- the application as a whole


def check_application(
    app: ApplicationData, session: SessionDate, schedule: Sequence[SessionDate] | None = None
) -> list[Violation]:
    """Every rule an application breaks, for the session it is filed for (A1–A43, п. 2–5, 7.5).

    ``schedule`` is the academic year's dates an ЕГЭ participant may choose from (п. 5.5);
    by default the dates of п. 4.1, plus ``session`` itself when it was moved (override).
    """
    out: list[Violation] = []
    out += _check_admission(app)
    out += _check_form_choice(app)
    expected_form = application_form_for(app.category)
    if app.application_form is not None and app.application_form != expected_form:
        out.append(
            violation(
                "V04",
                field="application_form",
                category=app.category.label,
                form_no=1 if expected_form == ApplicationForm.APP1 else 2,
            )
        )
    out += check_consent(app.consent_present, app.consent_revoked_on)
    if not app.pamyatka_ack:
        out.append(violation("V06", field="pamyatka_ack"))
    out += _check_documents(app)
    out += check_special_conditions(app)
    out += _check_registration_place(app)
    out += _check_chosen_date(app, session, schedule)
    out += validate_session(session)
    out += _check_registration_date(app, session)
    out += check_personal_data_fields(app.personal_data_fields)
    return out


def _check_admission(app: ApplicationData) -> list[Violation]:
    if is_blocked(app):
        return [violation("V03", field="grade")]
    return []


def _check_form_choice(app: ApplicationData) -> list[Violation]:
    """п. 2.2, 2.3, 5.2: V02 — ЕГЭ participants and persons with a справка write the essay only;
    V09 — the ground «на дому / в санаторной ОО» needs a medical conclusion; V01 — no ground."""
    if app.exam_form != ExamForm.EXPOSITION:
        return []
    if category_group(app.category) != GROUP_OBUCH:
        return [violation("V02", field="exam_form")]
    if exposition_grounds(app):
        return []
    if _a7_candidate(app):
        return [violation("V09", field="documents")]
    return [violation("V01", field="exam_form")]


def _check_documents(app: ApplicationData) -> list[Violation]:
    """V07, V08 (п. 5.3), V10 (п. 5.4), V11 (п. 5.1). The medical conclusion of п. 2.3 is V09
    (see :func:`_check_form_choice`); the documents for the exam at home are V18."""
    have = app.documents
    out: list[Violation] = []
    if _health_documents_apply(app):
        if app.ovz and DocumentKind.PMPK not in have:
            out.append(violation("V07", field="documents"))
        if (app.child_disabled or app.disabled) and DocumentKind.DISABILITY not in have:
            out.append(violation("V08", field="documents"))
    needs_copies = category_group(app.category) == GROUP_OBUCH and app.school_type in (
        SchoolType.SUVU_CLOSED,
        SchoolType.PENAL,
    )
    if needs_copies and not {DocumentKind.APPLICATION_COPY, DocumentKind.ENROLMENT_ORDER} <= have:
        out.append(violation("V10", field="documents"))
    if app.category == Category.SPRAVKA and DocumentKind.SPRAVKA not in have:
        out.append(violation("V11", field="documents"))
    return out


def check_special_conditions(app: ApplicationData) -> list[Violation]:
    """The requested conditions against п. 4.3, 4.4, 7.5.1, 7.5.2, 7.11.1(2), 7.11.5, 7.11.6:
    V17 (+1.5 h), V18 (at home: documents), V19 (oral form), V52 (assistant), X01 (other
    health-only conditions), X02 (the 40-minute reading outside the exposition)."""
    requested = app.special_conditions
    out: list[Violation] = []
    for condition in sorted(requested, key=lambda c: list(SpecialCondition).index(c)):
        if condition == SpecialCondition.EXTRA_TIME:
            if not app.health_grounds:
                out.append(violation("V17", field="special_conditions"))
        elif condition == SpecialCondition.ORAL_FORM:
            if not (app.health_grounds and app.medical_indications):
                out.append(violation("V19", field="special_conditions"))
        elif condition == SpecialCondition.ASSISTANT:
            if condition not in allowed_special_conditions(app):
                out.append(violation("V52", field="special_conditions"))
        elif condition == SpecialCondition.READING_40MIN:
            if app.exam_form not in READING_40MIN_FORMS:
                out.append(violation("X02", field="special_conditions"))
        elif condition in HEALTH_CONDITIONS and not app.health_grounds:
            ref = HEALTH_CONDITIONS[condition]
            out.append(violation("X01", field="special_conditions", item=ref, condition=condition.label, ref=ref))
        if (
            condition == SpecialCondition.AT_HOME
            and not {DocumentKind.MED_CONCLUSION, DocumentKind.PMPK} <= app.documents
        ):
            out.append(violation("V18", field="documents"))
    return out


def _check_registration_place(app: ApplicationData) -> list[Violation]:
    """V12: п. 5.1 — each category registers at its own kind of place (A9–A12)."""
    if app.registration_place is None:
        return []
    if app.registration_place == registration_place_kind(app.category):
        return []
    group = category_group(app.category)
    key = {GROUP_EGE: "ege", GROUP_SPRAVKA: "spravka"}.get(group) or (
        "extern" if app.category == Category.EXTERN else "student"
    )
    return [violation("V12", field="registration_place", text=V12_MESSAGES[key])]


def _check_chosen_date(
    app: ApplicationData, session: SessionDate, schedule: Sequence[SessionDate] | None
) -> list[Violation]:
    """п. 5.5 (A15): an ЕГЭ participant names a date of the schedule (V13), and the application
    belongs to the session of that date (X03)."""
    if category_group(app.category) != GROUP_EGE:
        return []
    if schedule is None:
        schedule = session_dates(academic_year_of(session.date))
        if session.override_reason.strip():
            schedule = [*schedule, session]
    dates = {s.date for s in schedule}
    if app.chosen_date is None or app.chosen_date not in dates:
        return [violation("V13", field="chosen_date")]
    if app.chosen_date != session.date:
        return [violation("X03", field="chosen_date", chosen=fmt_date(app.chosen_date), date=fmt_date(session.date))]
    return []


def _check_registration_date(app: ApplicationData, session: SessionDate) -> list[Violation]:
    """A26–A28 (L9): an application registered after D−14 cannot be in the lists handed up by
    D−14 — V14, addressed to the level the registrar reports to."""
    if app.registration_date is None:
        return []
    deadline = session_deadlines(session.date)["registration"]
    if app.registration_date <= deadline:
        return []
    route = (
        SubmissionRoute.MOUO_TO_RCOI
        if registering_org_kind(app.category) == OrgKind.MOUO
        else SubmissionRoute.OO_TO_MOUO
    )
    return [
        violation(
            "V14",
            field="registration_date",
            item=DEADLINE_BY_KEY[route.value].item,
            recipient=route.label,
            deadline=fmt_date(deadline),
        )
    ]


def to_participant(app: ApplicationData) -> ParticipantRef:
    """The application as the venue, seating and commission checks see its participant."""
    return ParticipantRef(
        id=app.participant_id,
        full_name=app.full_name,
        school_id=app.school_id,
        class_label=app.class_label,
        ovz=app.ovz,
        child_disabled=app.child_disabled,
        disabled=app.disabled,
        exam_form=app.exam_form,
        reading_40min=SpecialCondition.READING_40MIN in app.special_conditions,
        duration_min=duration_minutes(app),
    )


# ================================================================ commissions and staff (C1–C38)

# C23–C34: roles by commission. The medical worker (п. 7.7, C28) and visitors (п. 7.8) are not
# members of any commission.
COMMISSION_ROLES: dict[CommissionKind, frozenset[StaffRole]] = {
    CommissionKind.CONDUCT: frozenset(
        {
            StaffRole.CONDUCT_HEAD,
            StaffRole.ORGANIZER_IN_ROOM,
            StaffRole.ORGANIZER_OUTSIDE,
            StaffRole.TECH_SPECIALIST,
            StaffRole.ASSISTANT,
        }
    ),
    CommissionKind.CHECK: frozenset({StaffRole.CHECK_HEAD, StaffRole.EXPERT, StaffRole.CHECK_TECH}),
    CommissionKind.REGIONAL_RECHECK: frozenset({StaffRole.RECHECK_CHAIR, StaffRole.RECHECK_MEMBER}),
}
NON_MEMBER_ROLES = frozenset({StaffRole.MEDIC})

# Appointments made by the МОУО (п. 3.2, C7, C8): the person responsible for the checking and
# the authorised person(s) who transfer the marks from the copies into the originals (by order).
MOUO_APPOINTMENTS: dict[str, str] = {
    "responsible_person": "лицо, ответственное за организацию и проведение проверки",
    "authorized_transfer_person": "уполномоченное лицо, осуществляющее перенос результатов проверки из копий "
    "бланков регистрации в оригиналы (назначается приказом МОУО)",
}


@dataclass(frozen=True)
class Duty:
    org: OrgKind
    text: str
    item: str
    rule: str  # id in the analysis


# Organisational duties before the exam (п. 3.1–3.3, 5.6), for task lists and plans.
PRE_EXAM_DUTIES: tuple[Duty, ...] = (
    Duty(OrgKind.MINISTRY, "определяет места регистрации на итоговое сочинение для участников ЕГЭ", "п. 3.1", "A12"),
    Duty(OrgKind.MINISTRY, "определяет места проведения итогового сочинения (изложения)", "п. 3.1", "C1"),
    Duty(
        OrgKind.MINISTRY,
        "создает комиссии по проведению и по проверке в местах, определенных министерством",
        "п. 3.1",
        "C1, C2",
    ),
    Duty(
        OrgKind.MINISTRY, "создает комиссию по перепроверке и повторной проверке на региональном уровне", "п. 3.1", "C3"
    ),
    Duty(OrgKind.MOUO, "регистрируют заявления участников ЕГЭ", "п. 3.2", "A13"),
    Duty(
        OrgKind.MOUO,
        "направляют сведения обо всех участниках в РЦОИ не позднее чем за две недели до даты проведения",
        "п. 3.2",
        "A27",
    ),
    Duty(
        OrgKind.MOUO,
        "обеспечивают отбор и подготовку специалистов, привлекаемых к проведению и к проверке",
        "п. 3.2",
        "C10",
    ),
    Duty(
        OrgKind.MOUO,
        "направляют в министерство предложения по составу комиссий в местах, определенных "
        "министерством (комиссии по перепроверке — по запросу министерства)",
        "п. 3.2",
        "C5",
    ),
    Duty(OrgKind.MOUO, "назначают ответственное лицо", "п. 3.2", "C7"),
    Duty(OrgKind.MOUO, "назначают уполномоченных лиц для переноса результатов из копий в оригиналы", "п. 3.2", "C8"),
    Duty(OrgKind.MOUO, "создают комиссии по проведению и по проверке в ОО", "п. 3.2", "C4"),
    Duty(OrgKind.MOUO, "определяют место (места) проверки", "п. 3.2", "C9"),
    Duty(OrgKind.MOUO, "регистрируют и обучают граждан, желающих быть независимыми наблюдателями", "п. 3.2", "C11"),
    Duty(OrgKind.OO, "регистрируют заявления обучающихся", "п. 3.3", "A14"),
    Duty(
        OrgKind.OO,
        "направляют в МОУО предложения по составу комиссий по проведению и по проверке (по запросу МОУО)",
        "п. 3.3",
        "C6",
    ),
    Duty(
        OrgKind.OO,
        "предоставляют сведения об обучающихся в МОУО не позднее чем за две недели до даты проведения",
        "п. 3.3",
        "A26",
    ),
    Duty(
        OrgKind.OO,
        "обеспечивают техническую поддержку, в том числе систем видеонаблюдения и видеозаписи (при наличии)",
        "п. 3.3",
        "B26",
    ),
    Duty(OrgKind.OO, "направляют членов комиссии по проверке в место проверки", "п. 3.3", "C38"),
    Duty(
        OrgKind.OO,
        "обеспечивают условия для участников с ОВЗ, детей-инвалидов и инвалидов, в том числе на дому",
        "п. 1.6",
        "S10",
    ),
    Duty(OrgKind.RCOI, "обрабатывает сведения об участниках, ведет РИС, взаимодействует с ФИС", "п. 5.6", "A16"),
)


def commission_creator(
    kind: CommissionKind | str, venue_kind: VenueKind | str | None = None, profile: ProcedureProfile = DEFAULT_PROFILE
) -> OrgKind:
    """Who creates a commission (п. 3.1, 3.2; C1–C4): the ministry for its own places and for
    the regional re-check commission, the МОУО for commissions in ОО (and at home, which the ОО
    organises, п. 1.6) — or the ministry when the region's profile centralises them
    (``profile.oo_commissions_creator``)."""
    kind = CommissionKind(kind)
    if kind == CommissionKind.REGIONAL_RECHECK:
        return OrgKind.MINISTRY
    if venue_kind is None:
        raise ValueError("the venue kind is needed for conduct and checking commissions")
    if VenueKind(venue_kind) == VenueKind.MINISTRY_PLACE:
        return OrgKind.MINISTRY
    return OrgKind.MINISTRY if profile.oo_commissions_creator == CommissionCreator.MINISTRY else OrgKind.MOUO


@dataclass(frozen=True)
class ProposalStep:
    """One hand-up of proposals on the personal composition of a commission."""

    from_org: OrgKind
    to_org: OrgKind
    on_request: bool  # only when the receiving level asks
    item: str


def proposal_route(
    kind: CommissionKind | str, venue_kind: VenueKind | str | None = None, profile: ProcedureProfile = DEFAULT_PROFILE
) -> tuple[ProposalStep, ...]:
    """How proposals on the composition travel (C5, C6): ОО → МОУО on the МОУО's request
    (п. 3.3), then МОУО → ministry for the ministry's places (п. 3.2); for the regional re-check
    commission МОУО → ministry on the ministry's request (п. 3.2)."""
    kind = CommissionKind(kind)
    if kind == CommissionKind.REGIONAL_RECHECK:
        return (ProposalStep(OrgKind.MOUO, OrgKind.MINISTRY, True, "п. 3.2"),)
    steps = [ProposalStep(OrgKind.OO, OrgKind.MOUO, True, "п. 3.3")]
    if commission_creator(kind, venue_kind, profile) == OrgKind.MINISTRY:
        steps.append(ProposalStep(OrgKind.MOUO, OrgKind.MINISTRY, False, "п. 3.2"))
    return tuple(steps)


def _members(members: Iterable[StaffMember]) -> list[StaffMember]:
    return [m for m in members if m.role not in NON_MEMBER_ROLES]


def _member_field(member: StaffMember) -> str:
    return f"member:{member.id}"


def check_conduct_commission(
    members: Sequence[StaffMember],
    venue: VenueData,
    participants: Sequence[ParticipantRef],
    profile: ProcedureProfile = DEFAULT_PROFILE,
) -> list[Violation]:
    """The conduct commission of a venue (п. 3.2, 7.11.1; C12–C15, C19):

    * V22 — at least three ОО employees (``profile.min_conduct_members``);
    * V23 — no Russian/literature specialists; V24 — nobody teaching these participants this
      academic year; V25 — everyone trained at the municipal level;
    * X10 — exactly one head (role ``conduct_head``); V28 — the head is the ОО head or deputy
      (of the venue's ОО when the venue is an ОО). A head who breaks V23/V24 gets a warning (L14).

    Medical workers are not members and are skipped. Relatives are not checked here (L13) unless the
    region's profile says so (``conduct_excludes_relatives``); ``head_composition_blocks`` makes L14 an error.
    """
    members = _members(members)
    out: list[Violation] = []
    if sum(1 for m in members if m.school_id is not None) < profile.min_conduct_members:
        out.append(violation("V22", field="members"))
    heads = [m for m in members if m.role == StaffRole.CONDUCT_HEAD]
    if len(heads) != 1:
        out.append(violation("X10", field="head"))
    for head in heads:
        wrong_position = head.position not in (Position.HEAD, Position.DEPUTY_HEAD)
        other_school = venue.kind == VenueKind.OO and venue.school_id is not None and head.school_id != venue.school_id
        if wrong_position or other_school:
            out.append(violation("V28", field=_member_field(head)))
    by_id = {p.id: p for p in participants}
    for m in members:
        head_severity = Severity.ERROR if profile.head_composition_blocks else HEAD_COMPOSITION_SEVERITY
        severity = head_severity if m.role == StaffRole.CONDUCT_HEAD else Severity.ERROR
        if m.is_russian_specialist:
            out.append(violation("V23", field=_member_field(m), severity=severity, name=m.full_name))
        if any(m.teaches(p) for p in participants):
            out.append(
                violation(
                    "V24", field=_member_field(m), severity=severity, name=m.full_name, commission="по проведению"
                )
            )
        if not m.trained:
            out.append(violation("V25", field=_member_field(m), name=m.full_name))
        if profile.conduct_excludes_relatives:
            for pid in sorted(m.relative_of_participant_ids & by_id.keys()):
                text = message("V27", name=m.full_name, participant=by_id[pid].full_name or pid)
                out.append(
                    violation(
                        "V27",
                        field=_member_field(m),
                        text=text.replace("комиссию по проверке", "комиссию по проведению"),
                    )
                )
    return out


def check_checking_commission(
    members: Sequence[StaffMember], participants: Sequence[ParticipantRef], profile: ProcedureProfile = DEFAULT_PROFILE
) -> list[Violation]:
    """The checking commission (п. 3.2; C16–C18):

    * V26 — at least three pedagogical workers who are Russian/literature specialists;
      X09 — every expert is one;
    * V24 — nobody teaching these participants this academic year; V25 — everyone trained;
    * V27 — no close relatives of the participants.
    """
    members = _members(members)
    out: list[Violation] = []
    specialists = [m for m in members if m.is_pedagogical and m.is_russian_specialist]
    if len(specialists) < profile.min_check_specialists:
        out.append(violation("V26", field="members"))
    by_id = {p.id: p for p in participants}
    for m in members:
        if m.role == StaffRole.EXPERT and not (m.is_pedagogical and m.is_russian_specialist):
            out.append(violation("X09", field=_member_field(m), name=m.full_name))
        if any(m.teaches(p) for p in participants):
            out.append(violation("V24", field=_member_field(m), name=m.full_name, commission="по проверке"))
        if not m.trained:
            out.append(violation("V25", field=_member_field(m), name=m.full_name))
        for pid in sorted(m.relative_of_participant_ids & by_id.keys()):
            out.append(
                violation("V27", field=_member_field(m), name=m.full_name, participant=by_id[pid].full_name or pid)
            )
    return out


def check_assistants(members: Sequence[StaffMember], participants: Sequence[ParticipantRef]) -> list[Violation]:
    """V52 (п. 7.11.5, C27): an assistant is assigned to participants with ОВЗ (``ASSISTANT_NEEDS_OVZ``;
    otherwise to any participant with a health ground) — one violation per participant who has none."""
    out: list[Violation] = []
    by_id = {p.id: p for p in participants}
    for m in members:
        if m.role != StaffRole.ASSISTANT:
            continue
        for pid in sorted(m.assisted_participant_ids):
            p = by_id.get(pid)
            if p is None:
                continue
            eligible = p.ovz if ASSISTANT_NEEDS_OVZ else p.health_grounds
            if not eligible:
                out.append(violation("V52", field=_member_field(m)))
    return out


def check_staff_allocation(
    members: Sequence[StaffMember],
    participants: Sequence[ParticipantRef],
    seating: SeatingPlan | None = None,
    exam_date: date | None = None,
    allocated_on: date | None = None,
    room_labels: Mapping[str, str] | None = None,
) -> list[Violation]:
    """The allocation of the conduct commission to work places on D−1 (п. 7.11.1(2)):

    * V29 — every room with participants (``seating``; otherwise every room an organizer is put
      in) has at least two organizers in the room (п. 7.11.3, C20);
    * V52 — an assistant works only with participants with ОВЗ (п. 7.11.5, C27);
    * X12 — the allocation is made exactly one calendar day before the exam.
    """
    out: list[Violation] = []
    organizers: dict[str, int] = {}
    for m in members:
        if m.role == StaffRole.ORGANIZER_IN_ROOM and m.room_id is not None:
            organizers[m.room_id] = organizers.get(m.room_id, 0) + 1
    rooms = set(seating.assignments.values()) if seating is not None else set(organizers)
    labels = room_labels or {}
    for room in sorted(rooms):
        if organizers.get(room, 0) < MIN_ORGANIZERS_PER_ROOM:
            out.append(violation("V29", field=f"room:{room}", room=labels.get(room, room)))
    out += check_assistants(members, participants)
    if exam_date is not None and allocated_on is not None and allocated_on != exam_date - timedelta(days=1):
        out.append(violation("X12", field="allocated_on"))
    return out


# ================================================================ the day before the exam (B26–B28, B10, C28, C36)


def check_venue_readiness(
    venue: VenueData,
    participants: Sequence[ParticipantRef],
    exam_date: date | None = None,
    checked_on: date | None = None,
) -> list[Violation]:
    """The venue, as the head of the conduct commission checks it not later than D−1:

    * X05 — the readiness check itself is done by D−1 (п. 7.11.1(1), B26) — checked when
      ``exam_date`` is given;
    * V20 — a meal and break room with a fridge and a kettle, meeting sanitary rules, when any
      participant writes 4 hours or more (п. 4.5, 4.6.1, B9, B10);
    * X06 — a room for medical workers near the rooms (п. 7.7, C28);
    * X07 — storage for belongings before the entrance, for participants and for staff and
      visitors (п. 7.6, C36);
    * X08 — a safe in the head's room for the blanks and report forms (п. 7.11.1(1), I1).

    A venue at the participant's home needs none of the rooms (HOME_VENUE_EXEMPT_FROM_ROOMS).
    """
    out: list[Violation] = []
    if exam_date is not None and (checked_on is None or checked_on > exam_date - timedelta(days=1)):
        out.append(violation("X05", field="checked_on"))
    if venue.kind == VenueKind.HOME and HOME_VENUE_EXEMPT_FROM_ROOMS:
        return out
    meal_room_ok = (
        venue.has_meal_room and venue.meal_room_fridge and venue.meal_room_kettle and venue.meal_room_sanitary_ok
    )
    if not meal_room_ok and any(meal_break_required(p) for p in participants):
        out.append(violation("V20", field="meal_room"))
    if not venue.has_medical_room:
        out.append(violation("X06", field="medical_room"))
    if not venue.has_participant_storage:
        out.append(violation("X07", field="participant_storage", whose="участников"))
    if not venue.has_staff_storage:
        out.append(
            violation(
                "X07",
                field="staff_storage",
                whose="членов комиссии по проведению, медицинских работников, независимых "
                "наблюдателей и представителей средств массовой информации",
            )
        )
    if not venue.head_room_safe:
        out.append(violation("X08", field="head_room_safe"))
    return out


def check_blank_printing(
    printed_on: date | None, exam_date: date, via_rcoi_software: bool = True, photocopied: bool = False
) -> list[Violation]:
    """Blanks and report forms (п. 7.11.1(1), 7.11.4(1), B27): V31 — printed not later than D−1;
    X11 — printed with the RCOI software; V32 — never photocopied when short (each blank has a
    unique work code)."""
    out: list[Violation] = []
    if printed_on is None or printed_on > exam_date - timedelta(days=1):
        out.append(violation("V31", field="printed_on"))
    if not via_rcoi_software:
        out.append(violation("X11", field="via_rcoi_software"))
    if photocopied:
        out.append(violation("V32", field="photocopied"))
    return out


def check_seating(plan: SeatingPlan, exam_date: date, participants: Sequence[ParticipantRef]) -> list[Violation]:
    """Seating (п. 7.11.1(2), B24, B28): V33 — made exactly one calendar day before the exam, in a
    random order (a logged seed); V34 — participants with the 40-minute reading of the text sit in
    rooms of their own."""
    out: list[Violation] = []
    if plan.done_on != exam_date - timedelta(days=1) or plan.random_seed is None:
        out.append(violation("V33", field="seating"))
    reading = {p.id for p in participants if p.reading_40min}
    rooms: dict[str, set[bool]] = {}
    for pid, room in plan.assignments.items():
        rooms.setdefault(room, set()).add(pid in reading)
    for room in sorted(rooms):
        if len(rooms[room]) > 1:
            out.append(violation("V34", field=f"room:{room}"))
    return out
