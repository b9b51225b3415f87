"""Assigning essay works to checking experts (pure Python): п. 8.1.3 (own-school exclusion, consultants,
daily hand-out), п. 8.1.4 (one expert, once), п. 7.11.4 (works «Не закончил»/«Удален» are not checked)."""

from __future__ import annotations

import random
from collections import Counter, defaultdict
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from itog.exams.checking.assignment import (
    REASON_CAPACITY,
    REASON_EXCLUDED,
    REASON_NO_EXPERTS,
    REASON_OWN_SCHOOL,
    Assignment,
    AssignmentResult,
    Expert,
    Work,
    assign,
    check_assignment,
    reassign_leaving,
)

D1, D2, D3, D4 = date(2024, 12, 5), date(2024, 12, 6), date(2024, 12, 7), date(2024, 12, 8)
REASONS = {REASON_CAPACITY, REASON_EXCLUDED, REASON_NO_EXPERTS, REASON_OWN_SCHOOL}


def works_of(*sizes: int, start: int = 1) -> list[Work]:
    """``sizes[k]`` works of school k + 1, ids from ``start``."""
    out, wid = [], start
    for k, size in enumerate(sizes):
        for _ in range(size):
            out.append(Work(wid, k + 1))
            wid += 1
    return out


def experts_of(*schools: tuple[int, ...], **kwargs) -> list[Expert]:
    return [Expert(i + 1, f"Эксперт {i + 1}", frozenset(s), **kwargs) for i, s in enumerate(schools)]


def available_days(expert: Expert, period: list[date] | None) -> list:
    if period is None:
        return [None]
    return [d for d in period if d in expert.days] if expert.days else list(period)


def effective_period(experts, days) -> list[date] | None:
    if days is not None:
        return sorted(set(days))
    union = sorted({d for e in experts for d in e.days})
    return union or None


def assert_legal(result: AssignmentResult, works, experts, days=None, consultant_share=0.5) -> None:
    """The hard rules, checked independently of the module."""
    school = {w.id: w.school_id for w in works}
    excluded = {w.id for w in works if w.excluded}
    by_id = {e.id: e for e in experts}
    period = effective_period(experts, days)
    assigned = [a.work_id for a in result.assignments]
    assert len(assigned) == len(set(assigned))  # п. 8.1.4: one expert, once
    unassigned = [wid for wid, _ in result.unassigned]
    assert set(assigned).isdisjoint(unassigned)
    assert sorted(assigned + unassigned) == sorted(school)  # every work accounted for
    for a in result.assignments:
        expert = by_id[a.expert_id]
        assert school[a.work_id] is None or school[a.work_id] not in expert.school_ids  # п. 8.1.3
        assert a.work_id not in excluded  # п. 7.11.4
        assert a.day in available_days(expert, period)
        if expert.consultant:
            assert consultant_share > 0
    for (eid, day), count in result.per_day().items():
        cap = by_id[eid].capacity_per_day
        assert cap is None or count <= cap, (eid, day, count)
    for wid, reason in result.unassigned:
        assert reason in REASONS
        assert (reason == REASON_EXCLUDED) == (wid in excluded)
    assert sum(result.load.values()) == len(assigned)
    assert result.load == {**{e.id: 0 for e in experts}, **Counter(a.expert_id for a in result.assignments)}


def max_assignable(works, experts, days=None, consultant_share=0.5) -> int:
    """The most works that can legally be assigned: a max-flow schools → experts (capacity per expert)."""
    period = effective_period(experts, days)
    demand = Counter(w.school_id for w in works if not w.excluded)
    schools = list(demand)
    capacity = {}
    for e in experts:
        n_days = len(available_days(e, period))
        share = consultant_share if e.consultant else 1.0
        if n_days == 0 or share <= 0:
            continue
        capacity[e.id] = sum(demand.values()) if e.capacity_per_day is None else e.capacity_per_day * n_days
    flow_into = defaultdict(int)  # expert id → works given to them
    flow = defaultdict(int)  # (school, expert id) → works

    def augment(school, seen) -> bool:
        for eid, cap in capacity.items():
            if eid in seen or (school is not None and school in next(e for e in experts if e.id == eid).school_ids):
                continue
            seen.add(eid)
            if flow_into[eid] < cap:
                flow_into[eid] += 1
                flow[school, eid] += 1
                return True
            for other in schools:  # take a work of ``other`` from eid and give it elsewhere
                if flow[other, eid] > 0 and augment_from(other, eid, seen):
                    flow[school, eid] += 1
                    return True
        return False

    def augment_from(school, from_eid, seen) -> bool:
        flow[school, from_eid] -= 1
        flow_into[from_eid] -= 1
        if augment(school, seen):
            flow_into[from_eid] += 1
            return True
        flow[school, from_eid] += 1
        flow_into[from_eid] += 1
        return False

    total = 0
    for school in schools:
        for _ in range(demand[school]):
            if augment(school, set()):
                total += 1
    return total


# ---------------------------------------------------------------- properties


@st.composite
def instances(draw):
    period = [D1, D2, D3][: draw(st.integers(0, 3))]
    n_experts = draw(st.integers(0, 6))
    experts = []
    for i in range(n_experts):
        schools = frozenset(draw(st.sets(st.integers(1, 4), max_size=2)))
        days = tuple(sorted(draw(st.sets(st.sampled_from([D1, D2, D3, D4]), max_size=3))))
        cap = draw(st.one_of(st.none(), st.integers(0, 4)))
        experts.append(Expert(i + 1, f"Эксперт {i + 1}", schools, days, cap, draw(st.booleans())))
    works = []
    for wid in range(1, draw(st.integers(0, 30)) + 1):
        works.append(Work(wid, draw(st.one_of(st.none(), st.integers(1, 4))), excluded=draw(st.integers(0, 9)) == 0))
    days = draw(st.sampled_from([None, period]))
    share = draw(st.sampled_from([0.0, 0.5, 1.0]))
    return works, experts, days, share, draw(st.integers(0, 5))


@settings(max_examples=300, deadline=None)
@given(instances())
def test_never_illegal_and_as_many_as_possible(instance):
    # п. 8.1.3: never an own-school work; п. 8.1.4: each work once; п. 7.11.4: excluded never assigned;
    # days and daily capacity respected; and nothing left unassigned that could have been assigned.
    works, experts, days, share, seed = instance
    result = assign(works, experts, days=days, seed=seed, consultant_share=share)
    assert_legal(result, works, experts, days, share)
    assert len(result.assignments) == max_assignable(works, experts, days, share)


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 12), st.lists(st.one_of(st.none(), st.integers(1, 30)), max_size=200), st.integers(0, 99))
def test_unconstrained_ordinary_experts_within_one(n_experts, schools, seed):
    # experts working in schools 100+ (not the participants' ones), no days, no capacity: ±1
    works = [Work(i + 1, s) for i, s in enumerate(schools)]
    experts = experts_of(*[(100 + i,) for i in range(n_experts)])
    result = assign(works, experts, seed=seed)
    assert_legal(result, works, experts)
    assert not result.unassigned
    assert max(result.load.values()) - min(result.load.values()) <= 1


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sets(st.integers(1, 5), max_size=2), min_size=1, max_size=8),
    st.lists(st.integers(1, 5), max_size=80),
    st.integers(0, 99),
)
def test_with_conflicts_imbalance_only_where_the_rule_forbids_a_move(expert_schools, schools, seed):
    # п. 8.1.3 may force imbalance; but whenever X has ≥ 2 more works than Y, none of X's works could go to Y
    works = [Work(i + 1, s) for i, s in enumerate(schools)]
    experts = experts_of(*expert_schools)
    result = assign(works, experts, seed=seed)
    assert_legal(result, works, experts)
    school = {w.id: w.school_id for w in works}
    held = defaultdict(list)
    for a in result.assignments:
        held[a.expert_id].append(school[a.work_id])
    for x in experts:
        for y in experts:
            if result.load[x.id] - result.load[y.id] >= 2:
                assert all(s in y.school_ids for s in held[x.id]), (x, y, result.load)


def test_the_own_school_rule_wins_over_balance():
    # п. 8.1.3: school 1's 20 works can only go to experts 3 and 4, however unbalanced that is
    experts = experts_of((1,), (1,), (), ())
    works = works_of(20, 4)
    result = assign(works, experts, seed=2)
    assert_legal(result, works, experts)
    assert result.load == {1: 2, 2: 2, 3: 10, 4: 10}


def region(seed: int, n_works: int = 3000, n_schools: int = 120, n_experts: int = 60):
    rng = random.Random(seed)
    works = [Work(i + 1, rng.randint(1, n_schools)) for i in range(n_works)]
    staffed = rng.sample(range(1, n_schools + 1), 40)
    experts = []
    for i in range(n_experts):
        schools = {staffed[i % 40]} | ({rng.choice(staffed)} if rng.random() < 0.2 else set())
        experts.append(Expert(i + 1, f"Эксперт {i + 1}", frozenset(schools)))
    return works, experts


@pytest.mark.parametrize("seed", range(5))
def test_realistic_region_balanced_within_one(seed):
    # experts work in a third of the schools (some in two): the own-school rule costs nothing in balance
    works, experts = region(seed)
    result = assign(works, experts, seed=seed)
    assert_legal(result, works, experts)
    assert not result.unassigned
    assert max(result.load.values()) - min(result.load.values()) <= 1


def test_a_school_is_spread_over_many_experts():
    works, experts = region(1)
    result = assign(works, experts, seed=1)
    by_school = defaultdict(set)
    school = {w.id: w.school_id for w in works}
    for a in result.assignments:
        by_school[school[a.work_id]].add(a.expert_id)
    sizes = Counter(w.school_id for w in works)
    for s, n in sizes.items():
        assert len(by_school[s]) >= min(n, 10)


# ---------------------------------------------------------------- days and daily capacity (п. 8.1.3, E3)


def test_days_balance_the_load_per_working_day():
    experts = [Expert(1, "А", frozenset({9}), days=(D1, D2)), Expert(2, "Б", frozenset({9}))]
    works = works_of(50)
    result = assign(works, experts, days=[D1, D2, D3])
    assert_legal(result, works, experts, [D1, D2, D3])
    assert result.load == {1: 20, 2: 30}  # 2 and 3 working days: 10 works a day each
    assert result.per_day() == {(1, D1): 10, (1, D2): 10, (2, D1): 10, (2, D2): 10, (2, D3): 10}


def test_daily_capacity_caps_an_expert_and_the_rest_go_elsewhere():
    experts = [Expert(1, "А", frozenset(), days=(D1, D2), capacity_per_day=4), Expert(2, "Б", frozenset())]
    works = works_of(50)
    result = assign(works, experts, days=[D1, D2, D3])
    assert_legal(result, works, experts, [D1, D2, D3])
    assert result.per_day()[1, D1] == 4 and result.per_day()[1, D2] == 4
    assert result.load == {1: 8, 2: 42}
    assert sorted(c for (eid, _), c in result.per_day().items() if eid == 2) == [14, 14, 14]


def test_days_outside_the_period_are_not_used_and_period_defaults_to_experts_days():
    experts = [Expert(1, "А", frozenset(), days=(D4,)), Expert(2, "Б", frozenset(), days=(D1, D2))]
    works = works_of(9)
    in_period = assign(works, experts, days=[D1, D2])
    assert in_period.load == {1: 0, 2: 9}
    assert {a.day for a in in_period.assignments} == {D1, D2}
    derived = assign(works, experts)  # period = D1, D2, D4: expert 1 works one day, expert 2 two
    assert_legal(derived, works, experts)
    assert derived.load == {1: 3, 2: 6}
    assert derived.per_day()[1, D4] == 3


def test_same_days_keep_each_day_balanced_across_experts():
    experts = experts_of((), (), (), days=(D1, D2, D3))
    works = works_of(40, 31)
    result = assign(works, experts, seed=3)
    per_day = result.per_day()
    for day in (D1, D2, D3):
        loads = [per_day.get((e.id, day), 0) for e in experts]
        assert max(loads) - min(loads) <= 1, (day, loads)


def test_capacity_without_days_limits_the_total():
    experts = [Expert(1, "А", frozenset(), capacity_per_day=3), Expert(2, "Б", frozenset(), capacity_per_day=3)]
    works = works_of(10)
    result = assign(works, experts)
    assert_legal(result, works, experts)
    assert len(result.assignments) == 6
    assert [r for _, r in result.unassigned] == [REASON_CAPACITY] * 4


# ---------------------------------------------------------------- consultants (п. 8.1.3)


@pytest.mark.parametrize(
    "share, expected",
    [(0.5, [100, 100, 100, 50]), (1.0, [88, 88, 87, 87]), (0.0, [117, 117, 116, 0]), (0.25, [108, 108, 107, 27])],
)
def test_consultant_share(share, expected):
    experts = [*experts_of((), (), ()), Expert(4, "Консультант", frozenset(), consultant=True)]
    works = works_of(200, 150)
    result = assign(works, experts, consultant_share=share, seed=0)
    assert_legal(result, works, experts, consultant_share=share)
    ordinary = sorted((result.load[i] for i in (1, 2, 3)), reverse=True)
    assert ordinary + [result.load[4]] == expected


def test_only_consultants_with_share_zero_means_no_expert():
    experts = [Expert(1, "Консультант", frozenset(), consultant=True)]
    result = assign(works_of(2), experts, consultant_share=0)
    assert [r for _, r in result.unassigned] == [REASON_NO_EXPERTS] * 2
    with pytest.raises(ValueError):
        assign(works_of(2), experts, consultant_share=-0.5)


# ---------------------------------------------------------------- an expert leaves


def test_reassign_leaving_moves_only_unchecked_works_legally_and_keeps_balance():
    works, experts = region(7, n_works=1200)
    before = assign(works, experts, seed=7)
    leaving = next(e for e in experts if e.school_ids)
    theirs = sorted(a.work_id for a in before.assignments if a.expert_id == leaving.id)
    checked = set(theirs[:5])
    after = reassign_leaving(before, leaving.id, works, experts, checked=checked, seed=7)
    old, new = before.by_work(), after.by_work()
    assert set(new) == set(old)  # nothing lost, nothing added
    for wid in theirs:
        if wid in checked:
            assert new[wid] == leaving.id  # п. 8.1.4: a checked work is not checked again
        else:
            assert new[wid] != leaving.id
    for wid, eid in old.items():
        if eid != leaving.id:
            assert new[wid] == eid  # other assignments untouched
    by_id = {e.id: e for e in experts}
    school = {w.id: w.school_id for w in works}
    for a in after.assignments:
        assert school[a.work_id] not in by_id[a.expert_id].school_ids  # п. 8.1.3
    assert after.load[leaving.id] == len(checked)
    rest = [after.load[e.id] for e in experts if e.id != leaving.id]
    assert max(rest) - min(rest) <= 1


def test_reassign_leaving_when_the_expert_is_no_longer_listed():
    experts = experts_of((1,), (2,), (3,))
    works = works_of(6, 6, 6)
    before = assign(works, experts)
    mine = [a.work_id for a in before.assignments if a.expert_id == 3]
    after = reassign_leaving(before.assignments, 3, works, experts[:2], checked=set(), explain=True)
    assert after.load[3] == 0 and after.load[1] + after.load[2] == 18
    school = {w.id: w.school_id for w in works}
    for a in after.assignments:
        assert school[a.work_id] != a.expert_id  # expert k works in school k
    assert all("выбыл" in after.explanations[wid] for wid in mine)
    with pytest.raises(ValueError):
        reassign_leaving(before, 3, works[:1], experts, checked=set())  # the moved works must be given


def test_reassign_leaving_with_nowhere_to_go_reports_the_reason():
    experts = experts_of((1,), ())
    works = works_of(4)
    before = assign(works, experts)
    assert before.load == {1: 0, 2: 4}
    after = reassign_leaving(before, 2, works, experts, checked={1})
    assert after.by_work() == {1: 2}
    assert after.unassigned == [(2, REASON_OWN_SCHOOL), (3, REASON_OWN_SCHOOL), (4, REASON_OWN_SCHOOL)]


# ---------------------------------------------------------------- existing assignments


def test_rerun_keeps_existing_and_adds_only_new_works():
    works, experts = region(3, n_works=900)
    first = assign(works, experts, seed=3)
    again = assign(works, experts, existing=first, seed=99)
    assert again.assignments == first.assignments
    more = works + [Work(5000 + i, i % 50 + 1) for i in range(300)]
    second = assign(more, experts, existing=first.by_work(), seed=4)
    assert_legal(second, more, experts)
    old = first.by_work()
    new = second.by_work()
    assert all(new[wid] == eid for wid, eid in old.items())
    assert set(new) - set(old) == {w.id for w in more[900:]}
    assert max(second.load.values()) - min(second.load.values()) <= 1


def test_existing_assignments_count_for_load_and_daily_capacity():
    experts = [Expert(1, "А", frozenset(), days=(D1,), capacity_per_day=5), Expert(2, "Б", frozenset(), days=(D1,))]
    works = works_of(10)
    existing = [Assignment(w.id, 1, D1) for w in works[:4]]
    result = assign(works, experts, existing=existing)
    assert result.per_day() == {(1, D1): 5, (2, D1): 5}


def test_illegal_or_unknown_existing_assignments_are_rejected():
    experts = experts_of((1,), ())
    works = works_of(2) + [Work(3, 2, excluded=True)]
    with pytest.raises(ValueError, match="Эксперт Эксперт 1 работает в ОО участника"):
        assign(works, experts, existing={1: 1})
    with pytest.raises(ValueError, match="не передана"):
        assign(works, experts, existing={77: 2})
    with pytest.raises(ValueError, match="не найден"):
        assign(works, experts, existing={1: 9})
    with pytest.raises(ValueError, match="«Не закончил»"):
        assign(works, experts, existing={3: 2})
    with pytest.raises(ValueError, match="каждая работа проверяется одним экспертом один раз"):
        assign(works, experts, existing=[Assignment(1, 2, None), Assignment(1, 2, None)])


def test_duplicate_ids_are_rejected():
    with pytest.raises(ValueError):
        assign([Work(1, 1), Work(1, 2)], experts_of(()))
    with pytest.raises(ValueError):
        assign(works_of(1), [Expert(1, "А", frozenset()), Expert(1, "Б", frozenset())])


# ---------------------------------------------------------------- refused and impossible works


def test_excluded_works_are_refused():
    # п. 7.11.4: «Не закончил»/«Удален» — not copied, not checked
    works = [Work(1, 1), Work(2, 1, excluded=True), Work(3, None, excluded=True)]
    result = assign(works, experts_of(()))
    assert result.by_work() == {1: 1}
    assert result.unassigned == [(2, REASON_EXCLUDED), (3, REASON_EXCLUDED)]


def test_impossible_cases_are_reported_and_nothing_is_assigned_illegally():
    own = assign(works_of(3), experts_of((1,), (1, 2)), explain=True)
    assert own.assignments == []
    assert own.unassigned == [(1, REASON_OWN_SCHOOL), (2, REASON_OWN_SCHOOL), (3, REASON_OWN_SCHOOL)]
    assert own.explanations[1] == REASON_OWN_SCHOOL
    nobody = assign(works_of(1), [])
    assert nobody.unassigned == [(1, REASON_NO_EXPERTS)] and nobody.load == {}
    off_days = assign(works_of(1), [Expert(1, "А", frozenset(), days=(D4,))], days=[D1])
    assert off_days.unassigned == [(1, REASON_NO_EXPERTS)]
    # school 1's works can go only to expert 2 (capacity 2): the third one cannot be placed
    experts = [Expert(1, "А", frozenset({1})), Expert(2, "Б", frozenset(), capacity_per_day=2)]
    works = works_of(3, 5)
    mixed = assign(works, experts)
    assert_legal(mixed, works, experts)
    assert [r for _, r in mixed.unassigned] == [REASON_CAPACITY]
    assert Counter(a.expert_id for a in mixed.assignments) == {1: 5, 2: 2}


@pytest.mark.parametrize("seed", range(12))
def test_works_are_moved_to_make_room_when_capacity_is_tight(seed):
    # A works in school 1; both take 2 works. Whatever the greedy does first, all four fit only
    # with A taking school 2's works and B school 1's.
    experts = [Expert(1, "А", frozenset({1}), capacity_per_day=2), Expert(2, "Б", frozenset(), capacity_per_day=2)]
    works = works_of(2, 2)
    result = assign(works, experts, seed=seed, explain=True)
    assert_legal(result, works, experts)
    assert result.by_work() == {1: 2, 2: 2, 3: 1, 4: 1}
    assert set(result.explanations) == {1, 2, 3, 4}


# ---------------------------------------------------------------- manual assignment (V51, V56, V57)


def test_check_assignment_messages_verbatim():
    ivanov = Expert(1, "Иванова А.А.", frozenset({7}))
    petrov = Expert(2, "Петров Б.Б.", frozenset())
    work = Work(10, 7, code="0007-000010")
    assert check_assignment(work, ivanov, {}) == [
        "Эксперт Иванова А.А. работает в ОО участника — назначение невозможно (п. 8.1.3)."
    ]
    assert check_assignment(work, petrov, {}) == []
    assert check_assignment(work, petrov, {10: 1}, [ivanov, petrov]) == [
        "Работа 0007-000010 уже назначена эксперту Иванова А.А.; каждая работа проверяется одним экспертом один раз."
    ]
    assert check_assignment(Work(11, 3), petrov, {11: 2}) == [
        "Работа 11 уже назначена эксперту Петров Б.Б.; каждая работа проверяется одним экспертом один раз."
    ]
    assert check_assignment(Work(12, 7, excluded=True), ivanov, {}) == [
        "Работы с отметкой «Не закончил»/«Удален» не копируются и не проверяются.",
        "Эксперт Иванова А.А. работает в ОО участника — назначение невозможно (п. 8.1.3).",
    ]


# ---------------------------------------------------------------- determinism and explanations


def test_deterministic_by_seed_and_independent_of_input_order():
    works, experts = region(5, n_works=600)
    a = assign(works, experts, seed=42)
    shuffled_works, shuffled_experts = works[:], experts[:]
    random.Random(0).shuffle(shuffled_works)
    random.Random(1).shuffle(shuffled_experts)
    b = assign(shuffled_works, shuffled_experts, seed=42)
    assert a.assignments == b.assignments
    c = assign(works, experts, seed=43)
    assert a.by_work() != c.by_work()
    assert c.seed == 43


def test_explanations_only_when_asked():
    experts = [Expert(1, "Иванова А.А.", frozenset({1})), Expert(2, "Петров Б.Б.", frozenset())]
    works = works_of(1)
    assert assign(works, experts).explanations is None
    text = assign(works, experts, explain=True).explanations[1]
    assert "ОО 1" in text and "Иванова А.А." in text and "Петров Б.Б." in text and "п. 8.1.3" in text
    kept = assign(works, experts, existing={1: 2}, explain=True).explanations[1]
    assert "уже была назначена" in kept
