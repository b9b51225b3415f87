"""The school's schedule uses only rooms equipped for audio recording (Room.audio_equipped, issue 16)."""

from __future__ import annotations

import pytest

from itog.exams.seating.timed import current_seats, schedule_school
from itog.orgs.models import Room
from tests.conduct.interview import interview_session, register_ninth

pytestmark = pytest.mark.django_db


def rooms_of(region):
    return list(Room.objects.filter(place__organization=region.school1).order_by("number"))


def test_no_equipped_room_refuses_in_russian(region, login):
    session = interview_session(region)
    register_ninth(region, session, 2)
    Room.objects.filter(place__organization=region.school1).update(audio_equipped=False)
    result = schedule_school(session, region.school1)
    assert result.run is None and [v.code for v in result.violations] == ["I45"]
    rooms = rooms_of(region)
    named = schedule_school(session, region.school1, {rooms[0].pk: "exam", rooms[1].pk: "waiting"})
    assert named.run is None and [v.code for v in named.violations] == ["I45"]
    page = login("school").get(f"/sessions/{session.pk}/interview/{region.school1.pk}/").content.decode()
    assert 'id="no-equipped-room"' in page and "нет ни одной аудитории, оборудованной для аудиозаписи" in page


def test_defaults_and_named_roles_follow_the_flag(region, login):
    session = interview_session(region)
    apps = register_ninth(region, session, 3)
    rooms = rooms_of(region)
    Room.objects.filter(place__organization=region.school1).update(audio_equipped=False)
    Room.objects.filter(pk=rooms[2].pk).update(audio_equipped=True)
    result = schedule_school(session, region.school1)  # the kind's defaults
    assert result.run is not None, result.violations
    assert {s.room_id for s in current_seats(session, region.school1)} == {rooms[2].pk}
    assert {s.application_id for s in current_seats(session, region.school1)} == {a.pk for a in apps}
    assert result.run.room_roles[str(rooms[2].pk)] == "exam"
    assert "exam" not in {result.run.room_roles.get(str(r.pk)) for r in rooms if r.pk != rooms[2].pk}
    # an unequipped room named for the answers is refused (I40), nothing saved
    bad = schedule_school(
        session, region.school1, {rooms[0].pk: "exam", rooms[1].pk: "waiting", rooms[3].pk: "finished"}
    )
    assert bad.run is None and "I40" in [v.code for v in bad.violations]
    page = login("school").get(f"/sessions/{session.pk}/interview/{region.school1.pk}/").content.decode()
    assert '<option value="exam" disabled>' in page  # the form does not offer an unequipped room
    assert "(аудиозапись)" in page
