"""D−1 enforced where officials act (п. 7.11.1): seating only on the day before the exam (V33), printing of
the kits not later than D−1 (V31); on the exam day a short blank is never copied — an additional one is issued
with a new code (V32)."""

from __future__ import annotations

import html
from datetime import date, timedelta

import pytest

from itog.exams.models import SeatingRun, WorkCode
from itog.exams.printing import (
    PrintRefused,
    check_printing_day,
    issue_codes,
    void_and_reissue,
)
from itog.exams.registration.services import register
from itog.exams.seating.services import check_seating_day, region_today, seat_session
from tests.exams.fixtures import essay_session, student_registration
from tests.exams.test_seating_db import staff_venue


@pytest.fixture
def session(region):
    s = essay_session(region)
    assert register(student_registration(region.school1), s, region.school1, today=date(2026, 11, 10)).application
    staff_venue(s, region.school1)
    return s


def move_to(session, days_from_today: int):
    session.date = region_today(session) + timedelta(days=days_from_today)
    session.save(update_fields=["date"])


def test_v33_rule_is_exactly_d_minus_1(session):
    d = session.date
    assert check_seating_day(session, d - timedelta(days=1)) == []
    for other in (d - timedelta(days=2), d, d + timedelta(days=1)):
        got = check_seating_day(session, other)
        assert [v.code for v in got] == ["V33"]
    with pytest.raises(PrintRefused, match="за один календарный день до проведения"):
        seat_session(session, today=d - timedelta(days=3))
    assert not SeatingRun.objects.filter(session=session).exists()


@pytest.mark.parametrize("days, allowed", [(1, True), (3, False), (0, False)])
def test_v33_seating_page_refuses_other_days(login, session, days, allowed):
    move_to(session, days)
    client = login("rcoi")
    response = client.post(f"/sessions/{session.pk}/seating/", follow=True)
    page = html.unescape(response.content.decode())
    assert SeatingRun.objects.filter(session=session).exists() == allowed
    if allowed:
        assert "Рассадка выполнена" in page
    else:
        assert (
            "Распределение участников по аудиториям выполняется за один календарный день до проведения "
            "в произвольном порядке (п. 7.11.1)."
        ) in page


@pytest.mark.parametrize("days, allowed", [(1, True), (5, True), (0, False), (-1, False)])
def test_v31_printing_after_d_minus_1_is_refused(login, session, monkeypatch, days, allowed):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "sync")
    seat_session(session, seed=5)
    move_to(session, days)
    response = login("rcoi").post(f"/sessions/{session.pk}/print/")
    assert response.status_code == 302
    if allowed:
        assert "/jobs/" in response["Location"]
    else:
        assert response["Location"] == f"/sessions/{session.pk}/seating/"
        page = html.unescape(login("rcoi").get(response["Location"]).content.decode())
        assert "Бланки и отчетные формы должны быть распечатаны не позднее чем за день до проведения" in page
        assert [v.code for v in check_printing_day(session, region_today(session))] == ["V31"]


def test_v32_on_the_exam_day_a_short_blank_gets_a_new_code_not_a_copy(login, session):
    seat_session(session, seed=5)
    move_to(session, 0)  # the exam day: the kits can no longer be printed (V31) ...
    app = session.applications.first()
    old = WorkCode.objects.get(code=issue_codes(session, [app.pk])[app.pk])
    new = void_and_reissue(old, "испорчен бланк", user=None)  # ... but an additional blank is issued (V32)
    assert new.code != old.code and new.application_id == app.pk
    old.refresh_from_db()
    assert old.voided_at is not None


def test_v20_venue_without_meal_room_is_not_seated_when_someone_writes_325_minutes(login, session):
    from itog.exams.models import Seat
    from itog.orgs.models import Place, PlaceKind

    app = session.applications.get()
    app.extra_time = True  # 235 + 90 minutes (п. 4.4) → meals and breaks (п. 4.5)
    app.save()
    venue = Place.objects.get(organization=app.participant.registration_org, kind=PlaceKind.VENUE)
    venue.meal_room_kettle = False
    venue.save()
    move_to(session, 1)
    page = html.unescape(login("rcoi").post(f"/sessions/{session.pk}/seating/", follow=True).content.decode())
    assert "необходимо помещение для питания и перерывов с холодильником и электрическим чайником" in page
    run = SeatingRun.objects.get(session=session)
    assert not Seat.objects.filter(run=run).exists() and any("V20" not in p and "питания" in p for p in run.problems)
    venue.meal_room_kettle = True
    venue.save()
    login("rcoi").post(f"/sessions/{session.pk}/seating/")
    assert Seat.objects.filter(run=SeatingRun.objects.filter(session=session).first(), application=app).exists()


def test_v34_exposition_readers_sit_in_a_room_of_their_own(session, region):
    """п. 7.11.1(2) (V34): participants reading the exposition text for 40 minutes are seated apart."""
    from itog.exams.models import Commission, CommissionMember, Seat
    from itog.orgs.models import Place, PlaceKind, Room
    from itog.people.models import Employee

    reg = student_registration(
        region.school1,
        personal={"document_number": "555001", "last_name": "Чтецова", "health_category": "ovz"},
        documents={"pmpk"},
        form="exposition",
    )
    app = register(reg, session, region.school1, today=date(2026, 11, 10)).application
    assert app is not None
    place = Place.objects.get(organization=region.school1, kind=PlaceKind.VENUE)
    while Room.objects.filter(place=place).count() < 2:
        Room.objects.create(place=place, number=f"R{Room.objects.count() + 1}", capacity=15)
    commission = Commission.objects.get(session=session, kind="conduct", venue=place)
    for i in range(4):
        e = Employee.objects.create(
            last_name=f"Организатор{i}", first_name="Ия", organization=region.school1, position="Учитель"
        )
        CommissionMember.objects.create(commission=commission, employee=e, role="organizer_in_room", trained=True)
    run = seat_session(session, seed=11)
    rooms = dict(Seat.objects.filter(run=run).values_list("application_id", "room_id"))
    assert app.pk in rooms and len(rooms) == 2, run.problems
    assert len(set(rooms.values())) == 2  # the reader is not in the essay writers' room
