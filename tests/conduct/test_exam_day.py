"""Exam day (section D): topic release by the venue's local time, states and their documents, the ИС-05
register per room over HTTP, custody hand-overs; scoped to the venue's organization."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from itog.audit.models import AuditEvent
from itog.conduct import services as S
from itog.conduct.models import DayRecord, TopicSet, Work
from tests.conduct.fixtures import seat_in, seated_session

UTC = ZoneInfo("UTC")


@pytest.fixture
def seated(region):
    return seated_session(region)


def test_topics_released_at_0945_vladivostok_time_in_a_vladivostok_venue(region, seated):
    """пп. 7.1, 7.2 (L21: local time): a venue in Vladivostok sees the essay topics at 09:45 Vladivostok time
    (23:45 UTC the day before) and the exposition texts at 09:30; Moscow still sees nothing then."""
    session, run = seated
    TopicSet.objects.create(session=session, form="essay", content="Тема 1")
    TopicSet.objects.create(session=session, form="exposition", content="Текст 1")
    seat = seat_in(run, region.school1)
    venue = seat.venue
    venue.organization.time_zone = "Asia/Vladivostok"
    venue.organization.save()
    d = session.date
    before = datetime(d.year, d.month, d.day, 9, 44, 59, tzinfo=ZoneInfo("Asia/Vladivostok"))
    at = datetime(d.year, d.month, d.day, 9, 45, tzinfo=ZoneInfo("Asia/Vladivostok"))
    texts_at = datetime(d.year, d.month, d.day, 9, 30, tzinfo=ZoneInfo("Asia/Vladivostok"))
    assert {t.form: t.content for t in S.topics_for(session, venue, before)} == {"essay": None, "exposition": "Текст 1"}
    assert {t.form: t.content for t in S.topics_for(session, venue, texts_at.replace(minute=29))}["exposition"] is None
    assert {t.form: t.content for t in S.topics_for(session, venue, at)}["essay"] == "Тема 1"
    assert at.astimezone(UTC).hour == 23  # the day before in UTC
    moscow = seat_in(run, region.school2).venue
    assert moscow.organization.time_zone != "Asia/Vladivostok"
    assert {t.form: t.content for t in S.topics_for(session, moscow, at)}["essay"] is None


def test_topics_locked_on_the_page_before_release(region, seated, login):
    session, run = seated
    from datetime import timedelta

    from itog.exams.registration.services import override_session_date

    TopicSet.objects.create(session=session, form="essay", content="Секретная тема")
    override_session_date(session, date.today() + timedelta(days=1), "Проверка блокировки тем")
    page = login("school").get(f"/sessions/{session.pk}/day/").content.decode()
    assert "Секретная тема" not in page
    assert "Будут доступны с 09:45" in page


def _post(client, session, app, **data):
    payload = {f"a{app.pk}-state": data.pop("state", "finished")}
    for key, value in data.items():
        if value is True:
            payload[f"a{app.pk}-{key}"] = "on"
        elif value not in (False, None):
            payload[f"a{app.pk}-{key}"] = str(value)
    return client.post(f"/sessions/{session.pk}/day/applications/{app.pk}/", payload, HTTP_HX_REQUEST="true")


def test_room_register_saves_a_line_and_refuses_not_finished_without_is08(region, seated, login):
    """п. 7.11.8 (V49): «Не закончил» needs ИС-08, the ИС-05 mark with the participant's signature and the
    member's signature; refused → nothing saved, the attempt logged."""
    session, run = seated
    seat = seat_in(run, region.school1)
    app = seat.application
    client = login("school")
    page = client.get(f"/sessions/{session.pk}/day/rooms/{seat.room_id}/").content.decode()
    assert app.participant.last_name in page
    refused = _post(
        client, session, app, state="not_finished", has_id_document=True, is05_marked=True, is05_signed=True
    ).content.decode()
    assert "ИС-08" in refused and "Сохранено" not in refused
    assert not DayRecord.objects.filter(application=app).exists()
    assert AuditEvent.objects.filter(kind="refused", description__contains="ИС-05").exists()
    ok = _post(
        client,
        session,
        app,
        state="not_finished",
        has_id_document=True,
        is05_marked=True,
        is05_signed=True,
        is08_act="ИС-08/1",
        member_signature=True,
        valid_reason_document="Справка",
    ).content.decode()
    assert "Сохранено" in ok
    rec = DayRecord.objects.get(application=app)
    assert rec.state == "not_finished" and rec.is08_act == "ИС-08/1"
    assert rec.history.first().history_user == region.user("school")


def test_ege_participant_without_document_cannot_be_admitted(region, seated):
    """п. 7.11.6 (V41): an ЕГЭ participant without an identity document is not admitted; a student without
    one is admitted only with an identity act (V42)."""
    session, run = seated
    seat = seat_in(run, region.school1)
    app = seat.application
    app.participant.category = "vpl"
    with pytest.raises(S.Refused) as exc:
        S.record_day(app, seat, {"state": "admitted", "has_id_document": False}, region.user("school"))
    assert exc.value.violations[0].code == "V41"
    app.participant.category = "student"
    with pytest.raises(S.Refused) as exc:
        S.record_day(app, seat, {"state": "admitted", "has_id_document": False}, region.user("school"))
    assert exc.value.violations[0].code == "V42"
    rec = S.record_day(
        app,
        seat,
        {"state": "admitted_by_act", "has_id_document": False, "identity_act": "Акт № 1 руководителя"},
        region.user("school"),
    )
    assert rec.state == "admitted_by_act"


def test_removed_without_head_act_refused_and_removed_work_never_checked(region, seated):
    """п. 7.11.9 (V50) and п. 7.11.4 (V51, E20): a removal needs ИС-09 by the head; removed and not finished works
    are not copied or checked."""
    session, run = seated
    seats = list(run.seats.select_related("venue__organization", "room", "application__participant")[:3])
    user = region.user("rcoi")
    with pytest.raises(S.Refused) as exc:
        S.record_day(
            seats[0].application,
            seats[0],
            {"state": "removed", "is05_marked": True, "is05_signed": True, "member_signature": True, "is09_act": "1"},
            user,
        )
    assert exc.value.violations[0].code == "V50"
    S.record_day(
        seats[0].application,
        seats[0],
        {
            "state": "removed",
            "is05_marked": True,
            "is05_signed": True,
            "member_signature": True,
            "is09_act": "1",
            "is09_by_head": True,
        },
        user,
    )
    S.record_day(seats[1].application, seats[1], {"state": "finished", "is05_signed": True}, user)
    S.record_day(seats[2].application, seats[2], {"state": "absent", "has_id_document": False}, user)
    assert S.create_works(session, user) == 1
    assert list(Work.objects.filter(session=session).values_list("application_id", flat=True)) == [
        seats[1].application_id
    ]


def test_exam_day_records_cannot_precede_the_exam_date(region, seated):
    session, run = seated
    from datetime import timedelta

    from itog.exams.registration.services import override_session_date

    override_session_date(session, date.today() + timedelta(days=3), "перенос")
    seat = seat_in(run, region.school1)
    with pytest.raises(S.Refused) as exc:
        S.record_day(seat.application, seat, {"state": "finished", "is05_signed": True}, region.user("school"))
    assert exc.value.violations[0].code == "X30"


def test_other_municipality_gets_404_on_room_and_record(region, seated, login):
    session, run = seated
    seat = seat_in(run, region.school1)
    for user in ("mouo2", "school2"):
        client = login(user)
        assert client.get(f"/sessions/{session.pk}/day/rooms/{seat.room_id}/").status_code == 404
        assert _post(client, session, seat.application, state="finished", is05_signed=True).status_code == 404
    assert not DayRecord.objects.filter(application=seat.application).exists()


def test_handover_late_is_recorded_with_the_rule(region, seated, login):
    """п. 8.1.1 (D22): the head hands originals and copies to the responsible person on day D; a later hand-over
    is recorded with the lateness shown."""
    session, run = seated
    client = login("school")
    resp = client.post(
        f"/sessions/{session.pk}/handover/",
        {
            "kind": "originals_copies",
            "from_person": "Иванова И. И., руководитель",
            "to_person": "Петров П. П.",
            "handed_at": f"{session.date.replace(day=session.date.day + 1):%Y-%m-%d}T10:00",
            "works": "25",
        },
    )
    assert resp.status_code == 302
    from itog.conduct.models import Handover

    h = Handover.objects.get(session=session)
    assert h.late_reason and h.works == 25 and h.recorded_by == region.user("school")
    page = client.get(f"/sessions/{session.pk}/day/").content.decode()
    assert "Петров П. П." in page


def test_register_entered_from_the_paper_form_is_marked_so(region, seated, login):
    session, run = seated
    seat = seat_in(run, region.school1)
    client = login("school")
    page = client.get(f"/sessions/{session.pk}/day/rooms/{seat.room_id}/?source=paper").content.decode()
    assert 'name="entered_from" value="paper"' in page
    app = seat.application
    client.post(
        f"/sessions/{session.pk}/day/applications/{app.pk}/",
        {
            f"a{app.pk}-state": "finished",
            f"a{app.pk}-is05_signed": "on",
            f"a{app.pk}-has_id_document": "on",
            "entered_from": "paper",
        },
        HTTP_HX_REQUEST="true",
    )
    assert DayRecord.objects.get(application=app).entered_from == "paper"
