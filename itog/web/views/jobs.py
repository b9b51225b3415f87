from django.http import FileResponse, Http404
from django.shortcuts import render

from itog.accounts.scope import scoped_get
from itog.jobs.models import Job

from ..access import requires
from ..import_jobs import REPORT_TEMPLATES


@requires("jobs:view")
def job_detail(request, pk):
    """Progress of a long job; the page polls this URL (HTMX) until the job ends."""
    job = scoped_get(Job, request.user, pk=pk)
    template = "web/jobs/_progress.html" if request.htmx else "web/jobs/detail.html"
    return render(request, template, {"job": job, "report_template": REPORT_TEMPLATES.get(job.kind)})


@requires("jobs:view")
def job_result(request, pk):
    job = scoped_get(Job, request.user, pk=pk)
    if not job.result:
        raise Http404("Результата нет")
    return FileResponse(job.result.open("rb"), as_attachment=True, filename=job.result_name or job.result.name)
