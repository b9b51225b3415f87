from django.contrib import messages
from django.shortcuts import redirect, render

from itog.accounts.scope import can, scoped_get
from itog.people.models import Employee, Student

from ..access import requires
from ..forms import StudentForm
from ..list_specs import EMPLOYEES, STUDENTS
from ..lists import export, list_or_export


@requires("students:view")
def student_list(request):
    ctx = list_or_export(request, STUDENTS)
    if not isinstance(ctx, dict):
        return ctx
    return render(request, "web/people/students.html", ctx)


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
    """The old export address: the same filtered export as ``?export=xlsx`` on the list."""
    return export(request, STUDENTS)


@requires("employees:view")
def employee_list(request):
    ctx = list_or_export(request, EMPLOYEES)
    if not isinstance(ctx, dict):
        return ctx
    return render(request, "web/people/employees.html", ctx)


@requires("employees:view")
def employee_detail(request, pk):
    employee = scoped_get(Employee.objects.select_related("organization"), request.user, pk=pk)
    return render(request, "web/people/employee.html", {"employee": employee})
