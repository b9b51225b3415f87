from django.http import FileResponse, Http404
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse

from itog.accounts.scope import scoped_get
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


@requires("jobs:view")
def job_result(request, pk):
    job = scoped_get(Job, request.user, pk=pk)
    if not job.result:
        raise Http404("Результата нет")
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name or job.result.name)
