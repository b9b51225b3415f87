"""The interview plan-schedule's times enforced where people act (essay-procedure-rules.md K.3 V77, V78;
rules J6, J8 of the Tomsk plan-schedule, seed 002 rows 6 and 8): the КИМ page opens at 07:30 of the day on
the school's clock (I04), the expert's protocol is refused after D+5 inclusive (I74)."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.utils import timezone

from itog.audit.models import AuditEvent
from itog.conduct.checking.protocols import criteria, enter_protocol, make_works
from itog.conduct.examday.kim import kim_for
from itog.conduct.examday.statement import answer_action
from itog.conduct.models import TopicSet, Work
from itog.exams.seating.timed import current_seats, schedule_school
from itog.exams.violations import Refused
from tests.conduct.interview import MAIN, at, interview_session, register_ninth, room_roles

pytestmark = pytest.mark.django_db


def test_v77_kim_from_0730_local_time_of_the_school(region, login):
    """V77 (J6; seed 002 row 6 «14.02.2024 с 07.30»): refused before 07:30 on the school's clock (Tomsk,
    UTC+7: 07:30 there is 03:30 in Moscow) — the school's zone decides, not the server's."""
    session = interview_session(region)
    assert session.date == MAIN
    school = region.school1
    school.time_zone = "Asia/Tomsk"
    school.save()
    TopicSet.objects.create(session=session, form="interview", content="Вариант 1. Чтение текста о Лихачеве.")
    with pytest.raises(Refused) as err:
        kim_for(session, school, now=at(7, 29, tz="Asia/Tomsk"))
    v = err.value.violations[0]
    assert v.code == "I04" and "07.30" in v.message and "11.02.2026" in v.message
    with pytest.raises(Refused):  # the day before, any time
        kim_for(session, school, now=at(12, 0, day=MAIN - timedelta(days=1), tz="Asia/Tomsk"))
    # 07:30 in Moscow is 11:30 in Tomsk: open; 07:30 in Tomsk is 03:30 in Moscow: open as well (the school's clock)
    assert kim_for(session, school, now=at(7, 30, tz="Asia/Tomsk")).contents[0][1].startswith("Вариант 1")
    assert kim_for(session, school, now=at(3, 30, tz="Europe/Moscow")).contents
    with pytest.raises(Refused):  # 03:29 Moscow = 07:29 Tomsk
        kim_for(session, school, now=at(3, 29, tz="Europe/Moscow"))

    # through the page: before the time the text is not on the page, the time is, the refusal is logged
    client = login("school")
    url = f"/sessions/{session.pk}/interview/{school.pk}/kim/"
    with mock.patch.object(timezone, "now", return_value=at(7, 0, tz="Asia/Tomsk")):
        page = client.get(url).content.decode()
    assert "Лихачев" not in page and "не ранее 11.02.2026, 07.30" in page and 'id="kim-refused"' in page
    assert any("I04" in e.details.get("codes", []) for e in AuditEvent.objects.all())
    with mock.patch.object(timezone, "now", return_value=at(7, 31, tz="Asia/Tomsk")):
        page = client.get(url).content.decode()
    assert "Лихачев" in page and 'id="kim-refused"' not in page


def test_v78_expert_protocol_refused_after_d_plus_5(region, login):
    """V78 (J8; seed 002 row 8 «До 19.02.2024 включительно», D+5 inclusive): the protocol entered on D+5 at
    23:59 on the school's clock is accepted, on D+6 refused with the deadline — also through the protocol page."""
    session = interview_session(region)
    a0, a1 = register_ninth(region, session, 2)
    schedule_school(session, region.school1, room_roles(region))
    seats = {s.application_id: s for s in current_seats(session, region.school1)}
    school_user = region.user("school")
    for n, app in enumerate((a0, a1)):
        seat = seats[app.pk]
        answer_action(session, seat.room, app, "start", school_user, now=at(9 + n, 0))
        answer_action(session, seat.room, app, "stop", school_user, now=at(9 + n, 15))
    make_works(session, school_user)
    w0, w1 = Work.objects.get(application=a0), Work.objects.get(application=a1)
    full = {c.key: c.max for c in criteria(session).criteria}

    d5 = MAIN + timedelta(days=5)
    assert enter_protocol(w0, school_user, full, 1, now=at(23, 59, day=d5)) == []
    with pytest.raises(Refused) as err:
        enter_protocol(w1, school_user, full, 1, now=at(0, 0, day=d5 + timedelta(days=1)))
    v = err.value.violations[0]
    assert v.code == "I74" and "16.02.2026" in v.message
    w1.refresh_from_db()
    assert not w1.expert_marks  # nothing half-saved

    client = login("school")
    with mock.patch.object(timezone, "now", return_value=at(10, 0, day=d5 + timedelta(days=2))):
        r = client.post(f"/works/{w1.pk}/protocol/", {f"m_{k}": v for k, v in full.items()} | {"entry": "1"})
    assert r.status_code == 302
    w1.refresh_from_db()
    assert not w1.expert_marks
    assert any("I74" in e.details.get("codes", []) for e in AuditEvent.objects.all())
