"""Imports as background jobs (issue 15): the request refuses hostile files and queues a job; the job checks,
saves all or nothing with progress and audit, and a retried or duplicated run never imports twice."""

from __future__ import annotations

import html

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError

from itog.audit.models import AuditEvent, EventKind
from itog.exams.models import Application, Participant
from itog.jobs import runner
from itog.jobs.models import Job, JobStatus
from tests.core.test_limits import xlsx as far_xlsx
from tests.exams.test_import_db import essay_session, row, xlsx


def post(client, session, data, name="list.xlsx", follow=False):
    payload = {"file": SimpleUploadedFile(name, data), "consent_on": "2026-11-01"}
    return client.post(f"/sessions/{session.pk}/import/", payload, follow=follow)


def stored_uploads() -> int:
    return len(default_storage.listdir("jobs/uploads")[0]) if default_storage.exists("jobs/uploads") else 0


@pytest.fixture
def queued(monkeypatch):
    """Jobs are queued and wait (the thread backend's on_commit never fires inside a test): we play the worker."""
    monkeypatch.setenv("ITOG_JOB_BACKEND", "thread")


def test_upload_lands_on_the_job_page_which_shows_the_counts(login, region, sync_jobs):
    session = essay_session(region)
    client = login("school")
    response = post(client, session, xlsx([row(region, i) for i in range(5)]))
    assert response.status_code == 302 and response["Location"].startswith("/jobs/")
    job = Job.objects.get(kind="import-participants")
    assert job.status == JobStatus.DONE and job.organization == region.school1 and job.created_by.username == "school"
    assert job.outcome["created"] == 5 and job.outcome["saved"] is True
    assert (job.done, job.total) == (5, 5)  # progress: rows checked of the list's rows
    page = html.unescape(client.get(response["Location"]).content.decode())
    assert "завершено" in page and "Загружено заявлений: 5" in page and f"/sessions/{session.pk}/" in page
    assert Application.objects.filter(session=session).count() == 5
    # the stored upload (personal data) is removed once the job has decided
    assert not default_storage.exists(job.params["upload"])
    event = AuditEvent.objects.get(kind=EventKind.IMPORT, user=region.user("school"))
    assert event.ip == "127.0.0.1" and event.details["rows"] == 5


def test_bad_row_shows_the_row_errors_on_the_job_page_and_saves_nothing(login, region, sync_jobs):
    session = essay_session(region)
    client = login("school")
    rows = [row(region, 1), row(region, 2, **{"Класс": "10А"})]
    response = post(client, session, xlsx(rows), follow=True)
    text = html.unescape(response.content.decode())
    assert response.redirect_chain[0][0].startswith("/jobs/")
    assert "Список не загружен: ошибок — 1" in text and "Строка 3, столбец «Класс»" in text
    assert Participant.objects.count() == 0 and not AuditEvent.objects.filter(kind=EventKind.IMPORT).exists()
    assert Job.objects.get().outcome["saved"] is False


@pytest.mark.parametrize(
    "data,name,message",
    [
        (far_xlsx([["Фамилия", "Имя"], ["Орлов", "Петр"]], {"XFD1": "x"}), "list.xlsx", "XFD1"),
        (b"\xd0\xcf\x11\xe0" + b"\0" * 100, "list.xls", "Формат XLS (Excel 97–2003) не поддерживается"),
    ],
    ids=["xfd-cell", "xls"],
)
def test_hostile_or_wrong_file_is_refused_in_the_request_before_any_job(login, region, sync_jobs, data, name, message):
    session = essay_session(region)
    before = stored_uploads()
    response = post(login("school"), session, data, name=name)
    text = html.unescape(response.content.decode())
    assert response.status_code == 200 and message in text and "Список не загружен" in text
    assert not Job.objects.exists() and Participant.objects.count() == 0
    assert stored_uploads() == before  # nothing stored either


def test_user_of_another_school_or_municipality_gets_404_on_the_import_job(login, region, sync_jobs):
    session = essay_session(region)
    location = post(login("school"), session, xlsx([row(region, 1)]))["Location"]
    assert login("school").get(location).status_code == 200
    assert login("mouo").get(location).status_code == 200  # the school's municipality sees its jobs
    for other in ("school2", "mouo2"):
        assert login(other).get(location).status_code == 404
        assert login(other).get(location + "result/").status_code == 404


def test_redelivered_job_after_commit_imports_nothing_twice(login, region, queued):
    """acks_late: a worker that committed the import and died before marking the job done gets its message
    re-delivered (or the job taken over): the second run finds the outcome and does nothing."""
    session = essay_session(region)
    post(login("school"), session, xlsx([row(region, i) for i in range(3)]))
    job = Job.objects.get()
    assert job.status == JobStatus.QUEUED and default_storage.exists(job.params["upload"])
    assert runner.run_job(job.pk) == "done"
    assert Application.objects.count() == 3
    # the worker "died" after the commit: the job is running again under an expired lease
    Job.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, lease_until=None, finished_at=None)
    Job.objects.filter(pk=job.pk).update(status=JobStatus.QUEUED)
    assert runner.run_job(job.pk) == "done"
    assert Application.objects.count() == 3 and Participant.objects.count() == 3
    assert AuditEvent.objects.filter(kind=EventKind.IMPORT).count() == 1
    assert Job.objects.get(pk=job.pk).outcome["created"] == 3


def test_two_runs_racing_the_loser_rolls_back(login, region, queued):
    """A run that reaches its commit after another run recorded the outcome rolls its whole import back."""
    session = essay_session(region)
    post(login("school"), session, xlsx([row(region, i) for i in range(3)]))
    stale = Job.objects.get()  # the loser's copy: read before the winner finished
    Job.objects.filter(pk=stale.pk).update(outcome={"saved": True, "created": 3, "errors": [], "error_count": 0})
    runner.load_kinds()
    runner.REGISTRY["import-participants"](stale, **stale.params)
    assert Participant.objects.count() == 0 and Application.objects.count() == 0
    assert not AuditEvent.objects.filter(kind=EventKind.IMPORT).exists()


def test_transient_database_error_saves_nothing_and_the_retry_imports_once(login, region, queued, monkeypatch):
    import itog.exams.registration.importing as importing

    session = essay_session(region)
    post(login("school"), session, xlsx([row(region, i) for i in range(4)]))
    job = Job.objects.get()
    real = importing.create_with_history
    calls = []

    def flaky(model, objs, *args, **kwargs):
        calls.append(model.__name__)
        if model is Application:  # the database goes away after participants and consents were written
            raise OperationalError("server closed the connection unexpectedly")
        return real(model, objs, *args, **kwargs)

    monkeypatch.setattr(importing, "create_with_history", flaky)
    with pytest.raises(OperationalError):
        runner.run_job(job.pk)  # Celery retries it with back-off
    assert calls[:2] == ["Participant", "Consent"]
    assert Participant.objects.count() == 0  # one transaction: nothing half-saved
    again = Job.objects.get(pk=job.pk)
    assert again.status == JobStatus.QUEUED and again.outcome is None
    assert default_storage.exists(job.params["upload"])  # kept for the retry
    monkeypatch.setattr(importing, "create_with_history", real)
    assert runner.run_job(job.pk) == "done"
    assert Participant.objects.count() == 4 and Application.objects.count() == 4


def test_organization_directory_dry_run_and_staff_links_run_as_jobs(login, region, sync_jobs):
    from tests.orgs.test_directory_import import GOOD_ROWS
    from tests.orgs.test_directory_import import xlsx as org_xlsx

    client = login("rcoi")
    response = client.post(
        "/orgs/import/", {"file": SimpleUploadedFile("orgs.xlsx", org_xlsx(GOOD_ROWS)), "dry_run": "on"}, follow=True
    )
    text = html.unescape(response.content.decode())
    assert "Ошибок нет" in text and "Снимите отметку" in text
    job = Job.objects.get(kind="import-orgs")
    assert job.organization == region.ministry and job.outcome["dry_run"] is True
    # a school operator sees nothing of the region's directory job
    assert login("school").get(f"/jobs/{job.pk}/").status_code == 404


def test_plan_import_saves_in_a_job_and_not_a_plan_is_refused_in_the_request(login, region, sync_jobs):
    from itog.plans.models import Plan

    text = (
        "План-график проведения итогового сочинения в 2015 году\n\n№\tСодержание работы\tСроки\tОтветственные\n"
        "1.\tПриём заявлений\tдо 19.11.2014\tМОУО\n2.\tПроведение сочинения\t03.12.2014\tОО\n"
    )
    client = login("rcoi")
    response = client.post("/plans/import/", {"file": SimpleUploadedFile("plan.txt", text.encode()), "format": "auto"})
    job = Job.objects.get(kind="import-plan")
    assert response["Location"] == f"/jobs/{job.pk}/" and job.outcome["items"] == 2
    plan = Plan.objects.get()
    assert job.outcome["plan"] == plan.pk and plan.items.count() == 2
    assert AuditEvent.objects.filter(kind=EventKind.IMPORT, details__plan=plan.pk).exists()
    response = client.post(
        "/plans/import/", {"file": SimpleUploadedFile("photo.jpg", b"\xff\xd8\xff\xe0" + b"\0" * 64), "format": "auto"}
    )
    assert response.status_code == 200 and Job.objects.count() == 1


def test_import_failing_for_good_removes_its_stored_upload(login, region, queued, monkeypatch):
    """A participant list is personal data: an import that fails with an unexpected error (not retried) or
    after its last allowed attempt does not leave the uploaded file in storage."""
    import itog.exams.registration.importing as importing

    session = essay_session(region)
    post(login("school"), session, xlsx([row(region, i) for i in range(2)]))
    job = Job.objects.get()
    assert default_storage.exists(job.params["upload"])

    def broken(*args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(importing, "create_with_history", broken)
    assert runner.run_job(job.pk) == "failed"
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED
    assert not default_storage.exists(job.params["upload"])
    assert Participant.objects.count() == 0

    # a job that kept being interrupted: refused at its next claim, its upload removed too
    monkeypatch.undo()
    monkeypatch.setenv("ITOG_JOB_BACKEND", "thread")
    post(login("school"), session, xlsx([row(region, i) for i in range(2)]))
    second = Job.objects.order_by("-pk").first()
    from django.conf import settings

    Job.objects.filter(pk=second.pk).update(attempts=settings.ITOG_JOB_MAX_ATTEMPTS)
    assert runner.run_job(second.pk) == "failed"
    assert not default_storage.exists(second.params["upload"])
