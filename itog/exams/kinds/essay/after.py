"""Rules of the final essay (итоговое сочинение (изложение)), Krasnodar region — from the exam
day on (pure Python, no Django).

Source: the same order as :mod:`itog.exams.kinds.essay.procedure` (приказ № 3311 от 24.11.2023, seed 003);
analysis: shared/domain/essay-procedure-rules.md, sections B.4, D, E, F, G, H, I, K.2, K.3
(V35–V74) and L. Messages of the V-codes are the K.3 texts kept in :data:`essay.VALIDATIONS`;
the few checks K.3 has no text for use the codes X25… of :data:`EXTRA` (the codes X01–X12 belong
to the pre-exam module).

What is here
------------
* the exam day (п. 7.1, 7.2, 7.7, 7.8, 7.11): publication and the other times of the day in the
  venue's local time — :func:`release_at`, :func:`check_release`, :func:`check_kit_issue`,
  :func:`check_briefing`, :func:`check_seated`, :func:`check_medic`, the generic
  :func:`check_time_rule`; one participant's day — :class:`DayState`, :class:`DayRecord`,
  :func:`check_day_record`, :func:`personal_end`, :func:`check_end_time`; blanks —
  :func:`check_blanks`; visitors — :func:`check_visitor`; what is copied and checked —
  :func:`is_checkable`, :func:`check_checkable`, :func:`has_originals`; custody —
  :func:`custody_checks`;
* checking (п. 8.1): :func:`check_checking_place`, :func:`check_expert_briefing`,
  :func:`check_expert_assignment`, :func:`check_assignments`, :func:`check_expert_marks`,
  :func:`check_marks_target`, :func:`compare_entries`, :func:`check_transfer_person`,
  :func:`delivery_deadline`, :func:`check_delivery`, :func:`check_ris_entry`;
* results (п. 11): :func:`familiarization_date`, :func:`familiarization_place`,
  :func:`check_familiarization`;
* re-check on application (п. 3.1–3.3, 8.2): :func:`count_earlier_fails`,
  :func:`check_recheck_eligibility`, :func:`recheck_deadline`, :func:`check_recheck_filing`,
  :func:`check_recheck_copies`, :class:`ChainTask`, :func:`recheck_chain`,
  :func:`check_chain_task`, :func:`check_decision`, :func:`check_protocol_delivery`;
* re-admission (п. 10): :class:`Readmission`, :func:`readmission`, :func:`readmission_targets`,
  :func:`check_readmission_target`;
* storage and destruction (п. 8.1.1, 13): :class:`StorageKind`, :class:`OriginalsReading`,
  :func:`destroy_not_before`, :func:`check_destruction`.

Every check returns *all* the violations it finds. Times: every datetime passed in must be
aware (``ValueError`` otherwise); a time zone is an IANA name ("Asia/Vladivostok") or a
``tzinfo``. Dates are the local calendar dates of the place where the thing happens.

Decisions on the open questions of section L are the constants of the block "decisions" below;
each cites its L-number.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from zoneinfo import ZoneInfo

from dateutil.relativedelta import relativedelta

from itog.exams.common import FAIL, PASS
from itog.exams.kinds.base import Category, Choice, ExamForm, SessionDate, SessionKind, Severity, Violation
from itog.exams.violations import message, register

from . import procedure as essay
from .criteria import CriteriaSet, Outcome, aggregate
from .procedure import (
    GROUP_EGE,
    GROUP_OBUCH,
    GROUP_SPRAVKA,
    OBUCHAYUSHCHIESYA,
    TIME_RULES,
    academic_year_label,
    academic_year_of,
    academic_year_start,
    category_group,
    fmt_date,
    session_dates,
    violation,
)
from .profile import DEFAULT as DEFAULT_PROFILE
from .profile import Holder, OriginalsReading, ProcedureProfile, RecheckScope

__all__ = [
    "ACTORS",
    "COPY_RETENTION",
    "EXTRA",
    "ChainTask",
    "DayRecord",
    "DayState",
    "OriginalsReading",
    "Readmission",
    "StorageKind",
    "TEXTS_RELEASE",
    "TOPICS_RELEASE",
    "VisitorKind",
    "check_assignments",
    "check_blanks",
    "normalize_work_code",
    "released_topic_numbers",
    "check_briefing",
    "check_chain_task",
    "check_checkable",
    "check_checking_place",
    "check_day_record",
    "check_decision",
    "check_delivery",
    "check_destruction",
    "check_end_time",
    "check_expert_assignment",
    "check_expert_briefing",
    "check_expert_marks",
    "check_familiarization",
    "check_kit_issue",
    "check_marks_target",
    "check_medic",
    "check_protocol_delivery",
    "check_readmission_target",
    "check_recheck_copies",
    "check_recheck_eligibility",
    "check_recheck_filing",
    "check_release",
    "check_ris_entry",
    "check_seated",
    "check_time_rule",
    "check_transfer_person",
    "check_visitor",
    "compare_entries",
    "count_earlier_fails",
    "custody_checks",
    "delivery_deadline",
    "destroy_not_before",
    "familiarization_date",
    "familiarization_place",
    "has_originals",
    "is_checkable",
    "personal_end",
    "readmission",
    "readmission_targets",
    "recheck_chain",
    "recheck_deadline",
    "release_at",
    "release_time",
    "rule_at",
]

# ================================================================ decisions on open questions (section L)

# L21: the publication times of п. 7.1 (09:45) and п. 7.2 (09:30) are local time of the venue,
# like every time of п. 7.11 — decided in essay.PUBLICATION_TIMES_LOCAL, read from there. When
# it is False they are read as Moscow time (the federal clock).
FEDERAL_ZONE = "Europe/Moscow"

# L17: a late participant writes until the room's end (п. 7.11.7): the personal end is the room's
# start + the personal duration (235 or 325 minutes) + breaks, never counted from the arrival.

# L10 (not in the brief, needed by check_day_record): persons with a справка об обучении without
# an identity document are named neither with the students (act allowed) nor with the ЕГЭ
# participants (denied). They are restored in an ОО that knows them, and a refusal cannot be
# undone on the day, so they are treated like students: admitted after an identity act.
SPRAVKA_ID_ACT_ALLOWED = (
    DEFAULT_PROFILE.spravka_id_act_allowed
)  # the default; a region's: profile.spravka_id_act_allowed

# L18: originals of works marked «Не закончил»/«Удален» are not copied or checked (п. 7.11.4) but
# are delivered to РЦОИ and stored with the others (has_originals(), п. 13.3 storage applies).
UNCHECKED_ORIGINALS_DELIVERED = True

# L7: «день объявления результатов» (п. 8.2.1) and «день ознакомления с результатами» (п. 3.3)
# are the same date: the familiarisation date of п. 11 (received + 1 day). The functions of the
# re-check take it as ``results_date``.

# The filing deadline «до 18.00 часов по местному времени» (п. 8.2.1, 3.3) is inclusive to the
# minute: 18:00:00 and 18:00:59 are accepted, 18:01:00 is refused. The same minute precision is
# used for every "not later than hh:mm" time of the day (V39, V53).
RECHECK_FILING_UNTIL = DEFAULT_PROFILE.recheck_filing_until  # the default; a region's: profile.recheck_filing_until

# L8: «незачет повторно» = a «незачет» now with at least one earlier «незачет» of the same
# participant in an earlier session of the same academic year (see count_earlier_fails).

# L2: the second copy of a re-check application goes to the responsible person on the day it is
# accepted (п. 8.2.1) — and п. 3.3 gives the ОО the day after familiarisation. Both are kept as
# separate tasks of recheck_chain (the same-day one is the target, the other the hard limit).
# L3: the responsible person → ministry next day (п. 8.2.2), the notice to the ministry and РЦОИ
# next calendar day (п. 8.1.1) and МОУО → ГКУ КК ЦОКО within 1 calendar day (п. 3.2) are three
# parallel tasks. All deadlines are calendar days (weekends are not skipped).

# L19: п. 10 re-admits «обучающиеся» with «незачет» or removed, and any «участники» absent or not
# finishing for a documented valid reason. ЕГЭ participants with «незачет» or removed are not
# re-admitted under п. 10: they choose a date of the schedule themselves in a new application
# (п. 5.5) — readmission() says so in its note. Persons with a справка are not «обучающиеся»
# (A3), so the same holds for them (without the п. 5.5 route, which is for ЕГЭ participants).

# L20: results are familiarised «в ОО – обучающихся; в местах регистрации – участников ЕГЭ».
# Persons with a справка are not named; their registration place is the ОО in which they are
# restored (п. 5.1), so both readings give the ОО: "school".

# L5: «до 1 марта учебного года, следующего за годом написания» — configurable
# (OriginalsReading); the default is the longer keeping, 1 March of the next academic year,
# because an early destruction cannot be undone. L5b: audio recordings and report forms are
# destroyed on the same terms as the blanks (they are stored «до 1 марта» with them).

# Copies (п. 8.1.1): kept «не менее месяца с момента его проведения» — destruction is allowed
# from the same date one month later (06.12 → 06.01; 31.01 → 28/29.02, the last day of a
# shorter month). Set COPY_EXTRA_DAYS = 1 for the civil-code reading (the month runs from the
# next day, so the copies are kept through 06.01 and destroyed from 07.01). Both are the region's
# profile (copy_retention_months, copy_extra_days); these constants are the default profile's values.
COPY_RETENTION = relativedelta(months=DEFAULT_PROFILE.copy_retention_months)
COPY_EXTRA_DAYS = DEFAULT_PROFILE.copy_extra_days

# ================================================================ messages this module adds (no text in K.3)

EXTRA: dict[str, tuple[str, str]] = {
    "X25": (
        "п. 8.1.4",
        "Не выставлены оценки «зачет»/«незачет»: {codes}. Эксперт оценивает работу по каждому "
        "требованию и критерию (п. 8.1.4).",
    ),
    "X26": (
        "п. 7.11.6",
        "Участник категории «{category}» без документа, удостоверяющего личность, допускается "
        "после составления акта идентификации личности; отказ в допуске не предусмотрен "
        "(п. 7.11.6).",
    ),
    "X27": (
        "п. 7.11.4",
        "Участник в состоянии «{state}» не выполнял работу: копировать и проверять нечего (п. 7.11.4).",
    ),
    "X28": (
        "п. 8.1.4",
        "Общая оценка «{given}» не соответствует оценкам по требованиям и критериям: по "
        "критериям оценивания работа получает «{expected}» (п. 8.1.4).",
    ),
    "X29": (
        "пп. 7.11.1, 8.1.1",
        "Оригиналы и копии бланков передаются руководителем комиссии по проведению "
        "ответственному лицу в день проведения — {date} (пп. 7.11.1, 8.1.1).",
    ),
}

# Phase of each extra code (the phases of essay.PHASES).
EXTRA_PHASES: dict[str, str] = {
    "X25": essay.CHECKING,
    "X26": essay.EXAM_DAY,
    "X27": essay.EXAM_DAY,
    "X28": essay.CHECKING,
    "X29": essay.EXAM_DAY,
}

# V42 for a person with a справка (L10): the K.3 text names students and externs only.
V42_SPRAVKA_TEXT = (
    "Для допуска лица со справкой об обучении без документа, удостоверяющего личность, "
    "необходимо составить акт идентификации личности (п. 7.11.6)."
)

# V41 for a person with a справка when SPRAVKA_ID_ACT_ALLOWED is switched off.
V41_SPRAVKA_TEXT = (
    "Лицо со справкой об обучении без документа, удостоверяющего личность, не допускается в место "
    "проведения (п. 7.11.6)."
)

# Every code the checks of this module produce.
PRODUCED_CODES: frozenset[str] = frozenset({f"V{n:02d}" for n in range(35, 75) if n != 52} | set(EXTRA))


register(EXTRA, owner="essay")


def _extra(code: str, field: str | None = None, severity: Severity = Severity.ERROR, **params: object) -> Violation:
    item, _ = EXTRA[code]
    return Violation(code, item, message(code, **params), field, severity)


# ================================================================ helpers: zones, times, dates


def _zone(tz: str | tzinfo) -> tzinfo:
    return ZoneInfo(tz) if isinstance(tz, str) else tz


def _aware(dt: datetime, name: str) -> datetime:
    if not isinstance(dt, datetime):
        raise TypeError(f"{name} must be a datetime, got {type(dt).__name__}")
    if dt.tzinfo is None or dt.utcoffset() is None:
        raise ValueError(f"{name} must be an aware datetime (with a time zone)")
    return dt


def _day(d: date, name: str) -> date:
    """A plain date: a datetime is refused, because its date depends on the zone the caller means."""
    if isinstance(d, datetime):
        raise TypeError(f"{name} must be a date (the local date), not a datetime")
    return d


def _minute(t: time) -> time:
    return t.replace(second=0, microsecond=0, tzinfo=None)


def _wall(dt: datetime, zone: tzinfo) -> tuple[date, time]:
    """The date and the time to the minute the venue's clock shows at the instant ``dt``."""
    local = dt.astimezone(zone)
    return local.date(), _minute(local.time())


def _norm_mark(value: object) -> str | None:
    """«Зачёт», " зачет " → «зачет»; empty → None."""
    if value is None:
        return None
    text = str(value).strip().casefold().replace("ё", "е")
    return text or None


# ================================================================ the exam day: times (B14–B25, п. 7.1, 7.2, 7.7, 7.11)

TOPICS_RELEASE = TIME_RULES["essay_topics_published"].at  # п. 7.1: 09:45
TEXTS_RELEASE = TIME_RULES["exposition_texts_published"].at  # п. 7.2: 09:30

# What the venue's screen calls the material of each form (shown from its release time).
TOPIC_LABELS = {ExamForm.ESSAY: "Темы итогового сочинения", ExamForm.EXPOSITION: "Тексты итогового изложения"}
_RELEASE_RULE = {ExamForm.ESSAY: "essay_topics_published", ExamForm.EXPOSITION: "exposition_texts_published"}
_BRIEFING_RULE = {0: "staff_briefing", 1: "briefing_part1", 2: "briefing_part2"}


def _rule_zone(key: str, tz: str | tzinfo) -> tzinfo:
    """The venue's zone, or Moscow for a time that is not local (L21)."""
    return _zone(tz) if TIME_RULES[key].local_time else ZoneInfo(FEDERAL_ZONE)


def rule_at(key: str, exam_date: date, tz: str | tzinfo) -> datetime:
    """The instant of a time rule of :data:`essay.TIME_RULES` (п. 7.1, 7.2, 7.7, 7.11.1, 7.11.3) on
    the exam day, aware, in the venue's zone (or Moscow for a non-local rule, L21)."""
    rule = TIME_RULES[key]
    return datetime.combine(exam_date, rule.at, tzinfo=_rule_zone(key, tz))


def check_time_rule(key: str, at: datetime, exam_date: date, tz: str | tzinfo) -> list[Violation]:
    """One time of the exam day against its rule (essay.TIME_RULES, B14–B21; п. 7.1, 7.2, 7.7,
    7.11.1(3), 7.11.3): "not_before" — at that local time or later; "not_later" / "from" — at
    that local minute or earlier. The instant is compared on the venue's clock (the local date and
    time to the minute), so a venue in Vladivostok is judged by Vladivostok time. The violation's
    field is the rule's key; its severity is the rule's (V39, V53 are warnings)."""
    rule = TIME_RULES[key]
    _aware(at, "at")
    stamp = _wall(at, _rule_zone(key, tz))
    limit = (exam_date, rule.at)
    ok = stamp >= limit if rule.relation == "not_before" else stamp <= limit
    if ok:
        return []
    return [violation(rule.code, field=key, item=rule.item, severity=rule.severity)]


def release_time(form: ExamForm | str) -> time:
    """п. 7.1: essay topics not before 09:45; п. 7.2: exposition texts not before 09:30."""
    return TIME_RULES[_RELEASE_RULE[ExamForm(form)]].at


def release_at(exam_date: date, tz: str | tzinfo, form: ExamForm | str) -> datetime:
    """пп. 7.1, 7.2 (L21: local time): the first instant topics (texts) may be shown in a venue of
    zone ``tz``. 09:45 in Asia/Vladivostok is 23:45 UTC of the day before."""
    return rule_at(_RELEASE_RULE[ExamForm(form)], exam_date, tz)


def check_release(now: datetime, exam_date: date, tz: str | tzinfo, form: ExamForm | str) -> list[Violation]:
    """V37 (пп. 7.1, 7.2): topics (texts) are not shown before the release time on the venue's
    clock."""
    return check_time_rule(_RELEASE_RULE[ExamForm(form)], now, exam_date, tz)


def check_kit_issue(now: datetime, exam_date: date, tz: str | tzinfo) -> list[Violation]:
    """V36 (пп. 7.11.1(3), 7.11.3): kits of topics (texts), blanks and forms are handed to the
    organizers not before 09:45 local time."""
    return check_time_rule("kits_to_organizers", now, exam_date, tz)


def check_briefing(now: datetime, exam_date: date, tz: str | tzinfo, part: int) -> list[Violation]:
    """Briefings: ``part=0`` — of organizers and technical specialists, not before 08:15 (V35,
    п. 7.11.1(3)); ``part=1`` — participants, part one, not before 09:50; ``part=2`` — part two
    (the topics), not before 10:00 (V38, п. 7.11.3). All local time."""
    if part not in _BRIEFING_RULE:
        raise ValueError(f"briefing part must be 0, 1 or 2, got {part!r}")
    return check_time_rule(_BRIEFING_RULE[part], now, exam_date, tz)


def check_seated(done_at: datetime, exam_date: date, tz: str | tzinfo) -> list[Violation]:
    """V39 (warning, п. 7.11.1(3)): entry and seating of the participants finished not later than
    09:40 local time (09:40:59 is still 09:40)."""
    return check_time_rule("participants_seated", done_at, exam_date, tz)


def check_medic(
    arrived_at: datetime,
    exam_date: date,
    tz: str | tzinfo,
    left_at: datetime | None = None,
    last_exit_at: datetime | None = None,
) -> list[Violation]:
    """V53 (warning, п. 7.7): the medical worker is present from 09:00 local time until the last
    participant leaves: arrived at 09:00 or earlier (field ``medic_present``) and, when both are
    known, left not before the last participant (field ``medic_left``)."""
    out = check_time_rule("medic_present", arrived_at, exam_date, tz)
    if left_at is not None and last_exit_at is not None:
        if _aware(left_at, "left_at") < _aware(last_exit_at, "last_exit_at"):
            rule = TIME_RULES["medic_present"]
            out.append(violation("V53", field="medic_left", severity=rule.severity))
    return out


def personal_end(room_start: datetime, duration_min: int, breaks_min: int = 0) -> datetime:
    """п. 7.11.3, 7.11.7, L17: the end of writing for a participant — the start written on the
    board + the personal duration (235 or 325 minutes, п. 4.2, 4.4) + breaks for meals (п. 4.5).
    A late participant's end is the same: it is not counted from the arrival."""
    _aware(room_start, "room_start")
    return room_start + timedelta(minutes=duration_min + breaks_min)


def check_end_time(
    recorded_end: datetime, room_start: datetime, duration_min: int, breaks_min: int = 0, late: bool = False
) -> list[Violation]:
    """V40 (п. 7.11.7, L17): the end recorded for a late participant is not later than
    :func:`personal_end`."""
    if late and _aware(recorded_end, "recorded_end") > personal_end(room_start, duration_min, breaks_min):
        return [violation("V40", field="end_time")]
    return []


# ================================================================ the exam day: one participant (D1–D21, K.2)


class DayState(Choice):
    """The participant's state on the exam day (K.2, ExamAttempt)."""

    ADMITTED = "admitted", "допущен"
    ADMITTED_BY_ACT = "admitted_by_act", "допущен по акту идентификации личности"
    ENTRY_DENIED = "entry_denied", "не допущен (нет документа)"
    ABSENT = "absent", "не явился"
    FINISHED = "finished", "завершил написание"
    NOT_FINISHED = "not_finished", "не закончил по уважительной причине"
    REMOVED = "removed", "удален"


# States in which the participant entered the venue.
ENTERED_STATES = frozenset(
    {DayState.ADMITTED, DayState.ADMITTED_BY_ACT, DayState.FINISHED, DayState.NOT_FINISHED, DayState.REMOVED}
)
# States that have a completed row of ИС-05 the participant signs (п. 7.11.3, 7.11.8, 7.11.9).
IS05_ROW_STATES = frozenset({DayState.FINISHED, DayState.NOT_FINISHED, DayState.REMOVED})
# п. 7.11.4: works marked «Не закончил»/«Удален» are neither copied nor checked.
UNCHECKED_STATES = frozenset({DayState.NOT_FINISHED, DayState.REMOVED})
# No work at all.
NO_WORK_STATES = frozenset({DayState.ABSENT, DayState.ENTRY_DENIED})

_DAY_FLAGS = (
    "has_id_document",
    "identity_act",
    "late",
    "end_extended",
    "valid_reason_document",
    "is05_marked",
    "is05_signed",
    "is08_act",
    "is09_act",
    "is09_by_head",
    "member_signature",
)


@dataclass(frozen=True)
class DayRecord:
    """What is known of one participant on the exam day (D1–D21).

    ``identity_act`` — an identity act was drawn up (п. 7.11.6); ``late`` — came late;
    ``end_extended`` — the end was extended because of the lateness; ``valid_reason_document`` —
    a document of the valid reason (absence, not finishing; п. 10); ``is05_marked`` /
    ``is05_signed`` — the ИС-05 row has the mark (not finished / removed) / the participant's
    signature; ``is08_act`` — «Акт о досрочном завершении» (ИС-08); ``is09_act`` /
    ``is09_by_head`` — «Акт об удалении» (ИС-09) / drawn up by the head of the conduct
    commission; ``member_signature`` — a commission member signed the «Не закончил»/«Удален» mark
    on the registration blank; ``blank_count`` — the «Количество бланков» field;
    ``blanks_used`` — writing blanks actually used, additional ones included.

    Flags accept anything truthy (an act number, a document name) and are stored as booleans;
    ``category`` and ``state`` accept model values.
    """

    category: Category
    state: DayState
    has_id_document: bool = True
    identity_act: bool = False
    late: bool = False
    end_extended: bool = False
    valid_reason_document: bool = False
    is05_marked: bool = False
    is05_signed: bool = False
    is08_act: bool = False
    is09_act: bool = False
    is09_by_head: bool = False
    member_signature: bool = False
    blank_count: int | None = None
    blanks_used: int | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "category", Category(self.category))
        object.__setattr__(self, "state", DayState(self.state))
        for name in _DAY_FLAGS:
            object.__setattr__(self, name, bool(getattr(self, name)))


def _id_act_allowed(category: Category, profile: ProcedureProfile = DEFAULT_PROFILE) -> bool:
    group = category_group(category)
    return group == GROUP_OBUCH or (group == GROUP_SPRAVKA and profile.spravka_id_act_allowed)


def check_day_record(rec: DayRecord, profile: ProcedureProfile = DEFAULT_PROFILE) -> list[Violation]:
    """One participant's day, all of it (п. 7.11.3, 7.11.6–7.11.9):

    * V40 — a late participant's end is not extended (п. 7.11.7), field ``end_extended``;
    * V41 — an ЕГЭ participant without an identity document is not admitted (п. 7.11.6), field
      ``has_id_document``; X26 — a student or extern (and a person with a справка, L10) without a
      document is admitted after an identity act, not turned away, field ``state``;
    * V42 — such a student or extern (L10: or person with a справка) is admitted only with an
      identity act; the state «допущен по акту» always needs the act; field ``identity_act``;
    * V48 — the ИС-05 row of a finished, not-finished or removed participant carries their
      signature (п. 7.11.3), field ``is05_signed``. For not-finished and removed participants the
      missing signature is reported once, as V48, and not again under V49/V50;
    * V49 — «Не закончил» (п. 7.11.8): the ИС-08 act, the ИС-05 mark and a commission member's
      signature on the registration blank, one violation per missing flag;
    * V50 — «Удален» (п. 7.11.9): the ИС-09 act, drawn up by the head, the ИС-05 mark and a
      member's signature, one violation per missing flag;
    * V46 — «Количество бланков» equals the writing blanks used, when both are given
      (п. 7.11.3), field ``blank_count``.
    """
    out: list[Violation] = []
    state, group = rec.state, category_group(rec.category)
    if rec.late and rec.end_extended:
        out.append(violation("V40", field="end_extended"))

    if not rec.has_id_document or state == DayState.ADMITTED_BY_ACT:
        entered = state in ENTERED_STATES
        if group == GROUP_EGE or not _id_act_allowed(rec.category, profile):
            if entered and not rec.has_id_document:
                text = V41_SPRAVKA_TEXT if group == GROUP_SPRAVKA else None
                out.append(violation("V41", field="has_id_document", text=text))
        else:
            if state == DayState.ENTRY_DENIED and not rec.has_id_document:
                out.append(_extra("X26", field="state", category=rec.category.label))
            if entered and not rec.identity_act:
                text = V42_SPRAVKA_TEXT if group == GROUP_SPRAVKA else None
                out.append(violation("V42", field="identity_act", text=text))

    if state in IS05_ROW_STATES and not rec.is05_signed:
        out.append(violation("V48", field="is05_signed"))
    if state == DayState.NOT_FINISHED:
        for flag in ("is08_act", "is05_marked", "member_signature"):
            if not getattr(rec, flag):
                out.append(violation("V49", field=flag))
    if state == DayState.REMOVED:
        missing = [flag for flag in ("is09_act", "is05_marked", "member_signature") if not getattr(rec, flag)]
        if rec.is09_act and not rec.is09_by_head:
            missing.insert(1, "is09_by_head")
        for flag in missing:
            out.append(violation("V50", field=flag))

    if rec.blank_count is not None and rec.blanks_used is not None and rec.blank_count != rec.blanks_used:
        out.append(violation("V46", field="blank_count", x=rec.blank_count, y=rec.blanks_used))
    return out


def is_checkable(state: DayState | str) -> bool:
    """п. 7.11.4 (D21): is the work copied and checked? Not for «Не закончил»/«Удален»; absent and
    turned-away participants have no work. A participant still «допущен» (the state was never
    moved on to «завершил») wrote a work and is checked: only the marks of п. 7.11.4 exclude it."""
    state = DayState(state)
    return state not in UNCHECKED_STATES and state not in NO_WORK_STATES


def check_checkable(state: DayState | str) -> list[Violation]:
    """V51 (п. 7.11.4): copying or checking a work marked «Не закончил»/«Удален»; X27 — there is
    no work to copy (absent, turned away)."""
    state = DayState(state)
    if state in UNCHECKED_STATES:
        return [violation("V51", field="state")]
    if state in NO_WORK_STATES:
        return [_extra("X27", field="state", state=state.label)]
    return []


def has_originals(state: DayState | str) -> bool:
    """L18: originals go to РЦОИ (п. 9.1.1) and are stored (п. 13.3) for every written work,
    those marked «Не закончил»/«Удален» included; absent and turned-away participants have none."""
    state = DayState(state)
    if state in NO_WORK_STATES:
        return False
    return UNCHECKED_ORIGINALS_DELIVERED or state not in UNCHECKED_STATES


def check_blanks(
    registration_code: str,
    writing_codes: Sequence[str],
    topic_no: str | int | None = None,
    released_topics: Iterable[str | int] | None = None,
    z_marked: bool | None = None,
) -> list[Violation]:
    """The organizers' check of the collected blanks (п. 7.11.3, D9, D17):

    * V44 — the work code of each writing blank (1-based ``n``, additional ones included)
      equals the code on the registration blank, field ``writing_blank:{n}``;
    * V45 — the topic (text) number is in the set released for this date, when both are given,
      field ``topic_no``;
    * V47 — the «Z» on the empty fields of the last writing blank, when ``z_marked`` is known.
    """
    out: list[Violation] = []
    expected = normalize_work_code(registration_code)
    for n, code in enumerate(writing_codes, start=1):
        if normalize_work_code(code) != expected:
            out.append(violation("V44", field=f"writing_blank:{n}", n=n))
    if topic_no is not None and released_topics is not None:
        if str(topic_no).strip() not in {str(t).strip() for t in released_topics}:
            out.append(violation("V45", field="topic_no"))
    if z_marked is False:
        out.append(violation("V47", field="z_marked"))
    return out


_TOPIC_NUMBER_RE = re.compile(r"^\s*(?:№\s*)?(\d{1,4})\s*[.)]", re.MULTILINE)


def released_topic_numbers(content: str) -> set[str]:
    """п. 7.11.3 (D9): the numbers of the topics (texts) of a kit as the ministry entered it, one numbered line
    each («101. Тема …», «№ 3) …»): the set :func:`check_blanks` checks a writing blank's number against (V45).
    Empty when the kit carries no numbers — every number is then absent from it."""
    return set(_TOPIC_NUMBER_RE.findall(content or ""))


def normalize_work_code(code: str) -> str:
    """п. 7.11.3 (V44): a work code as written or typed («2631 0000 0125», «2631-0000-0125») — its characters
    without the grouping spaces and hyphens, so the organizer's reading compares with the registration blank."""
    return re.sub(r"[\s\-–]", "", str(code))


class VisitorKind(Choice):
    """Who may be present besides participants and the commission (п. 7.8, C35)."""

    OBSERVER = "observer", "независимый наблюдатель"
    MEDIA = "media", "представитель средств массовой информации"
    OFFICIAL = "official", "должностное лицо Рособрнадзора и (или) министерства"


_VISITOR_GENITIVE = {
    VisitorKind.OBSERVER: "независимого наблюдателя",
    VisitorKind.MEDIA: "представителя СМИ",
    VisitorKind.OFFICIAL: "должностного лица",
}


def check_visitor(kind: VisitorKind | str, has_id_document: bool, has_authority_document: bool) -> list[Violation]:
    """V43 (п. 7.8): a visitor is let in only with an identity document and a document of their
    powers; one violation per missing document."""
    visitor = _VISITOR_GENITIVE[VisitorKind(kind)]
    out = []
    if not has_id_document:
        out.append(violation("V43", field="id_document", visitor=visitor))
    if not has_authority_document:
        out.append(violation("V43", field="authority_document", visitor=visitor))
    return out


def custody_checks(handover_date: date | None, exam_date: date) -> list[Violation]:
    """D22 (пп. 7.11.1(3), 8.1.1): the head of the conduct commission hands the originals and the
    copies to the responsible person on the exam day itself («в день проведения»); X29 otherwise
    (also when no hand-over is recorded)."""
    if handover_date is not None and _day(handover_date, "handover_date") == exam_date:
        return []
    return [_extra("X29", field="handover_date", date=fmt_date(exam_date))]


# ================================================================ checking (E1–E20, п. 8.1, 9)


def check_checking_place(has_video: bool) -> list[Violation]:
    """V54 (п. 8.1, E1): the checking place has video surveillance and recording."""
    return [] if has_video else [violation("V54", field="video")]


EXPERT_BRIEFING_MIN = 30  # п. 8.1.3: «не менее 30 минут»


def check_expert_briefing(minutes: int) -> list[Violation]:
    """V55 (п. 8.1.3, C29): the experts' briefing lasts at least 30 minutes."""
    return [] if minutes >= EXPERT_BRIEFING_MIN else [violation("V55", field="briefing_minutes")]


def check_expert_assignment(
    expert_school_id: str | None, participant_school_id: str | None, expert_name: str = ""
) -> list[Violation]:
    """V56 (п. 8.1.3): an expert never checks works of students of the ОО they work in."""
    if expert_school_id is not None and expert_school_id == participant_school_id:
        return [violation("V56", field="expert", name=expert_name)]
    return []


def check_assignments(
    assignments: Iterable[tuple[str, str]], expert_names: Mapping[str, str] | None = None
) -> list[Violation]:
    """V57 (п. 8.1.4): each work is checked by one expert once. ``assignments`` are pairs
    ``(work_code, expert_id)``; every assignment of a work after its first is reported, naming
    the expert of the first."""
    names = expert_names or {}
    first: dict[str, str] = {}
    out = []
    for work_code, expert_id in assignments:
        if work_code in first:
            holder = first[work_code]
            out.append(violation("V57", field=f"work:{work_code}", work_code=work_code, name=names.get(holder, holder)))
        else:
            first[work_code] = expert_id
    return out


def check_marks_target(by_expert: bool, on_copy: bool) -> list[Violation]:
    """V59 (пп. 8.1.3, 8.1.4, E9): experts enter marks into the copy of the registration blank
    only; originals are filled by the authorized person (п. 8.1.2)."""
    return [violation("V59", field="target")] if by_expert and not on_copy else []


def check_transfer_person(has_order: bool) -> list[Violation]:
    """V30 (п. 8.1.2, E13): marks are transferred from the copies into the originals only by a
    person appointed by an МОУО order."""
    return [] if has_order else [violation("V30", field="transferred_by")]


def _normalized(entries: Mapping[str, object] | None) -> dict[str, str]:
    out = {}
    for key, value in (entries or {}).items():
        mark = _norm_mark(value)
        if mark is not None:
            out[str(key)] = mark
    return out


def check_expert_marks(
    criteria_set: CriteriaSet, requirements: Mapping[str, str], marks: Mapping[str, str], overall: str | None
) -> tuple[Outcome | None, list[Violation]]:
    """An expert's marks on the copy (п. 8.1.4, E5–E9):

    * the outcome computed by the federal rules (:func:`itog.exams.kinds.essay.criteria.aggregate`): a failed
      requirement («Объем», «Самостоятельность») gives «незачет» without the criteria;
    * X25 — a requirement or criterion without «зачет»/«незачет» (field ``marks``) — the outcome
      is then ``None``; not reported when a failed requirement already decides the work;
    * V58 — a requirement failed and the overall mark given is «зачет» (field ``overall``);
    * X28 — any other overall mark that differs from the computed one (field ``overall``).

    Marks are compared without regard to case, spaces and «ё»; ``overall=None`` — only compute.
    """
    reqs, given_marks = _normalized(requirements), _normalized(marks)
    outcome: Outcome | None
    try:
        outcome = aggregate(criteria_set, reqs, given_marks)
    except ValueError:
        outcome = None
    if outcome is None:
        missing = [r.code for r in criteria_set.requirements if reqs.get(r.code) not in (PASS, FAIL)]
        missing += [c.code for c in criteria_set.criteria if given_marks.get(c.code) not in (PASS, FAIL)]
        return None, [_extra("X25", field="marks", codes=", ".join(missing))]
    given = _norm_mark(overall)
    if given is None or given == outcome.overall:
        return outcome, []
    if not outcome.checked_criteria and given == PASS:
        return outcome, [violation("V58", field="overall")]
    return outcome, [_extra("X28", field="overall", given=overall, expected=outcome.overall)]


def _entry_order(criteria_set: CriteriaSet | Sequence[str] | None) -> dict[str, int]:
    if criteria_set is None:
        return {}
    if isinstance(criteria_set, CriteriaSet):
        codes = [r.code for r in criteria_set.requirements] + [c.code for c in criteria_set.criteria]
    else:
        codes = list(criteria_set)
    return {code: i for i, code in enumerate(codes)}


def _natural_key(code: str) -> tuple[int, int, str]:
    """Requirements (T1, T2…) first, then criteria (K1, K2…, numerically; a Cyrillic «К» too),
    then anything else (``overall``…) by name."""
    rank = {"T": 0, "K": 1, "К": 1}.get(code[:1].upper(), 2)
    if rank < 2 and code[1:].isdigit():
        return rank, int(code[1:]), ""
    return 2, 0, code


def compare_entries(
    first: Mapping[str, object], second: Mapping[str, object], order: CriteriaSet | Sequence[str] | None = None
) -> list[str]:
    """Double entry of the marks (п. 8.1.2, E13 PROPOSAL): the keys whose values differ between
    the two entries, a key missing (or empty) on one side included. Values are compared without
    regard to case, surrounding spaces and «ё». Sorted in criteria order: the order of ``order``
    (a criteria set: requirements, then criteria; or a list of codes) and then requirements
    T1…, criteria K1… numerically and other keys by name."""
    a, b = _normalized(first), _normalized(second)
    diff = [key for key in set(a) | set(b) if a.get(key) != b.get(key)]
    explicit = _entry_order(order)
    return sorted(diff, key=lambda k: (0, explicit[k], _natural_key(k)) if k in explicit else (1, 0, _natural_key(k)))


DELIVERY_MAX_DAYS = (
    DEFAULT_PROFILE.delivery_max_days
)  # п. 9.1.1 (7): «не позднее, чем через 7 календарных дней со дня проведения»


def delivery_deadline(exam_date: date, check_completed: date, profile: ProcedureProfile = DEFAULT_PROFILE) -> date:
    """пп. 8.1.1, 9.1.1 (E15): originals reach РЦОИ on the calendar day after the checking is
    completed, but not later than D+7 (``profile.delivery_max_days``)."""
    if check_completed < exam_date:
        raise ValueError("the checking cannot be completed before the exam")
    return min(check_completed + timedelta(days=1), exam_date + timedelta(days=profile.delivery_max_days))


def check_delivery(
    delivered_on: date | None,
    exam_date: date,
    check_completed: date,
    today: date | None = None,
    profile: ProcedureProfile = DEFAULT_PROFILE,
) -> list[Violation]:
    """V60 (пп. 8.1.1, 9.1.1): originals delivered after :func:`delivery_deadline`, or before the
    checking was completed (they must carry the results); with ``delivered_on=None`` and ``today``
    given, not yet delivered after the deadline. Delivery on the completion day itself is not
    late and is accepted."""
    deadline = delivery_deadline(exam_date, check_completed, profile)
    if delivered_on is None:
        late = today is not None and _day(today, "today") > deadline
    else:
        delivered_on = _day(delivered_on, "delivered_on")
        late = delivered_on > deadline or delivered_on < check_completed
    return [violation("V60", field="delivered_on", deadline=fmt_date(deadline))] if late else []


def check_ris_entry(verified: bool) -> list[Violation]:
    """V61 (п. 9.2, E18): a result goes into the RIS only after the recognised information was
    verified against the original."""
    return [] if verified else [violation("V61", field="verified")]


# ================================================================ results (H1, п. 11)

PLACE_SCHOOL = "school"
PLACE_REGISTRATION = "registration_place"
FAMILIARIZATION_PLACES: dict[str, str] = {
    PLACE_SCHOOL: "в ОО",
    PLACE_REGISTRATION: "в месте регистрации",
}


def familiarization_date(received_on: date) -> date:
    """п. 11 (H1): results are shown, under signature, the day after they are received from the
    checking commission (or the re-check commission). L20: ``received_on`` is the day they reach
    the ОО / registration place. L7: this is also the day of the results' announcement."""
    return _day(received_on, "received_on") + timedelta(days=1)


def familiarization_place(category: Category | str) -> str:
    """п. 11 (H1): "school" for «обучающиеся» (students, externs), "registration_place" for ЕГЭ
    participants; L20: "school" for persons with a справка (their registration place is the ОО
    they are restored in, п. 5.1)."""
    return PLACE_REGISTRATION if category_group(category) == GROUP_EGE else PLACE_SCHOOL


def check_familiarization(
    category: Category | str, received_on: date, familiarized_on: date, place: str | None = None, signed: bool = True
) -> list[Violation]:
    """V72 (п. 11): on the day after the receipt (not earlier, not later; field
    ``familiarized_on``), at the place of :func:`familiarization_place` (field ``place``, when
    given), under signature (field ``signed``)."""
    out = []
    if _day(familiarized_on, "familiarized_on") != familiarization_date(received_on):
        out.append(violation("V72", field="familiarized_on"))
    if place is not None and place != familiarization_place(category):
        out.append(violation("V72", field="place"))
    if not signed:
        out.append(violation("V72", field="signed"))
    return out


# ================================================================ re-check on application (F1–F16, п. 3, 8.2)


def count_earlier_fails(
    history: Iterable[tuple[date, str]], exam_date: date, profile: ProcedureProfile = DEFAULT_PROFILE
) -> int:
    """«незачет повторно» (п. 8.2.1, 8.1.1; L8): the «незачет» results of a participant in
    sessions before ``exam_date`` — of the same academic year (the default), or of every year
    when ``profile.recheck_scope`` says so. ``history`` — pairs (session date, result)."""
    year = academic_year_of(exam_date)
    any_year = profile.recheck_scope == RecheckScope.ALL_YEARS
    return sum(
        1
        for d, result in history
        if d < exam_date and (any_year or academic_year_of(d) == year) and _norm_mark(result) == FAIL
    )


def check_recheck_eligibility(
    category: Category | str,
    current_result: str | None,
    earlier_fail_count: int,
    current_is_final: bool,
    profile: ProcedureProfile = DEFAULT_PROFILE,
) -> list[Violation]:
    """Who may apply for a re-check (п. 8.2.1, 3.3, F1; L8):

    * V62 — only «обучающиеся» (students, externs) whose current result is «незачет» and who had
      at least one earlier «незачет» in this academic year (``earlier_fail_count``, see
      :func:`count_earlier_fails`; the number is ``profile.recheck_earlier_fails``); field ``applicant``;
    * V68 — a result of a re-check or перепроверка is final (п. 8.2.6); field ``result``.
    """
    out = []
    repeated_fail = _norm_mark(current_result) == FAIL and earlier_fail_count >= profile.recheck_earlier_fails
    if Category(category) not in OBUCHAYUSHCHIESYA or not repeated_fail:
        out.append(violation("V62", field="applicant"))
    if current_is_final:
        out.append(violation("V68", field="result"))
    return out


def recheck_deadline(results_date: date, tz: str | tzinfo, profile: ProcedureProfile = DEFAULT_PROFILE) -> datetime:
    """п. 8.2.1, 3.3 (L7): applications are filed on the day results are announced
    (= familiarised) until 18:00 local time. The minute 18:00 is still in time
    (:func:`check_recheck_filing` accepts 18:00:59)."""
    return datetime.combine(_day(results_date, "results_date"), profile.recheck_filing_until, tzinfo=_zone(tz))


def check_recheck_filing(
    filed_at: datetime, results_date: date, tz: str | tzinfo, profile: ProcedureProfile = DEFAULT_PROFILE
) -> list[Violation]:
    """V63 (п. 8.2.1, 3.3): filed on ``results_date`` by the venue's (ОО's) clock, at 18:00 at
    the latest, to the minute (18:00:59 accepted, 18:01 refused). Earlier or later days are
    refused."""
    _aware(filed_at, "filed_at")
    day, minute = _wall(filed_at, _zone(tz))
    if day == results_date and minute <= profile.recheck_filing_until:
        return []
    return [violation("V63", field="filed_at")]


RECHECK_COPIES = 2  # п. 8.2.1: «в двух экземплярах»


def check_recheck_copies(copies: int, certified_by_head: bool) -> list[Violation]:
    """V64 (п. 8.2.1, F2, F4): exactly two copies (one for the student, one for the responsible
    person), certified by the signature of the ОО head; one violation per field at fault."""
    out = []
    if copies != RECHECK_COPIES:
        out.append(violation("V64", field="copies"))
    if not certified_by_head:
        out.append(violation("V64", field="certified_by_head"))
    return out


ACTORS: dict[str, str] = {
    "school": "ОО",
    "responsible": "ответственное лицо",
    "mouo": "МОУО",
    "ministry": "министерство",
    "rcoi": "РЦОИ (ГКУ КК ЦОКО)",
    "commission": "комиссия по перепроверке и повторной проверке",
}


@dataclass(frozen=True)
class ChainTask:
    """One step of the forwarding chain of a re-check application (F4–F8)."""

    key: str
    label: str  # Russian, for the UI
    item: str
    actor: str  # a key of ACTORS
    due: date  # the last day it is in time


# key -> (label, item, actor, the {route} of V65 or a whole text for V65)
_CHAIN: dict[str, tuple[str, str, str, str]] = {
    "oo_to_responsible_same_day": (
        "Передать второй экземпляр заявления ответственному лицу (в день принятия заявления)",
        "п. 8.2.1",
        "school",
        "ОО ответственному лицу",
    ),
    "oo_to_responsible_next_day": (
        "Передать заявление о повторной проверке ответственному лицу (на следующий день после ознакомления "
        "с результатами)",
        "п. 3.3",
        "school",
        "ОО ответственному лицу",
    ),
    "responsible_to_ministry": (
        "Передать заявление в министерство (на следующий день после принятия заявления)",
        "п. 8.2.2",
        "responsible",
        "ответственным лицом в министерство",
    ),
    "notice_to_ministry_rcoi": (
        "Передать в министерство и РЦОИ сведения о наличии заявлений на повторную проверку (на следующий "
        "календарный день после их поступления)",
        "п. 8.1.1",
        "responsible",
        "",
    ),
    "mouo_to_rcoi": (
        "Направить заявление в ГКУ КК ЦОКО (в течение 1 календарного дня после получения из ОО)",
        "п. 3.2",
        "mouo",
        "МОУО в ГКУ КК ЦОКО",
    ),
}
_NOTICE_TEXT = "Срок передачи сведений о наличии заявлений на повторную проверку в министерство и РЦОИ истек {date}."


def recheck_chain(
    filed_on: date,
    familiarization_on: date,
    received_on: date | None = None,
    profile: ProcedureProfile = DEFAULT_PROFILE,
) -> list[ChainTask]:
    """The tasks that follow an accepted application, with their due dates in calendar days
    (weekends and holidays are not skipped):

    * п. 8.2.1 — the ОО hands the second copy to the responsible person the same day (L2);
    * п. 3.3 — the ОО hands the application to the responsible person the day after the
      familiarisation (L2: kept as the hard limit, a separate task);
    * п. 8.2.2 — the responsible person → the ministry the next day (L3);
    * п. 8.1.1 — the responsible person's notice to the ministry and РЦОИ the next calendar day;
    * п. 3.2 — the МОУО → ГКУ КК ЦОКО within 1 calendar day of the receipt from the ОО.

    The last three count from ``received_on``, the day the responsible person (МОУО) got the
    application; by default ``filed_on``, as п. 8.2.1 wants. Ordered by due date, then as above.
    The numbers of days are the region's (``profile.chain_days()``; the defaults are those above).
    """
    filed_on = _day(filed_on, "filed_on")
    received = _day(received_on, "received_on") if received_on is not None else filed_on
    days = {key: timedelta(days=n) for key, n in profile.chain_days().items()}
    due = {
        "oo_to_responsible_same_day": filed_on + days["oo_to_responsible_same_day"],
        "oo_to_responsible_next_day": _day(familiarization_on, "familiarization_on")
        + days["oo_to_responsible_next_day"],
        "responsible_to_ministry": received + days["responsible_to_ministry"],
        "notice_to_ministry_rcoi": received + days["notice_to_ministry_rcoi"],
        "mouo_to_rcoi": received + days["mouo_to_rcoi"],
    }
    tasks = [ChainTask(key, label, item, actor, due[key]) for key, (label, item, actor, _) in _CHAIN.items()]
    position = {key: i for i, key in enumerate(_CHAIN)}
    return sorted(tasks, key=lambda t: (t.due, position[t.key]))


def check_chain_task(task: ChainTask, done_on: date | None, today: date) -> list[Violation]:
    """V65 (пп. 3.2, 3.3, 8.1.1, 8.2.1, 8.2.2): a task done after its due date, or not done and
    the due date has passed (``today`` is later). Done on the due date is in time."""
    today = _day(today, "today")
    overdue = (today > task.due) if done_on is None else (_day(done_on, "done_on") > task.due)
    if not overdue:
        return []
    route = _CHAIN[task.key][3] if task.key in _CHAIN else task.label
    due = fmt_date(task.due)
    text = _NOTICE_TEXT.format(date=due) if task.key == "notice_to_ministry_rcoi" else None
    return [violation("V65", field=task.key, item=task.item, text=text, route=route, date=due)]


def check_decision(decided: bool) -> list[Violation]:
    """V66 (п. 3.1, 8.2.3, F9, F10): a re-check or перепроверка starts only on the ministry's
    decision."""
    return [] if decided else [violation("V66", field="decision")]


def check_protocol_delivery(
    completed_on: date, delivered_on: date | None, today: date | None = None
) -> list[Violation]:
    """V67 (п. 8.2.5, F14): the protocol goes to РЦОИ on the day the re-check ends — not another
    day; with ``delivered_on=None`` and ``today`` given, not delivered by the end of that day."""
    if delivered_on is None:
        late = today is not None and _day(today, "today") > completed_on
    else:
        late = _day(delivered_on, "delivered_on") != completed_on
    return [violation("V67", field="protocol_delivered_on")] if late else []


# ================================================================ re-admission (G0–G7, п. 10)

GROUND_FAIL = "незачет"
GROUND_REMOVED = "удален"
GROUND_ABSENT = "не явился по уважительной причине"
GROUND_NOT_FINISHED = "не закончил по уважительной причине"

GROUND_KEYS: dict[str, str] = {
    GROUND_FAIL: "fail",
    GROUND_REMOVED: "removed",
    GROUND_ABSENT: "absent_valid",
    GROUND_NOT_FINISHED: "not_finished_valid",
}

NOTE_EGE = (
    "Участники ЕГЭ, получившие «незачет» или удаленные, не допускаются повторно по п. 10: они вправе "
    "выбрать другую дату из установленных расписанием, подав заявление (п. 5.5)."
)
NOTE_SPRAVKA = (
    "Лица со справкой об обучении не названы в п. 10 среди обучающихся: повторный допуск после "
    "«незачета» или удаления не предусмотрен."
)
NOTE_NO_RESULT = "Результат еще не получен: повторный допуск по «незачету» определяется после его получения."


@dataclass(frozen=True)
class Readmission:
    """The answer of :func:`readmission`: ``ground`` — the Russian label of the ground of п. 10
    (:data:`GROUND_KEYS` gives a stable key); ``note`` — an explanation when not eligible."""

    eligible: bool
    ground: str | None
    violations: tuple[Violation, ...]
    note: str = ""

    @property
    def ground_key(self) -> str | None:
        return GROUND_KEYS.get(self.ground) if self.ground else None


def readmission(
    category: Category | str,
    state: DayState | str,
    result: str | None,
    valid_reason_document: bool,
    profile: ProcedureProfile = DEFAULT_PROFILE,
) -> Readmission:
    """п. 10 (G0–G6, K.2): who is admitted again on an additional date of the same academic year:

    * «обучающиеся» (students, externs) with «незачет» — ground «незачет»;
    * «обучающиеся» removed for a violation — «удален»;
    * any participant absent for a documented valid reason — «не явился по уважительной причине»;
    * any participant who did not finish for a documented valid reason — «не закончил …».

    V70 — absent or not finished without the document; V69 — anyone else. L19: ЕГЭ participants
    (and persons with a справка, A3) with «незачет» or removed are not re-admitted under п. 10:
    ``eligible`` is False, with a note (ЕГЭ participants choose a date themselves, п. 5.5) — unless
    the region's profile admits them (``readmit_ege_after_fail``, ``readmit_spravka_after_fail``).
    """
    category, state = Category(category), DayState(state)
    group = category_group(category)
    if state in (DayState.ABSENT, DayState.NOT_FINISHED):
        ground = GROUND_ABSENT if state == DayState.ABSENT else GROUND_NOT_FINISHED
        if valid_reason_document:
            return Readmission(True, ground, ())
        return Readmission(False, None, (violation("V70", field="valid_reason_document"),))
    failed = state != DayState.ENTRY_DENIED and _norm_mark(result) == FAIL
    if state == DayState.REMOVED or failed:
        ground = GROUND_REMOVED if state == DayState.REMOVED else GROUND_FAIL
        if (
            group == GROUP_OBUCH
            or (group == GROUP_EGE and profile.readmit_ege_after_fail)
            or (group == GROUP_SPRAVKA and profile.readmit_spravka_after_fail)
        ):
            return Readmission(True, ground, ())
        note = NOTE_EGE if group == GROUP_EGE else NOTE_SPRAVKA
        return Readmission(False, None, (violation("V69", field="category"),), note)
    if state == DayState.ENTRY_DENIED:
        return Readmission(False, None, (violation("V69", field="state"),))
    note = NOTE_NO_RESULT if _norm_mark(result) is None else ""
    return Readmission(False, None, (violation("V69", field="result"),), note)


def check_direct_registration(category: Category | str, stage_is_additional: bool) -> list[Violation]:
    """п. 10 (G0, B4) and п. 5.5 at registration: on an additional date an «обучающийся» (or a person
    with a справка) is admitted only again, under п. 10 — through the re-admission of the session
    they wrote (:func:`readmission`), never by an ordinary new application. ЕГЭ participants choose
    any date of the schedule themselves (п. 5.5, A15; L19)."""
    if not stage_is_additional or category_group(Category(category)) == GROUP_EGE:
        return []
    return [
        Violation(
            "V69",
            "п. 10",
            "На дополнительную дату обучающиеся допускаются только повторно, по основаниям п. 10 "
            "(«незачет», удаление, неявка или незавершение по уважительной причине): оформите "
            "повторный допуск на странице результатов основного срока, а не новое заявление.",
            "category",
        )
    ]


def readmission_targets(source_date: date, today: date | None = None) -> list[SessionDate]:
    """п. 10 (G0): the additional dates (п. 4.1) of the academic year of ``source_date`` that
    come after it and are not in the past."""
    return [
        s
        for s in session_dates(academic_year_of(source_date))
        if s.kind == SessionKind.ADDITIONAL and s.date > source_date and (today is None or s.date >= today)
    ]


def check_readmission_target(
    target: SessionDate, source_academic_year: str | int, today: date, source_date: date | None = None
) -> list[Violation]:
    """V71 (п. 10, G0): the target is an additional date of the same academic year, not in the
    past (today is still allowed) and, when ``source_date`` is given, after the session the
    participant is re-admitted from."""
    ok = (
        target.kind == SessionKind.ADDITIONAL
        and academic_year_of(target.date) == academic_year_label(source_academic_year)
        and target.date >= _day(today, "today")
        and (source_date is None or target.date > source_date)
    )
    return [] if ok else [violation("V71", field="target")]


# ================================================================ storage and destruction (I1–I9, п. 8.1.1, 13)


class StorageKind(Choice):
    COPY = "copy", "копии бланков"
    ORIGINAL = "original", "оригиналы бланков"
    AUDIO = "audio", "аудиозаписи устных сочинений (изложений)"
    REPORT_FORMS = "report_forms", "отчетные формы"


# Who keeps what and under which item (п. 8.1.1: the responsible person; п. 13.2: the РЦОИ head) —
# Krasnodar's procedure; a region's profile may return the originals to МОУО/ОО (storage_keeper).
STORAGE_KEEPER: dict[StorageKind, tuple[str, str]] = {
    StorageKind.COPY: ("responsible", "п. 8.1.1"),
    StorageKind.ORIGINAL: ("rcoi", "п. 13.3"),
    StorageKind.AUDIO: ("rcoi", "п. 13.3"),
    StorageKind.REPORT_FORMS: ("rcoi", "п. 13.3"),
}


def storage_keeper(kind: StorageKind | str, profile: ProcedureProfile = DEFAULT_PROFILE) -> str:
    """Who keeps ``kind`` after processing: "responsible" (the МОУО's responsible person), "rcoi" or
    "mouo" (returned to МОУО/ОО, e.g. Kalmykia's plan-schedule, п. 22) — a key of :data:`ACTORS`."""
    kind = StorageKind(kind)
    holder = {
        StorageKind.ORIGINAL: profile.originals_holder,
        StorageKind.AUDIO: profile.originals_holder,
        StorageKind.REPORT_FORMS: profile.report_forms_holder,
    }.get(kind)
    if holder is None:
        return STORAGE_KEEPER[kind][0]
    return "mouo" if holder == Holder.MOUO else "rcoi"


# OriginalsReading (L5) is the profile's (.profile.OriginalsReading), re-exported here.


ORIGINALS_READING = DEFAULT_PROFILE.originals_kept_until  # L5 decision (the default profile's)


def destroy_not_before(
    kind: StorageKind | str,
    exam_date: date,
    reading: OriginalsReading | str | None = None,
    profile: ProcedureProfile = DEFAULT_PROFILE,
) -> date:
    """The first day destruction is allowed:

    * copies (п. 8.1.1, I2) — kept «не менее месяца с момента проведения»: D + 1 month
      (+ COPY_EXTRA_DAYS) — the region's ``profile.copy_retention_months`` and ``copy_extra_days``;
    * originals, audio recordings, report forms (п. 13.3, I3; L5, L5b) — kept «до 1 марта»:
      from 1 March of the year :class:`OriginalsReading` gives (``reading``, else the profile's).
    """
    kind = StorageKind(kind)
    reading = OriginalsReading(reading if reading is not None else profile.originals_kept_until)
    exam_date = _day(exam_date, "exam_date")
    if kind == StorageKind.COPY:
        return exam_date + relativedelta(months=profile.copy_retention_months) + timedelta(days=profile.copy_extra_days)
    if reading == OriginalsReading.NEXT_ACADEMIC_YEAR:
        return date(academic_year_start(academic_year_of(exam_date)) + 2, 3, 1)
    return date(exam_date.year + 1, 3, 1)


def check_destruction(
    kind: StorageKind | str,
    exam_date: date,
    on: date,
    reading: OriginalsReading | str | None = None,
    profile: ProcedureProfile = DEFAULT_PROFILE,
) -> list[Violation]:
    """V73 (п. 8.1.1): copies destroyed before D + 1 month; V74 (п. 13.3): originals, audio
    recordings or report forms destroyed before 1 March (L5 reading). The first allowed day is
    :func:`destroy_not_before`; the day before is refused."""
    kind = StorageKind(kind)
    first = destroy_not_before(kind, exam_date, reading, profile)
    if _day(on, "on") >= first:
        return []
    if kind == StorageKind.COPY:
        return [violation("V73", field="destroyed_on", date=fmt_date(first))]
    return [violation("V74", field="destroyed_on", year=first.year)]
