"""Running long jobs: one interface, run by Celery in production and embedded in the demo.

``ITOG_JOB_BACKEND`` (settings; an environment variable of the same name overrides it at run time):

- ``celery`` (default when ``ITOG_REDIS_URL`` is set): Celery workers (``itog worker``) on any number of
  machines run the job and its chunks (:mod:`itog.jobs.tasks`); Redis is the broker;
- ``thread`` (the demo): the job runs in a background thread of the web process;
- ``sync``: the job runs inside the request (tests, debugging).

A job function is registered under a kind and receives the job; it reports progress with
``progress(job, done, total, message)`` and may return ``(filename, bytes)`` as its result, or
``(filename, Path)``: a temporary file that the runner copies into storage in chunks and removes (big results
are never held in memory). A job that splits into parts returns :func:`fan_out` (chunks that any worker
runs, then a finishing step).

Reliability (every step idempotent, every claim an atomic conditional UPDATE):

- a job or chunk is *claimed* under a lease (``lease_until``) that a heartbeat thread renews every third of
  ``ITOG_JOB_LEASE_SECONDS``; a message delivered twice finds it claimed (or done) and does nothing;
- a worker killed (``kill -9``, a machine lost) stops renewing: :func:`reclaim`, run by every worker every few
  seconds and by celery beat, hands its job or chunks to the next worker; the chunk handlers save each unit
  of work idempotently (a scan page is unique per file and page), so a retaken chunk redoes nothing twice;
- transient database errors release the claim and are retried by Celery with back-off; a job that failed
  ``ITOG_JOB_MAX_ATTEMPTS`` times is marked failed.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import time
import traceback
import uuid
from collections.abc import Callable
from datetime import timedelta

from django.conf import settings
from django.core.files.base import ContentFile, File
from django.db import (
    DatabaseError,
    InterfaceError,
    OperationalError,
    close_old_connections,
    transaction,
)
from django.db.models import F, Q
from django.utils import timezone

from .models import ChunkStatus, Job, JobChunk, JobStatus

log = logging.getLogger(__name__)
REGISTRY: dict[str, Callable] = {}
CHUNK_HANDLERS: dict[str, Callable] = {}
FINISHERS: dict[str, Callable] = {}
TRANSIENT = (OperationalError, InterfaceError)
_PROCESS_ID = uuid.uuid4().hex[:6]


class _FannedOut:
    """Returned by a job function whose work continues in chunks."""


FANNED_OUT = _FannedOut()


def job(kind: str):
    def register(func):
        REGISTRY[kind] = func
        return func

    return register


def chunk_handler(kind: str):
    """Register ``func(job, **chunk_params)``: one chunk of a fanned-out job. Must be idempotent."""

    def register(func):
        CHUNK_HANDLERS[kind] = func
        return func

    return register


def finisher(kind: str):
    """Register ``func(job, **job_params)``: the last step after every chunk is done; may return a result."""

    def register(func):
        FINISHERS[kind] = func
        return func

    return register


def backend() -> str:
    return os.environ.get("ITOG_JOB_BACKEND") or settings.ITOG_JOB_BACKEND


def lease() -> timedelta:
    return timedelta(seconds=settings.ITOG_JOB_LEASE_SECONDS)


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{_PROCESS_ID}"[:100]


# ---------------------------------------------------------------------------------------------- dispatch


def enqueue(kind: str, title: str, organization, user=None, **params) -> Job:
    if kind not in REGISTRY:
        load_kinds()
    if kind not in REGISTRY:
        raise KeyError(f"unknown job kind {kind!r}")
    new = Job.objects.create(kind=kind, title=title[:300], organization=organization, created_by=user, params=params)
    if backend() == "sync":
        run_job(new.pk)
        new.refresh_from_db()
    else:
        transaction.on_commit(lambda: _send(new.pk))
    return new


def _send(job_id: int) -> None:
    try:
        dispatch_job(job_id)
    except Exception:  # noqa: BLE001 - the broker is down: the job stays queued, the watchdog sends it again
        log.exception("job %s could not be sent to the workers; it stays queued", job_id)


def dispatch_job(job_id: int) -> None:
    mode = backend()
    if mode == "celery":
        from .tasks import run

        run.delay(job_id)
    elif mode == "thread":
        threading.Thread(target=_in_thread, args=(run_job, job_id), daemon=True).start()
    else:
        run_job(job_id)


def dispatch_chunks(chunk_ids: list[int]) -> None:
    if backend() == "celery":
        from .tasks import chunk

        for chunk_id in chunk_ids:
            chunk.delay(chunk_id)
    else:  # embedded: the chunks run here, one after another (a chunk may use several processes itself)
        for chunk_id in chunk_ids:
            run_chunk(chunk_id)


def dispatch_finish(job_id: int) -> None:
    if backend() == "celery":
        from .tasks import finish

        finish.delay(job_id)
    else:
        maybe_finish(job_id)


# The embedded backend's back-off after a transient database error (seconds; doubled per retry).
THREAD_RETRY_DELAY = 0.5


def _in_thread(func, *args) -> None:
    """The embedded backend's worker. It retries a transient database error (a busy SQLite file) as Celery
    does: without it the job released for a retry stayed queued for ever, its page polling. After
    ``ITOG_JOB_MAX_ATTEMPTS`` claims :func:`run_job` marks the job failed itself."""
    delay = THREAD_RETRY_DELAY
    try:
        for _attempt in range(settings.ITOG_JOB_MAX_ATTEMPTS + 1):
            try:
                func(*args)
                return
            except TRANSIENT:
                log.warning("job %s: transient database error, retrying in %.1f s", args, delay, exc_info=True)
                close_old_connections()
                time.sleep(delay)
                delay = min(delay * 2, 30)
    finally:
        close_old_connections()


def load_kinds() -> None:
    from .tasks import load_kinds as load

    load()


# ---------------------------------------------------------------------------------------------- progress


def progress(current: Job, done: int, total: int | None = None, message: str = "") -> None:
    fields = {"done": done}
    if total is not None:
        fields["total"] = total
    if message:
        fields["message"] = message[:500]
    Job.objects.filter(pk=current.pk).update(**fields)


def advance(current: Job, by: int = 1, message: str = "") -> None:
    """Add ``by`` to the job's progress (from any worker at once) and renew its lease."""
    fields = {"done": F("done") + by, "lease_until": timezone.now() + lease()}
    if message:
        fields["message"] = message[:500]
    Job.objects.filter(pk=current.pk).update(**fields)


class Heartbeat:
    """Renews a claim's lease every third of the lease time while the block runs (a daemon thread)."""

    def __init__(self, model, pk: int, owner: str, job_id: int | None = None):
        self.model, self.pk, self.owner, self.job_id = model, pk, owner, job_id
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True, name=f"heartbeat-{model.__name__}-{pk}")

    def _beat(self) -> None:
        interval = max(settings.ITOG_JOB_LEASE_SECONDS / 3, 0.2)
        try:
            while not self.stop.wait(interval):
                until = timezone.now() + lease()
                try:
                    self.model.objects.filter(pk=self.pk, worker=self.owner).update(lease_until=until)
                    if self.job_id is not None:
                        Job.objects.filter(pk=self.job_id, status=JobStatus.RUNNING).update(lease_until=until)
                except DatabaseError:  # a busy database: try again at the next beat
                    log.warning("heartbeat of %s %s failed", self.model.__name__, self.pk, exc_info=True)
        finally:
            close_old_connections()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join(timeout=5)
        return False


# ---------------------------------------------------------------------------------------------- the job


def run_job(job_id: int) -> str:
    """Claim the job and run its function; ``"not-claimed"`` when another worker holds it or it is over.

    A failure is recorded on the job, never raised into the worker — except transient database errors,
    which release the claim and are raised for Celery to retry."""
    me, now = worker_name(), timezone.now()
    claimed = (
        Job.objects.filter(pk=job_id)
        .filter(Q(status=JobStatus.QUEUED) | Q(status=JobStatus.RUNNING, lease_until__lt=now))
        .update(status=JobStatus.RUNNING, worker=me, lease_until=now + lease(), stage="", attempts=F("attempts") + 1)
    )
    if not claimed:
        return "not-claimed"
    current = Job.objects.get(pk=job_id)
    if current.started_at is None:
        Job.objects.filter(pk=job_id).update(started_at=now)
    if current.attempts > settings.ITOG_JOB_MAX_ATTEMPTS:
        _fail(job_id, f"Задание прерывалось {current.attempts - 1} раз(а); больше не повторяется.", me)
        return "failed"
    if current.kind not in REGISTRY:
        load_kinds()
    try:
        with Heartbeat(Job, job_id, me):
            result = REGISTRY[current.kind](current, **current.params)
    except TRANSIENT:
        Job.objects.filter(pk=job_id, worker=me).update(status=JobStatus.QUEUED, lease_until=None, worker="")
        raise
    except Exception as exc:
        log.exception("job %s failed", job_id)
        _fail(job_id, f"{exc}\n\n{traceback.format_exc()[-3000:]}", me)
        return "failed"
    if result is FANNED_OUT:
        return "fanned-out"
    _complete(job_id, result, me)
    return "done"


def _fail(job_id: int, error: str, owner: str | None = None) -> None:
    qs = Job.objects.filter(pk=job_id)
    if owner:
        qs = qs.filter(worker=owner)
    if qs.update(status=JobStatus.FAILED, finished_at=timezone.now(), error=error, lease_until=None):
        _drop_upload(job_id)


def _drop_upload(job_id: int) -> None:
    """A job that failed for good is not retried: the file it was given (an import's upload — a participant list
    is personal data) is removed from storage instead of staying there unread."""
    params = Job.objects.filter(pk=job_id).values_list("params", flat=True).first() or {}
    name = params.get("upload") if isinstance(params, dict) else None
    if name:
        discard_upload(name)


def discard_upload(name: str) -> None:
    """Remove a job's stored upload; a storage error is logged, never raised (the job's outcome stands)."""
    from django.core.files.storage import default_storage

    try:
        default_storage.delete(name)
    except OSError:
        log.warning("cannot remove the stored upload %s", name, exc_info=True)


def _complete(job_id: int, result, owner: str) -> None:
    current = Job.objects.get(pk=job_id)
    if current.worker != owner or current.status != JobStatus.RUNNING:
        if result and isinstance(result[1], os.PathLike):
            os.unlink(result[1])
        return  # taken over meanwhile: the new owner finishes it
    if result:
        name, data = result
        if isinstance(data, os.PathLike):  # a big result written to a temporary file: copied in chunks, removed
            try:
                with open(data, "rb") as handle:
                    current.result.save(name, File(handle), save=False)
            finally:
                os.unlink(data)
        else:
            current.result.save(name, ContentFile(data), save=False)
        current.result_name = name
    current.status = JobStatus.DONE
    current.finished_at = timezone.now()
    current.done = max(current.done, current.total)
    current.lease_until = None
    current.save()


# ---------------------------------------------------------------------------------------------- chunks


def fan_out(current: Job, chunk_kind: str, chunks: list[dict], finish_kind: str) -> _FannedOut:
    """Split the rest of ``current`` into chunks (``chunk_kind`` handler, one params dict each) that any worker
    runs; ``finish_kind`` runs once after the last. Call as ``return fan_out(...)`` from a job function.

    Idempotent: a retaken job re-creates only the chunks it does not have yet (by index), and dispatches the
    chunks not done (a chunk already claimed or done ignores the duplicate message)."""
    have = set(JobChunk.objects.filter(job=current).values_list("index", flat=True))
    JobChunk.objects.bulk_create(
        [
            JobChunk(job=current, index=i, kind=chunk_kind, params=params)
            for i, params in enumerate(chunks)
            if i not in have
        ]
    )
    Job.objects.filter(pk=current.pk).update(finish_kind=finish_kind)
    pending = list(
        JobChunk.objects.filter(job=current)
        .exclude(status=ChunkStatus.DONE)
        .order_by("index")
        .values_list("pk", flat=True)
    )
    # From here on the chunks keep the job alive (each claim and page renews the job's lease).
    Job.objects.filter(pk=current.pk, status=JobStatus.RUNNING).update(
        stage="chunks", lease_until=timezone.now() + lease()
    )
    if pending:
        dispatch_chunks(pending)
    else:
        dispatch_finish(current.pk)
    return FANNED_OUT


def run_chunk(chunk_id: int) -> str:
    me, now = worker_name(), timezone.now()
    claimed = (
        JobChunk.objects.filter(pk=chunk_id, job__status=JobStatus.RUNNING)
        .filter(Q(status=ChunkStatus.QUEUED) | Q(status=ChunkStatus.RUNNING, lease_until__lt=now))
        .update(status=ChunkStatus.RUNNING, worker=me, lease_until=now + lease(), attempts=F("attempts") + 1)
    )
    if not claimed:
        return "not-claimed"
    part = JobChunk.objects.select_related("job").get(pk=chunk_id)
    Job.objects.filter(pk=part.job_id, status=JobStatus.RUNNING).update(lease_until=now + lease())
    if part.attempts > settings.ITOG_JOB_MAX_ATTEMPTS:
        _fail(part.job_id, f"Часть {part.index + 1} задания прерывалась {part.attempts - 1} раз(а).")
        return "failed"
    if part.kind not in CHUNK_HANDLERS:
        load_kinds()
    try:
        with Heartbeat(JobChunk, chunk_id, me, job_id=part.job_id):
            CHUNK_HANDLERS[part.kind](part.job, **part.params)
    except TRANSIENT:
        JobChunk.objects.filter(pk=chunk_id, worker=me).update(status=ChunkStatus.QUEUED, worker="", lease_until=None)
        raise
    except Exception as exc:
        log.exception("chunk %s of job %s failed", chunk_id, part.job_id)
        _fail(part.job_id, f"Часть {part.index + 1}: {exc}\n\n{traceback.format_exc()[-3000:]}")
        return "failed"
    JobChunk.objects.filter(pk=chunk_id, worker=me).update(
        status=ChunkStatus.DONE, finished_at=timezone.now(), lease_until=None
    )
    maybe_finish(part.job_id)
    return "done"


def maybe_finish(job_id: int) -> str:
    """Run the finishing step once every chunk is done (exactly one caller wins the claim)."""
    if JobChunk.objects.filter(job_id=job_id).exclude(status=ChunkStatus.DONE).exists():
        return "chunks-left"
    me, now = worker_name(), timezone.now()
    if not Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, stage="chunks").update(
        stage="finishing", worker=me, lease_until=now + lease()
    ):
        return "not-claimed"
    current = Job.objects.get(pk=job_id)
    if current.finish_kind not in FINISHERS:
        load_kinds()
    try:
        with Heartbeat(Job, job_id, me):
            result = FINISHERS[current.finish_kind](current, **current.params)
    except TRANSIENT:
        Job.objects.filter(pk=job_id, worker=me).update(stage="chunks", lease_until=None)
        raise
    except Exception as exc:
        log.exception("finishing job %s failed", job_id)
        _fail(job_id, f"{exc}\n\n{traceback.format_exc()[-3000:]}", me)
        return "failed"
    _complete(job_id, result, me)
    return "done"


# ---------------------------------------------------------------------------------------------- take-over


def _broker_queue_empty() -> bool:
    if backend() != "celery":
        return True
    from .tasks import queued_messages

    try:
        return queued_messages() == 0
    except Exception:
        log.warning("cannot read the broker's queue length", exc_info=True)
        return False


def reclaim() -> list[int]:
    """Hand the work of dead workers to live ones: jobs and chunks whose lease expired, and jobs whose
    message was lost. Safe to run anywhere, any number of times at once. Returns the jobs acted on."""
    now = timezone.now()
    acted = []
    for job_id in list(
        Job.objects.filter(status=JobStatus.RUNNING, lease_until__lt=now).values_list("pk", flat=True)[:100]
    ):
        current = Job.objects.filter(pk=job_id).values("stage", "lease_until").first()
        if current is None:
            continue
        # one reclaimer wins the job for a lease period
        if not Job.objects.filter(pk=job_id, status=JobStatus.RUNNING, lease_until=current["lease_until"]).update(
            lease_until=now + lease()
        ):
            continue
        acted.append(job_id)
        if current["stage"] == "":
            log.warning("job %s: its worker stopped renewing the lease; restarting it", job_id)
            Job.objects.filter(pk=job_id).update(status=JobStatus.QUEUED, worker="", lease_until=now + lease() * 5)
            dispatch_job(job_id)
            continue
        dead = list(
            JobChunk.objects.filter(job_id=job_id, status=ChunkStatus.RUNNING, lease_until__lt=now).values_list(
                "pk", flat=True
            )
        )
        JobChunk.objects.filter(pk__in=dead, status=ChunkStatus.RUNNING, lease_until__lt=now).update(
            status=ChunkStatus.QUEUED, worker="", lease_until=None
        )
        if current["stage"] == "finishing":
            Job.objects.filter(pk=job_id).update(stage="chunks")
        # Chunks merely waiting in the broker's queue behind other work are not sent again (that would pile up
        # copies); only when the queue is empty are queued chunks known to be lost (a worker died between
        # taking the message and claiming the chunk, or the broker lost it).
        pending = (
            dead
            if not _broker_queue_empty()
            else list(JobChunk.objects.filter(job_id=job_id, status=ChunkStatus.QUEUED).values_list("pk", flat=True))
        )
        if not pending and JobChunk.objects.filter(job_id=job_id).exclude(status=ChunkStatus.DONE).exists():
            continue
        log.warning("job %s: no progress for a lease period; dispatching %d chunks again", job_id, len(pending))
        if pending:
            dispatch_chunks(pending)
        else:
            dispatch_finish(job_id)
    # queued jobs whose message never reached a worker (the web process died before sending it, Redis lost it)
    stale = now - lease() * 5
    lost = Q(lease_until__isnull=True, created_at__lt=stale) | Q(lease_until__lt=now)
    for job_id in list(Job.objects.filter(lost, status=JobStatus.QUEUED).values_list("pk", flat=True)[:100]):
        if Job.objects.filter(lost, pk=job_id, status=JobStatus.QUEUED).update(lease_until=now + lease() * 5):
            acted.append(job_id)
            dispatch_job(job_id)
    return acted
