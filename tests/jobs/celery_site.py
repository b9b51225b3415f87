"""A throw-away Itog site for the tests and benchmarks that run real Celery workers in subprocesses.

    python -m tests.jobs.celery_site setup PAGES [BATCHES]   migrate, a region, a session, BATCHES (1) batches
                                                             of PAGES distinct scans each
    python -m tests.jobs.celery_site start BATCH     start the batch's recognition job (goes to Redis)
    python -m tests.jobs.celery_site state BATCH     JSON: the job, its chunks and the pages read
    python -m tests.jobs.celery_site import ROWS     a small demo region, then a ROWS-row participant list
                                                     uploaded by a school: the import job goes to Redis
    python -m tests.jobs.celery_site import-state JOB  JSON: the import job and what it saved
    python -m tests.jobs.celery_site import-crash JOB  as if its worker died after the import committed

Run with ``ITOG_DATA_DIR``/``ITOG_DATABASE_URL``/``ITOG_REDIS_URL`` of the site (see :func:`site_env`).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path


def site_env(data_dir: Path, redis_url: str, **extra: str) -> dict[str, str]:
    root = Path(__file__).resolve().parents[2]
    env = {
        **os.environ,
        "ITOG_DATA_DIR": str(data_dir),
        "ITOG_DATABASE_URL": f"sqlite:///{data_dir / 'itog.sqlite3'}",
        "ITOG_REDIS_URL": redis_url,
        "ITOG_JOB_BACKEND": "celery",
        "DJANGO_SETTINGS_MODULE": "itog.settings",
        "PYTHONPATH": os.pathsep.join(p for p in (str(root), os.environ.get("PYTHONPATH", "")) if p),
        **extra,
    }
    return env


def setup(pages: int, batches: int = 1) -> None:
    import datetime
    import hashlib

    import cv2
    import numpy as np
    from django.core.files.base import ContentFile
    from django.core.management import call_command

    from itog.blanks import codes
    from itog.exams.models import ExamSession
    from itog.orgs.models import Organization
    from itog.scan import synth
    from itog.scan.models import ScanBatch, ScanFile
    from tests.scan.helpers import kit_page, marked_page

    call_command("migrate", verbosity=0)
    region = Organization.objects.create(kind="ministry", code="000000", name="Министерство")

    session = ExamSession.objects.create(
        region=region,
        academic_year="2025/2026",
        stage="main",
        date=datetime.date(2025, 12, 3),
        rule_date=datetime.date(2025, 12, 3),
    )
    made = []
    for b in range(batches):
        batch = ScanBatch.objects.create(session=session)
        made.append(batch.pk)
        for i in range(pages):
            n = b * pages + i
            code = codes.make_code(23, 61, 1000 + n % 4)
            if n % 4 == 0:
                image, _ = marked_page(dpi=200, seed=n, distort=True)
            else:
                image, _ = synth.distort(kit_page(dpi=200, code=code), 200, np.random.default_rng(n))
            ok, png = cv2.imencode(".png", image)
            assert ok
            data = png.tobytes()
            sha = hashlib.sha256(data).hexdigest()
            f = ScanFile(session=session, batch=batch, name=f"page-{n:04d}.png", sha256=sha)
            f.stored.save(f"{session.pk}/{sha}.png", ContentFile(data), save=False)
            f.save()
    print(json.dumps({"batch": made[0], "batches": made, "session": session.pk}))


def start(batch_id: int) -> None:
    from itog.jobs.runner import enqueue
    from itog.scan.models import ScanBatch

    batch = ScanBatch.objects.select_related("session").get(pk=batch_id)
    batch.job = enqueue("scan-batch", "Распознавание", batch.session.region, batch_id=batch.pk)
    batch.save(update_fields=["job"])
    print(json.dumps({"job": batch.job_id}))


def state(batch_id: int) -> None:
    from django.db.models import Count

    from itog.jobs.models import JobChunk
    from itog.scan.models import ScanBatch, ScanPage

    batch = ScanBatch.objects.select_related("job").get(pk=batch_id)
    job = batch.job
    pages = ScanPage.objects.filter(file__batch=batch)
    dupes = list(pages.values("file_id", "page").annotate(n=Count("id")).filter(n__gt=1).values_list("file_id", "page"))
    print(
        json.dumps(
            {
                "status": job.status if job else None,
                "error": job.error if job else "",
                "done": job.done if job else 0,
                "total": job.total if job else 0,
                "attempts": job.attempts if job else 0,
                "pages": pages.count(),
                "files": batch.files.count(),
                "duplicates": dupes,
                "chunks": list(JobChunk.objects.filter(job=job).values("index", "status", "attempts", "worker"))
                if job
                else [],
                "first_read": pages.order_by("read_at").values_list("read_at", flat=True).first().isoformat()
                if pages.exists()
                else None,
                "last_read": pages.order_by("-read_at").values_list("read_at", flat=True).first().isoformat()
                if pages.exists()
                else None,
            }
        )
    )


def participant_list(school_code: str, rows: int, first: int = 0) -> bytes:
    """A participant list (XLSX, the essay's columns) of ``rows`` valid rows for one school."""
    import io

    from openpyxl import Workbook

    from itog.exams.kinds.essay.participants_import import HEADER

    wb = Workbook(write_only=True)
    ws = wb.create_sheet()
    ws.append(HEADER)
    for i in range(first, first + rows):
        values = {
            "Фамилия": "Орлов",
            "Имя": "Петр",
            "Отчество": "Ильич",
            "Пол": "м",
            "Дата рождения": "12.05.2009",
            "Гражданство": "Российская Федерация",
            "Вид документа": "Паспорт гражданина РФ",
            "Серия": "4511",
            "Номер": f"{100000 + i}",
            "Код ОО": school_code,
            "Класс": "11А",
            "Категория участника": "обучающийся XI–XII класса",
            "Форма": "сочинение",
            "С Памяткой ознакомлен(а)": "да",
        }
        ws.append([values.get(h, "") for h in HEADER])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def import_site(rows: int) -> None:
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from itog.demo.generate import DemoSize, generate
    from itog.exams.registration.services import ensure_sessions
    from itog.jobs.imports import start_import
    from itog.orgs.models import Organization

    call_command("migrate", verbosity=0)
    region = generate(
        "site-password",
        seed=7,
        size=DemoSize(schools=4, grade11=10, grade9=0, teachers_per_school=1),
        progress=lambda *a: None,
    ).region
    user = get_user_model().objects.get(username="school")
    school = Organization.objects.get(pk=user.memberships.get().organization_id)
    session = ensure_sessions(region, "2027/28")[0]  # next year's main date: registration is open
    request = SimpleNamespace(user=user, META={"REMOTE_ADDR": "10.0.0.7", "HTTP_USER_AGENT": "celery-site"})
    job = start_import(
        "import-participants",
        "Загрузка списка участников",
        school,
        request,
        participant_list(school.code, rows),
        "list.xlsx",
        session_id=session.pk,
        org_id=school.pk,
        consent_on="2026-11-01",
        partial=False,
    )
    print(json.dumps({"job": job.pk}))


def import_state(job_id: int) -> None:
    from django.core.files.storage import default_storage

    from itog.audit.models import AuditEvent, EventKind
    from itog.exams.models import Application, Participant
    from itog.jobs.models import Job

    job = Job.objects.get(pk=job_id)
    print(
        json.dumps(
            {
                "status": job.status,
                "error": job.error,
                "done": job.done,
                "total": job.total,
                "attempts": job.attempts,
                "outcome": job.outcome,
                "upload_kept": default_storage.exists(job.params["upload"]),
                "participants": Participant.objects.count(),
                "applications": Application.objects.count(),
                "audit": list(AuditEvent.objects.filter(kind=EventKind.IMPORT).values_list("ip", flat=True)),
            }
        )
    )


def import_crash(job_id: int) -> None:
    """The worker committed the import and died before marking the job done: running, lease run out."""
    import datetime

    from django.utils import timezone

    from itog.jobs.models import Job, JobStatus

    Job.objects.filter(pk=job_id).update(
        status=JobStatus.RUNNING,
        stage="",
        finished_at=None,
        worker="dead@host",
        lease_until=timezone.now() - datetime.timedelta(seconds=1),
    )
    print(json.dumps({"job": job_id}))


if __name__ == "__main__":
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "itog.settings")
    django.setup()
    action, numbers = sys.argv[1], [int(x) for x in sys.argv[2:]]
    {
        "setup": setup,
        "start": start,
        "state": state,
        "import": import_site,
        "import-state": import_state,
        "import-crash": import_crash,
    }[action](*numbers)
