"""The interview's rules behind one object, in the shape of the essay's ``ExamRules`` protocol.

    >>> rules = InterviewRules()
    >>> [s.date.isoformat() for s in rules.session_dates("2023/24")]
    ['2024-02-14', '2024-03-13', '2024-04-15']

Regional choices are one :class:`RegionalSettings` value (which roles one person may combine,
the ОВЗ threshold, schedule and recording parameters, plausibility thresholds of the ведомость);
the defaults are the federal rules and our documented readings. To register it, the integrator
adds ``"interview"`` to the kinds registry pointing at :data:`RULES` (or this module).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from itog.exams.kinds.base import ApplicationData, RuleSetInfo, SessionDate, Violation

from . import audio, calendar, commission, criteria, examday, registration, retention, schedule
from .codes import PRE_EXAM_CODES, VALIDATIONS
from .sources import RULESET

__all__ = ["InterviewRules", "RULES", "RegionalSettings"]


@dataclass(frozen=True)
class RegionalSettings:
    combination: commission.CombinationPolicy = field(default_factory=commission.CombinationPolicy)
    evaluation: commission.EvaluationMode = commission.EvaluationMode.DURING
    pass_policy: criteria.PassPolicy = field(default_factory=criteria.PassPolicy)
    schedule: schedule.ScheduleConfig = field(default_factory=schedule.ScheduleConfig)
    audio: audio.AudioConfig = field(default_factory=audio.AudioConfig)
    thresholds: examday.Thresholds = field(default_factory=examday.Thresholds)


class InterviewRules:
    KIND = "interview"
    LABEL = "Итоговое собеседование по русскому языку"
    RULESET: RuleSetInfo = RULESET
    VALIDATIONS: Mapping[str, tuple[str, str]] = VALIDATIONS
    PRE_EXAM_CODES: frozenset[str] = PRE_EXAM_CODES

    def __init__(self, settings: RegionalSettings | None = None) -> None:
        self.settings = settings or RegionalSettings()

    # calendar
    def session_dates(self, academic_year: str | int) -> list[SessionDate]:
        return calendar.session_dates(academic_year)

    def session_deadlines(self, exam_date: date) -> dict[str, date]:
        return calendar.session_deadlines(exam_date)

    def deadline_chain(self, exam_date: date) -> list[calendar.ResolvedDeadline]:
        return calendar.deadline_chain(exam_date)

    def check_deadline(self, key: str, exam_date: date, done_at: date | datetime) -> list[Violation]:
        return calendar.check_deadline(key, exam_date, done_at)

    def validate_override(self, rule_date: date, new_date: date, reason: str) -> list[Violation]:
        return calendar.validate_override(rule_date, new_date, reason)

    def validate_session(self, session: SessionDate) -> list[Violation]:
        return calendar.validate_session(session)

    def calendar_json(self, academic_year: str | int) -> list[dict]:
        return calendar.calendar_json(academic_year)

    # registration
    def check_application(self, app: ApplicationData, session: SessionDate | date) -> list[Violation]:
        return registration.check_application(app, session)

    def duration_minutes(self, app: ApplicationData) -> int:
        cfg = self.settings.schedule
        return registration.duration_minutes(
            app, base=cfg.minutes_regular, extra=cfg.minutes_extended - cfg.minutes_regular
        )

    def readmission(self, state: str, result: str | None, valid_reason_document: bool) -> registration.Readmission:
        return registration.readmission(state, result, valid_reason_document)

    def readmission_targets(self, source_date: date, today: date | None = None) -> list[SessionDate]:
        return registration.readmission_targets(source_date, today)

    # commission
    def check_commission(
        self,
        members: Sequence[commission.Member],
        exam_date: date,
        formed_on: date | None = None,
        rooms: Iterable[str] = (),
    ) -> list[Violation]:
        return commission.check_commission(
            members, exam_date, formed_on, rooms, self.settings.combination, self.settings.evaluation
        )

    # rooms and the exam day
    def make_schedule(
        self, rooms: Sequence[schedule.Room], candidates: Sequence[schedule.Candidate]
    ) -> schedule.Schedule:
        return schedule.make_schedule(rooms, candidates, self.settings.schedule)

    def new_vedomost(self, room: str, people: Iterable[examday.Person]) -> examday.Vedomost:
        return examday.Vedomost(room, list(people), self.settings.thresholds)

    # recordings
    def check_recording(
        self,
        data: bytes,
        expected_minutes: float | None,
        name: str = "",
        participant_id: str = "",
        known_hashes: Iterable[str] = (),
        isolated: bool = False,
    ) -> audio.AudioReport:
        """``isolated``: decode in a child process (:mod:`.audio_isolated`), so that a file crashing the C decoder
        is refused (I60) instead of taking the web or worker process down."""
        if isolated:
            from .audio_isolated import check_recording_isolated

            return check_recording_isolated(
                data, expected_minutes, name, participant_id, known_hashes, self.settings.audio
            )
        return audio.check_recording(data, expected_minutes, name, participant_id, known_hashes, self.settings.audio)

    def check_room_recording(
        self, data: bytes, spans: Sequence[audio.Span], known_hashes: Iterable[str] = (), isolated: bool = False
    ) -> audio.AudioReport:
        if isolated:
            from .audio_isolated import check_room_recording_isolated

            return check_room_recording_isolated(data, spans, known_hashes, self.settings.audio)
        return audio.check_room_recording(data, spans, known_hashes, self.settings.audio)

    # checking
    def criteria(self, academic_year: str | int) -> criteria.CriteriaSet:
        return criteria.criteria_for(academic_year)

    def validate_marks(self, cs: criteria.CriteriaSet, marks: Mapping[str, object]) -> list[Violation]:
        return criteria.validate_marks(cs, marks)

    def aggregate(
        self, cs: criteria.CriteriaSet, marks: Mapping[str, object], ovz_lower_threshold: bool = False
    ) -> criteria.Outcome:
        return criteria.aggregate(cs, marks, ovz_lower_threshold, self.settings.pass_policy)

    def compare_entries(self, first: Mapping[str, object], second: Mapping[str, object]) -> list[Violation]:
        return criteria.compare_entries(first, second)

    # retention
    def destroy_not_before(self, kind: retention.Kept | str, exam_date: date) -> date:
        return retention.destroy_not_before(kind, exam_date)

    def check_destruction(self, kind: retention.Kept | str, exam_date: date, on: date) -> list[Violation]:
        return retention.check_destruction(kind, exam_date, on)


RULES = InterviewRules()
