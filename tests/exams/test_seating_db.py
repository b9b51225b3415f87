"""Seating a session in the database: reproducible by its logged seed, explained where impossible."""

from __future__ import annotations

from itog.exams.models import Commission, CommissionMember, Seat
from itog.exams.seating.services import seat_session
from itog.orgs.models import Place, PlaceKind
from itog.people.models import Employee
from tests.exams.fixtures import essay_session, registered_application, student_registration


def staff_venue(session, school, organizers=4):
    venue = Place.objects.get(organization=school, kind=PlaceKind.VENUE)
    commission = Commission.objects.create(session=session, kind="conduct", organization=school, venue=venue)
    for e in Employee.objects.filter(organization=school, is_russian_specialist=False)[:organizers]:
        CommissionMember.objects.create(commission=commission, employee=e, role="organizer_in_room", trained=True)
    return venue


def test_seating_is_reproducible_and_complete(region):
    from datetime import date

    from itog.exams.registration.services import register

    session = essay_session(region)
    for i in range(6):
        reg = student_registration(region.school1, personal={"document_number": f"55{i:04d}"})
        assert register(reg, session, region.school1, today=date(2026, 11, 10)).application
    venue = staff_venue(session, region.school1)
    first = seat_session(session, seed=42)
    again = seat_session(session, seed=42)
    assert first.seated == 6 and first.problems == []
    layout = lambda run: sorted(Seat.objects.filter(run=run).values_list("application_id", "room_id", "seat_number"))
    assert layout(first) == layout(again), "the same seed gives the same seating"
    assert {s.venue_id for s in Seat.objects.filter(run=first)} == {venue.pk}


def test_venue_without_organizers_is_explained_and_not_seated(region):
    """п. 7.11.3 (V29, C20): a venue without two room organizers for each room it needs is not seated; the run
    says so with what is missing."""
    session = essay_session(region)
    registered_application(region, session)
    staff_venue(session, region.school1, organizers=0)
    run = seat_session(session, seed=1)
    assert run.seated == 0
    assert any("не хватает 2 организаторов в аудитории" in p for p in run.problems), run.problems
    assert any("назначено менее двух организаторов (п. 7.11.3)" in p for p in run.problems), run.problems


def test_p_4_5_meal_room_required_for_extended_duration(login, region):
    from datetime import date

    from itog.exams.registration.services import register

    session = essay_session(region)
    venue = Place.objects.get(organization=region.school1, kind=PlaceKind.VENUE)
    Place.objects.filter(pk=venue.pk).update(**{f: True for f in Place.READINESS_FIELDS})
    Place.objects.filter(pk=venue.pk).update(has_meal_room=False)
    page = login("school").get(f"/sessions/{session.pk}/seating/").content.decode()
    assert "с замечаниями" not in page  # no participants yet: nothing to check
    reg = student_registration(
        region.school1, personal={"health_category": "ovz"}, conditions={"extra_time"}, documents={"pmpk"}
    )
    assert register(reg, session, region.school1, today=date(2026, 11, 10)).application
    import html

    page = html.unescape(login("school").get(f"/sessions/{session.pk}/seating/").content.decode())
    assert "с замечаниями: 1" in page and "питани" in page, page[page.find('id="readiness"') :][:800]
