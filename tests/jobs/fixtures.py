from django.core.files.base import ContentFile

from itog.jobs.models import Job, JobStatus


def finished_job(region) -> int:
    """A finished job of school1 with a result file (for the permission matrix)."""
    job = Job(kind="test", title="Печать", organization=region.school1, status=JobStatus.DONE, result_name="r.txt")
    job.result.save("r.txt", ContentFile(b"result"), save=False)
    job.save()
    return job.pk
