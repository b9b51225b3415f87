"""Audit: history of changes with before/after, log-ins, failed log-ins, exports of personal data."""

from __future__ import annotations

import html
import io

from openpyxl import load_workbook

from itog.audit.models import AuditEvent, EventKind
from itog.people.models import Student


def test_login_and_failed_login_are_logged(client, region, settings):
    settings.AXES_ENABLED = True
    response = client.post("/login/", {"username": "school", "password": "wrong-password"})
    assert response.status_code == 200
    assert "Неверное имя пользователя или пароль" in response.content.decode()
    failed = AuditEvent.objects.get(kind=EventKind.LOGIN_FAILED)
    assert failed.username == "school" and failed.ip == "127.0.0.1"
    response = client.post("/login/", {"username": "school", "password": "test-password-123"})
    assert response.status_code == 302
    ok = AuditEvent.objects.get(kind=EventKind.LOGIN)
    assert ok.user == region.user("school") and ok.region_path == region.ministry.path


def test_brute_force_is_throttled(client, region, settings):
    settings.AXES_ENABLED = True
    for _ in range(settings.ITOG_LOGIN_FAILURE_LIMIT):
        client.post("/login/", {"username": "mouo", "password": "guess"})
    response = client.post("/login/", {"username": "mouo", "password": "test-password-123"})
    assert response.status_code == 429
    assert "Вход временно заблокирован" in response.content.decode()
    # Another user name from the same address is not locked.
    assert client.post("/login/", {"username": "school", "password": "test-password-123"}).status_code == 302


def test_student_change_history_shows_who_and_before_after(login, region):
    client = login("school")
    student = Student.objects.filter(school=region.school1, user__isnull=True).first()
    old_last_name = student.last_name
    data = {f: getattr(student, f) for f in Student.PERSONAL_DATA_FIELDS}
    data.update(school=student.school_id, birth_date=student.birth_date.isoformat(), last_name="Исправленная")
    response = client.post(f"/students/{student.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()[-2000:]
    entry = student.history.first()
    assert entry.history_user == region.user("school") and entry.history_type == "~"

    page = html.unescape(login("rcoi").get("/audit/?model=people.Student").content.decode())
    assert "Исправленная" in page and old_last_name in page
    assert region.user("school").get_full_name() in page  # the person's name, not the login
    assert ">Обучающиеся</option>" in page and ">people.Student<" not in page  # record kinds named in Russian


def test_student_form_errors_are_field_level_russian(login, region):
    student = Student.objects.filter(school=region.school1).first()
    response = login("school").post(f"/students/{student.pk}/edit/", {"last_name": "", "grade": "15", "snils": "123"})
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert 'id="id_last_name_errors"' in text and "Обязательное поле." in text
    assert "Класс — число от 1 до 12." in text
    assert "СНИЛС указывается в виде 123-456-789 01." in text
    assert 'aria-invalid="true"' in text
    student.refresh_from_db()
    assert student.last_name != "", "nothing saved"


def test_personal_data_export_is_logged_and_scoped(login, region):
    response = login("school").get("/students/export.xlsx?grade=11")
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    expected = Student.objects.filter(school=region.school1, grade=11).count()
    assert len(rows) - 1 == expected
    assert {r[10] for r in rows[1:]} == {region.school1.code}
    event = AuditEvent.objects.get(kind=EventKind.PD_EXPORT)
    assert event.user == region.user("school") and event.details["rows"] == expected


def test_audit_events_page_lists_exports(login, region):
    login("school").get("/students/export.xlsx")
    page = html.unescape(login("inspector").get("/audit/?tab=events&kind=pd_export").content.decode())
    assert "Выгрузка персональных данных" in page and "Список обучающихся" in page


def test_student_fields_are_the_consent_whitelist():
    """п. A37 / V15: the participant record holds only the personal data of the consent form."""
    whitelist = {
        "last_name",
        "first_name",
        "middle_name",  # фамилия, имя, отчество
        "sex",  # пол
        "birth_date",  # дата рождения
        "phone",  # контактный телефон (при наличии)
        "citizenship",  # гражданство
        "snils",  # СНИЛС (при наличии)
        "document_type",
        "document_series",
        "document_number",  # реквизиты документа, удостоверяющего личность
        "school",  # наименование образовательной организации
        "grade",
        "class_letter",  # номер класса (при наличии)
        "health_category",  # ОВЗ, ребенок-инвалид, инвалид
    }
    technical = {"id", "user"}
    fields = {f.name for f in Student._meta.get_fields() if f.concrete}
    assert fields - technical == whitelist
    assert set(Student.PERSONAL_DATA_FIELDS) == whitelist
