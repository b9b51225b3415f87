"""Celery tasks: run a job, run one chunk of a job, finish a job, take over dead workers' jobs, and the
scheduled commands (reminders). Every task is idempotent (see :mod:`itog.jobs.runner`): ``acks_late`` with
``reject_on_worker_lost`` re-delivers a message whose worker died, and a duplicate finds its work claimed.

Each worker's main process also runs a watchdog thread: every third of the lease it takes over dead
workers' jobs (:func:`itog.jobs.runner.reclaim`) and announces itself in Redis for ``/health/``.
"""

from __future__ import annotations

import logging
import threading
import time

from celery.signals import worker_ready, worker_shutdown
from django.conf import settings

from .celery import app

log = logging.getLogger(__name__)
RETRY = {
    "autoretry_for": (),
    "retry_backoff": 2,
    "retry_backoff_max": 120,
    "retry_jitter": True,
    "max_retries": 8,
    "acks_late": True,
    "reject_on_worker_lost": True,
}
WORKERS_KEY = "itog:workers"


def load_kinds() -> None:
    """Import the modules that register job kinds (so a worker knows them)."""
    import itog.exams.printing
    import itog.exams.seating.jobs  # the interview's region schedule
    import itog.scan.services
    import itog.web.import_jobs
    import itog.web.list_specs
    import itog.web.lists  # noqa: F401  (the "list-export" job: XLSX of a filtered list; the import jobs)


def _transient():
    from itog.jobs.runner import TRANSIENT

    return TRANSIENT


RETRY["autoretry_for"] = _transient()


@app.task(name="itog.jobs.run", **RETRY)
def run(job_id: int) -> str:
    from .runner import run_job

    return run_job(job_id)


@app.task(name="itog.jobs.chunk", **RETRY)
def chunk(chunk_id: int) -> str:
    from .runner import run_chunk

    return run_chunk(chunk_id)


@app.task(name="itog.jobs.finish", **RETRY)
def finish(job_id: int) -> str:
    from .runner import maybe_finish

    return maybe_finish(job_id)


@app.task(name="itog.jobs.reclaim", acks_late=True)
def reclaim() -> list[int]:
    from .runner import reclaim as take_over

    return take_over()


@app.task(name="itog.jobs.command", acks_late=True)
def command(name: str, args: list[str]) -> None:
    """A management command on the schedule (celery beat): reminders of plan deadlines and of storage."""
    from django.core.management import call_command

    call_command(name, *args)


# ---------------------------------------------------------------------------------------------- watchdog


class _Watchdog:
    def __init__(self, name: str):
        self.name = name
        self.stop = threading.Event()

    def run(self) -> None:
        from django.db import close_old_connections

        from .runner import reclaim as take_over

        interval = max(settings.ITOG_JOB_LEASE_SECONDS / 3, 0.5)
        while not self.stop.wait(interval):
            try:
                announce(self.name)
                acted = take_over()
                if acted:
                    log.warning("took over jobs %s", acted)
            except Exception:
                log.exception("watchdog round failed")
            finally:
                close_old_connections()


def redis_client():
    from itog.core.ratelimit import _redis

    return _redis(settings.ITOG_REDIS_URL)[0] if settings.ITOG_REDIS_URL else None


def announce(name: str) -> None:
    client = redis_client()
    if client is not None:
        client.zadd(WORKERS_KEY, {name: time.time()})


def queued_messages() -> int:
    """Messages waiting in the job queue (kombu's Redis transport: one list per priority step)."""
    client = redis_client()
    if client is None:
        return 0
    queue = settings.CELERY_TASK_DEFAULT_QUEUE
    sep = "\x06\x16"
    return sum(int(client.llen(key)) for key in (queue, *(f"{queue}{sep}{n}" for n in (3, 6, 9))))


def live_workers() -> int:
    """Workers that announced themselves within two lease periods."""
    client = redis_client()
    if client is None:
        return 0
    since = time.time() - 2 * settings.ITOG_JOB_LEASE_SECONDS
    client.zremrangebyscore(WORKERS_KEY, 0, since)
    return int(client.zcount(WORKERS_KEY, since, "+inf"))


_watchdog: _Watchdog | None = None


@worker_ready.connect
def _start_watchdog(sender=None, **kwargs) -> None:
    global _watchdog
    load_kinds()
    name = getattr(sender, "hostname", "") or "worker"
    _watchdog = _Watchdog(name)
    try:
        announce(name)
    except Exception:
        log.exception("cannot announce the worker in Redis")
    threading.Thread(target=_watchdog.run, daemon=True, name="itog-watchdog").start()


@worker_shutdown.connect
def _stop_watchdog(**kwargs) -> None:
    if _watchdog is not None:
        _watchdog.stop.set()
        try:
            client = redis_client()
            if client is not None:
                client.zrem(WORKERS_KEY, _watchdog.name)
        except Exception:
            log.warning("cannot remove the worker from Redis", exc_info=True)
