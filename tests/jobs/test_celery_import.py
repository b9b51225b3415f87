"""A participant-list import through the production engine: redis-server, a real ``itog worker`` process.

The site (SQLite in a temporary data directory, a small demo region, the uploaded list stored as the web
process would) is made by :mod:`tests.jobs.celery_site`; the job goes to Redis and the worker imports it. Then
the worker is made to look dead right after its commit (the job running under a lapsed lease): the
take-over runs the job again, which finds its outcome and imports nothing twice.
"""

from __future__ import annotations

import signal
import time

from tests.jobs.celery_site import site_env
from tests.jobs.test_celery import kill_group, site, start_worker
from tests.redis_server import redis_server  # noqa: F401 - fixture

ROWS = 300


def wait_for(env, job: int, predicate, timeout: float, what: str) -> dict:
    deadline = time.monotonic() + timeout
    state: dict = {}
    while time.monotonic() < deadline:
        state = site(env, "import-state", job)
        if predicate(state):
            return state
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}: {state}")


def test_participant_import_runs_on_a_celery_worker_once(redis_server, tmp_path):  # noqa: F811
    env = site_env(tmp_path / "site", redis_server.url, ITOG_JOB_LEASE_SECONDS="2")
    env.pop("CI", None)
    (tmp_path / "site").mkdir()
    job = site(env, "import", ROWS)["job"]
    queued = site(env, "import-state", job)
    assert queued["status"] == "queued" and queued["participants"] == 0 and queued["upload_kept"]
    worker = start_worker(env, "importer", tmp_path / "worker.log")
    try:
        done = wait_for(env, job, lambda s: s["status"] in ("done", "failed"), 240, "the import job")
        log = (tmp_path / "worker.log").read_text(errors="replace")
        assert done["status"] == "done", (done, log[-3000:])
        assert done["outcome"]["saved"] and done["outcome"]["created"] == ROWS and done["outcome"]["error_count"] == 0
        assert done["participants"] == done["applications"] == ROWS
        assert (done["done"], done["total"]) == (ROWS, ROWS)  # progress reached the worker's job row
        assert done["audit"] == ["10.0.0.7"]  # the import is audited with the uploader's address
        assert not done["upload_kept"]
        # The worker "died" after its commit, before marking the job done: the take-over runs it again.
        site(env, "import-crash", job)
        again = wait_for(
            env, job, lambda s: s["status"] == "done" and s["attempts"] >= 2, 60, "the take-over of the job"
        )
        assert again["participants"] == again["applications"] == ROWS, again  # nothing imported twice
        assert again["audit"] == ["10.0.0.7"] and again["outcome"] == done["outcome"]
    finally:
        if worker.poll() is None:
            kill_group(worker, signal.SIGTERM)
