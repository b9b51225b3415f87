"""The seating page's figures counted in the database: rooms with their seated participants paged in one query,
venue readiness asked of the rules once per distinct situation — both pinned against the plain computation."""

from __future__ import annotations

from datetime import date

import pytest
from django.db.models import Count

from itog.exams.kinds.base import ParticipantRef, VenueData
from itog.exams.models import Application, Participant, Seat, SeatingRun
from itog.exams.registration.services import ensure_sessions
from itog.exams.seating.services import room_occupancy, venue_readiness
from itog.orgs.models import Place, PlaceKind, Room

_n = iter(range(1, 10_000))


def _app(session, school, extra_time=False):
    i = next(_n)
    p = Participant.objects.create(
        last_name=f"Рассаженный{i}",
        first_name="Петр",
        sex="м",
        birth_date=date(2009, 1, 1),
        document_series="4700",
        document_number=f"{700000 + i}",
        category="student",
        school=school,
        grade=11,
        registration_org=school,
    )
    return Application.objects.create(
        participant=p,
        session=session,
        application_form="app1",
        registration_number=f"SEAT-{i:05d}",
        extra_time=extra_time,
    )


@pytest.fixture
def seated(region):
    """Participants of school1 and school2 seated over rooms of both schools' venues (some of school1's in
    school2's venue), unevenly: the oracle is the plain GROUP BY over the seats."""
    session = ensure_sessions(region.ministry, "2027/28")[0]
    run = SeatingRun.objects.create(session=session, seed=1)
    venues = [Place.objects.get(organization=s, kind=PlaceKind.VENUE) for s in (region.school1, region.school2)]
    rooms = []
    for v in venues:
        for k in range(3):
            rooms.append(Room.objects.get_or_create(place=v, number=f"9{k}", defaults={"capacity": 15})[0])
    seats = []
    for i in range(23):
        school = region.school1 if i % 3 else region.school2
        room = rooms[(i * 7) % len(rooms)]
        seats.append(Seat(run=run, application=_app(session, school), venue=room.place, room=room, seat_number=i + 1))
    Seat.objects.bulk_create(seats)
    return session, run


def _oracle(seats):
    return list(
        seats.values("venue__name", "room__number", "room__capacity")
        .annotate(n=Count("pk"))
        .order_by("venue__name", "room__number")
    )


@pytest.mark.parametrize("username", ["minobr", "school", "school2"])
def test_room_occupancy_pages_equal_the_plain_group_by(region, seated, username):
    _, run = seated
    seats = Seat.objects.for_user(region.user(username)).filter(run=run)
    expected = _oracle(seats)
    assert expected, "every user here sees some seats"
    got, number = [], 1
    while True:
        page = room_occupancy(seats, number, per_page=2)
        assert page.paginator.count == len(expected) and page.number == number
        got += list(page.object_list)
        if not page.has_next():
            break
        number += 1
    assert got == expected
    last = room_occupancy(seats, 999, per_page=2)
    assert last.number == last.paginator.num_pages and list(last.object_list) == expected[(last.number - 1) * 2 :]
    assert room_occupancy(seats, "x", per_page=2).number == 1


def test_room_occupancy_of_nothing(region, seated):
    _, run = seated
    page = room_occupancy(Seat.objects.none(), 3)
    assert page.paginator.count == 0 and list(page.object_list) == [] and page.number == 1


def test_venue_readiness_equals_the_rules_asked_per_venue(region, seated):
    session, _ = seated
    venues = Place.objects.filter(kind=PlaceKind.VENUE).order_by("pk")
    # different equipment, and participants with and without extra time (the meal room matters for them)
    for k, v in enumerate(venues):
        equipment = {f: True for f in Place.READINESS_FIELDS} | {
            "has_meal_room": k % 2 == 0,
            "head_room_safe": k % 3 != 0,
        }
        Place.objects.filter(pk=v.pk).update(**equipment)
        _app(session, v.organization, extra_time=k % 4 == 1)
    rules = session.rules.seating
    got = {v.pk: [x.message for x in problems] for v, problems in venue_readiness(session, venues.all())}
    expected = {}
    for v in Place.objects.filter(kind=PlaceKind.VENUE):
        extras = set(
            Application.objects.filter(session=session, participant__registration_org=v.organization_id).values_list(
                "extra_time", flat=True
            )
        )
        if not extras:
            continue
        data = VenueData(
            id=str(v.pk), school_id=str(v.organization_id), **{f: getattr(v, f) for f in Place.READINESS_FIELDS}
        )
        refs = [
            ParticipantRef(id=str(e), duration_min=rules.BASE_DURATION_MIN + (rules.EXTRA_DURATION_MIN if e else 0))
            for e in extras
        ]
        expected[v.pk] = [x.message for x in rules.check_venue_readiness(data, refs)]
    assert got == expected
    assert any(got.values()) and not all(got.values())
    assert any("питани" in " ".join(m) for m in got.values())
