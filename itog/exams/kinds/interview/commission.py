"""The school's commission for the interview (проведение и проверка).

* formed by the school (ОО) not later than two weeks before the interview — seed 002 row 2
  «Формирование комиссии по проведению и проверке итогового собеседования, назначение
  ответственных — за две недели до итогового собеседования — ОО» (D−14, inclusive);
* roles (Рекомендации): ответственный организатор ОО, организатор проведения итогового
  собеседования (escorts participants, marks «Н» for the absent), экзаменатор-собеседник,
  эксперт, технический специалист;
* which roles one person may combine is a **regional setting** (:class:`CombinationPolicy`,
  data), checked when the commission is formed. Default: the собеседник and the эксперт are two
  different people (our reading of the recommendations' default model; a region that allows
  the собеседник to evaluate alone removes the pair);
* evaluation either during the answer (the expert sits in the room: one room per expert) or
  afterwards from the recording (an expert may check several rooms) — :class:`EvaluationMode`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from itog.exams.kinds.base import Choice, Violation

from .calendar import session_deadlines
from .codes import fmt_date, violation
from .values import Role

__all__ = ["CombinationPolicy", "DEFAULT_POLICY", "EvaluationMode", "Member", "check_commission", "formed_by"]


class EvaluationMode(Choice):
    DURING = "during", "во время ответа"
    RECORDING = "recording", "после собеседования по аудиозаписи"


@dataclass(frozen=True)
class CombinationPolicy:
    """Pairs of roles one person may not hold at once (a regional setting)."""

    forbidden_pairs: frozenset[frozenset[Role]] = frozenset({frozenset({Role.INTERLOCUTOR, Role.EXPERT})})

    @classmethod
    def from_data(cls, pairs: Iterable[Sequence[str]]) -> CombinationPolicy:
        """From configuration: ``[["interlocutor", "expert"], …]``."""
        out = set()
        for pair in pairs:
            roles = frozenset(Role(r) for r in pair)
            if len(roles) != 2:
                raise ValueError(f"a forbidden combination names two different roles: {pair!r}")
            out.add(roles)
        return cls(frozenset(out))

    def allows(self, a: Role, b: Role) -> bool:
        return frozenset({a, b}) not in self.forbidden_pairs


DEFAULT_POLICY = CombinationPolicy()
REQUIRED_ROLES = (Role.RESPONSIBLE, Role.ORGANIZER, Role.INTERLOCUTOR, Role.EXPERT, Role.TECH)
_GENITIVE = {
    Role.RESPONSIBLE: "ответственный организатор",
    Role.ORGANIZER: "организатор проведения итогового собеседования",
    Role.INTERLOCUTOR: "экзаменатор-собеседник",
    Role.EXPERT: "эксперт",
    Role.TECH: "технический специалист",
}
_ROOM_GENITIVE = {Role.INTERLOCUTOR: "экзаменатора-собеседника", Role.EXPERT: "эксперта"}


@dataclass(frozen=True)
class Member:
    """A person of the commission: ``roles`` held, ``rooms`` where they work (собеседник, эксперт)."""

    id: str
    full_name: str
    roles: frozenset[Role]
    rooms: frozenset[str] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(Role(r) for r in self.roles))
        object.__setattr__(self, "rooms", frozenset(self.rooms))


def formed_by(exam_date: date) -> date:
    return session_deadlines(exam_date)["commission"]


def check_commission(
    members: Sequence[Member],
    exam_date: date,
    formed_on: date | None = None,
    rooms: Iterable[str] = (),
    policy: CombinationPolicy = DEFAULT_POLICY,
    mode: EvaluationMode | str = EvaluationMode.DURING,
) -> list[Violation]:
    """Every violation of a commission: its date (I30), missing roles (I31), the one responsible
    organizer (I33), forbidden combinations (I32), a собеседник (or, evaluating during the answer,
    an expert) in two rooms (I34), a room without its собеседник or expert (I35)."""
    mode = EvaluationMode(mode)
    out: list[Violation] = []
    if formed_on is not None and formed_on > formed_by(exam_date):
        out.append(violation("I30", field="formed_on", deadline=fmt_date(formed_by(exam_date))))
    held = {r for m in members for r in m.roles}
    for role in REQUIRED_ROLES:
        if role not in held:
            out.append(violation("I31", field="roles", role=_GENITIVE[role]))
    responsible = sum(1 for m in members if Role.RESPONSIBLE in m.roles)
    if responsible > 1:
        out.append(violation("I33", field="roles", count=responsible))
    for m in members:
        for a, b in combinations(sorted(m.roles), 2):
            if not policy.allows(a, b):
                out.append(violation("I32", field="roles", name=m.full_name, role1=a.label, role2=b.label))
        one_room_roles = {Role.INTERLOCUTOR} | ({Role.EXPERT} if mode == EvaluationMode.DURING else set())
        if m.roles & one_room_roles and len(m.rooms) > 1:
            out.append(violation("I34", field="rooms", name=m.full_name, room=", ".join(sorted(m.rooms))))
    for room in sorted(set(rooms)):
        for role in (Role.INTERLOCUTOR, Role.EXPERT):
            if role == Role.EXPERT and mode == EvaluationMode.RECORDING:
                continue  # evaluated afterwards from the recording: no expert in the room
            if not any(role in m.roles and room in m.rooms for m in members):
                out.append(violation("I35", field="rooms", room=room, role=_ROOM_GENITIVE[role]))
    return out
