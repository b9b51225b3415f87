"""Running long jobs: one interface, three ways to run.

``ITOG_JOB_BACKEND``:

- ``thread`` (default, the demo): the job runs in a background thread of the web process;
- ``sync``: the job runs inside the request (tests, debugging);
- ``db``: the job only enters the queue table; ``itog worker`` processes on any number of
  machines take jobs from it (``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL), so a
  cluster needs no extra broker. A Celery task could call :func:`run_job` just the same.

A job function is registered under a kind and receives the job; it reports progress with
``progress(job, done, total, message)`` and may return ``(filename, bytes)`` as its result.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import traceback
from collections.abc import Callable

from django.core.files.base import ContentFile
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from .models import Job, JobStatus

log = logging.getLogger(__name__)
REGISTRY: dict[str, Callable] = {}


def job(kind: str):
    def register(func):
        REGISTRY[kind] = func
        return func

    return register


def backend() -> str:
    return os.environ.get("ITOG_JOB_BACKEND", "thread")


def enqueue(kind: str, title: str, organization, user=None, **params) -> Job:
    if kind not in REGISTRY:
        raise KeyError(f"unknown job kind {kind!r}")
    new = Job.objects.create(kind=kind, title=title[:300], organization=organization, created_by=user, params=params)
    mode = backend()
    if mode == "sync":
        run_job(new.pk)
        new.refresh_from_db()
    elif mode == "thread":
        transaction.on_commit(lambda: threading.Thread(target=_run_in_thread, args=(new.pk,), daemon=True).start())
    return new


def _run_in_thread(job_id: int) -> None:
    try:
        run_job(job_id)
    finally:
        close_old_connections()


def progress(current: Job, done: int, total: int | None = None, message: str = "") -> None:
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message[:500]
    Job.objects.filter(pk=current.pk).update(**fields)


def run_job(job_id: int) -> None:
    """Run one job to the end; a failure is recorded on the job, never raised into the worker."""
    current = Job.objects.get(pk=job_id)
    Job.objects.filter(pk=job_id).update(status=JobStatus.RUNNING, started_at=timezone.now(),
                                         worker=f"{socket.gethostname()}:{os.getpid()}")
    try:
        result = REGISTRY[current.kind](current, **current.params)
    except Exception as exc:  # noqa: BLE001 - the job's failure is shown to its user
        log.exception("job %s failed", job_id)
        Job.objects.filter(pk=job_id).update(status=JobStatus.FAILED, finished_at=timezone.now(),
                                             error=f"{exc}\n\n{traceback.format_exc()[-3000:]}")
        return
    current.refresh_from_db()
    if result:
        name, data = result
        current.result.save(name, ContentFile(data), save=False)
        current.result_name = name
    current.status = JobStatus.DONE
    current.finished_at = timezone.now()
    current.done = max(current.done, current.total)
    current.save()


def take_next() -> int | None:
    """Claim the oldest queued job (safe with several workers on PostgreSQL)."""
    with transaction.atomic():
        qs = Job.objects.filter(status=JobStatus.QUEUED).order_by("created_at")
        if connection.vendor == "postgresql":
            qs = qs.select_for_update(skip_locked=True)
        picked = qs.values_list("pk", flat=True).first()
        if picked is None:
            return None
        updated = Job.objects.filter(pk=picked, status=JobStatus.QUEUED).update(status=JobStatus.RUNNING)
        return picked if updated else None
