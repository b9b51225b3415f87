from django.core.files.base import ContentFile

from itog.jobs.models import Job, JobStatus


def finished_job(region) -> int:
    """A finished job of school1 with a result file (for the permission matrix)."""
    job = Job(kind="test", title="Печать", organization=region.school1, status=JobStatus.DONE, result_name="r.txt")
    job.result.save("r.txt", ContentFile(b"result"), save=False)
    job.save()
    return job.pk


def finished_import_job(region) -> int:
    """A finished participant-list import of school1 with its outcome (row errors shown on the job page)."""
    job = Job.objects.create(
        kind="import-participants",
        title="Загрузка списка участников",
        organization=region.school1,
        status=JobStatus.DONE,
        outcome={"saved": False, "created": 0, "errors": ["Строка 3, столбец «Класс»: …"], "error_count": 1},
    )
    return job.pk


def students_export_job(region) -> int:
    """A finished background export of school1's students list, started by the school's operator."""
    job = Job(
        kind="list-export",
        title="Выгрузка XLSX: Обучающиеся",
        organization=region.school1,
        created_by=region.user("school"),
        status=JobStatus.DONE,
        params={"list": "students", "query": {}, "kwargs": {}},
        result_name="students.xlsx",
    )
    job.result.save("students.xlsx", ContentFile(b"PK"), save=False)
    job.save()
    return job.pk
