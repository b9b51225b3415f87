from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import redirect, render

from itog.accounts.scope import can, scoped_get
from itog.audit.services import record_export
from itog.core.tables import write_xlsx
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization
from itog.people.models import Employee, Student

from ..access import requires
from ..forms import StudentForm

STUDENT_EXPORT_HEADER = ["Фамилия", "Имя", "Отчество", "Пол", "Дата рождения", "Гражданство", "СНИЛС",
                         "Документ", "Серия", "Номер", "Код ОО", "ОО", "Класс", "Категория"]


def _students(request):
    students = Student.objects.for_user(request.user).select_related("school")
    q = request.GET.get("q", "").strip()
    if q:
        for word in q.split()[:3]:
            students = students.filter(Q(last_name__istartswith=word) | Q(first_name__istartswith=word)
                                       | Q(middle_name__istartswith=word) | Q(document_number=word))
    grade = request.GET.get("grade", "")
    if grade.isdigit():
        students = students.filter(grade=int(grade))
    school = request.GET.get("school", "")
    if school.isdigit():
        students = students.filter(school_id=int(school))
    return students


@requires("students:view")
def student_list(request):
    page = Paginator(_students(request), 50).get_page(request.GET.get("page"))
    schools = Organization.objects.for_user(request.user).filter(kind=OrgKind.SCHOOL).order_by("name")
    template = "web/people/_students_table.html" if request.htmx else "web/people/students.html"
    return render(request, template, {"page": page, "schools": schools, "query": request.GET})


@requires("students:view")
def student_detail(request, pk):
    student = scoped_get(Student.objects.select_related("school"), request.user, pk=pk)
    return render(request, "web/people/student.html", {
        "student": student,
        "can_edit": can(request.user, student, "edit"),
        "history": student.history.select_related("history_user")[:20] if can(request.user, student, "edit") else None,
    })


@requires("students:edit")
def student_edit(request, pk):
    student = scoped_get(Student, request.user, "edit", pk=pk)
    form = StudentForm(request.POST or None, instance=student, user=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Сохранено: {student.full_name}")
        return redirect("student_detail", pk=student.pk)
    return render(request, "web/people/student_edit.html", {"form": form, "student": student})


@requires("students:export")
def student_export(request):
    students = _students(request) & Student.objects.for_user(request.user, "export")
    rows = [
        [s.last_name, s.first_name, s.middle_name, s.get_sex_display(), s.birth_date.strftime("%d.%m.%Y"),
         s.citizenship, s.snils, s.get_document_type_display(), s.document_series, s.document_number,
         s.school.code, s.school.display_name, s.class_name, s.get_health_category_display()]
        for s in students.iterator(chunk_size=2000)
    ]
    # Personal data leaves the system: who, when, how many rows (A37; audit).
    record_export(request, "Список обучающихся", len(rows), personal_data=True, fmt="xlsx")
    response = HttpResponse(write_xlsx(STUDENT_EXPORT_HEADER, rows, "Обучающиеся"),
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = 'attachment; filename="students.xlsx"'
    return response


@requires("employees:view")
def employee_list(request):
    employees = Employee.objects.for_user(request.user).select_related("organization")
    q = request.GET.get("q", "").strip()
    if q:
        employees = employees.filter(Q(last_name__istartswith=q) | Q(subjects__icontains=q)
                                     | Q(position__icontains=q))
    if request.GET.get("russian") == "1":
        employees = employees.filter(is_russian_specialist=True)
    page = Paginator(employees, 50).get_page(request.GET.get("page"))
    return render(request, "web/people/employees.html", {"page": page, "query": request.GET})


@requires("employees:view")
def employee_detail(request, pk):
    employee = scoped_get(Employee.objects.select_related("organization"), request.user, pk=pk)
    return render(request, "web/people/employee.html", {"employee": employee})
