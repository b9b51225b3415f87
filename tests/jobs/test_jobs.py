"""Long jobs: progress, result, failure, the database queue for workers on other machines."""

from __future__ import annotations

import pytest

from itog.jobs.models import Job, JobStatus
from itog.jobs.runner import enqueue, job, progress, run_job, take_next


@job("test-echo")
def echo_job(current, count=3, fail=False):
    for i in range(count):
        progress(current, i + 1, count, f"шаг {i + 1}")
    if fail:
        raise ValueError("сломалось на последнем шаге")
    return "echo.txt", f"готово: {count}".encode()


@pytest.fixture
def sync_jobs(monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "sync")


def test_job_runs_reports_progress_and_keeps_result(login, region, sync_jobs):
    done = enqueue("test-echo", "Проверка", region.school1, user=region.user("school"), count=5)
    assert done.status == JobStatus.DONE and done.done == 5 and done.total == 5 and done.percent == 100
    client = login("school")
    page = client.get(f"/jobs/{done.pk}/").content.decode()
    assert "завершено" in page and "hx-trigger" not in page, "a finished job stops polling"
    data = b"".join(client.get(f"/jobs/{done.pk}/result/").streaming_content)
    assert data == "готово: 5".encode()
    assert login("school2").get(f"/jobs/{done.pk}/").status_code == 404


def test_failed_job_shows_its_error(login, region, sync_jobs):
    failed = enqueue("test-echo", "Сбой", region.school1, fail=True)
    assert failed.status == JobStatus.FAILED and "сломалось" in failed.error
    assert "Задание завершилось с ошибкой" in login("school").get(f"/jobs/{failed.pk}/").content.decode()


def test_running_job_page_polls(login, region, monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "db")
    queued = enqueue("test-echo", "В очереди", region.school1)
    page = login("school").get(f"/jobs/{queued.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in page and "в очереди" in page


def test_database_queue_for_workers(region, monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "db")
    first = enqueue("test-echo", "1", region.school1)
    second = enqueue("test-echo", "2", region.school1)
    assert Job.objects.get(pk=first.pk).status == JobStatus.QUEUED
    assert take_next() == first.pk
    run_job(first.pk)
    assert take_next() == second.pk
    run_job(second.pk)
    assert take_next() is None
    assert set(Job.objects.values_list("status", flat=True)) == {JobStatus.DONE}
