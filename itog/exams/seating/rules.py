"""Seating on the day before the exam (D−1): participants of a venue into its rooms (pure Python).

Rules encoded (Krasnodar order № 3311 of 24.11.2023, analysis in shared/domain/essay-procedure-rules.md):

* п. 7.11.1(2), B28 — «за один календарный день до дня проведения … распределяет участников по
  аудиториям в произвольном порядке … распределяет членов комиссии по проведению по рабочим местам».
  The order is random but reproducible: every venue gets its own ``random.Random`` seeded from the
  region seed and the venue id through SHA-256 (never Python's salted ``hash()``); the seed is kept
  in the result so it can be logged and the seating replayed.
* п. 7.11.1(2), B24, V34 — participants who get the exposition text for 40 minutes of reading sit in a
  separate room. Generalised here: the groups ``regular``, ``reading`` and ``special`` (special
  conditions) never share a room.
* п. 7.11.3, C20, V29 — «в учебном кабинете должны присутствовать не менее двух организаторов»:
  every used room gets at least two staff members with the role ``organizer_in_room``.
* п. 7.11.5, C27 — an assistant works with specific participants with disabilities, so all the
  participants of one assistant sit in one room, and the assistant is placed in that room.
* Participants who need an accessible room (``needs_accessible``) sit only in accessible rooms.

Room capacity counts participants' seats only; assistants and organizers do not take seats.

Which rooms are used: first the fewest rooms that fit every group (largest rooms first, the last
one chosen to fit; an exact search when that greedy choice fails or needs more organizers than there
are), then, as long as there are room organizers for them (two per room), the remaining rooms go to
the most crowded groups, so participants sit spread out. Inside a group's rooms the participants are
spread evenly — every room gets the same share of its capacity — instead of filling the first rooms
up. Room organizers left over (an odd one, or when rooms run out) go to the busiest rooms.

If a venue cannot be seated, it gets no assignments at all and ``problems`` says, in Russian and
per venue, exactly what is missing (seats, accessible seats, room organizers, separate rooms).
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass, field

REGULAR = "regular"
READING = "reading"
SPECIAL = "special"
GROUPS = (REGULAR, READING, SPECIAL)
GROUP_LABELS = {
    REGULAR: "без особых условий",
    READING: "изложение с чтением текста 40 минут",
    SPECIAL: "особые условия",
}

ORGANIZER_IN_ROOM = "organizer_in_room"
ORGANIZER_OUTSIDE = "organizer_outside"
ASSISTANT = "assistant"

MIN_ORGANIZERS_PER_ROOM = 2  # п. 7.11.3
SEARCH_BUDGET = 50_000  # nodes of the exact room-selection search, used only when the greedy choice fails


# ---------------------------------------------------------------- inputs and results


@dataclass(frozen=True)
class SeatParticipant:
    id: int
    group: str = REGULAR  # "regular" | "reading" | "special"
    needs_accessible: bool = False
    assistant_id: int | None = None  # a SeatStaff id with the role "assistant"


@dataclass(frozen=True)
class SeatRoom:
    id: int
    number: str
    capacity: int  # participants' seats
    accessible: bool = False


@dataclass(frozen=True)
class SeatStaff:
    id: int
    role: str  # "organizer_in_room" | "organizer_outside" | "assistant" | any other role (not seated)


@dataclass
class VenueInput:
    venue_id: int
    name: str
    participants: list[SeatParticipant] = field(default_factory=list)
    rooms: list[SeatRoom] = field(default_factory=list)
    staff: list[SeatStaff] = field(default_factory=list)


@dataclass
class VenueSeating:
    venue_id: int
    name: str
    seed: int  # the venue's own seed (derived from the region seed); log it to replay the seating
    assignments: dict[int, tuple[int, int]] = field(default_factory=dict)  # participant id → (room id, seat)
    room_staff: dict[int, list[int]] = field(default_factory=dict)  # room id → organizers, then assistants
    used_rooms: list[int] = field(default_factory=list)  # room ids, in the order of room numbers
    room_groups: dict[int, str] = field(default_factory=dict)  # room id → group seated there
    problems: list[str] = field(default_factory=list)
    # п. 7.11.3 (V29): room organizers lacking for two in every room the venue needs (0: enough)
    organizers_missing: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class RegionSeating:
    seed: int
    by_venue: dict[int, VenueSeating] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def seated(self) -> int:
        return sum(len(v.assignments) for v in self.by_venue.values())


# ---------------------------------------------------------------- Russian wording


def _plural(n: int, one: str, few: str, many: str) -> str:
    n = abs(n)
    if n % 10 == 1 and n % 100 != 11:
        return one
    if 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        return few
    return many


def _genitive(n: int, singular: str, plural: str) -> str:
    """«не хватает 1 места / 2 мест / 21 места»: after «не хватает N» and «для N» the genitive is used."""
    return singular if n % 10 == 1 and n % 100 != 11 else plural


def _places(n: int) -> str:
    return f"{n} {_genitive(n, 'места', 'мест')}"


def _participants_gen(n: int) -> str:
    return f"{n} {_genitive(n, 'участника', 'участников')}"


def _organizers_gen(n: int) -> str:
    return f"{n} {_genitive(n, 'организатора', 'организаторов')}"


# ---------------------------------------------------------------- seeds


def venue_seed(seed: int, venue_id) -> int:
    """The venue's own seed: stable across runs and machines (SHA-256, not the salted ``hash()``)."""
    digest = hashlib.sha256(f"itog-seating:{seed}:{venue_id}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


# ---------------------------------------------------------------- internals


@dataclass
class _Unit:
    """Participants who must sit in one room: those of one assistant, or a single participant."""

    members: list[SeatParticipant]
    accessible: bool
    assistant_id: int | None

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass
class _Demand:
    group: str
    units: list[_Unit]
    count: int
    accessible_count: int  # participants that must sit in accessible rooms (with their assistant's other participants)
    max_unit: int
    max_accessible_unit: int


@dataclass
class _Pick:
    """Rooms chosen for one group, with the figures the demand is checked against."""

    rooms: list[SeatRoom] = field(default_factory=list)
    capacity: int = 0
    accessible_capacity: int = 0
    max_capacity: int = 0
    max_accessible_capacity: int = 0

    def add(self, room: SeatRoom) -> None:
        self.rooms.append(room)
        self.capacity += room.capacity
        self.max_capacity = max(self.max_capacity, room.capacity)
        if room.accessible:
            self.accessible_capacity += room.capacity
            self.max_accessible_capacity = max(self.max_accessible_capacity, room.capacity)

    def satisfies(self, d: _Demand) -> bool:
        return (
            self.capacity >= d.count
            and self.accessible_capacity >= d.accessible_count
            and self.max_capacity >= d.max_unit
            and self.max_accessible_capacity >= d.max_accessible_unit
        )

    def copy(self) -> _Pick:
        return _Pick(
            list(self.rooms), self.capacity, self.accessible_capacity, self.max_capacity, self.max_accessible_capacity
        )


def _room_order(room: SeatRoom):
    number = str(room.number)
    return (0, int(number), number, str(room.id)) if number.isdigit() else (1, 0, number, str(room.id))


def _build_demands(venue: VenueInput) -> tuple[list[_Demand], list[str]]:
    """Group the participants into units (one assistant's participants together) and demands per group."""
    problems: list[str] = []
    seen: set = set()
    for p in venue.participants:
        if p.group not in GROUPS:
            problems.append(f"у участника (№ {p.id}) неизвестная группа рассадки «{p.group}»")
        if p.id in seen:
            problems.append(f"участник (№ {p.id}) указан дважды")
        seen.add(p.id)
    room_ids = [r.id for r in venue.rooms]
    if len(set(room_ids)) != len(room_ids):
        problems.append("одна и та же аудитория указана дважды")
    if problems:
        return [], problems
    staff_roles = {s.id: s.role for s in venue.staff}

    by_assistant: dict[int, list[SeatParticipant]] = {}
    singles: dict[str, list[SeatParticipant]] = {g: [] for g in GROUPS}
    for p in sorted(venue.participants, key=lambda p: p.id):
        if p.assistant_id is None:
            singles[p.group].append(p)
        else:
            by_assistant.setdefault(p.assistant_id, []).append(p)

    units: dict[str, list[_Unit]] = {g: [] for g in GROUPS}
    for assistant_id in sorted(by_assistant):
        members = by_assistant[assistant_id]
        if staff_roles.get(assistant_id) != ASSISTANT:
            problems.append(
                f"ассистент (№ {assistant_id}), указанный для {_participants_gen(len(members))}, "
                "не назначен в комиссию по проведению этого места"
            )
            continue
        groups = sorted({m.group for m in members}, key=GROUPS.index)
        if len(groups) > 1:
            labels = ", ".join(f"«{GROUP_LABELS[g]}»" for g in groups)
            problems.append(
                f"ассистент (№ {assistant_id}) сопровождает участников разных групп ({labels}), "
                "которые сидят в разных аудиториях — назначьте отдельных ассистентов"
            )
            continue
        units[groups[0]].append(_Unit(members, any(m.needs_accessible for m in members), assistant_id))
    for g in GROUPS:
        units[g].extend(_Unit([p], p.needs_accessible, None) for p in singles[g])

    demands = []
    for g in GROUPS:
        if not units[g]:
            continue
        acc_units = [u for u in units[g] if u.accessible]
        demands.append(
            _Demand(
                group=g,
                units=units[g],
                count=sum(u.size for u in units[g]),
                accessible_count=sum(u.size for u in acc_units),
                max_unit=max(u.size for u in units[g]),
                max_accessible_unit=max((u.size for u in acc_units), default=0),
            )
        )
    return demands, problems


def _aggregate_problems(demands: list[_Demand], rooms: list[SeatRoom]) -> list[str]:
    """What is missing whatever the rooms are given to: seats, accessible seats, a room big enough for a unit."""
    problems = []
    total = sum(d.count for d in demands)
    capacity = sum(r.capacity for r in rooms)
    if total > capacity:
        problems.append(f"не хватает {_places(total - capacity)} в аудиториях (участников {total}, мест {capacity})")
    need_acc = sum(d.accessible_count for d in demands)
    acc_rooms = [r for r in rooms if r.accessible]
    acc_capacity = sum(r.capacity for r in acc_rooms)
    if need_acc and not acc_rooms:
        problems.append(f"нет доступной аудитории для {_participants_gen(need_acc)} с ОВЗ")
    elif need_acc > acc_capacity:
        problems.append(
            f"не хватает {_places(need_acc - acc_capacity)} в доступных аудиториях для участников "
            f"с ОВЗ (участников {need_acc}, мест {acc_capacity})"
        )
    largest = max((r.capacity for r in rooms), default=0)
    largest_acc = max((r.capacity for r in acc_rooms), default=0)
    for d in demands:
        for u in d.units:
            if u.size < 2:
                continue
            limit = largest_acc if u.accessible else largest
            if u.size > limit and (limit or not u.accessible):
                kind = "доступной аудитории" if u.accessible else "аудитории"
                problems.append(
                    f"{u.size} {_plural(u.size, 'участник', 'участника', 'участников')} с одним "
                    f"ассистентом (№ {u.assistant_id}) должны сидеть в одной аудитории, а в самой "
                    f"большой {kind} {limit} {_plural(limit, 'место', 'места', 'мест')}"
                )
    return problems


def _best_fit(candidates: list[SeatRoom], need: int, min_capacity: int) -> SeatRoom | None:
    """The smallest room that covers the whole need, else the largest room (that holds the biggest unit)."""
    usable = [r for r in candidates if r.capacity >= min_capacity] or candidates
    if not usable:
        return None
    fitting = [r for r in usable if r.capacity >= need]
    if fitting:
        return min(fitting, key=lambda r: (r.capacity, r.accessible, _room_order(r)))
    return min(usable, key=lambda r: (-r.capacity, r.accessible, _room_order(r)))


def _greedy_selection(demands: list[_Demand], rooms: list[SeatRoom]) -> dict[str, _Pick] | None:
    free = sorted(rooms, key=_room_order)
    picks = {d.group: _Pick() for d in demands}

    def take(room: SeatRoom, group: str) -> None:
        free.remove(room)
        picks[group].add(room)

    # Accessible rooms first, to the groups that need them (most accessible seats first).
    for d in sorted((d for d in demands if d.accessible_count), key=lambda d: -d.accessible_count):
        pick = picks[d.group]
        while pick.accessible_capacity < d.accessible_count or pick.max_accessible_capacity < d.max_accessible_unit:
            room = _best_fit(
                [r for r in free if r.accessible],
                d.accessible_count - pick.accessible_capacity,
                d.max_accessible_unit if pick.max_accessible_capacity < d.max_accessible_unit else 0,
            )
            if room is None:
                return None
            take(room, d.group)
    # Then the seats, smallest groups first (they take the small rooms that fit them).
    for d in sorted(demands, key=lambda d: (d.count, GROUPS.index(d.group))):
        pick = picks[d.group]
        while not pick.satisfies(d):
            room = _best_fit(free, d.count - pick.capacity, d.max_unit if pick.max_capacity < d.max_unit else 0)
            if room is None:
                return None
            take(room, d.group)
    return picks


class _BudgetExceeded(Exception):
    pass


def _exact_selection(
    demands: list[_Demand], rooms: list[SeatRoom], limit: int, budget: int = SEARCH_BUDGET
) -> tuple[dict[str, _Pick] | None, bool]:
    """Fewest rooms (fewer than ``limit``) satisfying every demand; depth-first with pruning.

    Returns (selection or None, finished): ``finished`` is False when the node budget ran out.
    """
    order = sorted(rooms, key=lambda r: (-r.capacity, not r.accessible, _room_order(r)))
    n = len(order)
    suffix_cap = [0] * (n + 1)
    suffix_acc = [0] * (n + 1)
    for i in range(n - 1, -1, -1):
        suffix_cap[i] = suffix_cap[i + 1] + order[i].capacity
        suffix_acc[i] = suffix_acc[i + 1] + (order[i].capacity if order[i].accessible else 0)
    picks = [_Pick() for _ in demands]
    best: list = [None, limit]
    nodes = 0

    def dfs(i: int, used: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > budget:
            raise _BudgetExceeded
        open_ = [k for k, d in enumerate(demands) if not picks[k].satisfies(d)]
        if not open_:
            best[0] = [p.copy() for p in picks]
            best[1] = used
            return
        if used + len(open_) >= best[1] or i == n:
            return
        if suffix_cap[i] < sum(max(0, demands[k].count - picks[k].capacity) for k in open_):
            return
        if suffix_acc[i] < sum(max(0, demands[k].accessible_count - picks[k].accessible_capacity) for k in open_):
            return
        room = order[i]
        for k in open_:
            saved = picks[k].copy()
            picks[k].add(room)
            dfs(i + 1, used + 1)
            picks[k] = saved
        dfs(i + 1, used)

    try:
        dfs(0, 0)
        finished = True
    except _BudgetExceeded:
        finished = False
    if best[0] is None:
        return None, finished
    return {d.group: p for d, p in zip(demands, best[0])}, finished


def _spread(selection: dict[str, _Pick], demands: list[_Demand], rooms: list[SeatRoom], max_rooms: int) -> None:
    """Give the unused rooms, as far as the organizers allow, to the most crowded groups (largest room first)."""
    chosen = {r.id for p in selection.values() for r in p.rooms}
    spare = sorted((r for r in rooms if r.id not in chosen), key=lambda r: (-r.capacity, r.accessible, _room_order(r)))
    used = len(chosen)
    for room in spare:
        if used >= max_rooms:
            break
        crowded = [d for d in demands if d.count > len(selection[d.group].rooms)]
        if not crowded:
            break
        d = max(crowded, key=lambda d: (d.count / selection[d.group].capacity, -GROUPS.index(d.group)))
        selection[d.group].add(room)
        used += 1


def _rooms_lower_bound(demands: list[_Demand], rooms: list[SeatRoom]) -> int:
    """At least this many rooms get used: one per group, and as many of the largest rooms as the seats need."""
    total = sum(d.count for d in demands)
    covered = needed = 0
    for room in sorted(rooms, key=lambda r: -r.capacity):
        if covered >= total:
            break
        covered += room.capacity
        needed += 1
    return min(len(rooms), max(needed, len(demands)))


def _split_quota(n: int, rooms: list[SeatRoom]) -> dict:
    """``n`` seats over ``rooms`` in proportion to capacity (largest remainder); never above a room's capacity."""
    capacity = sum(r.capacity for r in rooms)
    if not n or not capacity:
        return {r.id: 0 for r in rooms}
    base = {r.id: n * r.capacity // capacity for r in rooms}
    rest = n - sum(base.values())
    by_remainder = sorted(rooms, key=lambda r: -(n * r.capacity % capacity))
    for r in by_remainder[:rest]:
        base[r.id] += 1
    return base


def _quotas(demand: _Demand, rooms: list[SeatRoom]) -> dict:
    """Even filling: every room of the group gets the same share of its capacity; accessible rooms at least
    as many as the participants who need them."""
    acc = [r for r in rooms if r.accessible]
    other = [r for r in rooms if not r.accessible]
    cap_acc = sum(r.capacity for r in acc)
    cap_other = sum(r.capacity for r in other)
    n = demand.count
    q_acc = round(n * cap_acc / (cap_acc + cap_other))
    q_acc = min(cap_acc, max(q_acc, demand.accessible_count, n - cap_other))
    return {**_split_quota(q_acc, acc), **_split_quota(n - q_acc, other)}


def _place_group(rng: random.Random, demand: _Demand, rooms: list[SeatRoom]) -> dict | str:
    """Units into the group's rooms: {room id: [units]}, or a Russian problem if a unit does not fit."""
    left_quota = _quotas(demand, rooms)
    left_cap = {r.id: r.capacity for r in rooms}
    placed: dict = {r.id: [] for r in rooms}
    units = list(demand.units)
    rng.shuffle(units)
    constrained = sorted((u for u in units if u.accessible or u.size > 1), key=lambda u: (not u.accessible, -u.size))
    for unit in constrained:
        candidates = [r for r in rooms if (r.accessible or not unit.accessible) and left_cap[r.id] >= unit.size]
        if not candidates:
            what = "доступной аудитории" if unit.accessible else "аудитории"
            return (
                f"не удалось рассадить группу «{GROUP_LABELS[demand.group]}»: {unit.size} "
                f"{_plural(unit.size, 'участник', 'участника', 'участников')} с одним ассистентом "
                f"(№ {unit.assistant_id}) не помещаются вместе ни в одну {what} группы — "
                "нужна еще аудитория или места"
            )
        room = max(candidates, key=lambda r: (left_quota[r.id], left_cap[r.id]))
        placed[room.id].append(unit)
        left_quota[room.id] -= unit.size
        left_cap[room.id] -= unit.size
    singles = [u for u in units if not (u.accessible or u.size > 1)]
    position = 0
    for room in rooms:
        take = min(max(0, left_quota[room.id]), len(singles) - position)
        placed[room.id].extend(singles[position : position + take])
        position += take
    assert position == len(singles), "quotas cover every participant"
    return placed


def _organizer_problem(needed_rooms: int, organizers: int) -> str | None:
    needed = MIN_ORGANIZERS_PER_ROOM * needed_rooms
    if organizers >= needed:
        return None
    return f"не хватает {_organizers_gen(needed - organizers)} в аудитории (нужно {needed}, назначено {organizers})"


def _separation_problem(demands: list[_Demand], rooms: list[SeatRoom]) -> str:
    parts = ", ".join(
        f"«{GROUP_LABELS[d.group]}» — {d.count} {_plural(d.count, 'участник', 'участника', 'участников')}"
        for d in demands
    )
    m = len(rooms)
    capacity = sum(r.capacity for r in rooms)
    return (
        f"аудиторий не хватает, чтобы рассадить группы раздельно (п. 7.11.1): {parts}; "
        f"{m} {_plural(m, 'аудитория', 'аудитории', 'аудиторий')} на {capacity} "
        f"{_plural(capacity, 'место', 'места', 'мест')} — нужна еще хотя бы одна аудитория"
    )


def seat_venue(venue: VenueInput, seed: int) -> VenueSeating:
    """Random, reproducible seating of one venue; all or nothing (see the module docstring)."""
    own_seed = venue_seed(seed, venue.venue_id)
    result = VenueSeating(venue_id=venue.venue_id, name=venue.name, seed=own_seed)
    rng = random.Random(own_seed)
    rooms = sorted(venue.rooms, key=_room_order)
    organizers = sorted(s.id for s in venue.staff if s.role == ORGANIZER_IN_ROOM)

    demands, problems = _build_demands(venue)
    selection: dict[str, _Pick] | None = None
    if demands and not problems:
        problems = _aggregate_problems(demands, rooms)
    if demands and not problems:
        selection = _greedy_selection(demands, rooms)
        used = sum(len(p.rooms) for p in selection.values()) if selection else len(rooms) + 1
        if selection is None or MIN_ORGANIZERS_PER_ROOM * used > len(organizers):
            fewer, _ = _exact_selection(demands, rooms, used)
            selection = fewer or selection
        if selection is None:
            problems.append(_separation_problem(demands, rooms))
        else:
            used = sum(len(p.rooms) for p in selection.values())
            if problem := _organizer_problem(used, len(organizers)):
                problems.append(problem)
                result.organizers_missing = MIN_ORGANIZERS_PER_ROOM * used - len(organizers)
            else:
                _spread(selection, demands, rooms, len(organizers) // MIN_ORGANIZERS_PER_ROOM)
    if demands and selection is None:
        if problem := _organizer_problem(_rooms_lower_bound(demands, rooms), len(organizers)):
            problems.append(problem)
            result.organizers_missing = MIN_ORGANIZERS_PER_ROOM * _rooms_lower_bound(demands, rooms) - len(organizers)
    if problems or not demands:
        result.problems = [f"{venue.name}: {p}" for p in problems]
        return result

    # Participants into rooms, group by group (in a fixed order so one seed gives one seating).
    placed_units: dict = {}
    for d in demands:
        group_rooms = sorted(selection[d.group].rooms, key=_room_order)
        placed = _place_group(rng, d, group_rooms)
        if isinstance(placed, str):
            result.problems = [f"{venue.name}: {placed}"]
            return result
        for room in group_rooms:
            if placed[room.id]:
                placed_units[room.id] = placed[room.id]
                result.room_groups[room.id] = d.group
    used_rooms = [r for r in rooms if r.id in placed_units]
    for room in used_rooms:
        units = placed_units[room.id]
        rng.shuffle(units)  # seats in random order; one assistant's participants sit side by side
        seat = 0
        for unit in units:
            for member in unit.members:
                seat += 1
                result.assignments[member.id] = (room.id, seat)
    result.used_rooms = [r.id for r in used_rooms]

    # Staff to rooms: two organizers each, then the surplus to the busiest rooms; assistants with their participants.
    rng.shuffle(organizers)
    result.room_staff = {
        r.id: organizers[MIN_ORGANIZERS_PER_ROOM * i : MIN_ORGANIZERS_PER_ROOM * (i + 1)]
        for i, r in enumerate(used_rooms)
    }
    busiest = sorted(used_rooms, key=lambda r: -sum(u.size for u in placed_units[r.id]))
    for i, organizer in enumerate(organizers[MIN_ORGANIZERS_PER_ROOM * len(used_rooms) :]):
        result.room_staff[busiest[i % len(busiest)].id].append(organizer)
    for room in used_rooms:
        assistants = sorted({u.assistant_id for u in placed_units[room.id] if u.assistant_id is not None})
        result.room_staff[room.id].extend(assistants)
    return result


def seat_region(venues: Iterable[VenueInput], seed: int) -> RegionSeating:
    """Seat every venue of the region in one action; a venue that cannot be seated does not stop the others."""
    region = RegionSeating(seed=seed)
    for venue in venues:
        seating = seat_venue(venue, seed)
        region.by_venue[venue.venue_id] = seating
        region.problems.extend(seating.problems)
    return region
