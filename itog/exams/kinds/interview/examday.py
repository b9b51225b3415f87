"""The собеседник's ведомость учета проведения итогового собеседования в аудитории (exam day, on a tablet).

Facts (Рекомендации): the экзаменатор-собеседник keeps the room's ведомость — for each
participant the time the answer started and ended; the organizer marks «Н» for those who did
not come; a participant who could not finish for a valid reason (e.g. illness) is marked as
not finished, with the reason (re-admission needs it documented). The answer itself lasts
about 15–16 minutes (45 with the extension for ОВЗ).

Plausibility (warnings, not blocks — the ведомость records what happened; thresholds are
configuration, our reading): under 10 minutes or over 25 (over 55 with the extension).

Each action returns the violations: errors refuse the action and leave the line unchanged;
warnings are recorded with it (:attr:`Line.warnings`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime

from itog.exams.kinds.base import Violation

from .codes import violation
from .values import AnswerState

__all__ = ["Line", "Person", "Thresholds", "Vedomost"]


@dataclass(frozen=True)
class Thresholds:
    min_minutes: int = 10
    max_minutes: int = 25
    max_minutes_extended: int = 55


@dataclass(frozen=True)
class Person:
    id: str
    full_name: str
    extended: bool = False
    planned_start: str = ""  # «09:16» from the schedule (for printing)


@dataclass(frozen=True)
class Line:
    person: Person
    state: AnswerState = AnswerState.PLANNED
    started_at: datetime | None = None
    ended_at: datetime | None = None
    reason: str = ""
    warnings: tuple[Violation, ...] = ()

    @property
    def minutes(self) -> float | None:
        if self.started_at is None or self.ended_at is None:
            return None
        return (self.ended_at - self.started_at).total_seconds() / 60


def _hm(dt: datetime) -> str:
    return dt.strftime("%H:%M")


@dataclass
class Vedomost:
    """One room's ведомость: lines in schedule order."""

    room: str
    people: Iterable[Person] = ()
    thresholds: Thresholds = field(default_factory=Thresholds)
    lines: dict[str, Line] = field(init=False)

    def __post_init__(self) -> None:
        self.lines = {p.id: Line(p) for p in self.people}

    # -------------------------------------------------------------- actions

    def _line(self, pid: str) -> tuple[Line | None, list[Violation]]:
        line = self.lines.get(pid)
        if line is None:
            return None, [violation("I59", field="participant", participant=pid)]
        return line, []

    def in_progress(self) -> Line | None:
        return next((x for x in self.lines.values() if x.state == AnswerState.IN_PROGRESS), None)

    def start(self, pid: str, at: datetime) -> list[Violation]:
        line, errors = self._line(pid)
        if line is None:
            return errors
        name = line.person.full_name
        if line.state == AnswerState.ABSENT:
            return [violation("I56", field="started_at", name=name)]
        if line.started_at is not None:
            return [violation("I55", field="started_at", name=name, start=_hm(line.started_at))]
        other = self.in_progress()
        if other is not None:
            return [violation("I57", field="started_at", other=other.person.full_name)]
        self.lines[pid] = replace(line, state=AnswerState.IN_PROGRESS, started_at=at)
        return []

    def stop(self, pid: str, at: datetime) -> list[Violation]:
        line, errors = self._line(pid)
        if line is None:
            return errors
        name = line.person.full_name
        if line.state != AnswerState.IN_PROGRESS or line.started_at is None:
            return [violation("I58", field="ended_at", name=name)]
        if at < line.started_at:
            return [violation("I52", field="ended_at", name=name, start=_hm(line.started_at), end=_hm(at))]
        minutes = (at - line.started_at).total_seconds() / 60
        warnings = self._duration_warnings(line.person, minutes)
        self.lines[pid] = replace(line, state=AnswerState.FINISHED, ended_at=at, warnings=tuple(warnings))
        return warnings

    def _duration_warnings(self, person: Person, minutes: float) -> list[Violation]:
        t = self.thresholds
        limit = t.max_minutes_extended if person.extended else t.max_minutes
        shown = f"{minutes:.0f}"
        if minutes < t.min_minutes:
            return [violation("I50", field="ended_at", name=person.full_name, minutes=shown, min_minutes=t.min_minutes)]
        if minutes > limit:
            return [violation("I51", field="ended_at", name=person.full_name, minutes=shown, max_minutes=limit)]
        return []

    def mark_absent(self, pid: str, reason: str = "") -> list[Violation]:
        """«Н»: the participant did not come (the reason, when known, is kept for re-admission)."""
        line, errors = self._line(pid)
        if line is None:
            return errors
        if line.started_at is not None:
            return [violation("I56", field="state", name=line.person.full_name)]
        self.lines[pid] = replace(line, state=AnswerState.ABSENT, reason=reason.strip())
        return []

    def mark_not_finished(self, pid: str, at: datetime, reason: str) -> list[Violation]:
        """Did not finish (for a valid reason, stated): the end time is the time it stopped."""
        line, errors = self._line(pid)
        if line is None:
            return errors
        name = line.person.full_name
        if not (reason or "").strip():
            return [violation("I53", field="reason", name=name, state=AnswerState.NOT_FINISHED.label)]
        if line.state != AnswerState.IN_PROGRESS or line.started_at is None:
            return [violation("I58", field="ended_at", name=name)]
        if at < line.started_at:
            return [violation("I52", field="ended_at", name=name, start=_hm(line.started_at), end=_hm(at))]
        self.lines[pid] = replace(line, state=AnswerState.NOT_FINISHED, ended_at=at, reason=reason.strip())
        return []

    # -------------------------------------------------------------- closing

    def close_check(self) -> list[Violation]:
        """Before the ведомость is closed: every line has an outcome (I54 for an answer still
        running, I58 for a participant neither started nor marked «Н»)."""
        out: list[Violation] = []
        for line in self.lines.values():
            if line.state == AnswerState.IN_PROGRESS:
                out.append(violation("I54", field="ended_at", name=line.person.full_name))
            elif line.state == AnswerState.PLANNED:
                out.append(violation("I58", field="state", name=line.person.full_name))
        return out

    def counts(self) -> dict[str, int]:
        out = {s.value: 0 for s in AnswerState}
        for line in self.lines.values():
            out[line.state.value] += 1
        return out
