from django.db.models import Count, Q, Sum
from django.shortcuts import render

from itog.accounts.scope import grants_of, has_perm
from itog.audit.models import AuditEvent, EventKind
from itog.exams.models import ExamSession
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization, Place, Room
from itog.people.models import Student

from ..access import requires

# A country-size region has 2,300 МОУО: the home page shows the first ones and links to the directory.
HOME_MUNICIPALITIES = 40


@requires()
def home(request):
    user = request.user
    grants = grants_of(user)
    context = {"grants": grants}
    orgs = Organization.objects.for_user(user)
    if has_perm(user, "orgs:view"):
        counts = orgs.aggregate(
            municipalities=Count("pk", filter=Q(kind=OrgKind.MOUO)),
            schools=Count("pk", filter=Q(kind=OrgKind.SCHOOL)),
        )
        context["counts"] = counts
        context["places"] = Place.objects.for_user(user).count()
        context["seats"] = Room.objects.for_user(user).aggregate(n=Sum("capacity"))["n"] or 0
        context["home_orgs"] = orgs.filter(pk__in=[g.org_id for g in grants])
    if has_perm(user, "students:view"):
        students = Student.objects.for_user(user)
        context["students_by_grade"] = list(
            students.filter(grade__in=[9, 11]).values("grade").annotate(n=Count("pk")).order_by("grade")
        )
        context["own_student"] = students.filter(user=user).first()
    if has_perm(user, "dashboard:region") and has_perm(user, "orgs:view"):
        context["municipality_table"] = (
            orgs.filter(kind=OrgKind.MOUO)
            .annotate(n_schools=Count("children", filter=Q(children__kind=OrgKind.SCHOOL)))
            .order_by("name")[:HOME_MUNICIPALITIES]
        )
    if has_perm(user, "audit:view"):
        context["recent_events"] = AuditEvent.objects.for_user(user)[:8]
        context["failed_logins"] = AuditEvent.objects.for_user(user).filter(kind=EventKind.LOGIN_FAILED).count()
    # Roles with one job land on it: the commission chair on the exam day, the authorized person on the
    # transfer of marks, the expert on the works — the sessions of the current and last academic year.
    if has_perm(user, "examday:view") or has_perm(user, "works:transfer"):
        context["work_sessions"] = list(ExamSession.objects.for_user(user).order_by("-date")[:6])
    return render(request, "web/home.html", context)
