"""A participant list (XLSX) imported by the background job, end to end (issue 12 target, issue 15 job):
read → check every row → the procedure's rules per application → save with history, all in one transaction.

    python benchmarks/bench_participant_import_db.py [--rows 75000] [--postgres]

A setup process makes a throw-away site (SQLite file, or with ``--postgres`` a temporary PostgreSQL cluster
from Debian's packages, as ``bench_lists.py``) with a small demo region, writes the list (one school's rows
for next year's main date) and stores it as the upload page does, leaving the ``import-participants`` job
queued. A second, fresh process — standing for a Celery worker's process — runs the job; it prints the
wall time and its peak resident memory (``VmHWM`` from /proc/self/status) and the load average.
Target: 75,000 rows < 60 s and < 500 MiB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def vmhwm_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def setup(rows: int) -> None:
    import django

    django.setup()
    from types import SimpleNamespace

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from itog.demo.generate import DemoSize, generate
    from itog.exams.registration.services import ensure_sessions
    from itog.jobs import runner
    from itog.jobs.imports import start_import
    from itog.orgs.models import Organization
    from tests.jobs.celery_site import participant_list

    runner._send = lambda job_id: None  # the job waits for the measured process
    call_command("migrate", verbosity=0)
    region = generate(
        "bench-password",
        size=DemoSize(schools=24, grade11=50, grade9=0, teachers_per_school=1),
        progress=lambda *a: None,
    ).region
    user = get_user_model().objects.get(username="school")
    school = Organization.objects.get(pk=user.memberships.get().organization_id)
    session = ensure_sessions(region, "2027/28")[0]  # students: a main date (п. 10 keeps February for re-admission)
    data = participant_list(school.code, rows)
    request = SimpleNamespace(user=user, META={"REMOTE_ADDR": "127.0.0.1", "HTTP_USER_AGENT": "bench"})
    job = start_import(
        "import-participants",
        "Загрузка списка участников",
        school,
        request,
        data,
        "list.xlsx",
        session_id=session.pk,
        org_id=school.pk,
        consent_on="2026-11-01",
        partial=False,
    )
    print(json.dumps({"job": job.pk, "mb": len(data) / 1048576}))


def run(job_id: int) -> None:
    import django

    django.setup()
    import itog.jobs.imports as imports
    from itog.exams.models import Application
    from itog.jobs.models import Job
    from itog.jobs.runner import run_job

    phases: list[tuple[float, str, float]] = []  # (seconds since the start, progress message, VmHWM)
    reported = imports.progress

    def timed(current, done, total=None, message=""):
        phases.append((round(time.perf_counter() - started, 2), message, round(vmhwm_mib())))
        reported(current, done, total, message)

    imports.progress = timed
    before = vmhwm_mib()
    cpu_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    state = run_job(job_id)
    elapsed = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (cpu_after.ru_stime - cpu_before.ru_stime)
    job = Job.objects.get(pk=job_id)
    print(
        json.dumps(
            {
                "state": state,
                "status": job.status,
                "error": job.error[-2000:],
                "outcome": {k: v for k, v in (job.outcome or {}).items() if k != "errors"},
                "first_errors": (job.outcome or {}).get("errors", [])[:3],
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "vmhwm_before_mib": before,
                "vmhwm_mib": vmhwm_mib(),
                "applications": Application.objects.count(),
                "phases": [p for p in phases if not p[1].startswith("Проверено строк")] + phases[-1:],
            }
        )
    )


def child(env, *args) -> dict:
    out = subprocess.run(
        [sys.executable, __file__, *map(str, args)], env=env, capture_output=True, text=True, check=False
    )
    if out.returncode != 0:
        sys.exit(out.stderr[-4000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=30_000)
    parser.add_argument("--postgres", action="store_true", help="a temporary PostgreSQL cluster (run as root)")
    parser.add_argument("--stage", choices=["setup", "run"], help=argparse.SUPPRESS)
    parser.add_argument("--job", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage == "setup":
        return setup(args.rows)
    if args.stage == "run":
        return run(args.job)

    data_dir = tempfile.mkdtemp(prefix="itog-bench-")
    cluster = None
    if args.postgres:
        from benchmarks.bench_lists import as_postgres, start_cluster

        cluster = start_cluster(None)
        url = f"postgres://postgres@127.0.0.1:{cluster[1]}/itog"
    else:
        url = f"sqlite:///{data_dir}/bench.sqlite3"
    env = {
        **os.environ,
        "ITOG_DATA_DIR": data_dir,
        "ITOG_DATABASE_URL": url,
        "ITOG_JOB_BACKEND": "thread",
        "DJANGO_SETTINGS_MODULE": "itog.settings",
        "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p),
    }
    try:
        made = child(env, "--stage", "setup", "--rows", args.rows)
        load_before = os.getloadavg()
        result = child(env, "--stage", "run", "--job", made["job"])
        load_after = os.getloadavg()
    finally:
        if cluster is not None:
            as_postgres(f"{cluster[0]}/pg_ctl", "-D", cluster[2], "-m", "fast", "-w", "stop")
            shutil.rmtree(cluster[2], ignore_errors=True)
        shutil.rmtree(data_dir, ignore_errors=True)
    ok = result["status"] == "done" and result["outcome"].get("saved") and result["applications"] == args.rows
    print(
        f"{args.rows} rows ({made['mb']:.1f} MB XLSX), {'PostgreSQL' if args.postgres else 'SQLite'}: "
        f"job {result['status']} in {result['seconds']:.1f} s (CPU time of its process {result['cpu_seconds']:.1f} s), "
        f"{result['applications']} applications saved, "
        f"peak RSS of the job's process (VmHWM) {result['vmhwm_mib']:.0f} MiB "
        f"(at start {result['vmhwm_before_mib']:.0f} MiB); load average "
        f"{load_before[0]:.2f} before, {load_after[0]:.2f} after (target: < 60 s, < 500 MiB)"
    )
    for at, message, peak in result["phases"]:
        print(f"  {at:7.2f} s  {peak:5.0f} MiB  {message}")
    if not ok:
        sys.exit(f"the import did not save every row: {result}")


if __name__ == "__main__":
    main()
