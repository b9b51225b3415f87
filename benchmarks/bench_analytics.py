"""Benchmark: the results analytics at the country's scale, on PostgreSQL.

    python benchmarks/bench_analytics.py [--scale 1.0] [--repeat 3] [--reuse] [--keep-pg]

1. PostgreSQL: a throwaway cluster like ``.ci/run`` (``initdb`` as ``postgres``, ``fsync=off``) in
   ``--pgdata`` (default ``/tmp/itog-bench-analytics-pg``) on ``--pgport`` (54349); the Debian package
   ``postgresql`` is installed when missing (root). A cluster already answering on the port is reused.
2. Data (database ``itog_bench_analytics``, re-created unless ``--reuse``): 85 regions with ≈ 2,600
   municipalities and ≈ 40,000 schools (× ``--scale``), three academic years of results of the essay
   (≈ 670,000 participants a year) and of the interview (≈ 1.77 million a year), main and additional dates.
   The works themselves are not generated: the results go **straight into the aggregate tables** with
   COPY (``ResultFact`` per session × registration place × category × ОВЗ, ``CriterionFact`` per
   criterion, ``ExpertFact`` per expert, experts as ``Employee`` rows), exactly the rows
   ``refresh_session`` writes after a publication — the pages read only these tables, so their speed does
   not depend on how the rows came. The region totals (``RegionFact``) are then built by the real code
   (``refresh._region_facts`` per session), timed.
3. Measures, in this process through Django's test client (no HTTP server; matplotlib already imported, as
   in a running server; the chart cache cleared before every request), every analytics page, the XLSX
   exports and the DOCX report of the largest region for its ministry user, a municipality for its МОУО
   user and a school for its operator; and the national overview (``itog analytics national``: all 85
   regions side by side, written to XLSX). Prints the median and the worst of ``--repeat`` runs.
"""

from __future__ import annotations

import argparse
import io
import os
import random
import shutil
import socket
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REGIONS = 85
SCHOOLS = 40000
MUNICIPALITIES = 2600
ESSAY_PER_YEAR = 670_000
INTERVIEW_PER_YEAR = 1_770_000
ESSAY_CODES = ["T1", "T2", "K1", "K2", "K3", "K4", "K5"]
INTERVIEW_CODES = ["Ч1", "Ч2", "Ч3", "Ч4"]  # the interview's own criteria data (kind-neutral rows)


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def start_pg(args) -> bool:
    with socket.socket() as s:
        if s.connect_ex(("127.0.0.1", args.pgport)) == 0:
            print(f"PostgreSQL already answers on {args.pgport}: reused")
            return False
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin")) if Path("/usr/lib/postgresql").exists() else []
    if not bins:
        print("PostgreSQL not installed: installing the Debian package 'postgresql'")
        sh(["apt-get", "update", "-qq"])
        sh(["apt-get", "install", "-y", "-qq", "postgresql"], env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"})
        bins = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    pgbin = bins[-1]
    data = Path(args.pgdata)
    if data.exists():
        shutil.rmtree(data)
    data.mkdir(parents=True)
    shutil.chown(data, "postgres", "postgres")
    run = ["runuser", "-u", "postgres", "--"]
    sh(
        run
        + [
            str(pgbin / "initdb"),
            "-D",
            str(data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--encoding=UTF8",
            "--locale=C.UTF-8",
        ],
        stdout=subprocess.DEVNULL,
    )
    sh(
        run
        + [
            str(pgbin / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(data / "server.log"),
            "-w",
            "-o",
            (
                f"-p {args.pgport} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
                f"-c full_page_writes=off -c shared_buffers=256MB -c work_mem=64MB"
            ),
            "start",
        ],
        stdout=subprocess.DEVNULL,
    )
    args._pgbin = pgbin
    return True


def stop_pg(args) -> None:
    sh(
        ["runuser", "-u", "postgres", "--", str(args._pgbin / "pg_ctl"), "-D", args.pgdata, "-m", "fast", "-w", "stop"],
        stdout=subprocess.DEVNULL,
    )
    shutil.rmtree(args.pgdata, ignore_errors=True)


def _copy(cursor, table: str, columns: list[str], rows) -> int:
    n = 0
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        buf = io.StringIO()
        for row in rows:
            buf.write("\t".join("\\N" if v is None else str(v) for v in row))
            buf.write("\n")
            n += 1
            if n % 20000 == 0:
                cp.write(buf.getvalue())
                buf = io.StringIO()
        cp.write(buf.getvalue())
    return n


def _split(total: int, n: int, rng: random.Random, sigma: float = 0.8) -> list[int]:
    weights = [rng.lognormvariate(0, sigma) for _ in range(n)]
    scale = total / sum(weights)
    return [max(1, round(w * scale)) for w in weights]


def build(args) -> dict:
    from django.db import connection

    from itog.analytics.models import ResultFact
    from itog.analytics.refresh import _region_facts
    from itog.exams.models import ExamSession
    from itog.orgs.models import Organization

    rng = random.Random(2026)
    schools_total = int(SCHOOLS * args.scale)
    mun_total = max(REGIONS * 3, int(MUNICIPALITIES * args.scale))
    t0 = time.perf_counter()
    # ---- organizations: ministry (the region's root) → МОУО → ОО, ids and paths written directly
    orgs = []
    next_id = (Organization.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    region_schools = _split(schools_total, REGIONS, rng, 0.7)
    region_muns = [max(3, round(mun_total * s / schools_total)) for s in region_schools]
    regions, schools, muns = [], [], []
    for r in range(REGIONS):
        rid = next_id
        next_id += 1
        rpath = f"{rid}/"
        orgs.append(
            (
                rid,
                "ministry",
                f"B{r:02d}",
                f"Министерство образования региона {r + 1}",
                f"Минобр {r + 1}",
                None,
                rpath,
                0,
            )
        )
        regions.append((rid, rpath))
        mun_ids = []
        for m in range(region_muns[r]):
            mid = next_id
            next_id += 1
            mpath = f"{rpath}{mid}/"
            orgs.append(
                (
                    mid,
                    "mouo",
                    f"B{r:02d}M{m:03d}",
                    f"Управление образования {r + 1}-{m + 1}",
                    f"УО {r + 1}-{m + 1}",
                    rid,
                    mpath,
                    1,
                )
            )
            mun_ids.append((mid, mpath))
            muns.append((mid, mpath, rid))
        for s in range(region_schools[r]):
            mid, mpath = mun_ids[rng.randrange(len(mun_ids))] if s >= len(mun_ids) else mun_ids[s]
            sid = next_id
            next_id += 1
            orgs.append(
                (
                    sid,
                    "school",
                    f"B{r:02d}S{s:05d}",
                    f"Школа № {s + 1} региона {r + 1}",
                    f"СОШ № {s + 1} ({r + 1})",
                    mid,
                    f"{mpath}{sid}/",
                    2,
                )
            )
            schools.append((sid, f"{mpath}{sid}/", mid, rid))
    with connection.cursor() as c:
        cur = c.cursor
        _copy(
            cur,
            "orgs_organization",
            [
                "id",
                "kind",
                "code",
                "name",
                "short_name",
                "parent_id",
                "path",
                "depth",
                "address",
                "time_zone",
                "phone",
                "email",
                "is_active",
            ],
            ((*o, "", "Europe/Moscow", "", "", "t") for o in orgs),
        )
        cur.execute("SELECT setval(pg_get_serial_sequence('orgs_organization','id'), %s)", [next_id])
    print(
        f"  организации: {len(regions)} регионов, {len(muns)} МОУО, {len(schools)} ОО "
        f"({time.perf_counter() - t0:.1f} с)"
    )
    # ---- sessions: 3 years × (essay 3 dates, interview 3 dates) per region
    t0 = time.perf_counter()
    years = [2023, 2024, 2025]
    sessions = []
    for rid, _ in regions:
        for y in years:
            label = f"{y}/{(y + 1) % 100:02d}"
            for kind, dates in (
                ("essay", [date(y, 12, 3), date(y + 1, 2, 4), date(y + 1, 4, 8)]),
                ("interview", [date(y + 1, 2, 11), date(y + 1, 3, 11), date(y + 1, 4, 20)]),
            ):
                for i, d in enumerate(dates):
                    sessions.append(
                        ExamSession(
                            region_id=rid,
                            kind=kind,
                            academic_year=label,
                            stage="main" if i == 0 else "additional",
                            date=d,
                            rule_date=d,
                            published_at=f"{d + timedelta(days=10)}T12:00:00Z",
                            processed_at=f"{d + timedelta(days=9)}T12:00:00Z",
                            results_date=d + timedelta(days=11),
                        )
                    )
    ExamSession.objects.bulk_create(sessions, batch_size=2000)
    by_key = {
        (s.region_id, s.kind, s.academic_year, s.stage, s.date): s
        for s in ExamSession.objects.filter(region_id__in=[r for r, _ in regions])
    }
    sess = {}
    for (rid, kind, year, _stage, _d), s in by_key.items():
        sess.setdefault((rid, kind, year), []).append(s)
    for v in sess.values():
        v.sort(key=lambda s: s.date)
    print(f"  сессии: {len(by_key)} ({time.perf_counter() - t0:.1f} с)")
    # ---- experts (Employee rows) per municipality: one per ≈ 50 essay works, one per ≈ 120 interviews
    t0 = time.perf_counter()
    emp_id = 1 + (connection.cursor().execute("SELECT coalesce(max(id), 0) FROM people_employee").fetchone()[0])
    first_emp = emp_id
    school_n_essay = _split(int(ESSAY_PER_YEAR * args.scale), len(schools), rng, 0.6)
    school_n_int = [
        max(1, round(n * INTERVIEW_PER_YEAR / ESSAY_PER_YEAR * rng.uniform(0.8, 1.2))) for n in school_n_essay
    ]
    mun_essay: dict[int, int] = {}
    mun_schools: dict[int, list] = {}
    for (sid, spath, mid, _rid), n in zip(schools, school_n_essay):
        mun_essay[mid] = mun_essay.get(mid, 0) + n
        mun_schools.setdefault(mid, []).append((sid, spath))
    experts = {}  # municipality → [(employee id, path)]
    emp_rows = []
    for mid, _mpath, _rid in muns:
        if mid not in mun_schools:
            continue
        k = max(3, mun_essay[mid] // 50)
        experts[mid] = []
        for j in range(k):
            sid, spath = mun_schools[mid][j % len(mun_schools[mid])]
            emp_rows.append(
                (emp_id, f"Эксперт{emp_id}", "Анна", "Ивановна", sid, "Учитель", "Русский язык, литература", "t", "")
            )
            experts[mid].append((emp_id, spath))
            emp_id += 1
    with connection.cursor() as c:
        _copy(
            c.cursor,
            "people_employee",
            [
                "id",
                "last_name",
                "first_name",
                "middle_name",
                "organization_id",
                "position",
                "subjects",
                "is_russian_specialist",
                "email",
            ],
            emp_rows,
        )
        c.cursor.execute("SELECT setval(pg_get_serial_sequence('people_employee','id'), %s)", [emp_id])
    print(f"  эксперты: {emp_id - first_emp} ({time.perf_counter() - t0:.1f} с)")
    # ---- facts
    t0 = time.perf_counter()
    fact_id = (ResultFact.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    facts, crits, expert_rows = [], [], []
    participants = {"essay": 0, "interview": 0}
    for y in years:
        label = f"{y}/{(y + 1) % 100:02d}"
        for kind, counts, codes, base in (
            ("essay", school_n_essay, ESSAY_CODES, 0.07),
            ("interview", school_n_int, INTERVIEW_CODES, 0.03),
        ):
            mun_checked: dict[int, list[int]] = {}
            for (sid, spath, mid, rid), n in zip(schools, counts):
                main, add1 = sess[(rid, kind, label)][0], sess[(rid, kind, label)][1]
                fail = max(0.0, rng.gauss(base, 0.03))
                n = max(1, round(n * rng.uniform(0.9, 1.1)))
                parts = [("student", "f", n - n // 40)] + ([("student", "t", n // 40)] if n // 40 else [])
                if kind == "essay" and rng.random() < 0.15:
                    parts.append(("extern", "f", 1 + rng.randrange(3)))
                for category, health, m in parts:
                    absent = round(m * 0.015 * rng.uniform(0, 2))
                    removed = 1 if rng.random() < m * 0.003 else 0
                    nf = 1 if rng.random() < m * 0.006 else 0
                    checked = max(0, m - absent - removed - nf)
                    failed = min(checked, round(checked * fail * rng.uniform(0.5, 1.5)))
                    participants[kind] += m
                    facts.append(
                        (
                            fact_id,
                            main.pk,
                            kind,
                            label,
                            main.date,
                            "main",
                            rid,
                            mid,
                            sid,
                            spath,
                            category,
                            health,
                            kind if kind == "interview" else "essay",
                            "archive",
                            m,
                            m - absent,
                            absent,
                            nf,
                            removed,
                            checked,
                            checked - failed,
                            failed,
                            0,
                            round(failed * 0.1),
                            round(failed * 0.02),
                            0,
                            0,
                        )
                    )
                    for code in codes:
                        crits.append((fact_id, code, min(checked, round(failed * rng.uniform(0.1, 0.5))), checked))
                    fact_id += 1
                    mc = mun_checked.setdefault(mid, [0, 0])
                    mc[0] += failed
                    mc[1] += checked
                    if failed:  # re-admitted to the additional date
                        again = round(failed * 0.35)
                        facts.append(
                            (
                                fact_id,
                                add1.pk,
                                kind,
                                label,
                                add1.date,
                                "additional",
                                rid,
                                mid,
                                sid,
                                spath,
                                category,
                                health,
                                kind if kind == "interview" else "essay",
                                "archive",
                                failed,
                                failed,
                                0,
                                0,
                                0,
                                failed,
                                failed - again,
                                again,
                                failed,
                                0,
                                0,
                                0,
                                0,
                            )
                        )
                        fact_id += 1
            if kind == "essay":
                for mid, (k, n) in mun_checked.items():
                    ex = experts.get(mid, [])
                    for j, (eid, epath) in enumerate(ex):
                        works = n // len(ex)
                        rate = k / n if n else 0
                        failed = min(works, round(works * rate * (2.5 if j == 0 else rng.uniform(0.7, 1.3))))
                        main = sess[(schools[0][3], kind, label)][0]  # replaced below by the region's session
                        expert_rows.append((eid, epath, mid, label, failed, works))
    rid_of_mun = {mid: rid for mid, _, rid in muns}
    with connection.cursor() as c:
        cur = c.cursor
        nf_ = _copy(
            cur,
            "analytics_resultfact",
            [
                "id",
                "session_id",
                "kind",
                "academic_year",
                "exam_date",
                "stage",
                "region_id",
                "municipality_id",
                "org_id",
                "org_path",
                "category",
                "health",
                "form",
                "source",
                "registered",
                "participants",
                "absent",
                "not_finished",
                "removed",
                "checked",
                "passed",
                "failed",
                "readmitted",
                "rechecks",
                "recheck_changed",
                "pereproverki",
                "pereproverka_changed",
            ],
            facts,
        )
        nc = _copy(cur, "analytics_criterionfact", ["fact_id", "code", "failed", "checked"], crits)
        ne = _copy(
            cur,
            "analytics_expertfact",
            [
                "session_id",
                "kind",
                "academic_year",
                "region_id",
                "expert_id",
                "pool_id",
                "org_path",
                "checked",
                "failed",
                "rechecked",
                "changed",
            ],
            (
                (
                    sess[(rid_of_mun[mid], "essay", label)][0].pk,
                    "essay",
                    label,
                    rid_of_mun[mid],
                    eid,
                    mid,
                    epath,
                    works,
                    failed,
                    round(failed * 0.1),
                    0,
                )
                for eid, epath, mid, label, failed, works in expert_rows
            ),
        )
        cur.execute("SELECT setval(pg_get_serial_sequence('analytics_resultfact','id'), %s)", [fact_id])
    print(
        f"  участников в год: сочинение {participants['essay'] // 3:,}, собеседование "
        f"{participants['interview'] // 3:,}".replace(",", " ")
    )
    print(f"  COPY: ResultFact {nf_}, CriterionFact {nc}, ExpertFact {ne} ({time.perf_counter() - t0:.1f} с)")
    t0 = time.perf_counter()
    all_sessions = list(ExamSession.objects.filter(region_id__in=[r for r, _ in regions]).select_related("region"))
    for s in all_sessions:
        _region_facts(s)
    print(f"  RegionFact по {len(all_sessions)} сессиям (refresh._region_facts): {time.perf_counter() - t0:.1f} с")
    with connection.cursor() as c:
        c.execute("ANALYZE")
    largest = max(range(REGIONS), key=lambda i: region_schools[i])
    rid = regions[largest][0]
    mun = max((m for m in muns if m[2] == rid and m[0] in mun_schools), key=lambda m: len(mun_schools[m[0]]))
    school = mun_schools[mun[0]][0][0]
    return {
        "region": rid,
        "region_schools": region_schools[largest],
        "mun": mun[0],
        "mun_schools": len(mun_schools[mun[0]]),
        "school": school,
    }


def users(ids: dict):
    from django.contrib.auth import get_user_model

    from itog.accounts.models import Membership

    User = get_user_model()
    out = {}
    for name, role, org in (
        ("bench_minobr", "ministry_admin", ids["region"]),
        ("bench_mouo", "mouo_operator", ids["mun"]),
        ("bench_school", "oo_operator", ids["school"]),
    ):
        u, _ = User.objects.get_or_create(username=name)
        Membership.objects.get_or_create(user=u, role=role, organization_id=org)
        out[name] = u
    return out


def measure(args, ids, us) -> None:
    from django.core.management import call_command
    from django.test import Client

    import itog.analytics.report  # noqa: F401 - imported as in a running server
    from itog.analytics import charts

    y = "2025/26"
    pages = [
        ("bench_minobr", "регион: обзор (сочинение)", "/analytics/"),
        ("bench_minobr", "регион: обзор (собеседование)", "/analytics/?kind=interview"),
        ("bench_minobr", "регион: обзор, ОВЗ", "/analytics/?health=1"),
        ("bench_minobr", "регион: по годам", "/analytics/years/"),
        ("bench_minobr", "регион: зоны риска", "/analytics/risks/"),
        ("bench_minobr", "регион: эксперты", "/analytics/experts/"),
        ("bench_minobr", "регион: работы по отметке", f"/analytics/works/?year={y}&result=незачет"),
        ("bench_minobr", "регион: XLSX показателей", "/analytics/export/units.xlsx"),
        ("bench_minobr", "регион: XLSX зон риска", "/analytics/export/risks.xlsx"),
        ("bench_minobr", "регион: отчет DOCX", "/analytics/report.docx"),
        ("bench_minobr", "МОУО (из региона): обзор", f"/analytics/?org={ids['mun']}"),
        ("bench_mouo", "МОУО: обзор", "/analytics/"),
        ("bench_mouo", "МОУО: по годам", "/analytics/years/"),
        ("bench_mouo", "МОУО: зоны риска", "/analytics/risks/"),
        ("bench_mouo", "МОУО: отчет DOCX", "/analytics/report.docx"),
        ("bench_school", "ОО: обзор", "/analytics/"),
        ("bench_school", "ОО: по годам", "/analytics/years/"),
        ("bench_school", "ОО: отчет DOCX", "/analytics/report.docx"),
    ]
    clients = {}
    for name, u in us.items():
        clients[name] = Client()
        clients[name].force_login(u)
    # The first request of a fresh process compiles the templates and opens the connection: measured apart,
    # the pages below are those of a running server.
    charts.clear_cache()
    t = time.perf_counter()
    clients["bench_minobr"].get("/analytics/?year=2024/25", HTTP_HOST="127.0.0.1")
    print(f"\nПервый запрос нового процесса (шаблоны, соединение с БД): {time.perf_counter() - t:.2f} с")
    print(
        f"\nСтраницы ({args.repeat} повтора, медиана / худшее, с); регион: {ids['region_schools']} ОО, "
        f"МОУО: {ids['mun_schools']} ОО"
    )
    from django.db import connection

    connection.ensure_connection()
    with connection.cursor() as c:
        c.execute("SELECT pg_backend_pid()")
        backend = c.fetchone()[0]
    tick = os.sysconf("SC_CLK_TCK")

    def backend_cpu() -> float:  # the PostgreSQL backend serving this process (same machine)
        fields = Path(f"/proc/{backend}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / tick

    print("  (колонки: время ответа — медиана / худшее; CPU процесса Django и CPU PostgreSQL — медиана)")
    worst_region = 0.0
    for who, label, url in pages:
        times, cpus, dbs = [], [], []
        for _ in range(args.repeat):
            charts.clear_cache()
            t, cpu, db = time.perf_counter(), time.process_time(), backend_cpu()
            r = clients[who].get(url, HTTP_HOST="127.0.0.1")
            times.append(time.perf_counter() - t)
            cpus.append(time.process_time() - cpu)
            dbs.append(backend_cpu() - db)
            assert r.status_code == 200, (url, r.status_code)
        worst_region = max(worst_region, max(times))
        print(
            f"  {label:<34} {statistics.median(times):6.2f} / {max(times):6.2f}   CPU {statistics.median(cpus):5.2f}"
            f" + БД {statistics.median(dbs):5.2f}   ({len(r.content):,} байт)".replace(",", " ")
        )
    times = []
    for _ in range(args.repeat):
        out = Path("/tmp/itog-bench-national.xlsx")
        t = time.perf_counter()
        call_command("analytics", "national", "--year", y, "--xlsx", str(out), stdout=io.StringIO())
        times.append(time.perf_counter() - t)
    print(f"  {'страна: обзор 85 регионов (XLSX)':<34} {statistics.median(times):6.2f} / {max(times):6.2f}")
    print(
        f"\nХудшее время страницы региона: {worst_region:.2f} с (цель < 2 с); страны: {max(times):.2f} с (цель < 5 с)"
    )


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--pgport", type=int, default=54349)
    p.add_argument("--pgdata", default="/tmp/itog-bench-analytics-pg")
    p.add_argument("--dbname", default="itog_bench_analytics")
    p.add_argument("--reuse", action="store_true")
    p.add_argument("--keep-pg", action="store_true")
    args = p.parse_args()
    started = start_pg(args)
    try:
        import psycopg

        url = f"postgres://postgres@127.0.0.1:{args.pgport}/{args.dbname}"
        if not args.reuse:
            with psycopg.connect(f"postgres://postgres@127.0.0.1:{args.pgport}/postgres", autocommit=True) as c:
                c.execute(f"DROP DATABASE IF EXISTS {args.dbname}")
                c.execute(f"CREATE DATABASE {args.dbname}")
        os.environ["ITOG_DATABASE_URL"] = url
        os.environ.setdefault("ITOG_DATA_DIR", "/tmp/itog-bench-analytics-data")
        os.environ["DJANGO_SETTINGS_MODULE"] = "itog.settings"
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.ALLOWED_HOSTS = ["*"]
        t = time.perf_counter()
        call_command("migrate", verbosity=0)
        print(f"migrate: {time.perf_counter() - t:.1f} с")
        t = time.perf_counter()
        ids_file = Path(args.pgdata + ".ids")
        if args.reuse and ids_file.exists():
            import json

            ids = json.loads(ids_file.read_text())
        else:
            print("Данные:")
            ids = build(args)
            import json

            ids_file.write_text(json.dumps(ids))
            print(f"  всего: {time.perf_counter() - t:.1f} с")
        us = users(ids)
        print(
            f"машина: {os.cpu_count()} ядра, load average {os.getloadavg()[0]:.1f} (машина общая с другими "
            f"инженерами: цифры шумные)"
        )
        measure(args, ids, us)
    finally:
        if started and not args.keep_pg:
            stop_pg(args)


if __name__ == "__main__":
    main()
