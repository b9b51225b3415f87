from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from itog.accounts.scope import may_in, scoped_get
from itog.audit.models import EventKind
from itog.audit.services import record
from itog.core.plural import count_of
from itog.jobs.models import Job

from ..access import requires
from ..import_jobs import REPORT_TEMPLATES

# The page each kind of job is started from: its job page links back there, finished or failed (the target
# page checks the user's access again). Kind → (URL name, the job parameter that is the URL's pk, label).
BACK_LINKS: dict[str, tuple[str, str | None, str]] = {
    "interview-region-schedule": ("interview_entry", "session_id", "К проведению собеседования"),
    "print-kits": ("session_print", "session_id", "К печати комплектов"),
    "import-participants": ("import_participants", "session_id", "К загрузке списка участников"),
    "import-orgs": ("org_import", None, "К загрузке справочника организаций"),
    "import-staff-links": ("staff_links_import", None, "К загрузке сведений о работниках"),
    "import-plan": ("plan_import", None, "К загрузке плана"),
}


def back_link(job: Job, user) -> tuple[str, str] | None:
    """(URL, label) of the page the job was started from, or None."""
    if job.kind == "scan-batch":
        from itog.scan.models import ScanBatch

        batches = ScanBatch.objects.for_user(user).filter(job=job)
        session_id = batches.values_list("session_id", flat=True).first()
        return (reverse("session_scanning", args=[session_id]), "К загрузке бланков") if session_id else None
    if job.kind not in BACK_LINKS:
        return None
    name, key, label = BACK_LINKS[job.kind]
    params = job.params if isinstance(job.params, dict) else {}
    try:
        return reverse(name, args=[params[key]] if key else []), label
    except (KeyError, NoReverseMatch):
        return None


@requires("jobs:view")
def job_detail(request, pk):
    """Progress of a long job; the page polls this URL (HTMX) until the job ends."""
    job = scoped_get(Job, request.user, pk=pk)
    template = "web/jobs/_progress.html" if request.htmx else "web/jobs/detail.html"
    context = {"job": job, "report_template": REPORT_TEMPLATES.get(job.kind), "back": back_link(job, request.user)}
    return render(request, template, context)


def result_access(job: Job) -> tuple[str | None, bool]:
    """(the permission a user needs in the job's organization to take its result file, whether the file holds
    personal data). Seeing a job (``jobs:view``: its progress) is not taking its file: an export of the
    students list needs ``students:export``, the kits (lists of names) the right to print them. A kind not
    named here: only the user who started the job."""
    if job.kind == "list-export":
        from ..lists import REGISTRY

        spec = REGISTRY.get((job.params or {}).get("list", ""))
        return (spec.export_perm or None, spec.personal_data) if spec else (None, True)
    if job.kind == "print-kits":  # the region's kits (РЦОИ) or a school's own venue (ОО), as session_print
        return ("sessions:edit" if (job.params or {}).get("venue_id") is None else "participants:edit"), True
    return None, True


@requires("jobs:view")
def job_result(request, pk):
    job = scoped_get(Job.objects.select_related("organization"), request.user, pk=pk)
    if not job.result:
        raise Http404("Результата нет")
    perm, personal = result_access(job)
    own = job.created_by_id is not None and job.created_by_id == request.user.pk
    if not own and not (perm and may_in(request.user, perm, job.organization)):
        raise PermissionDenied("Недостаточно прав: файл задания может получить тот, кто вправе сделать такую выгрузку")
    # every taking of the file is an export of its data (A37): who, when, which job
    fmt = (job.result_name or job.result.name).rsplit(".", 1)[-1].lower()
    record(
        EventKind.PD_EXPORT if personal else EventKind.EXPORT,
        request,
        description=f"Файл задания № {job.pk} «{job.title}»: {count_of(job.total, 'запись', 'записи', 'записей')} ({fmt})",
        what=job.title,
        rows=job.total,
        format=fmt,
        job=job.pk,
    )
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name or job.result.name)
