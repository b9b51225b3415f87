"""The ministry's list pages and region-wide figures on a Moscow-size region, on PostgreSQL.

    python benchmarks/bench_lists.py [--keep DIR] [--scale moscow]

Starts a throw-away PostgreSQL cluster (``/usr/lib/postgresql/*/bin/initdb`` as user postgres on a free
port, as ``.ci/run`` does), builds the region with ``itog demo --scale moscow`` (1,500 schools, 75,000
participants registered for the main date, bulk inserts with history rows) — or reuses the cluster in
``--keep DIR`` from an earlier run — then, logged in as the ministry's administrator, requests every list
page and prints per page: time, bytes, query count (targets: < 1 s, < 300 KB), and the region-wide
figures (выверка, venue readiness, results summary; target < 2 s). The results summary needs results:
the benchmark gives every application a work with a result (bench data, bulk, no history) once.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(*cmd: str) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", *cmd], check=True, stdout=subprocess.DEVNULL)


def start_cluster(keep: str | None) -> tuple[str, int, str, bool]:
    pgbin = max(glob.glob("/usr/lib/postgresql/*/bin"))
    fresh = True
    if keep and Path(keep, "PG_VERSION").exists():
        data, fresh = keep, False
    else:
        data = keep or tempfile.mkdtemp(prefix="itog-bench-pg-")
        Path(data).mkdir(parents=True, exist_ok=True)
        shutil.chown(data, "postgres", "postgres")
        as_postgres(
            f"{pgbin}/initdb", "-D", data, "-A", "trust", "-U", "postgres", "--encoding=UTF8", "--locale=C.UTF-8"
        )
    port = free_port()
    as_postgres(
        f"{pgbin}/pg_ctl",
        "-D",
        data,
        "-l",
        f"{data}/server.log",
        "-w",
        "-o",
        f"-p {port} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
        f"-c full_page_writes=off",
        "start",
    )
    if fresh:
        subprocess.run([f"{pgbin}/createdb", "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "itog"], check=True)
    return pgbin, port, data, fresh


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="cluster directory to create or reuse (default: a temporary one, removed)")
    parser.add_argument("--scale", default="moscow")
    parser.add_argument("--repeat", type=int, default=3, help="requests per page; the best time is printed")
    args = parser.parse_args()
    pgbin, port, data, fresh = start_cluster(args.keep)
    try:
        run(port, fresh, args)
    finally:
        as_postgres(f"{pgbin}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)


def run(port: int, fresh: bool, args) -> None:
    os.environ.update(
        ITOG_DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/itog",
        DJANGO_SETTINGS_MODULE="itog.settings",
        ITOG_JOB_BACKEND="sync",
        ITOG_DATA_DIR=tempfile.mkdtemp(prefix="itog-bench-data-"),
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    # On a kept cluster the demo command reuses what is there and completes what is missing.
    import resource

    started, before = time.perf_counter(), resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-m", "itog", "demo", "--scale", args.scale, "--no-serve"], check=True, env=env, cwd=ROOT
    )
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    print(
        f"itog demo --scale {args.scale}: {time.perf_counter() - started:.0f} s on PostgreSQL "
        f"({'fresh cluster' if fresh else 'reused cluster'}); CPU time of the command {cpu:.0f} s "
        f"(PostgreSQL not counted); load average {os.getloadavg()[0]:.1f}"
    )
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from itog.accounts.scope import forget_grants
    from itog.conduct.models import Work
    from itog.exams.models import Application, Commission, ExamSession, Stage
    from itog.exams.printing.services import issue_codes
    from itog.exams.registration.services import reconcile
    from itog.exams.seating.services import venue_readiness
    from itog.orgs.models import Place, PlaceKind
    from itog.web.views.conduct import results_summary

    session = (
        ExamSession.objects.filter(stage=Stage.MAIN, applications__isnull=False).distinct().order_by("-date").first()
    )
    n_apps = Application.objects.filter(session=session).count()
    if not Work.objects.filter(session=session).exists():
        started = time.perf_counter()
        # Works refer to issued codes (exams.WorkCode): issue them as the print job does (kept where issued).
        ids = list(Application.objects.filter(session=session).values_list("pk", flat=True))
        codes = issue_codes(session, ids)
        rows = Application.objects.filter(session=session).values_list("pk", "participant__registration_org_id")
        Work.objects.bulk_create(
            [
                Work(
                    session=session,
                    application_id=pk,
                    code=codes[pk],
                    school_id=org,
                    status="final",
                    result="незачет" if pk % 17 == 0 else "зачет",
                )
                for pk, org in rows.iterator(chunk_size=5000)
            ],
            batch_size=5000,
        )
        print(f"bench results: {n_apps} works in {time.perf_counter() - started:.0f} s")
    print(
        f"region: {n_apps} applications, {Commission.objects.filter(session=session).count()} commissions, "
        f"session {session.date:%d.%m.%Y}"
    )
    user = get_user_model().objects.get(username="minobr")
    client = Client()
    client.force_login(user)
    client.defaults["SERVER_NAME"] = "127.0.0.1"
    s = session.pk
    pages = [
        ("participants", f"/sessions/{s}/"),
        ("participants, search", f"/sessions/{s}/?q=Иван&sort=-name"),
        ("participants, page 1000", f"/sessions/{s}/?page=1000"),
        ("students", "/students/"),
        ("students, grade 11 by school", "/students/?grade=11&sort=school"),
        ("employees", "/employees/"),
        ("organizations", "/orgs/"),
        ("places", "/places/"),
        ("commissions", f"/sessions/{s}/commissions/"),
        ("results", f"/sessions/{s}/results/"),
        ("выверка", f"/sessions/{s}/reconciliation/"),
        ("seating / readiness", f"/sessions/{s}/seating/"),
        ("audit journal (events)", "/audit/?tab=events"),
        ("audit journal (students)", "/audit/?model=people.Student"),
        ("home", "/"),
    ]
    print(f"\n{'page':<30} {'status':>6} {'best, s':>8} {'KB':>7} {'queries':>8}")
    for name, url in pages:
        best, size, queries, status = 1e9, 0, 0, 0
        for _ in range(args.repeat):
            forget_grants(user)
            with CaptureQueriesContext(connection) as ctx:
                t = time.perf_counter()
                response = client.get(url)
                elapsed = time.perf_counter() - t
            best = min(best, elapsed)
            size, queries, status = len(response.content), len(ctx), response.status_code
        flag = "" if best < 1 and size < 300_000 and status == 200 else "  <-- over target"
        print(f"{name:<30} {status:>6} {best:>8.3f} {size / 1024:>7.0f} {queries:>8}{flag}")

    print("\nregion-wide figures (service calls, best of the repeats):")
    venues = Place.objects.for_user(user).filter(kind=PlaceKind.VENUE, is_active=True)
    figures = [
        ("выверка (reconcile)", lambda: reconcile(session, user).applications),
        ("venue readiness", lambda: len(venue_readiness(session, venues))),
        ("results summary", lambda: results_summary(Work.objects.for_user(user).filter(session=session))),
    ]
    for name, call in figures:
        best = 1e9
        for _ in range(args.repeat):
            t = time.perf_counter()
            value = call()
            best = min(best, time.perf_counter() - t)
        flag = "" if best < 2 else "  <-- over target"
        print(f"{name:<30} {best:>8.3f} s   ({value}){flag}")


if __name__ == "__main__":
    main()
