from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone

from itog.accounts.scope import grants_of, has_perm, scoped_get
from itog.exams.models import Application, ExamSession, Submission
from itog.exams.importing import import_participants
from itog.exams.participants_import import HEADER
from itog.exams.services import deadlines, reconcile, register, submit_list
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization

from ..access import requires
from ..forms import ParticipantImportForm, RegistrationForm


def _own_org(user, perm):
    """The organization the user acts for (registers, submits) — their first membership granting ``perm``."""
    grant = next((g for g in grants_of(user) if perm in g.permissions), None)
    if grant is None:
        raise PermissionDenied("Недостаточно прав")
    return Organization.objects.for_user(user).get(pk=grant.org_id)


@requires("sessions:view")
def session_list(request):
    sessions = ExamSession.objects.for_user(request.user)
    return render(request, "web/exams/sessions.html", {
        "sessions": [(s, deadlines(s)) for s in sessions], "today": timezone.localdate()})


@requires("participants:view")
def session_participants(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    apps = (Application.objects.for_user(request.user).filter(session=session)
            .select_related("participant", "participant__registration_org").order_by("participant__last_name"))
    submissions = Submission.objects.for_user(request.user).filter(session=session).select_related("from_org")
    can_register = has_perm(request.user, "participants:edit")
    return render(request, "web/exams/participants.html", {
        "session": session, "apps": apps, "submissions": submissions, "can_register": can_register,
        "can_submit": has_perm(request.user, "participants:submit"), "deadlines": deadlines(session),
    })


@requires("participants:edit")
def register_participant(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    org = _own_org(request.user, "participants:edit")
    form = RegistrationForm(request.POST or None, initial={"category": "student", "grade": 11})
    if request.method == "POST" and form.is_valid():
        school = org if org.kind == OrgKind.SCHOOL else None
        result = register(form.registration(school), session, org, user=request.user)
        if result.application:
            messages.success(request, f"Заявление зарегистрировано: № {result.application.registration_number}.")
            return redirect("session_participants", pk=session.pk)
        form.add_violations(result.violations)
    return render(request, "web/exams/register.html", {"session": session, "form": form, "org": org})


@requires("participants:submit")
def submit_participants(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    if request.method != "POST":
        return redirect("session_participants", pk=session.pk)
    org = _own_org(request.user, "participants:submit")
    result = submit_list(session, org, user=request.user)
    if result.submission is None:
        messages.error(request, result.violations[0].message)
    elif result.violations:
        messages.warning(request, f"Список передан ({result.submission.applications}), но с опозданием: "
                                  f"{result.violations[0].message}")
    else:
        messages.success(request, f"Список передан: заявлений — {result.submission.applications}.")
    return redirect("session_participants", pk=session.pk)


@requires("participants:view")
def reconciliation(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    return render(request, "web/exams/reconciliation.html", {"session": session, "r": reconcile(session, request.user)})


@requires("participants:view")
def application_detail(request, pk):
    app = scoped_get(Application.objects.select_related("participant", "session", "participant__registration_org"),
                     request.user, pk=pk)
    return render(request, "web/exams/application.html", {
        "a": app, "p": app.participant, "documents": app.participant.documents.all(),
        "consents": app.participant.consents.all(),
        "history": app.history.select_related("history_user")[:20]})


@requires("participants:edit")
def import_participants_view(request, pk):
    session = scoped_get(ExamSession, request.user, pk=pk)
    org = _own_org(request.user, "participants:edit")
    form = ParticipantImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = import_participants(upload.read(), upload.name, session, org, request.user,
                                     form.cleaned_data["consent_on"], partial=form.cleaned_data["partial"],
                                     request=request)
        if report.saved:
            messages.success(request, f"Загружено заявлений: {report.created}.")
    return render(request, "web/exams/import.html", {"session": session, "form": form, "report": report,
                                                     "columns": HEADER, "org": org})
