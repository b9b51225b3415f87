from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render

from itog.accounts.scope import can, grants_of, scoped_get
from itog.jobs.imports import refused_table, start_import
from itog.orgs.models import Organization
from itog.people.links import KINDS
from itog.people.models import CloseRelative, Employee, Student, TeachingAssignment

from ..access import requires
from ..forms import (
    CloseRelativeForm,
    StaffLinksImportForm,
    StudentForm,
    TeachingAssignmentForm,
)
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
    return render(
        request,
        "web/people/student.html",
        {
            "student": student,
            "can_edit": can(request.user, student, "edit"),
            "history": student.history.select_related("history_user")[:20]
            if can(request.user, student, "edit")
            else None,
        },
    )


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
    """The employee, the classes they teach and the close relatives they declared (п. 3.2: V24, V27 —
    what keeps them out of a commission); both edited here by whoever may edit the employee."""
    employee = scoped_get(Employee.objects.select_related("organization"), request.user, pk=pk)
    can_edit = can(request.user, employee, "edit")
    teaching_form = TeachingAssignmentForm(prefix="t")
    relative_form = CloseRelativeForm(prefix="r")
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied("Недостаточно прав")
        action = request.POST.get("action")
        if action == "remove_teaching":
            TeachingAssignment.objects.for_user(request.user, "edit").filter(
                employee=employee, pk=request.POST.get("id")
            ).delete()
            return redirect("employee_detail", pk=pk)
        if action == "remove_relative":
            CloseRelative.objects.for_user(request.user, "edit").filter(
                employee=employee, pk=request.POST.get("id")
            ).delete()
            return redirect("employee_detail", pk=pk)
        form = (
            TeachingAssignmentForm(request.POST, prefix="t")
            if action == "teaching"
            else CloseRelativeForm(request.POST, prefix="r")
        )
        if action == "teaching":
            teaching_form = form
        else:
            relative_form = form
        if form.is_valid():
            obj = form.save(commit=False)
            obj.employee = employee
            if isinstance(obj, TeachingAssignment):
                obj.school = employee.organization
            else:
                from itog.people.links import link_student

                link_student(obj)
            obj._history_user = request.user
            try:
                obj.validate_constraints()
            except ValidationError:
                form.add_error(None, "Такая запись уже есть.")
            else:
                obj.save()
                messages.success(request, "Сохранено.")
                return redirect("employee_detail", pk=pk)
    return render(
        request,
        "web/people/employee.html",
        {
            "employee": employee,
            "can_edit": can_edit,
            "teaching": TeachingAssignment.objects.for_user(request.user).filter(employee=employee),
            "relatives": CloseRelative.objects.for_user(request.user).filter(employee=employee),
            "teaching_form": teaching_form,
            "relative_form": relative_form,
        },
    )


@requires("employees:edit")
def staff_links_import(request):
    """Directory import of teaching assignments or declared close relatives for the employees of the user's
    organization (п. 3.2; V24, V27). All or nothing."""
    grant = next((g for g in grants_of(request.user) if "employees:edit" in g.permissions), None)
    if grant is None:
        raise PermissionDenied("Недостаточно прав")
    org = scoped_get(Organization, request.user, pk=grant.org_id)
    form = StaffLinksImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        refusal = refused_table(data, upload.name)  # a hostile file never reaches a worker
        if refusal:
            report = {"errors": [refusal], "error_count": 1}
        else:  # checked and saved by a background job (issue 15); its page shows the outcome
            kind = form.cleaned_data["kind"]
            what = "преподавания" if kind == "teaching" else "близких родственников работников"
            job = start_import(
                "import-staff-links",
                f"Загрузка сведений {what} «{upload.name}»",
                org,
                request,
                data,
                upload.name,
                links=kind,
                org_id=org.pk,
            )
            return redirect("job_detail", pk=job.pk)
    return render(request, "web/people/links_import.html", {"form": form, "report": report, "org": org, "kinds": KINDS})
