"""п. 3.2, 7.11.1 enforced where the official acts: the approving order (DOCX) is refused while the composition
breaks the procedure (V22–V28), and V24 / V27 fire from the directory data (teaching, declared relatives) entered
on the employee page or imported from a file."""

from __future__ import annotations

import html
import io

import pytest
from docx import Document
from openpyxl import Workbook

from itog.exams.commissions.services import check_commission, order_docx
from itog.exams.models import Commission, CommissionMember
from itog.exams.violations import Refused
from itog.orgs.models import Place, PlaceKind
from itog.people.models import CloseRelative, Employee, TeachingAssignment
from tests.exams.fixtures import essay_session, registered_application

pytestmark = pytest.mark.usefixtures("sync_jobs")


def conduct(region, members, trained=True):
    session = essay_session(region)
    venue = Place.objects.get(organization=region.school1, kind=PlaceKind.VENUE)
    c = Commission.objects.create(
        session=session, kind="conduct", organization=region.school1, venue=venue, order_number="15-ИС"
    )
    for employee, role in members:
        CommissionMember.objects.create(commission=c, employee=employee, role=role, trained=trained)
    return c


def valid_conduct_members(region):
    director = Employee.objects.get(organization=region.school1, position="Директор")
    others = list(
        Employee.objects.filter(organization=region.school1, is_russian_specialist=False).exclude(pk=director.pk)[:2]
    )
    assert len(others) == 2
    return director, [(director, "conduct_head")] + [(e, "organizer_in_room") for e in others]


def codes(violations):
    return sorted({v.code for v in violations if v.is_error})


def test_v22_order_refused_when_fewer_than_three_members(login, region):
    director = Employee.objects.get(organization=region.school1, position="Директор")
    c = conduct(region, [(director, "conduct_head")])
    client = login("mouo")
    response = client.get(f"/commissions/{c.pk}/order.docx")
    assert response.status_code == 302 and response.url == f"/commissions/{c.pk}/"
    page = html.unescape(client.get(response.url).content.decode())
    assert "В комиссии по проведению должно быть не менее трех работников ОО (п. 3.2)." in page
    assert "Проект приказа не формируется, пока состав не соответствует Порядку" in page
    from itog.audit.models import AuditEvent

    assert any("V22" in str(e.details) + e.description for e in AuditEvent.objects.filter(kind="refused"))


def test_valid_composition_gives_the_order(login, region):
    director, members = valid_conduct_members(region)
    c = conduct(region, members)
    response = login("mouo").get(f"/commissions/{c.pk}/order.docx")
    assert response.status_code == 200
    doc = Document(io.BytesIO(response.content))
    cells = [cell.text for row in doc.tables[0].rows for cell in row.cells]
    assert director.full_name in cells


def test_v23_russian_specialist_and_v25_untrained_refuse_the_order(region):
    _, members = valid_conduct_members(region)
    russian = Employee.objects.filter(organization=region.school1, is_russian_specialist=True).first()
    c = conduct(region, members + [(russian, "organizer_outside")])
    try:
        order_docx(c)
    except Refused as exc:
        assert [v.code for v in exc.violations] == ["V23"]
        assert russian.full_name in str(exc)
    else:
        raise AssertionError("the order must be refused (V23)")
    c2 = Commission.objects.create(session=c.session, kind="check", organization=region.mouo1)
    for e, _ in members:
        CommissionMember.objects.create(commission=c2, employee=e, role="expert", trained=False)
    got = codes(check_commission(c2))
    assert "V25" in got and "V26" in got  # untrained; no three Russian specialists
    try:
        order_docx(c2)
    except Refused as exc:
        assert {"V25", "V26"} <= {v.code for v in exc.violations}
    else:
        raise AssertionError("the order must be refused (V25, V26)")


def test_v28_head_must_be_head_or_deputy(region):
    _, members = valid_conduct_members(region)
    teacher = members[1][0]
    c = conduct(region, [(teacher, "conduct_head")] + members[2:] + [(members[0][0], "organizer_outside")])
    assert "V28" in codes(check_commission(c))


def test_v24_teaching_entered_on_the_employee_page_refuses_the_order(login, region):
    app = registered_application(region)  # 11 «а», school1
    _, members = valid_conduct_members(region)
    c = conduct(region, members)
    teacher = members[1][0]
    assert codes(check_commission(c)) == []
    client = login("school")
    response = client.post(
        f"/employees/{teacher.pk}/",
        {
            "action": "teaching",
            "t-academic_year": c.session.academic_year,
            "t-grade": "11",
            "t-class_letter": "",
            "t-subject": "История",
        },
    )
    assert response.status_code == 302
    assert TeachingAssignment.objects.get(employee=teacher).history.first().history_user == region.user("school")
    violations = check_commission(c)
    assert [v.code for v in violations if v.is_error] == ["V24"]
    assert teacher.full_name in violations[0].message and "по проведению" in violations[0].message
    response = login("mouo").get(f"/commissions/{c.pk}/order.docx")
    assert response.status_code == 302
    # Another academic year does not count («в текущем учебном году»).
    TeachingAssignment.objects.filter(employee=teacher).update(academic_year="2020/21")
    assert codes(check_commission(c)) == []
    assert app.participant.grade == 11
    # A user of another school cannot see the employee.
    assert login("school2").get(f"/employees/{teacher.pk}/").status_code == 404


def test_v27_relative_imported_from_xlsx_refuses_the_checking_order(login, region):
    app = registered_application(region)
    p = app.participant
    session = app.session
    specialists = list(
        Employee.objects.filter(organization__path__startswith=region.mouo1.path, is_russian_specialist=True)[:3]
    )
    if len(specialists) < 3:
        specialists += [
            Employee.objects.create(
                last_name=f"Словесник{i}",
                first_name="Иван",
                organization=region.school1b,
                position="Учитель русского языка",
                is_russian_specialist=True,
            )
            for i in range(3 - len(specialists))
        ]
    c = Commission.objects.create(session=session, kind="check", organization=region.mouo1)
    for e in specialists:
        CommissionMember.objects.create(commission=c, employee=e, role="expert", trained=True)
    # school teachers of school1 may not teach 11а — make sure no teaching data exists
    assert codes(check_commission(c)) == []
    relative_of = specialists[0]
    wb = Workbook()
    ws = wb.active
    ws.append(
        [
            "ФИО работника",
            "Фамилия родственника",
            "Имя родственника",
            "Отчество родственника",
            "Дата рождения родственника",
            "Степень родства",
        ]
    )
    ws.append(
        [
            relative_of.full_name,
            p.last_name.upper(),
            p.first_name,
            p.middle_name.replace("е", "ё"),
            p.birth_date.strftime("%d.%m.%Y"),
            "мать",
        ]
    )
    out = io.BytesIO()
    wb.save(out)
    client = login("mouo")
    out.seek(0)
    out.name = "rodstvenniki.xlsx"
    response = client.post("/employees/links/import/", {"kind": "relatives", "file": out}, follow=True)
    assert "Загружено записей: 1" in html.unescape(response.content.decode())
    assert CloseRelative.objects.get(employee=relative_of).kinship == "parent"
    violations = [v for v in check_commission(c) if v.code == "V27"]
    assert len(violations) == 1 and p.full_name in violations[0].message
    assert login("mouo").get(f"/commissions/{c.pk}/order.docx").status_code == 302


def test_links_import_is_all_or_nothing_with_russian_row_errors(login, region):
    teacher = Employee.objects.filter(organization=region.school1).first()
    csv = (
        "ФИО работника;Учебный год;Класс;Литера;Предмет\n"
        f"{teacher.full_name};2026/27;11А;;Математика\n"
        "Неизвестный Работник;2026/27;11;;\n"
        f"{teacher.full_name};26-27;11;;\n"
    ).encode("cp1251")
    f = io.BytesIO(csv)
    f.name = "uchitelya.csv"
    page = html.unescape(
        login("school").post("/employees/links/import/", {"kind": "teaching", "file": f}, follow=True).content.decode()
    )
    assert "Строка 3, столбец «ФИО работника»: работник «Неизвестный Работник» не найден" in page
    assert "Строка 4, столбец «Учебный год»: укажите учебный год в виде 2024/25" in page
    assert not TeachingAssignment.objects.exists()
    f = io.BytesIO(csv.decode("cp1251").rsplit("\n", 3)[0].encode("utf-8") + b"\n")
    f.name = "uchitelya.csv"
    page = html.unescape(
        login("school").post("/employees/links/import/", {"kind": "teaching", "file": f}, follow=True).content.decode()
    )
    assert "Загружено записей: 1" in page
    t = TeachingAssignment.objects.get()
    assert (t.grade, t.class_letter, t.subject) == (11, "а", "Математика")
    # the header is checked
    f = io.BytesIO("Кто;Что\nа;б\n".encode())
    f.name = "x.csv"
    page = html.unescape(
        login("school").post("/employees/links/import/", {"kind": "teaching", "file": f}, follow=True).content.decode()
    )
    assert "Нет столбцов: «ФИО работника», «Учебный год», «Класс»" in page


def test_v52_assistant_only_for_participants_with_ovz(login, region):
    """п. 7.11.5: a disabled participant without ОВЗ status gets no assistant (ASSISTANT_NEEDS_OVZ); with ОВЗ
    the assistant is saved."""
    from datetime import date

    from itog.exams.registration.services import register
    from tests.exams.fixtures import student_registration

    session = essay_session(region)
    disabled = register(
        student_registration(
            region.school1,
            personal={"health_category": "disabled", "document_number": "900001"},
            documents={"disability"},
        ),
        session,
        region.school1,
        today=date(2026, 11, 10),
    ).application
    assert disabled, "registration of a disabled participant"
    ovz = register(
        student_registration(
            region.school1,
            personal={"health_category": "ovz", "document_number": "900002", "last_name": "Овзова"},
            documents={"pmpk"},
        ),
        session,
        region.school1,
        today=date(2026, 11, 10),
    ).application
    _, members = valid_conduct_members(region)
    c = conduct(region, members)
    assistant = Employee.objects.filter(organization=region.school1, is_russian_specialist=True).first()
    client = login("mouo")
    page = html.unescape(
        client.post(
            f"/commissions/{c.pk}/",
            {"employee": assistant.pk, "role": "assistant", "assisted": [disabled.participant_id]},
        ).content.decode()
    )
    assert "Ассистент назначается для участников с ОВЗ (п. 7.11.5)." in page
    assert not CommissionMember.objects.filter(commission=c, role="assistant").exists()
    response = client.post(
        f"/commissions/{c.pk}/", {"employee": assistant.pk, "role": "assistant", "assisted": [ovz.participant_id]}
    )
    assert response.status_code == 302
    assert CommissionMember.objects.get(commission=c, role="assistant").assisted.get() == ovz.participant
