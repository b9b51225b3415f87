"""Room schedule: audio rooms, 15/45 minutes, waiting and finished rooms apart, explained failures."""

from datetime import time

from hypothesis import given, settings
from hypothesis import strategies as st

from itog.exams.kinds.interview.schedule import Candidate, Room, ScheduleConfig, make_schedule


def rooms(n=2, **kw):
    out = [Room(f"r{i}", f"Каб. {100 + i}") for i in range(n)]
    return out + [Room("w", "Рекреация", "waiting"), Room("f", "Библиотека", "finished")]


def people(n, extended=()):
    return [Candidate(f"p{i:03d}", f"Участник {i:03d}", f"9{'АБ'[i % 2]}", i in extended) for i in range(n)]


def _mins(t):
    return t.hour * 60 + t.minute


def test_basic_slots():
    s = make_schedule(rooms(2), people(6, extended={0}))
    assert s.ok and not s.unassigned
    first = s.slot_of("p000")
    assert first.start == time(9, 0) and first.end == time(9, 45) and first.extended
    assert _mins(s.slot_of("p001").end) - _mins(s.slot_of("p001").start) == 15
    assert s.waiting_room.id == "w" and s.finished_room.id == "f"


def test_deterministic():
    a = make_schedule(rooms(3), people(40, extended={3, 7}))
    b = make_schedule(list(reversed(rooms(3)[:3])) + rooms(3)[3:], list(reversed(people(40, extended={3, 7}))))
    starts = lambda sch: {x.participant_id: x.start for slots in sch.slots.values() for x in slots}
    assert starts(a) == starts(b)  # input order does not matter
    again = make_schedule(rooms(3), people(40, extended={3, 7}))
    assert a.slots == again.slots


def test_room_checks():
    bad = [Room("r0", "Каб. 100", audio_equipped=False), Room("r1", "Каб. 101"), Room("w", "Каб. 101w", "waiting")]
    s = make_schedule(bad, people(3))
    assert sorted(v.code for v in s.violations) == ["I40", "I41"]
    assert "Каб. 100" in s.violations[0].message
    assert list(s.slots) == ["r1"]
    same = [Room("r0", "Каб. 100"), Room("w", "Холл", "waiting"), Room("w", "Холл", "finished")]
    assert [v.code for v in make_schedule(same, people(2)).violations] == ["I42"]
    none = make_schedule([Room("w", "Холл", "waiting"), Room("f", "Зал", "finished")], people(2))
    assert [v.code for v in none.violations] == ["I41"] and len(none.unassigned) == 2


def test_duplicates_reported_once_scheduled():
    p = people(3)
    s = make_schedule(rooms(1), p + [p[0]])
    assert [v.code for v in s.violations] == ["I44"]
    assert sum(len(x) for x in s.slots.values()) == 3


def test_does_not_fit_explained():
    cfg = ScheduleConfig(start=time(9, 0), end=time(10, 0))
    s = make_schedule(rooms(1), people(6), cfg)  # 16 min per participant: 3 fit in an hour (9:00–9:47)
    assert not s.ok and len(s.unassigned) == 3
    v = [v for v in s.violations if v.code == "I43"][0]
    assert "не распределено 3 из 6" in v.message and "Нужно еще аудиторий: 1" in v.message
    assert "10:35" in v.message  # six answers end at 10:35 with one room


@settings(max_examples=40, deadline=None)
@given(
    n=st.integers(0, 80),
    n_rooms=st.integers(1, 4),
    ext=st.sets(st.integers(0, 79), max_size=10),
    end_h=st.integers(10, 18),
)
def test_properties(n, n_rooms, ext, end_h):
    cfg = ScheduleConfig(end=time(end_h, 0))
    s = make_schedule(rooms(n_rooms), people(n, extended=ext), cfg)
    placed = [x for slots in s.slots.values() for x in slots]
    assert len(placed) + len(s.unassigned) == n
    assert len({x.participant_id for x in placed}) == len(placed)
    for slots in s.slots.values():
        for a, b in zip(slots, slots[1:]):
            assert _mins(a.end) + cfg.changeover <= _mins(b.start)  # no overlap in a room
    for x in placed:
        assert _mins(x.end) - _mins(x.start) == (45 if x.extended else 15)
        assert time(9, 0) <= x.start and x.end <= cfg.end
    assert bool(s.unassigned) == any(v.code == "I43" for v in s.violations)


def test_default_roles_answer_only_in_equipped_rooms():
    """Рекомендации: answers are recorded, so they go to equipped rooms; the waiting and finished rooms apart."""
    from itog.exams.kinds.interview.schedule import default_roles

    roles, problems = default_roles([("a", True), ("b", False), ("c", True), ("d", False), ("e", False)])
    assert problems == [] and roles == {"a": "exam", "c": "exam", "b": "waiting", "d": "finished"}
    # fewer than two rooms without recording: the last equipped ones wait, one equipped room still answers
    roles, _ = default_roles([("a", True), ("b", True), ("c", True)])
    assert roles == {"a": "exam", "c": "waiting", "b": "finished"}
    roles, _ = default_roles([("a", True)])
    assert roles == {"a": "exam"}  # the schedule then says which room is missing (I41)
    roles, problems = default_roles([("a", False), ("b", False)])
    assert roles == {} and [v.code for v in problems] == ["I45"]
    assert "оборудованной для аудиозаписи" in problems[0].message
