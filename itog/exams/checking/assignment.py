"""Assigning essay works (copies of the record blanks) to checking experts (pure Python, no Django).

Rules encoded (Krasnodar order № 3311 of 24.11.2023, analysis in shared/domain/essay-procedure-rules.md):

* п. 8.1.3, C21, V56 — the head of the checking commission «распределяет копии бланков записей между
  экспертами, исключая возможность проверки экспертами работ обучающихся образовательной организации,
  в которой работает эксперт»: an expert never gets a work of a participant of a school (ОО) listed in
  ``Expert.school_ids`` (an expert may work in several schools).
* п. 8.1.4, C22, V57 — «каждое сочинение (изложение) участников проверяется одним экспертом один раз»:
  every work gets exactly one assignment; a work already assigned keeps its expert.
* п. 7.11.4, D21, V51 — works marked «Не закончил»/«Удален» are not copied and not checked. The caller
  filters them out; a work passed with ``excluded=True`` is refused (listed in ``unassigned``).
* п. 8.1.3, C29 — the head «может назначить из числа экспертов консультантов»: a consultant gets
  ``consultant_share`` of an ordinary expert's share of the works (0.5 by default; 0 = no works at all).
* п. 8.1.3, E3 — copies are handed out daily: an expert works on the days of ``Expert.days`` (empty =
  every checking day) and takes at most ``capacity_per_day`` works a day (None = no limit).

Public API::

    Work(id, school_id, excluded=False, code="")
    Expert(id, name, school_ids=frozenset(), days=(), capacity_per_day=None, consultant=False)
    Assignment(work_id, expert_id, day)
    AssignmentResult(assignments, unassigned, load, explanations=None, seed=0)
        .by_work() -> {work_id: expert_id}      .per_day() -> {(expert_id, day): count}
    assign(works, experts, *, days=None, existing=None, seed=0, consultant_share=0.5,
           explain=False) -> AssignmentResult
    reassign_leaving(previous, leaving_expert_id, works, experts, *, checked, days=None, seed=0,
                     consultant_share=0.5, explain=False) -> AssignmentResult
    check_assignment(work, expert, already, experts=None) -> list[str]   # V51/V56/V57, for manual changes

Days. ``days`` is the checking period; when it is None, the period is the union of the experts' days,
and when no expert has days either, days are not modelled (every assignment has ``day=None`` and
``capacity_per_day`` then limits the expert's total). An expert works on ``Expert.days`` ∩ period, or
on every day of the period when ``Expert.days`` is empty; an expert with no day in the period gets
nothing.

Balance. An expert's share is 1 (ordinary) or ``consultant_share`` (consultant), multiplied by the
number of the expert's checking days, so the load per working day is what is balanced. Every work goes
to the eligible expert with the least load per share (works of the largest schools first; ties are
broken by an order of experts shuffled by ``seed``), and inside the expert's days to the least loaded
day with room left. Where capacity runs out for a school while other experts still have room, works
are moved along a chain (as in bipartite matching) so that as many works as possible are assigned.
Finally works are moved from the most to the least loaded experts while that is legal and lowers the
maximum, so equal ordinary experts end within ±1 of each other unless the own-school rule forbids it.
Existing assignments (``existing``) are never moved and count for the load. Complexity O(W log E) in
the normal case; the 30,000 works / 600 experts benchmark is in benchmarks/RESULTS.md.

Determinism: the result depends only on the inputs (not their order) and ``seed`` (``random.Random``,
never the salted ``hash()``). ``explain=True`` fills ``explanations`` (work id → Russian text saying
why the work went where it went); without it nothing is built, so the normal run stays cheap.

Impossible cases never produce an illegal assignment: such works are listed in ``unassigned`` with a
Russian reason. Malformed input (duplicate ids, an existing assignment that breaks п. 8.1.3 or names an
unknown work or expert) raises ``ValueError``.
"""

from __future__ import annotations

import heapq
import math
import random
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

__all__ = [
    "Assignment",
    "AssignmentResult",
    "Expert",
    "Work",
    "assign",
    "check_assignment",
    "reassign_leaving",
    "REASON_CAPACITY",
    "REASON_EXCLUDED",
    "REASON_NO_EXPERTS",
    "REASON_OWN_SCHOOL",
]

# ---------------------------------------------------------------- Russian wording

# V51, п. 7.11.4
REASON_EXCLUDED = "Работы с отметкой «Не закончил»/«Удален» не копируются и не проверяются."
# п. 8.1.3: nobody can check the work at all
REASON_NO_EXPERTS = "Нет доступного эксперта: в дни проверки не работает ни один эксперт."
REASON_OWN_SCHOOL = "Нет доступного эксперта: все эксперты работают в ОО участника (п. 8.1.3)."
REASON_CAPACITY = "Нет доступного эксперта: все эксперты работают в ОО участника или исчерпали дневную норму."


def _v56(name: str) -> str:
    return f"Эксперт {name} работает в ОО участника — назначение невозможно (п. 8.1.3)."


def _v57(work_code: str, name: str) -> str:
    return f"Работа {work_code} уже назначена эксперту {name}; каждая работа проверяется одним экспертом один раз."


# ---------------------------------------------------------------- inputs and results


@dataclass(frozen=True)
class Work:
    id: int
    school_id: int | None  # the participant's ОО; None = no school (any expert may check it)
    excluded: bool = False  # marked «Не закончил»/«Удален» (п. 7.11.4): never assigned
    code: str = ""  # the work's code for messages (V57); the id is used when empty


@dataclass(frozen=True)
class Expert:
    id: int
    name: str
    school_ids: frozenset[int] = frozenset()  # the ОО where the expert works (п. 8.1.3)
    days: tuple[date, ...] = ()  # checking days the expert works; () = every day of the period
    capacity_per_day: int | None = None  # works a day; None = no limit
    consultant: bool = False  # п. 8.1.3: a consultant gets ``consultant_share`` of an ordinary share


@dataclass(frozen=True)
class Assignment:
    work_id: int
    expert_id: int
    day: date | None


@dataclass
class AssignmentResult:
    assignments: list[Assignment]  # sorted by work id; existing ones included unchanged
    unassigned: list[tuple[int, str]]  # (work id, Russian reason), sorted by work id
    load: dict[int, int]  # expert id → works assigned (existing + new), every expert listed
    explanations: dict[int, str] | None = None  # work id → Russian text; only with explain=True
    seed: int = 0

    def by_work(self) -> dict[int, int]:
        """work id → expert id (usable as ``existing`` and as ``already`` of ``check_assignment``)."""
        return {a.work_id: a.expert_id for a in self.assignments}

    def per_day(self) -> dict[tuple[int, date | None], int]:
        out: dict[tuple[int, date | None], int] = {}
        for a in self.assignments:
            key = (a.expert_id, a.day)
            out[key] = out.get(key, 0) + 1
        return out


# ---------------------------------------------------------------- manual assignment check


def check_assignment(
    work: Work,
    expert: Expert,
    already: Mapping[int, int],
    experts: Mapping[int, Expert] | Iterable[Expert] | None = None,
) -> list[str]:
    """Messages against assigning ``work`` to ``expert`` by hand; empty when the assignment is legal.

    ``already`` maps work id → expert id of the current assignments; ``experts`` (by id or a list) gives
    the name of the expert who already has the work (V57).
    """
    messages = []
    if work.excluded:
        messages.append(REASON_EXCLUDED)  # V51, п. 7.11.4
    if work.school_id is not None and work.school_id in expert.school_ids:
        messages.append(_v56(expert.name))  # V56, п. 8.1.3
    holder_id = already.get(work.id)
    if holder_id is not None:  # V57, п. 8.1.4
        if holder_id == expert.id:
            holder_name = expert.name
        else:
            by_id = experts if isinstance(experts, Mapping) else {e.id: e for e in experts or ()}
            holder = by_id.get(holder_id)
            holder_name = holder.name if holder is not None else f"№ {holder_id}"
        messages.append(_v57(work.code or str(work.id), holder_name))
    return messages


# ---------------------------------------------------------------- public entry points


def assign(
    works: Iterable[Work],
    experts: Iterable[Expert],
    *,
    days: Sequence[date] | None = None,
    existing: Mapping[int, int] | Iterable[Assignment] | AssignmentResult | None = None,
    seed: int = 0,
    consultant_share: float = 0.5,
    explain: bool = False,
) -> AssignmentResult:
    """Assign every work not yet assigned (see the module docstring for the rules)."""
    work_by_id = _index_works(works)
    expert_list = _check_experts(experts)
    expert_by_id = {e.id: e for e in expert_list}
    fixed = _normalize_existing(existing)
    for a in fixed:
        work = work_by_id.get(a.work_id)
        if work is None:
            raise ValueError(f"Назначение работы {a.work_id}: работа не передана в список работ.")
        expert = expert_by_id.get(a.expert_id)
        if expert is None:
            raise ValueError(f"Назначение работы {a.work_id}: эксперт {a.expert_id} не найден.")
        problems = check_assignment(work, expert, {})
        if problems:
            raise ValueError(f"Назначение работы {work.code or work.id}: " + " ".join(problems))
    fixed_ids = {a.work_id for a in fixed}
    to_place = [w for w in work_by_id.values() if w.id not in fixed_ids]
    return _run(
        to_place,
        expert_list,
        fixed,
        days,
        seed,
        consultant_share,
        explain,
        fixed_note="Назначение сохранено: работа уже была назначена этому эксперту.",
    )


def reassign_leaving(
    previous: AssignmentResult | Iterable[Assignment],
    leaving_expert_id: int,
    works: Iterable[Work],
    experts: Iterable[Expert],
    *,
    checked: Iterable[int],
    days: Sequence[date] | None = None,
    seed: int = 0,
    consultant_share: float = 0.5,
    explain: bool = False,
) -> AssignmentResult:
    """An expert leaves: their works not yet checked move to other experts under the same rules.

    ``previous`` is the current assignment; ``checked`` the ids of the works already checked. The
    leaving expert keeps the checked works (п. 8.1.4: a work is checked once), every other assignment
    stays as it is, and only the leaving expert's unchecked works are placed again (they must be in
    ``works``). ``experts`` may or may not still contain the leaving expert; they get no new work.
    """
    old = list(previous.assignments if isinstance(previous, AssignmentResult) else previous)
    _no_duplicate_assignments(old)
    checked = set(checked)
    work_by_id = _index_works(works)
    all_experts = _check_experts(experts)
    leaving_name = next((e.name for e in all_experts if e.id == leaving_expert_id), f"№ {leaving_expert_id}")
    expert_list = [e for e in all_experts if e.id != leaving_expert_id]
    known = {e.id for e in expert_list}
    fixed, to_place = [], []
    for a in old:
        if a.expert_id == leaving_expert_id and a.work_id not in checked:
            work = work_by_id.get(a.work_id)
            if work is None:
                raise ValueError(f"Работа {a.work_id} выбывшего эксперта не передана в список работ.")
            to_place.append(work)
        else:
            if a.expert_id != leaving_expert_id and a.expert_id not in known:
                raise ValueError(f"Назначение работы {a.work_id}: эксперт {a.expert_id} не найден.")
            fixed.append(a)
    result = _run(
        to_place,
        expert_list,
        fixed,
        days,
        seed,
        consultant_share,
        explain,
        fixed_note="Назначение не менялось.",
        moved_note=f"Эксперт {leaving_name} выбыл, работа не была проверена — назначена заново. ",
    )
    result.load.setdefault(leaving_expert_id, 0)
    if explain:
        for a in fixed:
            if a.expert_id == leaving_expert_id:
                result.explanations[a.work_id] = "Работа уже проверена выбывшим экспертом — остается за ним (п. 8.1.4)."
    return result


# ---------------------------------------------------------------- input checks


def _index_works(works: Iterable[Work]) -> dict[int, Work]:
    out: dict[int, Work] = {}
    for w in works:
        if w.id in out:
            raise ValueError(f"Работа {w.code or w.id} передана дважды.")
        out[w.id] = w
    return out


def _check_experts(experts: Iterable[Expert]) -> list[Expert]:
    out = sorted(experts, key=lambda e: e.id)
    for a, b in zip(out, out[1:]):
        if a.id == b.id:
            raise ValueError(f"Эксперт {a.id} передан дважды.")
    for e in out:
        if e.capacity_per_day is not None and e.capacity_per_day < 0:
            raise ValueError(f"Эксперт {e.name}: дневная норма не может быть отрицательной.")
    return out


def _normalize_existing(existing) -> list[Assignment]:
    if existing is None:
        return []
    if isinstance(existing, AssignmentResult):
        out = list(existing.assignments)
    elif isinstance(existing, Mapping):
        out = [Assignment(work_id, expert_id, None) for work_id, expert_id in existing.items()]
    else:
        out = list(existing)
    _no_duplicate_assignments(out)
    return out


def _no_duplicate_assignments(assignments: list[Assignment]) -> None:
    holder: dict[int, int] = {}
    for a in assignments:
        if a.work_id in holder:  # V57, п. 8.1.4
            raise ValueError(_v57(str(a.work_id), f"№ {holder[a.work_id]}"))
        holder[a.work_id] = a.expert_id


# ---------------------------------------------------------------- the engine


class _State:
    """Mutable per-run state; experts are referred to by their index in the id-sorted list."""

    def __init__(self, experts: list[Expert], period: list[date] | None, consultant_share: float):
        self.experts = experts
        n = len(experts)
        self.days: list[list[date | None]] = []
        self.day_pos: list[dict] = []
        self.day_load: list[list[int]] = []
        self.cap: list[float] = []
        self.room: list[float] = [0] * n
        self.load = [0] * n
        self.inv_w = [0.0] * n
        self.active = [False] * n
        self.excl: dict[int, set[int]] = {}  # school id → indices of the experts working there
        for i, e in enumerate(experts):
            if period is None:
                ds: list[date | None] = [None]
            elif e.days:
                own = set(e.days)
                ds = [d for d in period if d in own]
            else:
                ds = list(period)
            self.days.append(ds)
            self.day_pos.append({d: k for k, d in enumerate(ds)})
            self.day_load.append([0] * len(ds))
            self.cap.append(math.inf if e.capacity_per_day is None else e.capacity_per_day)
            share = consultant_share if e.consultant else 1.0
            if share > 0 and ds:
                self.active[i] = True
                self.inv_w[i] = 1.0 / (share * len(ds))
            for s in e.school_ids:
                self.excl.setdefault(s, set()).add(i)

    def recompute_room(self, i: int) -> None:
        cap = self.cap[i]
        self.room[i] = math.inf if cap == math.inf else sum(max(0, cap - x) for x in self.day_load[i])

    def key(self, i: int) -> float:
        return self.load[i] * self.inv_w[i]

    def pick_day(self, i: int) -> int:
        loads, cap = self.day_load[i], self.cap[i]
        best, best_load = -1, math.inf
        for k, x in enumerate(loads):
            if x < cap and x < best_load:
                best, best_load = k, x
        return best

    def add(self, i: int, k: int) -> None:
        self.day_load[i][k] += 1
        self.load[i] += 1
        if self.room[i] != math.inf:
            self.room[i] -= 1

    def remove(self, i: int, k: int) -> None:
        self.day_load[i][k] -= 1
        self.load[i] -= 1
        self.recompute_room(i)

    def eligible(self, i: int, school: int | None) -> bool:
        return school is None or i not in self.excl.get(school, ())


def _run(
    to_place: list[Work],
    experts: list[Expert],
    fixed: list[Assignment],
    days,
    seed,
    consultant_share: float,
    explain: bool,
    fixed_note: str,
    moved_note: str = "",
) -> AssignmentResult:
    if consultant_share < 0:
        raise ValueError("Доля консультанта не может быть отрицательной.")
    if days is not None:
        period: list[date] | None = sorted(set(days))
    else:
        union = {d for e in experts for d in e.days}
        period = sorted(union) if union else None
    st = _State(experts, period, consultant_share)
    index_of = {e.id: i for i, e in enumerate(experts)}
    n = len(experts)

    # Existing assignments: they count for the load (and for the day's capacity when their day is
    # one of the expert's checking days); an expert unknown here (one who left) is only reported.
    extra_load: dict[int, int] = {}
    for a in fixed:
        i = index_of.get(a.expert_id)
        if i is None:
            extra_load[a.expert_id] = extra_load.get(a.expert_id, 0) + 1
            continue
        st.load[i] += 1
        k = st.day_pos[i].get(a.day)
        if k is not None:
            st.day_load[i][k] += 1
    for i in range(n):
        st.recompute_room(i)

    rng = random.Random(seed)
    rank = list(range(n))
    rng.shuffle(rank)  # rank[i]: tie-break position of expert i

    unassigned: list[tuple[int, str]] = []
    groups: dict[int | None, list[int]] = {}
    school_of: dict[int, int | None] = {}
    for w in sorted(to_place, key=lambda w: w.id):
        if w.excluded:  # п. 7.11.4, V51
            unassigned.append((w.id, REASON_EXCLUDED))
            continue
        groups.setdefault(w.school_id, []).append(w.id)
        school_of[w.id] = w.school_id
    school_keys = sorted(groups, key=lambda s: (s is None, s or 0))
    tiebreak = {s: rng.random() for s in school_keys}
    for s in school_keys:
        rng.shuffle(groups[s])
    order = sorted(school_keys, key=lambda s: (-len(groups[s]), tiebreak[s]))

    place: dict[int, list[int]] = {}  # work id → [expert index, day index]
    notes: dict[int, str] = {} if explain else None

    # ---- greedy: least loaded eligible expert, largest schools first (п. 8.1.3 exclusion)
    heap = [(st.key(i), rank[i], i) for i in range(n) if st.active[i] and st.room[i] > 0]
    heapq.heapify(heap)
    pending: list[int] = []
    heappush, heappop, heapreplace = heapq.heappush, heapq.heappop, heapq.heapreplace
    load, inv_w, room = st.load, st.inv_w, st.room
    for s in order:
        excl = st.excl.get(s, ()) if s is not None else ()
        group = groups[s]
        skipped = []  # experts of this school that reached the top: kept out until the school is done
        for pos, wid in enumerate(group):
            while heap and heap[0][2] in excl:
                skipped.append(heappop(heap))
            if not heap:
                pending.extend(group[pos:])
                break
            _, r, i = heap[0]
            k = st.pick_day(i)
            if explain:
                notes[wid] = _explain_greedy(st, s, i, k)
            st.add(i, k)
            place[wid] = [i, k]
            if room[i] > 0:
                heapreplace(heap, (load[i] * inv_w[i], r, i))
            else:
                heappop(heap)
        for item in skipped:
            heappush(heap, item)

    held: _Held | None = None

    def move(wid: int, to: int) -> None:
        i, k = place[wid]
        st.remove(i, k)
        held.discard(i, wid)
        k2 = st.pick_day(to)
        st.add(to, k2)
        place[wid] = [to, k2]
        held.add(to, wid)
        if explain:
            notes[wid] = notes.get(wid, "") + (
                f" Затем передана эксперту {experts[to].name} (день {_day(st.days[to][k2])}), "
                "чтобы освободить место или выровнять нагрузку."
            )

    # ---- repair: chains of moves when a school's eligible experts are full but others have room
    if pending:
        held = _Held(n, place, school_of)
        failed: set = set()
        for wid in pending:
            s = school_of[wid]
            if s in failed:
                unassigned.append((wid, _reason(st, s)))
                continue
            path = _augmenting_path(st, s, held)
            if path is None:
                failed.add(s)  # no chain now means none later either (as in Kuhn's matching)
                unassigned.append((wid, _reason(st, s)))
                continue
            parent, x = path
            while True:
                prev, moved = parent[x]
                if prev is None:
                    k = st.pick_day(x)
                    st.add(x, k)
                    place[wid] = [x, k]
                    held.add(x, wid)
                    if explain:
                        notes[wid] = (
                            f"ОО {_school(s)}: свободных мест у подходящих экспертов не было; работы "
                            "переставлены, назначена эксперту "
                            f"{experts[x].name} (день {_day(st.days[x][k])})."
                        )
                    break
                move(moved, x)
                x = prev

    # ---- rebalance: move works from the most to the least loaded experts while legal
    if _imbalanced(st, place):
        if held is None:
            held = _Held(n, place, school_of)
        _rebalance(st, held, place, move)

    # ---- result
    assignments = [Assignment(a.work_id, a.expert_id, a.day) for a in fixed]
    for wid, (i, k) in place.items():
        assignments.append(Assignment(wid, experts[i].id, st.days[i][k]))
    assignments.sort(key=lambda a: a.work_id)
    unassigned.sort()
    loads = {e.id: st.load[i] for i, e in enumerate(experts)}
    for eid, c in extra_load.items():
        loads[eid] = loads.get(eid, 0) + c
    explanations = None
    if explain:
        explanations = {a.work_id: fixed_note for a in fixed}
        for wid, text in notes.items():
            explanations[wid] = moved_note + text
        for wid, reason in unassigned:
            explanations[wid] = reason
    return AssignmentResult(assignments, unassigned, loads, explanations, seed)


class _Held:
    """The works placed in this run (movable ones) per expert, with how many of each school."""

    def __init__(self, n: int, place: dict, school_of: dict):
        self.school_of = school_of
        self.works: list[set[int]] = [set() for _ in range(n)]
        self.schools: list[dict] = [{} for _ in range(n)]
        for wid, (i, _k) in place.items():
            self.add(i, wid)

    def add(self, i: int, wid: int) -> None:
        self.works[i].add(wid)
        s = self.school_of[wid]
        self.schools[i][s] = self.schools[i].get(s, 0) + 1

    def discard(self, i: int, wid: int) -> None:
        self.works[i].discard(wid)
        s = self.school_of[wid]
        left = self.schools[i][s] - 1
        if left:
            self.schools[i][s] = left
        else:
            del self.schools[i][s]

    def can_give(self, x: int, receiver: Expert) -> bool:
        """Whether ``x`` holds a movable work that ``receiver`` may check (п. 8.1.3)."""
        schools = self.schools[x]
        if len(schools) > len(receiver.school_ids):
            return True
        return any(s is None or s not in receiver.school_ids for s in schools)


def _augmenting_path(st: _State, s, held: _Held):
    """A chain root ← … ← goal: the root (eligible for ``s``) takes the new work, every expert on the
    chain hands one work to the next one, the last (goal) has room. None when there is no such chain."""
    n = len(st.experts)
    free = [i for i in range(n) if st.active[i] and st.room[i] > 0]
    if not free:
        return None
    active = [i for i in range(n) if st.active[i]]
    parent: dict[int, tuple[int | None, int | None]] = {}
    expanded: set = set()
    queue: deque[int] = deque()

    def expand(school, via_expert, via_work):
        expanded.add(school)
        for f in free:
            if f not in parent and st.eligible(f, school):
                parent[f] = (via_expert, via_work)
                return f
        for e in active:
            if e not in parent and st.eligible(e, school):
                parent[e] = (via_expert, via_work)
                queue.append(e)
        return None

    goal = expand(s, None, None)
    while goal is None and queue:
        e = queue.popleft()
        for school in sorted(held.schools[e], key=lambda x: (x is None, x or 0)):
            if school in expanded:
                continue
            wid = min(w for w in held.works[e] if held.school_of[w] == school)
            goal = expand(school, e, wid)
            if goal is not None:
                break
    if goal is None:
        return None
    return parent, goal


def _imbalanced(st: _State, place: dict) -> bool:
    """True when some expert with new works is more loaded than another could be after one more work."""
    donors = {i for i, _k in place.values()}
    if not donors:
        return False
    top = max(st.key(i) for i in donors)
    receivers = [(st.load[i] + 1) * st.inv_w[i] for i in range(len(st.experts)) if st.active[i] and st.room[i] > 0]
    return bool(receivers) and min(receivers) < top


def _rebalance(st: _State, held: _Held, place: dict, move) -> None:
    """Move one work at a time from a donor ``x`` to a receiver ``y`` with (load_y + 1) / w_y < load_x / w_x.

    Each move lowers the sorted vector of loads per share lexicographically, so this ends. A donor that
    finds no receiver is "stuck" and skipped until it could have one: when the donor of a move becomes
    a lighter receiver it can take from, or when it receives a work of a new school itself.
    """
    n = len(st.experts)
    experts = st.experts
    stuck: set[int] = set()
    for _ in range(10 * (len(place) + n)):  # a safety net; the loop ends long before
        receivers = sorted(
            (i for i in range(n) if st.active[i] and st.room[i] > 0), key=lambda i: ((st.load[i] + 1) * st.inv_w[i], i)
        )
        if not receivers:
            return
        lowest = (st.load[receivers[0]] + 1) * st.inv_w[receivers[0]]
        donors = sorted((i for i in range(n) if held.works[i] and i not in stuck), key=lambda i: (-st.key(i), i))
        done = None
        for x in donors:
            kx = st.key(x)
            if lowest >= kx:
                break
            for y in receivers:
                if (st.load[y] + 1) * st.inv_w[y] >= kx:
                    break
                if y != x and held.can_give(x, experts[y]):
                    done = (x, y)
                    break
            if done:
                break
            stuck.add(x)
        if done is None:
            return
        x, y = done
        wid = _work_to_give(st, x, y, held, place)
        move(wid, y)
        stuck.discard(y)  # more loaded now, so more receivers are light enough for it
        if stuck:  # x is lighter now: donors that may give to it are worth another look
            stuck = {z for z in stuck if not held.can_give(z, experts[x])}


def _work_to_give(st: _State, x: int, y: int, held: _Held, place: dict) -> int:
    """A work of ``x`` that ``y`` may check, taken from ``x``'s most loaded day (smallest id on ties)."""
    best, best_key = None, None
    loads = st.day_load[x]
    receiver = st.experts[y]
    for wid in held.works[x]:
        s = held.school_of[wid]
        if s is None or s not in receiver.school_ids:
            key = (-loads[place[wid][1]], wid)
            if best_key is None or key < best_key:
                best, best_key = wid, key
    return best


def _reason(st: _State, s) -> str:
    active = [i for i in range(len(st.experts)) if st.active[i]]
    if not active:
        return REASON_NO_EXPERTS
    if not any(st.eligible(i, s) for i in active):
        return REASON_OWN_SCHOOL
    return REASON_CAPACITY


def _school(s) -> str:
    return "не указана" if s is None else str(s)


def _day(d: date | None) -> str:
    return "не задан" if d is None else d.strftime("%d.%m.%Y")


def _explain_greedy(st: _State, s, i: int, k: int) -> str:
    experts = st.experts
    skipped = sorted(experts[j].name for j in st.excl.get(s, ())) if s is not None else []
    excl = ", ".join(skipped) if skipped else "нет"
    role = "консультант, уменьшенная доля" if experts[i].consultant else "эксперт"
    return (
        f"ОО {_school(s)}: исключены эксперты, работающие в этой ОО (п. 8.1.3): {excl}. "
        f"Назначена наименее загруженному из остальных — {experts[i].name} ({role}; "
        f"работ до назначения: {st.load[i]}), день {_day(st.days[i][k])} "
        f"(работ в этот день до назначения: {st.day_load[i][k]})."
    )
