"""The production engine for real: redis-server, Celery workers in subprocesses, ``kill -9`` mid-batch.

The site (SQLite in a temporary data directory, a batch of rendered and distorted scan pages) is built once
for the module by :mod:`tests.jobs.celery_site`; each worker is ``itog worker`` in its own process group.
"""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

import pytest

from tests.jobs.celery_site import site_env
from tests.redis_server import redis_server  # noqa: F401 - fixture

PAGES = 16
LEASE = "2"


def site(env, *args) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "tests.jobs.celery_site", *map(str, args)],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert out.returncode == 0, out.stderr[-3000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def built(redis_server, tmp_path_factory):  # noqa: F811
    data = tmp_path_factory.mktemp("celery-site")
    env = site_env(data, redis_server.url, ITOG_JOB_LEASE_SECONDS=LEASE, ITOG_SCAN_CHUNK_PAGES="3")
    env.pop("CI", None)
    ids = site(env, "setup", PAGES)
    return env, ids, data


def start_worker(env, name: str, log_path) -> subprocess.Popen:
    log = open(log_path, "ab")  # noqa: SIM115 - closed with the process
    return subprocess.Popen(
        [sys.executable, "-m", "itog", "worker", "-c", "1", "-n", f"{name}@%h", "--loglevel", "WARNING"],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def kill_group(proc: subprocess.Popen, sig=signal.SIGKILL) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        pass
    proc.wait(30)


def pages_read(data) -> int:
    with sqlite3.connect(data / "itog.sqlite3", timeout=30) as conn:
        return conn.execute("select count(*) from scan_scanpage").fetchone()[0]


def wait_for(predicate, env, batch, timeout: float, what: str) -> dict:
    deadline = time.monotonic() + timeout
    state = {}
    while time.monotonic() < deadline:
        state = site(env, "state", batch)
        if predicate(state):
            return state
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}: {state}")


def test_kill_9_mid_batch_the_next_worker_finishes_every_page_exactly_once(built, tmp_path):
    env, ids, data = built
    batch = ids["batch"]
    first = start_worker(env, "first", tmp_path / "first.log")
    second = None
    try:
        site(env, "start", batch)
        deadline = time.monotonic() + 240
        while pages_read(data) < 4:  # straight from SQLite: polling must be quicker than a page
            assert time.monotonic() < deadline and first.poll() is None, "the first worker read nothing"
            time.sleep(0.02)
        kill_group(first)
        mid = {"pages": 4}
        after_kill = site(env, "state", batch)
        assert after_kill["status"] == "running" and after_kill["pages"] < PAGES, after_kill
        assert mid["pages"] <= after_kill["pages"]
        time.sleep(float(LEASE) + 0.5)  # the dead worker's leases run out
        still = site(env, "state", batch)
        assert still["pages"] == after_kill["pages"], "nobody reads while no worker lives"
        second = start_worker(env, "second", tmp_path / "second.log")
        final = wait_for(lambda s: s["status"] in ("done", "failed"), env, batch, 300, "the batch to finish")
    finally:
        for proc in (first, second):
            if proc is not None and proc.poll() is None:
                kill_group(proc, signal.SIGTERM)
    log = (tmp_path / "second.log").read_text(errors="replace")
    assert final["status"] == "done", (final, log[-3000:])
    assert final["pages"] == PAGES and final["files"] == PAGES and final["duplicates"] == []
    assert final["done"] == final["total"] == PAGES + 1
    assert all(c["status"] == "done" for c in final["chunks"])
    print("at the kill:", after_kill, "\nfinal:", final)
    before = {c["index"]: c for c in after_kill["chunks"]}
    after = {c["index"]: c for c in final["chunks"]}
    assert set(before) == set(after), "the take-over made no new chunks"
    taken_over = [i for i, c in before.items() if c["status"] == "running"]
    for i in taken_over:  # the chunk the killed worker was reading: claimed again by the second worker
        assert after[i]["attempts"] >= 2 and after[i]["worker"] != before[i]["worker"], (before[i], after[i])
    assert sum(c["status"] != "done" for c in before.values()) > 0, "the second worker had work left"
