"""Exam-day rules through the application's service (issue 13: not only the pure function): a refusal
carries the rule's code and message and records nothing."""

from __future__ import annotations

import pytest

from itog.conduct import services as S
from itog.conduct.models import DayRecord
from tests.conduct.fixtures import seated_session


@pytest.fixture
def seated(region):
    return seated_session(region)


def test_v48_a_finished_participant_needs_the_is05_signature(region, seated):
    """п. 7.11.3 (V48): the ИС-05 row of a participant who handed in the work is signed by them."""
    _, run = seated
    seat = run.seats.select_related("venue__organization", "room", "application__participant").first()
    with pytest.raises(S.Refused) as exc:
        S.record_day(seat.application, seat, {"state": "finished"}, region.user("rcoi"))
    v48 = [v for v in exc.value.violations if v.code == "V48"]
    assert v48 and v48[0].message == "Строка ведомости ИС-05 не подтверждена подписью участника."
    assert not DayRecord.objects.filter(application=seat.application, state="finished").exists()
    rec = S.record_day(seat.application, seat, {"state": "finished", "is05_signed": True}, region.user("rcoi"))
    assert rec.state == "finished"


def test_v37_topics_and_texts_are_withheld_until_their_local_time(region, seated):
    """пп. 7.1, 7.2 (V37): the exam-day service shows the essay topics not before 09:45 and the exposition
    texts not before 09:30 on the venue's clock; before that their content is withheld, not merely marked."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from itog.conduct.models import TopicSet

    session, run = seated
    TopicSet.objects.create(session=session, form="essay", content="Тема 7")
    TopicSet.objects.create(session=session, form="exposition", content="Текст 7")
    venue = run.seats.select_related("venue__organization").first().venue
    zone = ZoneInfo(venue.organization.time_zone)
    d = session.date

    def shown(h, m):
        return {
            t.form: t.content for t in S.topics_for(session, venue, datetime(d.year, d.month, d.day, h, m, tzinfo=zone))
        }

    assert shown(9, 29) == {"essay": None, "exposition": None}
    assert shown(9, 30) == {"essay": None, "exposition": "Текст 7"}
    assert shown(9, 45) == {"essay": "Тема 7", "exposition": "Текст 7"}
