"""A school's participant list into the database: all or nothing, or the valid rows on request."""

from __future__ import annotations

import html
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from itog.audit.models import AuditEvent, EventKind
from itog.exams.kinds.essay.participants_import import HEADER
from itog.exams.models import Application, Participant
from itog.exams.registration.services import ensure_sessions

pytestmark = pytest.mark.usefixtures("sync_jobs")


def essay_session(region):
    """Next year's main date: registration is open on the real today. (Students may not be listed for the
    February date: п. 10 admits them there only as a re-admission.)"""
    return ensure_sessions(region.ministry, "2027/28")[0]


def row(region, n, **over):
    values = {
        "Фамилия": "Орлов",
        "Имя": "Петр",
        "Отчество": "Ильич",
        "Пол": "м",
        "Дата рождения": "12.05.2009",
        "Гражданство": "Российская Федерация",
        "СНИЛС": "",
        "Вид документа": "Паспорт гражданина РФ",
        "Серия": "4511",
        "Номер": f"{100000 + n}",
        "Код ОО": region.school1.code,
        "Класс": "11А",
        "Категория участника": "обучающийся XI–XII класса",
        "Форма": "сочинение",
        "ОВЗ/инвалидность": "",
        "Дата участия": "",
        "Телефон": "",
        "С Памяткой ознакомлен(а)": "да",
    }
    values.update(over)
    return [values.get(h, "") for h in HEADER]


def xlsx(rows) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.append(HEADER)
    for r in rows:
        ws.append(r)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def post(client, session, data, partial=False):
    payload = {"file": SimpleUploadedFile("list.xlsx", data), "consent_on": "2026-11-01"}
    if partial:
        payload["partial"] = "on"
    return client.post(f"/sessions/{session.pk}/import/", payload, follow=True)  # to the import job's page


def test_valid_list_is_imported_with_history_and_audit(login, region):
    session = essay_session(region)
    response = post(login("school"), session, xlsx([row(region, i) for i in range(5)]))
    assert "Загружено заявлений: 5" in html.unescape(response.content.decode())
    assert Application.objects.filter(session=session).count() == 5
    p = Participant.objects.first()
    assert p.registration_org == region.school1 and p.history.first().history_user == region.user("school")
    assert AuditEvent.objects.filter(kind=EventKind.IMPORT, user=region.user("school")).exists()


def test_one_bad_row_saves_nothing_unless_asked(login, region):
    session = essay_session(region)
    rows = [row(region, 1), row(region, 2, **{"Класс": "10А"}), row(region, 3)]
    client = login("school")
    text = html.unescape(post(client, session, xlsx(rows)).content.decode())
    assert "Список не загружен" in text and "Строка 3, столбец «Класс»" in text and "п. 2.4" in text
    assert Participant.objects.count() == 0
    text = html.unescape(post(client, session, xlsx(rows), partial=True).content.decode())
    assert "Загружено заявлений: 2" in text and "Не загружены строки: 1" in text
    assert Participant.objects.count() == 2


def test_rules_apply_to_list_rows_too(login, region):
    """п. 5.3: an ОВЗ participant without the ПМПК recommendations cannot be registered from a list either."""
    session = essay_session(region)
    text = html.unescape(
        post(login("school"), session, xlsx([row(region, 1, **{"ОВЗ/инвалидность": "ОВЗ"})])).content.decode()
    )
    assert "рекомендаций ПМПК" in text and Participant.objects.count() == 0


def test_duplicate_across_the_region(login, region):
    session = essay_session(region)
    post(login("school"), session, xlsx([row(region, 7)]))
    text = html.unescape(
        post(login("school2"), session, xlsx([row(region, 7, **{"Код ОО": region.school2.code})])).content.decode()
    )
    assert "уже зарегистрирован в региональной базе участников" in text
