"""Seating on D−1 (pure Python): random but reproducible, all or nothing per venue, Russian explanations."""

from __future__ import annotations

from collections import Counter, defaultdict

from hypothesis import given, settings
from hypothesis import strategies as st

from itog.exams.seating.rules import (
    ASSISTANT,
    ORGANIZER_IN_ROOM,
    ORGANIZER_OUTSIDE,
    READING,
    REGULAR,
    SPECIAL,
    SeatParticipant,
    SeatRoom,
    SeatStaff,
    VenueInput,
    seat_region,
    seat_venue,
    venue_seed,
)

NAME = "МБОУ СОШ № 5"


def organizers(n: int, start: int = 500) -> list[SeatStaff]:
    return [SeatStaff(start + i, ORGANIZER_IN_ROOM) for i in range(n)]


def rooms(*capacities: int, accessible: tuple[int, ...] = ()) -> list[SeatRoom]:
    return [SeatRoom(100 + i, str(101 + i), c, accessible=i in accessible) for i, c in enumerate(capacities)]


def venue(participants, room_list, staff, venue_id: int = 1, name: str = NAME) -> VenueInput:
    return VenueInput(venue_id=venue_id, name=name, participants=participants, rooms=room_list, staff=staff)


def mixed_venue() -> VenueInput:
    """100 ordinary participants, 4 with special conditions (two with one assistant, two needing an
    accessible room), 3 in the 40-minute reading group; 6 rooms, 13 room organizers."""
    participants = [SeatParticipant(i) for i in range(1, 101)]
    participants += [
        SeatParticipant(201, SPECIAL, needs_accessible=True, assistant_id=900),
        SeatParticipant(202, SPECIAL, assistant_id=900),
        SeatParticipant(203, SPECIAL, needs_accessible=True),
        SeatParticipant(204, SPECIAL),
    ]
    participants += [SeatParticipant(300 + i, READING) for i in range(3)]
    staff = organizers(13) + [SeatStaff(900, ASSISTANT), SeatStaff(950, ORGANIZER_OUTSIDE)]
    return venue(participants, rooms(30, 30, 30, 25, 12, 10, accessible=(4,)), staff)


def check_invariants(v: VenueInput, seating) -> None:
    by_id = {p.id: p for p in v.participants}
    room_by_id = {r.id: r for r in v.rooms}
    assert set(seating.assignments) == set(by_id), "everybody is seated exactly once"
    occupancy = Counter(room for room, _ in seating.assignments.values())
    assert set(occupancy) == set(seating.used_rooms)
    seats = defaultdict(list)
    for _pid, (room, seat) in seating.assignments.items():
        seats[room].append(seat)
    for room, count in occupancy.items():
        assert count <= room_by_id[room].capacity
        assert sorted(seats[room]) == list(range(1, count + 1))
    groups = defaultdict(set)
    for pid, (room, _) in seating.assignments.items():
        groups[room].add(by_id[pid].group)
        if by_id[pid].needs_accessible:
            assert room_by_id[room].accessible
    assert all(len(g) == 1 for g in groups.values()), "groups never share a room"
    assert {room: next(iter(g)) for room, g in groups.items()} == seating.room_groups
    roles = {s.id: s.role for s in v.staff}
    for room in seating.used_rooms:
        staff = seating.room_staff[room]
        assert sum(1 for s in staff if roles[s] == ORGANIZER_IN_ROOM) >= 2
    for p in v.participants:
        if p.assistant_id is not None:
            room = seating.assignments[p.id][0]
            assert p.assistant_id in seating.room_staff[room]
    placed = [s for staff in seating.room_staff.values() for s in staff]
    assert len(placed) == len(set(placed)), "nobody works in two rooms"


# ---------------------------------------------------------------- reproducibility


def test_same_seed_same_seating_other_seed_other_seating():
    v = mixed_venue()
    first, again, other = seat_venue(v, 2023), seat_venue(v, 2023), seat_venue(v, 2024)
    assert first.problems == []
    assert first.assignments == again.assignments and first.room_staff == again.room_staff
    assert first.seed == again.seed == venue_seed(2023, 1) != other.seed
    assert other.assignments != first.assignments


def test_input_order_does_not_change_the_seating():
    v = mixed_venue()
    shuffled = venue(list(reversed(v.participants)), list(reversed(v.rooms)), list(reversed(v.staff)))
    a, b = seat_venue(v, 7), seat_venue(shuffled, 7)
    assert a.assignments == b.assignments and a.room_staff == b.room_staff and a.used_rooms == b.used_rooms


def test_venue_seed_is_stable_and_per_venue():
    # A fixed figure: SHA-256 based, so it does not change between runs or machines (PYTHONHASHSEED).
    assert venue_seed(1, 1) == venue_seed(1, 1)
    assert venue_seed(1, 1) != venue_seed(1, 2) != venue_seed(2, 2)
    assert venue_seed(20231206, 17) == int.from_bytes(
        __import__("hashlib").sha256(b"itog-seating:20231206:17").digest()[:8], "big"
    )


# ---------------------------------------------------------------- the rules


def test_mixed_venue_respects_every_rule():
    v = mixed_venue()
    seating = seat_venue(v, 1)
    assert seating.problems == []
    check_invariants(v, seating)
    groups = Counter(seating.room_groups.values())
    assert groups == {REGULAR: 4, SPECIAL: 1, READING: 1}
    special_room = seating.assignments[201][0]
    assert seating.assignments[202][0] == special_room == 104  # the accessible room, with the assistant
    assert 900 in seating.room_staff[special_room]
    assert 950 not in [s for staff in seating.room_staff.values() for s in staff]  # outside organizer
    # every room organizer is given a room (13 for 6 rooms: the odd one goes to the busiest room)
    assert sum(len([s for s in staff if s != 900]) for staff in seating.room_staff.values()) == 13


def test_one_assistants_participants_sit_side_by_side():
    participants = [SeatParticipant(i) for i in range(1, 21)]
    participants += [SeatParticipant(30 + i, SPECIAL, assistant_id=900) for i in range(3)]
    v = venue(participants, rooms(30, 10), organizers(4) + [SeatStaff(900, ASSISTANT)])
    seating = seat_venue(v, 3)
    check_invariants(v, seating)
    seats = sorted(seating.assignments[30 + i][1] for i in range(3))
    assert seats == list(range(seats[0], seats[0] + 3))


def test_rooms_are_filled_evenly_not_first_ones_first():
    v = venue([SeatParticipant(i) for i in range(60)], rooms(30, 30, 30), organizers(6))
    seating = seat_venue(v, 1)
    assert Counter(room for room, _ in seating.assignments.values()) == {100: 20, 101: 20, 102: 20}
    # Rooms of different sizes get the same share of their capacity.
    v = venue([SeatParticipant(i) for i in range(45)], rooms(40, 20), organizers(4))
    assert Counter(room for room, _ in seat_venue(v, 1).assignments.values()) == {100: 30, 101: 15}


def test_organizers_decide_how_many_rooms_are_opened():
    # Four organizers open two rooms: the fewest that hold everybody, evenly filled.
    v = venue([SeatParticipant(i) for i in range(50)], rooms(30, 30, 30), organizers(4))
    seating = seat_venue(v, 1)
    assert seating.problems == [] and len(seating.used_rooms) == 2
    assert sorted(Counter(room for room, _ in seating.assignments.values()).values()) == [25, 25]
    assert all(len(staff) == 2 for staff in seating.room_staff.values())


def test_small_special_group_is_not_spread_over_spare_rooms():
    participants = [SeatParticipant(1, SPECIAL), SeatParticipant(2)]
    v = venue(participants, rooms(30, 30, 30, 30), organizers(8))
    seating = seat_venue(v, 1)
    assert len(seating.used_rooms) == 2
    check_invariants(v, seating)


def test_a_venue_without_participants_needs_nothing():
    seating = seat_venue(venue([], rooms(30), []), 1)
    assert seating.problems == [] and seating.assignments == {} and seating.used_rooms == []


# ---------------------------------------------------------------- impossible seating: exact explanations


def assert_nothing_seated(seating) -> None:
    assert seating.assignments == {} and seating.room_staff == {} and seating.used_rooms == []
    assert seating.room_groups == {}


def test_too_few_seats():
    v = venue([SeatParticipant(i) for i in range(127)], rooms(30, 30, 30, 30), organizers(8))
    seating = seat_venue(v, 1)
    assert seating.problems == ["МБОУ СОШ № 5: не хватает 7 мест в аудиториях (участников 127, мест 120)"]
    assert_nothing_seated(seating)


def test_one_seat_missing_uses_the_singular():
    v = venue([SeatParticipant(i) for i in range(31)], rooms(30), organizers(2))
    assert seat_venue(v, 1).problems == ["МБОУ СОШ № 5: не хватает 1 места в аудиториях (участников 31, мест 30)"]


def test_no_accessible_room():
    participants = [SeatParticipant(i) for i in range(20)]
    participants += [SeatParticipant(100 + i, SPECIAL, needs_accessible=True) for i in range(2)]
    seating = seat_venue(venue(participants, rooms(30, 30), organizers(4)), 1)
    assert seating.problems == ["МБОУ СОШ № 5: нет доступной аудитории для 2 участников с ОВЗ"]
    assert_nothing_seated(seating)


def test_too_few_accessible_seats():
    participants = [SeatParticipant(100 + i, SPECIAL, needs_accessible=True) for i in range(5)]
    seating = seat_venue(venue(participants, rooms(30, 3, accessible=(1,)), organizers(4)), 1)
    assert seating.problems == [
        "МБОУ СОШ № 5: не хватает 2 мест в доступных аудиториях для участников с ОВЗ (участников 5, мест 3)"
    ]


def test_too_few_room_organizers():
    v = venue([SeatParticipant(i) for i in range(110)], rooms(30, 30, 30, 30), organizers(5))
    seating = seat_venue(v, 1)
    assert seating.problems == ["МБОУ СОШ № 5: не хватает 3 организаторов в аудитории (нужно 8, назначено 5)"]
    assert_nothing_seated(seating)


def test_no_organizers_at_all():
    v = venue([SeatParticipant(i) for i in range(10)], rooms(30), [SeatStaff(1, ORGANIZER_OUTSIDE)])
    assert seat_venue(v, 1).problems == ["МБОУ СОШ № 5: не хватает 2 организаторов в аудитории (нужно 2, назначено 0)"]


def test_organizers_counted_for_the_fewest_rooms_found_by_the_exact_search():
    # The reading group's participant needs a room of their own (the 5-seat one), the others both
    # 30-seat rooms: three rooms, so six organizers.
    participants = [SeatParticipant(i) for i in range(50)] + [SeatParticipant(99, READING)]
    seating = seat_venue(venue(participants, rooms(30, 30, 5), organizers(4)), 1)
    assert seating.problems == ["МБОУ СОШ № 5: не хватает 2 организаторов в аудитории (нужно 6, назначено 4)"]


def test_several_things_missing_are_all_named():
    participants = [SeatParticipant(i) for i in range(127)]
    participants += [SeatParticipant(200 + i, SPECIAL, needs_accessible=True) for i in range(2)]
    seating = seat_venue(venue(participants, rooms(30, 30, 30, 30), organizers(5)), 1)
    assert seating.problems == [
        "МБОУ СОШ № 5: не хватает 9 мест в аудиториях (участников 129, мест 120)",
        "МБОУ СОШ № 5: нет доступной аудитории для 2 участников с ОВЗ",
        "МБОУ СОШ № 5: не хватает 3 организаторов в аудитории (нужно 8, назначено 5)",
    ]


def test_groups_cannot_share_the_last_room():
    participants = [SeatParticipant(i) for i in range(55)] + [SeatParticipant(100, READING)]
    seating = seat_venue(venue(participants, rooms(30, 30), organizers(4)), 1)
    assert seating.problems == [
        "МБОУ СОШ № 5: аудиторий не хватает, чтобы рассадить группы раздельно (п. 7.11.1): "
        "«без особых условий» — 55 участников, «изложение с чтением текста 40 минут» — 1 участник; "
        "2 аудитории на 60 мест — нужна еще хотя бы одна аудитория"
    ]
    assert_nothing_seated(seating)


def test_assistant_not_in_the_commission():
    participants = [SeatParticipant(1, SPECIAL, assistant_id=77), SeatParticipant(2, SPECIAL, assistant_id=77)]
    seating = seat_venue(venue(participants, rooms(10), organizers(2)), 1)
    assert seating.problems == [
        "МБОУ СОШ № 5: ассистент (№ 77), указанный для 2 участников, не назначен в комиссию по проведению этого места"
    ]
    assert_nothing_seated(seating)


def test_assistant_of_two_groups():
    participants = [SeatParticipant(1, SPECIAL, assistant_id=77), SeatParticipant(2, READING, assistant_id=77)]
    seating = seat_venue(venue(participants, rooms(10, 10), organizers(4) + [SeatStaff(77, ASSISTANT)]), 1)
    assert seating.problems == [
        "МБОУ СОШ № 5: ассистент (№ 77) сопровождает участников разных групп («изложение с чтением текста "
        "40 минут», «особые условия»), которые сидят в разных аудиториях — назначьте отдельных ассистентов"
    ]


def test_assistants_participants_do_not_fit_one_room():
    participants = [SeatParticipant(i, SPECIAL, assistant_id=77) for i in range(4)]
    seating = seat_venue(venue(participants, rooms(3, 3), organizers(4) + [SeatStaff(77, ASSISTANT)]), 1)
    assert seating.problems == [
        "МБОУ СОШ № 5: 4 участника с одним ассистентом (№ 77) должны сидеть в одной аудитории, "
        "а в самой большой аудитории 3 места"
    ]


# ---------------------------------------------------------------- the region in one action


def test_region_continues_past_a_failing_venue():
    good1 = venue(
        [SeatParticipant(i) for i in range(40)], rooms(30, 30), organizers(4), venue_id=1, name="МБОУ СОШ № 1"
    )
    bad = venue(
        [SeatParticipant(100 + i) for i in range(70)], rooms(30, 30), organizers(4), venue_id=2, name="МБОУ СОШ № 2"
    )
    good2 = venue(
        [SeatParticipant(200 + i) for i in range(10)], rooms(30), organizers(2), venue_id=3, name="МБОУ СОШ № 3"
    )
    region = seat_region(iter([good1, bad, good2]), seed=11)
    assert region.problems == ["МБОУ СОШ № 2: не хватает 10 мест в аудиториях (участников 70, мест 60)"]
    assert len(region.by_venue[1].assignments) == 40 and len(region.by_venue[3].assignments) == 10
    assert region.by_venue[2].assignments == {}
    assert region.seated == 50 and not region.ok
    # The region seating equals venue-by-venue seating with the same seed.
    assert region.by_venue[3].assignments == seat_venue(good2, 11).assignments
    assert region.by_venue[1].seed != region.by_venue[3].seed


# ---------------------------------------------------------------- property: feasible inputs seat everybody


@st.composite
def feasible_venues(draw):
    """Every group gets its own rooms with room to spare, so a seating always exists."""
    participants, room_list, staff = [], [], []
    pid = rid = 0
    assistant_ids = iter(range(10_000, 10_100))
    for group in (REGULAR, READING, SPECIAL):
        count = draw(st.integers(0, 60 if group == REGULAR else 8))
        if not count:
            continue
        accessible_room = group == SPECIAL or draw(st.booleans())
        members = []
        for _ in range(count):
            pid += 1
            members.append(SeatParticipant(pid, group, needs_accessible=accessible_room and draw(st.booleans())))
        # some participants share an assistant (at most 3 each)
        i = 0
        while i < count:
            size = draw(st.integers(1, 3))
            if draw(st.booleans()) and group != REGULAR:
                aid = next(assistant_ids)
                staff.append(SeatStaff(aid, ASSISTANT))
                for j in range(i, min(i + size, count)):
                    members[j] = SeatParticipant(members[j].id, group, members[j].needs_accessible, aid)
            i += size
        participants += members
        capacities = draw(st.lists(st.integers(3, 35), min_size=1, max_size=4))
        while sum(capacities) < count:
            capacities.append(draw(st.integers(3, 35)))
        accessible_assistants = {m.assistant_id for m in members if m.needs_accessible and m.assistant_id}
        needs_acc = sum(1 for m in members if m.needs_accessible or m.assistant_id in accessible_assistants)
        for k, cap in enumerate(capacities):
            rid += 1
            # the group's first room is accessible and large enough for all who need it
            room_list.append(
                SeatRoom(
                    rid,
                    str(rid),
                    max(cap, needs_acc, 3) if k == 0 else cap,
                    accessible=(k == 0 and accessible_room) or draw(st.booleans()),
                )
            )
    staff += organizers(2 * len(room_list) + draw(st.integers(0, 3)))
    order = draw(st.permutations(participants))
    return venue(list(order), room_list, staff)


@settings(max_examples=200, deadline=None)
@given(feasible_venues(), st.integers(0, 2**32))
def test_feasible_venues_seat_everybody_once_within_capacity(v, seed):
    seating = seat_venue(v, seed)
    assert seating.problems == []
    check_invariants(v, seating)
