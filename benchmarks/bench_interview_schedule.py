"""Schedule a region's interview: 20,000 participants in 1,000 schools.

    PYTHONPATH=$PWD python benchmarks/bench_interview_schedule.py [--schools 1000] [--participants 20000]
    PYTHONPATH=$PWD python benchmarks/bench_interview_schedule.py --db [--keep DIR] [--repeat 3]

Each school gets 1–3 audio-equipped rooms plus a waiting and a finished room; about 3 % of the
participants have the extended 45-minute answer. Without ``--db``: the pure rules only, the wall time of
scheduling every school (best of 3). With ``--db``: a throw-away PostgreSQL cluster (as
``benchmarks/bench_lists.py``), the region bulk inserted (1,000 schools with their place and rooms, 20,000
9th-graders with applications, ОВЗ participants with their ПМПК document), then the service
``itog.exams.seating.timed.schedule_region`` — reading the applications, documents and rooms, scheduling
every school by the kind's rules, writing the run, the seats and the participants' codes — timed per
repeat, with its query count (each repeat writes a new run, as a re-run by the РЦОИ does).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from itog.exams.kinds.interview.schedule import Candidate, Room, make_schedule


def build(schools: int, participants: int, seed: int = 2024):
    rnd = random.Random(seed)
    per = [participants // schools + (1 if i < participants % schools else 0) for i in range(schools)]
    region = []
    for s, n in enumerate(per):
        rooms = [Room(f"{s}-{k}", f"Каб. {101 + k}") for k in range(rnd.randint(1, 3))]
        rooms += [Room(f"{s}-w", "Рекреация", "waiting"), Room(f"{s}-f", "Библиотека", "finished")]
        people = [
            Candidate(f"{s}-{i}", f"Фамилия{i} Имя Отчество", f"9{'АБВ'[i % 3]}", rnd.random() < 0.03) for i in range(n)
        ]
        region.append((rooms, people))
    return region


def build_db(schools: int, participants: int, seed: int = 2024):
    """The region in the database, bulk inserted (no history rows: benchmark data)."""
    from datetime import date

    from itog.exams.models import Application, Participant, SupportingDocument
    from itog.exams.registration.services import ensure_sessions
    from itog.orgs.models import Organization, Place, Room

    rnd = random.Random(seed)
    ministry = Organization.objects.create(kind="ministry", code="BENCH-M", name="Министерство (бенчмарк)")
    mouo = Organization.objects.create(kind="mouo", code="BENCH-MO", name="МОУО (бенчмарк)", parent=ministry)
    orgs = Organization.objects.bulk_create(
        [
            Organization(kind="school", code=f"B{i:05d}", name=f"Школа № {i}", parent=mouo, depth=2)
            for i in range(schools)
        ]
    )
    for o in orgs:
        o.path = f"{mouo.path}{o.pk}/"
    Organization.objects.bulk_update(orgs, ["path"], batch_size=2000)
    places = Place.objects.bulk_create(
        [Place(organization=o, kind="venue", name=f"Здание {o.name}") for o in orgs], batch_size=2000
    )
    rooms = []
    for p in places:
        for k in range(rnd.randint(1, 3)):
            rooms.append(Room(place=p, number=str(101 + k), capacity=15, audio_equipped=True))
        rooms += [Room(place=p, number="201", capacity=30), Room(place=p, number="202", capacity=30)]
    Room.objects.bulk_create(rooms, batch_size=5000)
    (session,) = [s for s in ensure_sessions(ministry, "2025/26", kind="interview") if s.stage == "main"]
    per = [participants // schools + (1 if i < participants % schools else 0) for i in range(schools)]
    people, extended = [], []
    for o, n in zip(orgs, per):
        for i in range(n):
            ovz = rnd.random() < 0.03
            people.append(
                Participant(
                    last_name=f"Фамилия{i}",
                    first_name="Имя",
                    middle_name="Отчество",
                    sex="ж" if i % 2 else "м",
                    birth_date=date(2011, 1 + i % 12, 1 + i % 28),
                    document_number=f"{o.pk:05d}{i:04d}",
                    health_category="ovz" if ovz else "",
                    category="student",
                    school=o,
                    grade=9,
                    class_letter="АБВ"[i % 3],
                    registration_org=o,
                )
            )
            extended.append(ovz)
    people = Participant.objects.bulk_create(people, batch_size=5000)
    SupportingDocument.objects.bulk_create(
        [SupportingDocument(participant=p, kind="pmpk") for p, ext in zip(people, extended) if ext], batch_size=5000
    )
    Application.objects.bulk_create(
        [
            Application(
                participant=p,
                registration_org_id=p.registration_org_id,
                session=session,
                form="interview",
                application_form="app1",
                registration_number=f"BENCH-{p.pk}",
                pamyatka_ack=True,
            )
            for p in people
        ],
        batch_size=5000,
    )
    return session, sum(extended)


def run_db(args) -> None:
    import os
    import shutil
    import tempfile

    sys.path.insert(0, str(ROOT / "benchmarks"))
    from bench_lists import as_postgres, start_cluster

    pgbin, port, data, fresh = start_cluster(args.keep)
    try:
        os.environ.update(
            ITOG_DATABASE_URL=f"postgres://postgres@127.0.0.1:{port}/itog",
            DJANGO_SETTINGS_MODULE="itog.settings",
            ITOG_JOB_BACKEND="sync",
            ITOG_DATA_DIR=tempfile.mkdtemp(prefix="itog-bench-data-"),
        )
        import django

        django.setup()
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from itog.exams.models import ExamSession
        from itog.exams.seating.timed import schedule_region

        call_command("migrate", verbosity=0)
        t0 = time.perf_counter()
        session = ExamSession.objects.filter(kind="interview", applications__isnull=False).first()
        if session is None:
            session, n_ext = build_db(args.schools, args.participants)
            print(f"region built (bulk inserts): {time.perf_counter() - t0:.1f} s, {n_ext} with the 45-minute answer")
        with connection.cursor() as c:
            c.execute("ANALYZE")
        import itog.exams.printing.services  # noqa: F401 - imported before timing (the service imports it lazily)
        from itog.exams.models import Seat, SeatingRun, WorkCode

        times = []
        for _ in range(args.repeat):
            # every repeat is a first run: no schedule, no codes yet (the cleaning is not timed)
            Seat.objects.filter(run__session=session).delete()
            SeatingRun.objects.filter(session=session).delete()
            WorkCode.objects.filter(application__session=session).delete()
            with CaptureQueriesContext(connection) as q:
                t0, c0 = time.perf_counter(), time.process_time()
                if args.profile and _ == args.repeat - 1:
                    import cProfile
                    import pstats

                    prof = cProfile.Profile()
                    result = prof.runcall(schedule_region, session)
                    times.append(time.perf_counter() - t0)
                    pstats.Stats(prof).sort_stats("tottime").print_stats(20)
                else:
                    result = schedule_region(session)
                    times.append(time.perf_counter() - t0)
            cpu = time.process_time() - c0
            slow = sorted(q.captured_queries, key=lambda x: -float(x["time"]))[:3]
            print(
                f"schedule_region: {times[-1]:.3f} s wall, {cpu:.3f} s CPU of this process, "
                f"{len(q.captured_queries)} queries "
                f"({sum(float(x['time']) for x in q.captured_queries):.3f} s in the database driver; slowest "
                + ", ".join(f"{float(x['time']):.3f} s {x['sql'][:40]!r}" for x in slow)
                + f"), seated={result.seated} schools={result.schools} refused={len(result.refused)}"
            )
        print(
            f"schools={args.schools} participants={args.participants} on PostgreSQL: best {min(times):.3f} s, "
            f"worst {max(times):.3f} s (of {args.repeat}); load average {os.getloadavg()[0]:.1f}"
        )
    finally:
        as_postgres(f"{pgbin}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--schools", type=int, default=1000)
    ap.add_argument("--participants", type=int, default=20000)
    ap.add_argument("--db", action="store_true", help="the database service on a throw-away PostgreSQL cluster")
    ap.add_argument("--keep", help="with --db: cluster directory to create or reuse")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--profile", action="store_true", help="with --db: cProfile of the last repeat (top 25)")
    args = ap.parse_args()
    if args.db:
        run_db(args)
        return
    region = build(args.schools, args.participants)
    best = float("inf")
    placed = unplaced = 0
    for _ in range(3):
        t0 = time.perf_counter()
        results = [make_schedule(rooms, people) for rooms, people in region]
        best = min(best, time.perf_counter() - t0)
        placed = sum(len(s) for r in results for s in r.slots.values())
        unplaced = sum(len(r.unassigned) for r in results)
    print(f"schools={args.schools} participants={args.participants} placed={placed} unplaced={unplaced}")
    print(f"schedule the region: {best:.3f} s (best of 3)")


if __name__ == "__main__":
    main()
