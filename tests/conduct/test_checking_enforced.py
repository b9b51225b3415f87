"""Checking enforced where РЦОИ acts (HTTP): the experts' briefing of at least 30 minutes (п. 8.1.3, V55) in a
checking place with video (п. 8.1, V54) before the works are assigned; late deliveries of originals (V60) and
late forwarding of re-check applications (V65, tests/conduct/test_recheck.py) are recorded with the
violation, not refused."""

from __future__ import annotations

import html
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from itog.conduct import services as S
from itog.conduct.models import ExpertBriefing, Handover, Work
from itog.exams.models import Commission
from itog.orgs.models import Place, PlaceKind
from tests.conduct.fixtures import finished_session


@pytest.fixture
def unassigned(region):
    session = finished_session(region, leave_unchecked=10_000)
    Work.objects.filter(session=session).update(expert=None, status="waiting", check_day=None)
    return session


def _brief(client, session, commission, place, start="09:00", end="09:30"):
    return html.unescape(
        client.post(
            f"/sessions/{session.pk}/checking/",
            {
                "action": "briefing",
                "commission": commission.pk,
                "place": place.pk,
                "held_on": "2025-12-04",
                "started_at": start,
                "ended_at": end,
            },
            follow=True,
        ).content.decode()
    )


def test_v54_v55_briefing_then_assignment(region, unassigned, login):
    """п. 8.1 (V54, E1): checking — and its briefing — only in a place with video; п. 8.1.3 (V55, E4): the experts'
    briefing of 30 minutes or more before the works are assigned."""
    session = unassigned
    client = login("rcoi")
    page = html.unescape(client.post(f"/sessions/{session.pk}/checking/", follow=True).content.decode())
    assert "Инструктаж экспертов должен длиться не менее 30 минут до начала проверки." in page
    assert not Work.objects.filter(session=session).exclude(expert=None).exists()
    place = Place.objects.filter(kind=PlaceKind.CHECKING).first()
    place.has_video = False
    place.save()
    commissions = list(Commission.objects.filter(session=session, kind="check", members__role="expert").distinct())
    assert commissions
    page = _brief(client, session, commissions[0], place)
    assert "Место проверки должно быть оснащено средствами видеонаблюдения и видеозаписи (п. 8.1)." in page
    place.has_video = True
    place.save()
    page = _brief(client, session, commissions[0], place, end="09:29")
    assert "Инструктаж экспертов должен длиться не менее 30 минут до начала проверки." in page
    assert not ExpertBriefing.objects.exists()
    for c in commissions:
        assert "Инструктаж экспертов записан" in _brief(client, session, c, place)
    assert ExpertBriefing.objects.get(commission=commissions[0]).history.first().history_user == region.user("rcoi")
    page = html.unescape(client.post(f"/sessions/{session.pk}/checking/", follow=True).content.decode())
    assert "Назначено работ:" in page
    assert not Work.objects.filter(session=session, expert=None).exists()


def test_v60_late_delivery_of_originals_is_recorded_with_the_violation(region, unassigned):
    """пп. 8.1.1, 9.1.1 (V60, E15): a delivery is a physical fact — refusing to record a late one would hide it; the
    record carries the violation and is shown in red on the exam-day page."""
    session = unassigned
    late = datetime.combine(
        session.date + timedelta(days=9), datetime.min.time().replace(hour=12), tzinfo=ZoneInfo(region.mouo1.time_zone)
    )
    h = S.record_handover(
        session, region.user("mouo"), region.mouo1, None, "originals_to_rcoi", "Иванова И. И.", "Петров П. П.", late, 10
    )
    assert "не позднее" in h.late_reason and Handover.objects.filter(pk=h.pk).exists()
