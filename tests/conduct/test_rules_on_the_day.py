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
