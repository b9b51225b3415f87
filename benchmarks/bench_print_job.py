"""The print job of a whole Moscow-size region on PostgreSQL: seating, then kits + room lists + room forms.

    python benchmarks/bench_print_job.py [--keep DIR] [--scale moscow] [--workers N]

Starts (or, with ``--keep DIR``, reuses) a throw-away PostgreSQL cluster as ``bench_lists.py`` does and builds
the region with ``itog demo --scale moscow`` when it is not there (1,500 schools, 75,000 applications for the
main date; the build is timed and printed). Then:

1. seats the main session with ``seat_session`` (timed; the seating's own figure at this size);
2. runs the ``print-kits`` job for the whole region in a child process (``ITOG_JOB_BACKEND=sync``, exactly
   the code a worker runs: kit data from the database, work codes issued, kits rendered by worker processes
   into PDF parts, room lists, each room's forms ИС-05/08/09, everything streamed into a zip file that the
   runner copies into storage).

While the job runs, the RSS of the job's process and of all its descendants (the rendering workers) is
sampled from ``/proc`` every 0.2 s; the peak of the *sum* is printed (target: < 1 GiB for the whole job),
with the wall time (target: < 6 minutes on 2 cores), the CPU time of the job and its workers (on a shared
machine the wall time depends on the other processes; CPU time / 2 is what two free cores would need), the
job's progress records and the archive's size and entries (the archive is opened and its parts counted).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_lists import as_postgres, start_cluster

CHILD = r"""
import os, sys, time
import django
django.setup()
from django.contrib.auth import get_user_model
from itog.exams.models import ExamSession, Stage
from itog.jobs.runner import enqueue
session = (ExamSession.objects.filter(stage=Stage.MAIN, seatings__seated__gt=0).distinct().order_by("-date").first())
user = get_user_model().objects.get(username="rcoi")
org = user.memberships.first().organization
t = time.perf_counter()
job = enqueue("print-kits", "bench: печать региона", org, user=user, session_id=session.pk)
print(f"JOB {job.pk} {job.status} {time.perf_counter() - t:.1f} {job.done}/{job.total} {job.error[:500]!r}", flush=True)
"""


def tree_rss(pid: int) -> int:
    """RSS in bytes of ``pid`` and all its descendants (from /proc)."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                ppid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            with open(f"/proc/{p}/statm") as f:
                total += int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
        except OSError:
            pass
    return total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="cluster directory to create or reuse (default: a temporary one, removed)")
    parser.add_argument("--scale", default="moscow")
    args = parser.parse_args()
    pgbin, port, data, fresh = start_cluster(args.keep)
    try:
        run(port, fresh, args)
    finally:
        as_postgres(f"{pgbin}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        if not args.keep:
            import shutil

            shutil.rmtree(data, ignore_errors=True)


def run(port: int, fresh: bool, args) -> None:
    media = tempfile.mkdtemp(prefix="itog-bench-print-")
    os.environ.update(
        ITOG_DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/itog",
        DJANGO_SETTINGS_MODULE="itog.settings",
        ITOG_JOB_BACKEND="sync",
        ITOG_DATA_DIR=media,
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    print(f"load average at start: {os.getloadavg()[0]:.2f}")
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "itog", "demo", "--scale", args.scale, "--no-serve"],
        check=True,
        env=env,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    print(
        f"itog demo --scale {args.scale}: {time.perf_counter() - started:.0f} s "
        f"({'fresh cluster: built' if fresh else 'reused cluster'})"
    )
    import django

    django.setup()
    from django.db import connection

    from itog.exams.models import Application, ExamSession, Seat, Stage
    from itog.exams.seating.services import seat_session

    session = (
        ExamSession.objects.filter(stage=Stage.MAIN, applications__isnull=False).distinct().order_by("-date").first()
    )
    n = Application.objects.filter(session=session).count()
    if not session.seatings.filter(seated__gt=0).exists():
        t = time.perf_counter()
        seating = seat_session(session, seed=2024)
        print(
            f"seating {n} applications: {time.perf_counter() - t:.1f} s, seated {seating.seated}, "
            f"venues with problems {len(seating.problems)}"
        )
    seats = Seat.objects.filter(run=session.seatings.first()).count()
    rooms = Seat.objects.filter(run=session.seatings.first()).values("room_id").distinct().count()
    connection.close()
    print(f"printing {seats} seats in {rooms} rooms (load average {os.getloadavg()[0]:.2f})")
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-c", CHILD], env=env, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    peak, peak_at = 0, 0.0
    while child.poll() is None:
        rss = tree_rss(child.pid)
        if rss > peak:
            peak, peak_at = rss, time.perf_counter() - t
        time.sleep(0.2)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the job process and its (waited-for) workers
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    out = child.stdout.read()
    print(out.strip())
    if child.returncode:
        raise SystemExit(f"print job process failed ({child.returncode})")
    import zipfile

    from itog.jobs.models import Job

    job = Job.objects.filter(kind="print-kits").order_by("-pk").first()
    path = Path(job.result.path)
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
    kit_parts = sum(n.startswith("комплекты/") for n in names)
    forms = sum(n.startswith("формы/") for n in names)
    print(
        f"print job: {wall:.1f} s wall (target < 360 s), peak RSS of the job and its workers "
        f"{peak / 2**20:.0f} MiB at {peak_at:.0f} s (target < 1024 MiB); CPU time of the job and its workers "
        f"{cpu:.0f} s (= {cpu / 2:.0f} s on 2 free cores, PostgreSQL not counted); "
        f"load average {os.getloadavg()[0]:.2f}"
    )
    print(
        f"archive {path.stat().st_size / 2**20:.0f} MiB: {kit_parts} kit parts, {forms} room form files, "
        f"{sum(n.startswith('списки/') for n in names)} venues' room lists; job {job.status}, "
        f"progress {job.done}/{job.total} «{job.message}»"
    )


if __name__ == "__main__":
    main()
