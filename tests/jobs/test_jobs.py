"""Long jobs: progress, result, failure; leases, chunks and the take-over of a dead worker's job (embedded
engine; the same code under real Celery workers is in test_celery.py)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import OperationalError
from django.utils import timezone

from itog.jobs.models import ChunkStatus, Job, JobChunk, JobStatus
from itog.jobs.runner import (
    chunk_handler,
    enqueue,
    fan_out,
    finisher,
    job,
    maybe_finish,
    progress,
    reclaim,
    run_chunk,
    run_job,
)

SEEN: list = []


@job("test-echo")
def echo_job(current, count=3, fail=False):
    for i in range(count):
        progress(current, i + 1, count, f"шаг {i + 1}")
    if fail:
        raise ValueError("сломалось на последнем шаге")
    return "echo.txt", f"готово: {count}".encode()


@job("test-split")
def split_job(current, parts=3):
    progress(current, 0, parts)
    return fan_out(current, "test-part", [{"n": i} for i in range(parts)], "test-join")


@chunk_handler("test-part")
def part(current, n):
    SEEN.append(n)


@finisher("test-join")
def join(current, parts=3):
    return "join.txt", ",".join(str(n) for n in sorted(SEEN)).encode()


@pytest.fixture
def sync_jobs(monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "sync")
    SEEN.clear()


def test_job_runs_reports_progress_and_keeps_result(login, region, sync_jobs):
    done = enqueue("test-echo", "Проверка", region.school1, user=region.user("school"), count=5)
    assert done.status == JobStatus.DONE and done.done == 5 and done.total == 5 and done.percent == 100
    assert done.lease_until is None and done.attempts == 1
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


def test_a_program_error_is_named_in_russian_and_its_traceback_kept_for_the_administrator(
    login, region, sync_jobs, monkeypatch
):
    from itog.jobs import runner

    def broken(current, **params):
        raise KeyError("session_id")

    monkeypatch.setitem(runner.REGISTRY, "test-echo", broken)
    failed = enqueue("test-echo", "Сбой программы", region.school1)
    assert "Traceback" in failed.error and "KeyError" in failed.error
    page = login("school").get(f"/jobs/{failed.pk}/").content.decode()
    assert f"внутренняя ошибка программы. Сообщите администратору номер задания — {failed.pk}." in page
    assert "Traceback" not in page and "KeyError" not in page
    admin = region.user("school")
    admin.is_superuser = True
    admin.save(update_fields=["is_superuser"])
    assert "Traceback" in login("school").get(f"/jobs/{failed.pk}/").content.decode()


def test_a_finished_or_failed_job_links_back_to_where_it_was_started(login, region, sync_jobs):
    from itog.jobs.runner import _fail
    from itog.web.views.jobs import BACK_LINKS

    assert {"interview-region-schedule", "print-kits", "import-participants", "import-plan"} <= BACK_LINKS.keys()
    failed = Job.objects.create(
        kind="interview-region-schedule", title="Расписание", organization=region.ministry, params={"session_id": 77}
    )
    _fail(failed.pk, "Нет аудиторий с записью в регионе.")
    page = login("minobr").get(f"/jobs/{failed.pk}/").content.decode()
    assert "Задание завершилось с ошибкой: Нет аудиторий с записью в регионе." in page
    assert 'href="/sessions/77/interview/" id="job-back">К проведению собеседования<' in page
    echo = enqueue("test-echo", "Без страницы", region.school1)  # a kind with no page of its own: no link
    assert 'id="job-back"' not in login("school").get(f"/jobs/{echo.pk}/").content.decode()


def test_running_job_page_polls(login, region, monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "thread")  # on_commit never fires in the test: stays queued
    queued = enqueue("test-echo", "В очереди", region.school1)
    page = login("school").get(f"/jobs/{queued.pk}/", HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 1s"' in page and "в очереди" in page


def test_a_job_is_claimed_once(region, sync_jobs, monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "thread")
    queued = enqueue("test-echo", "1", region.school1)
    assert run_job(queued.pk) == "done"
    assert run_job(queued.pk) == "not-claimed", "a duplicate message finds the job done"
    assert Job.objects.get(pk=queued.pk).attempts == 1


def test_a_live_lease_is_respected_an_expired_one_taken_over(region, sync_jobs, monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "thread")
    stuck = enqueue("test-echo", "упавший обработчик", region.school1)
    Job.objects.filter(pk=stuck.pk).update(
        status=JobStatus.RUNNING, worker="dead:1", lease_until=timezone.now() + timedelta(seconds=30), attempts=1
    )
    assert run_job(stuck.pk) == "not-claimed" and reclaim() == []
    Job.objects.filter(pk=stuck.pk).update(lease_until=timezone.now() - timedelta(seconds=1))
    monkeypatch.setenv("ITOG_JOB_BACKEND", "sync")  # the take-over runs it here
    assert reclaim() == [stuck.pk]
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.DONE and stuck.attempts == 2 and stuck.worker != "dead:1"


def test_chunks_then_finish_once(region, sync_jobs):
    done = enqueue("test-split", "части", region.school1, parts=4)
    assert done.status == JobStatus.DONE, done.error
    assert sorted(SEEN) == [0, 1, 2, 3]
    assert b"".join(done.result.open("rb")) == b"0,1,2,3"
    assert set(JobChunk.objects.filter(job=done).values_list("status", flat=True)) == {ChunkStatus.DONE}
    assert maybe_finish(done.pk) == "not-claimed"


def test_a_dead_workers_chunk_is_taken_over(region, sync_jobs, monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "thread")  # dispatch goes nowhere: we play the workers
    current = enqueue("test-split", "части", region.school1, parts=3)
    monkeypatch.setattr("itog.jobs.runner.dispatch_chunks", lambda ids: None)
    assert run_job(current.pk) == "fanned-out"
    first, second, third = JobChunk.objects.filter(job=current).order_by("index")
    assert run_chunk(first.pk) == "done"
    # a worker claimed the second chunk and was killed
    JobChunk.objects.filter(pk=second.pk).update(
        status=ChunkStatus.RUNNING, worker="dead:2", lease_until=timezone.now() - timedelta(seconds=1)
    )
    assert run_chunk(third.pk) == "done"
    assert run_chunk(second.pk) == "done", "an expired chunk lease may be claimed"
    assert run_chunk(second.pk) == "not-claimed"
    current.refresh_from_db()
    assert current.status == JobStatus.DONE and sorted(SEEN) == [0, 1, 2]


def test_reclaim_redispatches_chunks_of_a_silent_job(region, sync_jobs, monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "thread")
    sent = []
    monkeypatch.setattr("itog.jobs.runner.dispatch_chunks", lambda ids: sent.append(list(ids)))
    current = enqueue("test-split", "части", region.school1, parts=2)
    run_job(current.pk)
    a, b = JobChunk.objects.filter(job=current).order_by("index")
    JobChunk.objects.filter(pk=a.pk).update(
        status=ChunkStatus.RUNNING, worker="dead", lease_until=timezone.now() - timedelta(seconds=5)
    )
    Job.objects.filter(pk=current.pk).update(lease_until=timezone.now() - timedelta(seconds=5))
    assert reclaim() == [current.pk]
    assert sorted(sent[-1]) == sorted([a.pk, b.pk]), "the dead worker's chunk and the lost message both"
    assert reclaim() == [], "one take-over per lease period"


def test_transient_database_error_releases_the_job_for_a_retry(region, sync_jobs, monkeypatch):
    monkeypatch.setenv("ITOG_JOB_BACKEND", "thread")
    queued = enqueue("test-echo", "1", region.school1)
    calls = []

    def flaky(current, **params):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("database is locked")

    monkeypatch.setitem(__import__("itog.jobs.runner", fromlist=["REGISTRY"]).REGISTRY, "test-echo", flaky)
    with pytest.raises(OperationalError):
        run_job(queued.pk)
    assert Job.objects.get(pk=queued.pk).status == JobStatus.QUEUED
    assert run_job(queued.pk) == "done"


def test_the_embedded_thread_retries_a_transient_error_then_gives_up(region, sync_jobs, monkeypatch):
    """A locked SQLite table during a demo job: the thread backend retries it (the job used to stay queued
    with its page polling for ever); a database that stays unusable fails the job with a Russian reason."""
    from itog.jobs import runner

    monkeypatch.setattr(runner, "THREAD_RETRY_DELAY", 0.01)
    # the thread's body runs here, on the test's own connection (inside its transaction): not closed between tries
    monkeypatch.setattr(runner, "close_old_connections", lambda: None)
    monkeypatch.setenv("ITOG_JOB_BACKEND", "thread")
    flaky_job = enqueue("test-echo", "1", region.school1)
    calls = []

    def flaky(current, **params):
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("database table is locked: jobs_job")
        return "ok.txt", b"ok"

    monkeypatch.setitem(runner.REGISTRY, "test-echo", flaky)
    runner._in_thread(run_job, flaky_job.pk)
    flaky_job.refresh_from_db()
    assert flaky_job.status == JobStatus.DONE and flaky_job.attempts == 3 and len(calls) == 3

    def broken(current, **params):
        raise OperationalError("database is locked")

    monkeypatch.setitem(runner.REGISTRY, "test-echo", broken)
    stuck = enqueue("test-echo", "2", region.school1)
    runner._in_thread(run_job, stuck.pk)
    stuck.refresh_from_db()
    assert stuck.status == JobStatus.FAILED and "больше не повторяется" in stuck.error


def test_the_removed_db_queue_is_refused_at_start_up(monkeypatch):
    import subprocess
    import sys

    env = {"ITOG_JOB_BACKEND": "db", "PATH": "/usr/bin:/bin"}
    import os

    env["PYTHONPATH"] = os.environ.get("PYTHONPATH", "")
    out = subprocess.run(
        [sys.executable, "-c", "import itog.settings"], env=env, capture_output=True, text=True, check=False
    )
    assert out.returncode != 0 and "ITOG_JOB_BACKEND=db was removed" in out.stderr


def test_the_schedule_names_real_tasks_and_commands():
    """celery beat's entries: registered tasks; the scheduled commands exist with their sub-command."""
    from django.conf import settings
    from django.core.management import get_commands, load_command_class

    from itog.jobs.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry
        if entry["task"] == "itog.jobs.command":
            name, args = entry["args"]
            command = load_command_class(get_commands()[name], name)
            command.create_parser("itog", name).parse_args(args)  # the sub-command parses


def test_worker_command_needs_redis(tmp_path):
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if not k.startswith("ITOG_")}
    env.update(ITOG_DATA_DIR=str(tmp_path), PYTHONPATH=os.environ.get("PYTHONPATH", ""))
    out = subprocess.run(
        [sys.executable, "-m", "itog", "worker"], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert out.returncode != 0 and "ITOG_REDIS_URL" in out.stderr


def test_a_broker_outage_leaves_the_job_queued_for_the_watchdog(region, monkeypatch):
    from itog.jobs import runner

    monkeypatch.setenv("ITOG_JOB_BACKEND", "celery")

    def down(job_id):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(runner, "dispatch_job", down)
    queued = enqueue("test-echo", "1", region.school1)
    runner._send(queued.pk)  # what on_commit runs: logged, not raised into the request
    assert Job.objects.get(pk=queued.pk).status == JobStatus.QUEUED
    Job.objects.filter(pk=queued.pk).update(created_at=timezone.now() - timedelta(hours=1))
    sent = []
    monkeypatch.setattr(runner, "dispatch_job", sent.append)
    assert reclaim() == [queued.pk] and sent == [queued.pk]
    assert reclaim() == [], "sent once per five lease periods"
