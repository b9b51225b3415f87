"""Benchmark: a scan batch on Celery workers — throughput with 1 and 2 worker processes, and kill -9 mid-batch.

    python benchmarks/bench_scan_celery.py [--pages 48] [--chunk 4]

1. Starts a throw-away ``redis-server`` (Debian package; installed when missing) and builds a throw-away site
   (SQLite in a temporary data directory, or ``--database-url``; :mod:`tests.jobs.celery_site`): three batches of ``--pages`` distinct
   registration pages rendered from the kit, marked and distorted (200 dpi PNG).
2. Each timed run first waits for a quiet machine (``--quiet-load``, ``--quiet-wait``). Batch 1 with ``itog worker -c 1``, batch 2 with ``itog worker -c 2`` (target ≥ 1.8× the pages/s); the time is
   from the job's start to its end (listing, every page, reconciliation), each worker started and announced in
   Redis before the clock starts.
3. Batch 3 with ``-c 2``: the worker's process group is killed (SIGKILL) once a third of the pages are read; a
   fresh worker is started and the batch must end with every page exactly once (none lost, none doubled).

Prints the load average and the CPU other processes used meanwhile (the machine may be shared).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
QUIET, QUIET_WAIT = 1.0, 300.0
sys.path.insert(0, str(ROOT))

from tests.jobs.celery_site import site_env
from tests.redis_server import RedisServer, redis_binary


def say(text: str) -> None:
    print(text, flush=True)


def busy() -> float:
    """CPU seconds the whole machine spent non-idle so far."""
    fields = [float(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    return (sum(fields) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")


def tree_cpu(root: int) -> float:
    """CPU seconds of a process, its descendants, and their exited children."""
    stats = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                text = Path(f"/proc/{d}/stat").read_text()
            except OSError:
                continue
            f = text[text.rindex(")") + 2 :].split()
            stats[int(d)] = (int(f[1]), sum(int(x) for x in f[11:15]))
    tree, grow = {root}, True
    while grow:
        more = {pid for pid, (ppid, _) in stats.items() if ppid in tree} - tree
        tree |= more
        grow = bool(more)
    return sum(stats[pid][1] for pid in tree if pid in stats) / os.sysconf("SC_CLK_TCK")


def wait_quiet(limit: float, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while os.getloadavg()[0] > limit and time.monotonic() < deadline:
        time.sleep(5)


def site(env, *args) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "tests.jobs.celery_site", *map(str, args)],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=1800,
        check=False,
    )
    if out.returncode:
        raise SystemExit(out.stderr[-3000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


DATABASE_URL = ""  # --database-url: PostgreSQL instead of the site's SQLite file


def query_one(data: Path, sql: str, batch: int):
    if DATABASE_URL:
        import psycopg

        with psycopg.connect(DATABASE_URL, autocommit=True) as conn:
            return conn.execute(sql.replace("?", "%s"), (batch,)).fetchone()
    with sqlite3.connect(data / "itog.sqlite3", timeout=30) as conn:
        return conn.execute(sql, (batch,)).fetchone()


def pages_read(data: Path, batch: int) -> int:
    return query_one(
        data,
        "select count(*) from scan_scanpage p join scan_scanfile f on p.file_id = f.id where f.batch_id = ?",
        batch,
    )[0]


def job_status(data: Path, batch: int) -> str:
    row = query_one(
        data, "select j.status from jobs_job j join scan_scanbatch b on b.job_id = j.id where b.id = ?", batch
    )
    return row[0] if row else "none"


def start_worker(env, name: str, concurrency: int, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "itog", "worker", "-c", str(concurrency), "-n", f"{name}@%h", "--loglevel", "WARNING"],
        env=env,
        cwd=ROOT,
        stdout=open(log, "ab"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


def wait_announced(redis_url: str, name: str, timeout: float = 120) -> None:
    import redis

    client = redis.Redis.from_url(redis_url)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(m.decode().startswith(name) for m in client.zrange("itog:workers", 0, -1)):
            return
        time.sleep(0.1)
    raise SystemExit(f"worker {name} did not start")


def stop(proc: subprocess.Popen, sig=signal.SIGTERM) -> None:
    try:
        os.killpg(proc.pid, sig)
    except ProcessLookupError:
        return
    try:
        proc.wait(60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)


def timed_batch(env, data, redis_url, batch: int, concurrency: int, pages: int, tmp: Path) -> dict:
    name = f"bench{concurrency}"
    worker = start_worker(env, name, concurrency, tmp / f"{name}.log")
    try:
        wait_announced(redis_url, name)
        wait_quiet(QUIET, QUIET_WAIT)
        load0, busy0, t0, cpu0 = os.getloadavg()[0], busy(), time.monotonic(), tree_cpu(worker.pid)
        site(env, "start", batch)
        while job_status(data, batch) not in ("done", "failed"):
            time.sleep(0.05)
        wall = time.monotonic() - t0
        cpu = tree_cpu(worker.pid) - cpu0
        machine = (busy() - busy0) / wall
        # the job's own start → end (without the enqueuing subprocess's start-up)
        elapsed = float(
            query_one(
                data,
                "select extract(epoch from (j.finished_at - j.started_at)) from jobs_job j "
                "join scan_scanbatch b on b.job_id = j.id where b.id = ?",
                batch,
            )[0]
            if DATABASE_URL
            else query_one(
                data,
                "select (julianday(j.finished_at) - julianday(j.started_at)) * 86400 "
                "from jobs_job j join scan_scanbatch b on b.job_id = j.id where b.id = ?",
                batch,
            )[0]
        )
        state = site(env, "state", batch)
    finally:
        stop(worker)
    assert state["status"] == "done" and state["pages"] == pages and not state["duplicates"], state
    rate = pages / elapsed
    others = max(0.0, machine - cpu / wall)
    say(
        f"  -c {concurrency}: {pages} pages in {elapsed:.1f} s (job start → end) = {rate:.2f} pages/s; the worker used "
        f"{cpu / wall:.2f} "
        f"cores ({cpu / pages * 1000:.0f} ms CPU/page), other processes {others:.2f} of the "
        f"{os.cpu_count()} cores; load {load0:.2f} → {os.getloadavg()[0]:.2f}"
    )
    return {"rate": rate, "elapsed": elapsed, "others": others, "cores": cpu / wall}


def kill_run(env, data, redis_url, batch: int, pages: int, tmp: Path) -> dict:
    first = start_worker(env, "victim", 2, tmp / "victim.log")
    wait_announced(redis_url, "victim")
    site(env, "start", batch)
    while pages_read(data, batch) < pages // 3:
        time.sleep(0.02)
    os.killpg(first.pid, signal.SIGKILL)
    first.wait(30)
    at_kill = pages_read(data, batch)
    second = start_worker(env, "rescuer", 2, tmp / "rescuer.log")
    t0 = time.monotonic()
    try:
        while job_status(data, batch) not in ("done", "failed"):
            time.sleep(0.1)
            if time.monotonic() - t0 > 900:
                raise SystemExit("the batch did not finish after the kill")
        state = site(env, "state", batch)
    finally:
        stop(second)
    retaken = [c for c in state["chunks"] if c["attempts"] > 1]
    say(
        f"  kill -9 with {at_kill}/{pages} pages read; the next worker finished in {time.monotonic() - t0:.1f} s: "
        f"status {state['status']}, pages {state['pages']}/{pages}, doubled {len(state['duplicates'])}, "
        f"chunks taken over {len(retaken)}"
    )
    return {"at_kill": at_kill, **state}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--pages", type=int, default=48)
    p.add_argument("--chunk", type=int, default=4, help="ITOG_SCAN_CHUNK_PAGES")
    p.add_argument("--lease", type=int, default=5, help="ITOG_JOB_LEASE_SECONDS")
    p.add_argument(
        "--quiet-load",
        type=float,
        default=1.0,
        help="before each timed run wait (up to --quiet-wait s) until the 1-min load is below this",
    )
    p.add_argument("--quiet-wait", type=float, default=300)
    p.add_argument(
        "--database-url",
        default="",
        help="an empty PostgreSQL database (postgres://…) instead of SQLite in the temporary directory",
    )
    args = p.parse_args()
    global QUIET, QUIET_WAIT, DATABASE_URL
    DATABASE_URL = args.database_url
    QUIET, QUIET_WAIT = args.quiet_load, args.quiet_wait
    binary = redis_binary()
    if binary is None:
        raise SystemExit("redis-server is missing and could not be installed")
    redis = RedisServer(binary)
    tmp = Path(tempfile.mkdtemp(prefix="itog-bench-scan-celery-"))
    try:
        env = site_env(tmp, redis.url, ITOG_SCAN_CHUNK_PAGES=str(args.chunk), ITOG_JOB_LEASE_SECONDS=str(args.lease))
        if DATABASE_URL:
            env["ITOG_DATABASE_URL"] = DATABASE_URL
        say(
            f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; building 3 batches of "
            f"{args.pages} pages…"
        )
        t0 = time.monotonic()
        ids = site(env, "setup", args.pages, 3)
        say(f"  built in {time.monotonic() - t0:.0f} s")
        one = timed_batch(env, tmp, redis.url, ids["batches"][0], 1, args.pages, tmp)
        two = timed_batch(env, tmp, redis.url, ids["batches"][1], 2, args.pages, tmp)
        ratio = two["rate"] / one["rate"]
        say(
            f"--> 2 worker processes / 1: {ratio:.2f}× (target ≥ 1.8×: {'MET' if ratio >= 1.8 else 'NOT met'}); "
            f"cores the workers got: {one['cores']:.2f} → {two['cores']:.2f} ({two['cores'] / one['cores']:.2f}×)"
        )
        killed = kill_run(env, tmp, redis.url, ids["batches"][2], args.pages, tmp)
        ok = killed["status"] == "done" and killed["pages"] == args.pages and not killed["duplicates"]
        say(f"--> kill -9 mid-batch: {'no page lost or doubled' if ok else 'FAILED'}")
    finally:
        redis.stop()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
