"""The exam day's rules enforced where the venue's staff act (HTTP): the end of a late participant (V40),
«Количество бланков» (V46), the «Z» (V47), the venue's day journal in local time (V35, V36, V38 refused;
V39, V53 kept as warnings), visitors' documents (V43)."""

from __future__ import annotations

import html
import re
from datetime import time

import pytest

from itog.conduct import services as S
from itog.conduct.models import DayRecord, VenueDay, Visitor
from itog.exams.registration.services import override_session_date
from itog.exams.seating.services import region_today
from tests.conduct.fixtures import seat_in, seated_session


@pytest.fixture
def day(region):
    session, run = seated_session(region)
    # the exam day is today (records of the day are refused before it, X30)
    assert override_session_date(session, region_today(session), "Проверка дня проведения") == []
    seat = seat_in(run, region.school1)
    return session, seat


def _post(client, session, app, **data):
    payload = {
        f"a{app.pk}-state": data.pop("state", "finished"),
        f"a{app.pk}-is05_signed": "on",
        f"a{app.pk}-has_id_document": "on",
    }
    for key, value in data.items():
        payload[f"a{app.pk}-{key}"] = "on" if value is True else str(value)
    return html.unescape(
        client.post(
            f"/sessions/{session.pk}/day/applications/{app.pk}/", payload, HTTP_HX_REQUEST="true"
        ).content.decode()
    )


def test_v46_blank_count_must_equal_the_blanks_used(region, day, login):
    session, seat = day
    app = seat.application
    client = login("school")
    page = _post(client, session, app, blanks_used=3, blank_count=2)
    assert (
        "Поле «Количество бланков» (2) не совпадает с числом использованных бланков записи, включая "
        "дополнительные (3)." in page
    )
    assert not DayRecord.objects.filter(application=app).exists()
    page = _post(client, session, app, blanks_used=3, blank_count=3)
    assert "Сохранено" in page
    assert DayRecord.objects.get(application=app).blank_count == 3


def test_v47_missing_z_is_refused(region, day, login):
    session, seat = day
    page = _post(login("school"), session, seat.application, blanks_used=1, z_marked="false")
    assert "На последнем бланке записи не проставлен прочерк «Z» на незаполненных полях." in page
    assert not DayRecord.objects.filter(application=seat.application).exists()


def _journal(client, session, venue, **times):
    data = {"action": "times", **{k: v for k, v in times.items()}}
    return client.post(f"/sessions/{session.pk}/day/venues/{venue.pk}/", data, follow=True)


def test_v40_late_participant_end_not_extended(region, day, login):
    """п. 7.11.7 (V40, B25): a late participant's end is not extended beyond the start on the board + their time."""
    session, seat = day
    app = seat.application
    client = login("school")
    # without the start written on the board the end of a late participant cannot be checked
    page = _post(client, session, app, late=True, end_time="14:30", blanks_used=1)
    assert "Для опоздавшего участника время окончания не продлевается (п. 7.11.7)" in page
    assert "время начала, записанное на доске" in page
    assert _journal(client, session, seat.venue, writing_start="10:10").status_code == 200
    assert VenueDay.objects.get(session=session, venue=seat.venue).writing_start == time(10, 10)
    # 10:10 + 235 min = 14:05: a late participant's 14:30 is an extension → refused
    page = _post(client, session, app, late=True, end_time="14:30", blanks_used=1)
    assert "Для опоздавшего участника время окончания не продлевается (п. 7.11.7)." in page
    assert not DayRecord.objects.filter(application=app).exists()
    # 14:05 is the room's end; with a 25-minute break the personal end is 14:30 (L17)
    assert "Сохранено" in _post(client, session, app, late=True, end_time="14:05", blanks_used=1)
    assert "Сохранено" in _post(client, session, app, late=True, end_time="14:30", breaks_min=25, blanks_used=1)
    # a participant who was not late may have a later personal end (extra time, п. 4.4)
    assert "Сохранено" in _post(client, session, app, end_time="15:40", blanks_used=1)


@pytest.mark.parametrize(
    "field, early, ok, text",
    [
        ("staff_briefing", "08:14", "08:15", "Инструктаж организаторов не может начинаться ранее 8:15"),
        ("kits_to_organizers", "09:44", "09:45", "Выдача комплектов тем (текстов), бланков и форм организаторам"),
        ("briefing_part1", "09:49", "09:50", "Первая часть инструктажа — не ранее 9:50"),
        ("briefing_part2", "09:59", "10:00", "Первая часть инструктажа — не ранее 9:50"),
    ],
)
def test_v35_v36_v38_times_before_the_procedure_are_refused(region, day, login, field, early, ok, text):
    session, seat = day
    client = login("school")
    page = html.unescape(_journal(client, session, seat.venue, **{field: early}).content.decode())
    assert text in page
    assert not VenueDay.objects.filter(session=session).exists()
    page = html.unescape(_journal(client, session, seat.venue, **{field: ok}).content.decode())
    assert "Журнал дня сохранен" in page
    assert getattr(VenueDay.objects.get(session=session), field).strftime("%H:%M") == ok


def test_v39_v53_late_seating_and_medic_are_kept_with_a_warning(region, day, login):
    session, seat = day
    client = login("school")
    page = html.unescape(
        _journal(
            client,
            session,
            seat.venue,
            participants_seated="09:50",
            medic_present="09:10",
            last_exit="14:20",
            medic_left="14:00",
        ).content.decode()
    )
    assert "Журнал дня сохранен" in page
    assert "Вход и размещение участников должны быть завершены не позднее 9:40." in page
    assert "Медицинский работник должен присутствовать с 9:00 до выхода последнего участника." in page
    vd = VenueDay.objects.get(session=session)
    assert vd.participants_seated == time(9, 50) and "9:40" in vd.warnings and "9:00" in vd.warnings


def test_venue_times_are_judged_on_the_venues_clock(region, day):
    """08:20 in Vladivostok is 01:20 Moscow: the rule reads the venue's local time, not the server's."""
    session, seat = day
    venue = seat.venue
    venue.organization.time_zone = "Asia/Vladivostok"
    venue.organization.save()
    rec, warnings = S.record_venue_day(session, venue, {"staff_briefing": time(8, 20)}, region.user("school"))
    assert rec.staff_briefing == time(8, 20) and warnings == []
    with pytest.raises(S.Refused, match="8:15"):
        S.record_venue_day(session, venue, {"staff_briefing": time(8, 10)}, region.user("school"))


def test_v43_visitor_needs_identity_and_authority_documents(region, day, login):
    session, seat = day
    client = login("school")
    url = f"/sessions/{session.pk}/day/venues/{seat.venue.pk}/"
    page = html.unescape(
        client.post(
            url,
            {
                "action": "visitor",
                "kind": "observer",
                "full_name": "Орлов Петр",
                "id_document": "паспорт 4510 000001",
                "authority_document": "",
            },
            follow=True,
        ).content.decode()
    )
    assert (
        "Допуск независимого наблюдателя возможен только при наличии документа, удостоверяющего личность, "
        "и документа, подтверждающего полномочия (п. 7.8)."
    ) in page
    assert not Visitor.objects.exists()
    page = html.unescape(
        client.post(
            url,
            {
                "action": "visitor",
                "kind": "media",
                "full_name": "Орлов Петр",
                "id_document": "паспорт 4510 000001",
                "authority_document": "удостоверение СМИ № 7",
            },
            follow=True,
        ).content.decode()
    )
    assert "Допущен(а): Орлов Петр" in page and "представитель средств массовой информации" in page
    assert Visitor.objects.get().history.first().history_user == region.user("school")
    # another school's operator cannot see this venue's journal
    assert login("school2").get(url).status_code == 404


def test_v48_finished_without_the_participants_signature_in_is05_is_refused(region, day, login):
    session, seat = day
    app = seat.application
    page = html.unescape(
        login("school")
        .post(
            f"/sessions/{session.pk}/day/applications/{app.pk}/",
            {f"a{app.pk}-state": "finished", f"a{app.pk}-has_id_document": "on", f"a{app.pk}-blanks_used": "1"},
            HTTP_HX_REQUEST="true",
        )
        .content.decode()
    )
    assert "Строка ведомости ИС-05 не подтверждена подписью участника." in page
    assert not DayRecord.objects.filter(application=app).exists()


def test_v44_writing_blank_with_another_work_code_is_refused(region, day, login):
    """п. 7.11.3 (V44; D9): the organizers check that the code on every writing blank, additional ones included,
    is the registration blank's — a blank carrying another code is refused with its number, nothing saved; the
    code typed in its printed groups is the same code."""
    from itog.exams.models import WorkCode

    session, seat = day
    app = seat.application
    code = WorkCode.objects.get(application=app, voided_at__isnull=True).code
    other = WorkCode.objects.exclude(application=app).values_list("code", flat=True).first()
    client = login("school")
    page = _post(client, session, app, blanks_used=2, writing_codes=f"{code}, {other}")
    assert "Код работы на бланке записи №2 не совпадает с кодом на бланке регистрации." in page
    assert not DayRecord.objects.filter(application=app).exists()
    grouped = f"{code[:4]} {code[4:8]} {code[8:]}"
    page = _post(client, session, app, blanks_used=2, writing_codes=f"{code}, {grouped}")
    assert "Сохранено" in page


def test_v45_topic_number_must_be_in_the_kit_of_the_date(region, day, login):
    """п. 7.11.3 (V45; D9): the topic (text) number on the writing blank is one of the kit the ministry entered for
    this date and form; a number outside it is refused, nothing saved."""
    from itog.conduct.models import TopicSet

    session, seat = day
    app = seat.application
    TopicSet.objects.create(
        session=session, form=app.form, content="101. Первая тема\n102) Вторая тема\n№ 103. Третья тема"
    )
    client = login("school")
    page = _post(client, session, app, blanks_used=1, topic_no="104")
    assert "Номер темы (текста) отсутствует в комплекте текущей даты проведения." in page
    assert not DayRecord.objects.filter(application=app).exists()
    assert "Сохранено" in _post(client, session, app, blanks_used=1, topic_no="103")


def test_b13_breaks_have_no_limit_of_their_own_and_extend_the_personal_end(region, day, login):
    """п. 4.6.4 (B13): the participants decide the number and length of their breaks (with the ПМПК's advice) —
    Itog sets no limit of its own; the breaks are recorded and extend the personal end (п. 4.3: they are not
    writing time), to the minute."""
    session, seat = day
    app = seat.application
    client = login("school")
    assert _journal(client, session, seat.venue, writing_start="10:00").status_code == 200
    # 10:00 + 235 min + 180 min of breaks = 16:55
    page = _post(client, session, app, late=True, end_time="16:55", breaks_min=180, blanks_used=1)
    assert "Сохранено" in page, " ".join(re.sub(r"<[^>]+>", " ", page).split())
    assert DayRecord.objects.get(application=app).breaks_min == 180
    page = _post(client, session, app, late=True, end_time="16:56", breaks_min=180, blanks_used=1)
    assert "Для опоздавшего участника время окончания не продлевается (п. 7.11.7)." in page
