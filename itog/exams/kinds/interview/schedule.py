"""Room schedule of the interview at a school: time slots per participant per room.

Facts (Рекомендации по организации и проведению итогового собеседования):

* the interview is held in rooms equipped with audio recording (each answer is recorded);
* about 15–16 minutes per participant; 30 minutes more (about 45) for participants with ОВЗ,
  children with a disability and disabled persons (Порядок ГИА-9);
* participants wait in a waiting room (штаб/помещение ожидания) and, having answered, go to a
  room for those who have finished — so that those who answered do not meet those who wait;
  the two are different rooms, neither of them an exam room;
* the interview starts at 09:00 local time (our reading of the recommendations; configuration).

The schedule is deterministic (no randomness; the same input gives the same slots):
participants with the longer duration first, then by class and name, each to the room that is
free earliest (ties: room order) — the classic longest-first list scheduling, which keeps the
day short. When the day's end is reached, the rest are reported (I43) with how many more rooms
or how much later an end would fit them.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import time

from itog.exams.kinds.base import Choice, Violation

from .codes import violation
from .registration import BASE_MINUTES, EXTRA_MINUTES

__all__ = [
    "Candidate",
    "Room",
    "RoomKind",
    "Schedule",
    "ScheduleConfig",
    "Slot",
    "default_roles",
    "make_schedule",
]


class RoomKind(Choice):
    EXAM = "exam", "аудитория проведения"
    WAITING = "waiting", "помещение для ожидания"
    FINISHED = "finished", "помещение для участников, завершивших собеседование"


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    kind: RoomKind = RoomKind.EXAM
    audio_equipped: bool = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", RoomKind(self.kind))


@dataclass(frozen=True)
class Candidate:
    id: str
    full_name: str
    class_label: str = ""
    extended: bool = False  # ОВЗ / ребенок-инвалид / инвалид with the documents: +30 minutes


@dataclass(frozen=True)
class ScheduleConfig:
    start: time = time(9, 0)
    end: time = time(17, 0)  # latest end of the last answer (configuration)
    minutes_regular: int = BASE_MINUTES  # 15
    minutes_extended: int = BASE_MINUTES + EXTRA_MINUTES  # 45
    changeover: int = 1  # minutes between two participants (escort, new recording file)

    def minutes(self, c: Candidate) -> int:
        return self.minutes_extended if c.extended else self.minutes_regular


@dataclass(frozen=True)
class Slot:
    participant_id: str
    full_name: str
    class_label: str
    room_id: str
    start: time
    end: time
    extended: bool


@dataclass
class Schedule:
    slots: dict[str, list[Slot]] = field(default_factory=dict)  # exam room id -> slots in time order
    waiting_room: Room | None = None
    finished_room: Room | None = None
    unassigned: list[Candidate] = field(default_factory=list)
    violations: list[Violation] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not any(v.is_error for v in self.violations)

    def slot_of(self, participant_id: str) -> Slot | None:
        for slots in self.slots.values():
            for s in slots:
                if s.participant_id == participant_id:
                    return s
        return None

    @property
    def last_end(self) -> time | None:
        ends = [s[-1].end for s in self.slots.values() if s]
        return max(ends) if ends else None


def _m(t: time) -> int:
    return t.hour * 60 + t.minute


def _t(minutes: int) -> time:
    return time(minutes // 60, minutes % 60) if minutes < 24 * 60 else time(23, 59)


def _fmt(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}" if minutes < 24 * 60 else "следующие сутки"


def _order(candidates: Iterable[Candidate], cfg: ScheduleConfig) -> list[Candidate]:
    return sorted(candidates, key=lambda c: (-cfg.minutes(c), c.class_label, c.full_name, c.id))


def _place(ordered: Sequence[Candidate], n_rooms: int, cfg: ScheduleConfig, limit: int | None):
    """List scheduling; returns (placements [(candidate, room index, start)], unplaced, makespan)."""
    start = _m(cfg.start)
    heap = [(start, i) for i in range(n_rooms)]
    placed, unplaced = [], []
    makespan = start
    for c in ordered:
        free, i = heap[0]
        end = free + cfg.minutes(c)
        if limit is not None and end > limit:
            unplaced.append(c)
            continue
        heapq.heapreplace(heap, (end + cfg.changeover, i))
        placed.append((c, i, free))
        makespan = max(makespan, end)
    return placed, unplaced, makespan


def make_schedule(
    rooms: Sequence[Room], candidates: Sequence[Candidate], config: ScheduleConfig | None = None
) -> Schedule:
    cfg = config or ScheduleConfig()
    out = Schedule()
    exam_rooms: list[Room] = []
    for r in rooms:
        if r.kind == RoomKind.EXAM:
            if r.audio_equipped:
                exam_rooms.append(r)
            else:
                out.violations.append(violation("I40", field="rooms", room=r.name))
    waiting = [r for r in rooms if r.kind == RoomKind.WAITING]
    finished = [r for r in rooms if r.kind == RoomKind.FINISHED]
    out.waiting_room = waiting[0] if waiting else None
    out.finished_room = finished[0] if finished else None
    if out.waiting_room is None:
        out.violations.append(violation("I41", field="rooms", what=RoomKind.WAITING.label))
    if out.finished_room is None:
        out.violations.append(violation("I41", field="rooms", what=RoomKind.FINISHED.label))
    exam_ids = {r.id for r in rooms if r.kind == RoomKind.EXAM}
    for r in (out.waiting_room, out.finished_room):
        if r is not None and r.id in exam_ids:
            out.violations.append(violation("I42", field="rooms", room=r.name))
    if out.waiting_room and out.finished_room and out.waiting_room.id == out.finished_room.id:
        out.violations.append(violation("I42", field="rooms", room=out.waiting_room.name))
    if not exam_rooms:
        out.violations.append(violation("I41", field="rooms", what="ни одной аудитории проведения с аудиозаписью"))
    seen: set[str] = set()
    unique: list[Candidate] = []
    for c in candidates:
        if c.id in seen:
            out.violations.append(violation("I44", field="participants", name=c.full_name))
            continue
        seen.add(c.id)
        unique.append(c)
    if not exam_rooms:
        out.unassigned = _order(unique, cfg)
        return out
    ordered = _order(unique, cfg)
    placed, unplaced, _ = _place(ordered, len(exam_rooms), cfg, _m(cfg.end))
    slots: dict[str, list[Slot]] = {r.id: [] for r in exam_rooms}
    for c, i, start in placed:
        room = exam_rooms[i]
        slots[room.id].append(
            Slot(c.id, c.full_name, c.class_label, room.id, _t(start), _t(start + cfg.minutes(c)), c.extended)
        )
    for room_slots in slots.values():
        room_slots.sort(key=lambda s: (s.start, s.full_name))
    out.slots = slots
    out.unassigned = unplaced
    if unplaced:
        _, _, needed_end = _place(ordered, len(exam_rooms), cfg, None)
        rooms_needed = len(exam_rooms)
        while _place(ordered, rooms_needed, cfg, _m(cfg.end))[1]:
            rooms_needed += 1
        out.violations.append(
            violation(
                "I43",
                field="participants",
                end=_fmt(_m(cfg.end)),
                count=len(unplaced),
                total=len(ordered),
                rooms_needed=rooms_needed - len(exam_rooms),
                needed_end=_fmt(needed_end),
            )
        )
    return out


def default_roles(rooms: Sequence[tuple[str, bool]]) -> tuple[dict[str, RoomKind], list[Violation]]:
    """Room roles for a school that named none, from ``(room id, audio_equipped)`` in the school's order.

    The answers go only to rooms equipped for audio recording (Рекомендации: every answer is recorded);
    the waiting room and the room for those finished are two other rooms (Рекомендации), taken first among
    the rooms without recording (our reading: a recording room is not wasted on waiting), and where the
    school has fewer than two of those, among its last equipped rooms — as long as one equipped room is
    left for the answers. A school without an equipped room gets no roles and I45."""
    equipped = [rid for rid, eq in rooms if eq]
    plain = [rid for rid, eq in rooms if not eq]
    if not equipped:
        return {}, [violation("I45", field="rooms")]
    helpers = plain[:2]
    while len(helpers) < 2 and len(equipped) > 1:
        helpers.append(equipped.pop())
    roles: dict[str, RoomKind] = {rid: RoomKind.EXAM for rid in equipped}
    for rid, kind in zip(helpers, (RoomKind.WAITING, RoomKind.FINISHED)):
        roles[rid] = kind
    return roles, []
