"""Ministry-wide figures at the country's size (issue 12): 670,000 participants under one ministry, on PostgreSQL.

    python benchmarks/bench_national.py [--keep DIR] [--scale 1.0] [--repeat 3] [--no-analytics]

A throw-away PostgreSQL cluster (``start_cluster`` of ``bench_lists.py``: ``initdb`` as postgres on a free port,
fsync off, as ``.ci/run``; ``--keep DIR`` creates it there once and reuses it), the migrations, then a
national-size dataset generated **in the database** with set-based SQL (``INSERT … SELECT … FROM
generate_series``) straight into the real tables, with valid foreign keys and materialised paths:

* one ministry whose region is the whole country: 2,300 МОУО (Росстат counts ≈ 2,300 municipal districts
  and urban okrugs) and 40,000 ОО (≈ the number of general-education organizations of Russia; the
  same figures as ``bench_analytics.py``), each ОО a venue (ППЭ) with rooms of 15 seats;
* 670,000 11th-graders (≈ the essay's participants of the country in a year) as students, participants and
  applications for one main date, spread unevenly over the schools (from ≈ 10 to ≈ 550 a school); 2 % with
  ОВЗ writing the изложение with extra time (half of them with their ПМПК documents), 67 pairs of
  applications sharing an identity document, statuses mixed; lists sent by every ОО but each 47th;
* the seating of every application (room and seat), work codes, works with results («незачет» for each
  17th), exam-day records (so that the analytics refresh has participants to count);
* a roadmap of 120 items: 8 assigned to every ОО, 60 to every МОУО, the rest to the ministry (≈ 460,000
  assignments with mixed statuses, the first items past their end date).

No history rows and no consents are generated: none of the measured pages reads them. ``VACUUM ANALYZE``
at the end, as autovacuum would do on a live database.

Then, as the ministry's administrator, through Django's test client (view + templates + queries, no HTTP
server), each ministry-wide page — выверка, seating / venue readiness, results, plan monitoring (one plan
and across plans), the home page, the analytics overview after the real ``refresh_session`` — and the
services behind them called directly; printed per call: wall time (best of ``--repeat``), CPU of this
process and of the whole PostgreSQL cluster (the backend and its parallel workers), KB and query count. The figures are checked against
what was generated (``assert``): application totals and statuses, schools that sent nothing, duplicates,
missing documents, «зачет» / «незачет», venues not ready, plan totals. Target: < 2 s each.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_lists import as_postgres, start_cluster  # noqa: E402

PARTICIPANTS = 670_000
SCHOOLS = 40_000
MUNICIPALITIES = 2_300
ROOM_SIZE = 15
PLAN_ITEMS = 120
ITEMS_TO_SCHOOLS = 8  # items 1..8 go to every ОО
ITEMS_TO_MOUO = 60  # items 9..68 to every МОУО, the rest to the ministry
TODAY = "2026-12-03"
SESSION_DATE = "2026-12-02"
ACADEMIC_YEAR = "2026/27"

# Which participant is what: plain predicates on the participant's number i (1..N), so the expected
# figures follow from the generation rules, not from the code under test.
OVZ = "i % 50 = 0"  # ОВЗ: изложение, extra time, needs documents
WITH_DOCS = "i % 100 = 0"  # half of them brought their documents
DUP = "i % 10007 = 0"  # shares the identity document of participant i - 1
FAILED = "i % 17 = 0"  # «незачет»
STATUS = (
    "CASE WHEN i % 200 = 2 THEN 'withdrawn' WHEN i % 20 = 0 THEN 'registered' "
    "WHEN i % 20 = 1 THEN 'submitted_mouo' ELSE 'submitted_rcoi' END"
)


def expected_counts(n: int, schools: int) -> dict:
    """What the services must answer, counted from the generation rules above (plain Python, not SQL)."""
    out = dict.fromkeys(("registered", "submitted_mouo", "submitted_rcoi", "withdrawn", "failed"), 0)
    for i in range(1, n + 1):
        status = (
            "withdrawn"
            if i % 200 == 2
            else "registered"
            if i % 20 == 0
            else "submitted_mouo"
            if i % 20 == 1
            else "submitted_rcoi"
        )
        out[status] += 1
        if status != "withdrawn" and i % 17 == 0:
            out["failed"] += 1
    out.update(
        applications=n,
        passed=n - out["withdrawn"] - out["failed"],
        duplicates=n // 10007,
        missing=n // 50 - n // 100,
        not_submitted=schools // 47,
    )
    return out


def sql_steps(p: dict) -> list[tuple[str, str]]:
    """(label, SQL) of the generation, in order; ``p`` holds the sizes and the base ids."""
    s, m, n = p["schools"], p["mouo"], p["n"]
    school = f"LEAST({s}, 1 + floor({s} * power(((i::bigint * 2654435761) % 4294967296) / 4294967296.0, 1.6))::int)"
    names = (
        "(ARRAY['Иванов','Смирнов','Кузнецов','Попов','Васильев','Петров','Соколов','Михайлов','Новиков','Федоров'])"
    )
    firsts = "(ARRAY['Александр','Мария','Иван','Анна','Дмитрий','Софья','Максим','Анастасия','Артем','Виктория'])"
    return [
        (
            "МОУО",
            f"""INSERT INTO orgs_organization (id, kind, code, name, short_name, parent_id, path, depth, address,
                time_zone, phone, email, is_active)
            SELECT {p["mouo_base"]} + g, 'mouo', 'NM' || lpad(g::text, 5, '0'), 'Управление образования № ' || g,
                'УО № ' || g, {p["ministry"]}, '{p["ministry_path"]}' || ({p["mouo_base"]} + g) || '/', 1, '',
                'Europe/Moscow', '', '', true
            FROM generate_series(1, {m}) g""",
        ),
        (
            "ОО",
            f"""INSERT INTO orgs_organization (id, kind, code, name, short_name, parent_id, path, depth, address,
                time_zone, phone, email, is_active)
            SELECT {p["school_base"]} + g, 'school', 'NS' || lpad(g::text, 6, '0'),
                'Муниципальное общеобразовательное учреждение «Средняя школа № ' || g || '»', 'СОШ № ' || g,
                {p["mouo_base"]} + 1 + (g - 1) % {m},
                '{p["ministry_path"]}' || ({p["mouo_base"]} + 1 + (g - 1) % {m}) || '/' || ({p["school_base"]} + g) || '/',
                2, '', 'Europe/Moscow', '', '', true
            FROM generate_series(1, {s}) g""",
        ),
        (
            "sequence",
            "SELECT setval(pg_get_serial_sequence('orgs_organization', 'id'), (SELECT max(id) FROM orgs_organization))",
        ),
        (
            "participants' schools (temp)",
            f"""CREATE TEMP TABLE gen AS
            SELECT i, {school} AS s, CASE WHEN {DUP} THEN i - 1 ELSE i END AS doc, {STATUS} AS status
            FROM generate_series(1, {n}) i""",
        ),
        ("index gen", "CREATE INDEX ON gen (s, i)"),
        (
            "venues (one a school)",
            f"""INSERT INTO orgs_place (id, organization_id, kind, code, name, address, is_active, has_meal_room,
                meal_room_fridge, meal_room_kettle, meal_room_sanitary_ok, has_medical_room, has_participant_storage,
                has_staff_storage, head_room_safe, has_video)
            SELECT {p["place_base"]} + g, {p["school_base"]} + g, 'venue', 'P' || g, 'ППЭ в СОШ № ' || g, '', true,
                true, g % 29 <> 0, true, true, true, true, true, g % 13 <> 0, true
            FROM generate_series(1, {s}) g""",
        ),
        ("sequence", "SELECT setval(pg_get_serial_sequence('orgs_place', 'id'), (SELECT max(id) FROM orgs_place))"),
        (
            "rooms (15 seats)",
            f"""INSERT INTO orgs_room (place_id, number, capacity, accessible, audio_equipped)
            SELECT {p["place_base"]} + c.s, r::text, {ROOM_SIZE}, r = 1, false
            FROM (SELECT s, count(*) AS k FROM gen WHERE status <> 'withdrawn' GROUP BY s) c,
                 generate_series(1, ((c.k + {ROOM_SIZE - 1}) / {ROOM_SIZE})::int) r""",
        ),
        (
            "students",
            f"""INSERT INTO people_student (id, last_name, first_name, middle_name, sex, birth_date, phone, citizenship,
                snils, document_type, document_series, document_number, health_category, school_id, grade, class_letter)
            SELECT {p["student_base"]} + i, {names}[1 + i % 10] || CASE WHEN i % 2 = 0 THEN 'а' ELSE '' END,
                {firsts}[1 + (i / 10) % 10], 'Сергеевич', CASE WHEN i % 2 = 0 THEN 'ж' ELSE 'м' END,
                DATE '2008-01-01' + (i % 365), '', 'Российская Федерация', '', 'passport_rf', '46' || lpad((doc % 100)::text, 2, '0'),
                lpad(doc::text, 6, '0'), CASE WHEN {OVZ} THEN 'ovz' ELSE '' END, {p["school_base"]} + s, 11,
                chr(1040 + i % 4)
            FROM gen""",
        ),
        (
            "participants",
            f"""INSERT INTO exams_participant (id, last_name, first_name, middle_name, sex, birth_date, phone, citizenship,
                snils, document_type, document_series, document_number, health_category, category, school_id,
                school_name, grade, class_letter, registration_org_id, student_id)
            SELECT {p["participant_base"]} + id - {p["student_base"]}, last_name, first_name, middle_name, sex, birth_date, phone, citizenship,
                snils, document_type, document_series, document_number, health_category, 'student', school_id, '',
                11, class_letter, school_id, id
            FROM people_student WHERE id > {p["student_base"]}""",
        ),
        (
            "applications",
            f"""INSERT INTO exams_application (id, participant_id, session_id, form, application_form, extra_time,
                oral_form, at_home, enlarged_blanks, other_conditions, pamyatka_ack, school_type,
                home_schooling_health, registration_number, status, registered_at, registration_org_id)
            SELECT {p["app_base"]} + i, {p["participant_base"]} + i, {p["session"]},
                CASE WHEN {OVZ} THEN 'exposition' ELSE 'essay' END, 'app1', {OVZ}, false, false, false, '', true,
                'regular', false, 'NAT-' || lpad(i::text, 7, '0'), status, TIMESTAMPTZ '2026-11-10 09:00+03',
                pp.registration_org_id
            FROM gen JOIN exams_participant pp ON pp.id = {p["participant_base"]} + i""",
        ),
        (
            "documents (half of the ОВЗ)",
            f"""INSERT INTO exams_supportingdocument (participant_id, kind, is_original, number, issuer, added_at)
            SELECT {p["participant_base"]} + i, k, true, 'N' || i, 'ПМПК', TIMESTAMPTZ '2026-11-10 09:00+03'
            FROM gen, unnest(ARRAY[{", ".join(repr(k) for k in p["need"])}]::text[]) k WHERE {WITH_DOCS}""",
        ),
        (
            "submissions (every ОО but each 47th)",
            f"""INSERT INTO exams_submission (session_id, from_org_id, to_org_id, sent_at, applications, deadline, late)
            SELECT {p["session"]}, {p["school_base"]} + g, {p["mouo_base"]} + 1 + (g - 1) % {m},
                TIMESTAMPTZ '2026-11-20 12:00+03', (SELECT count(*) FROM gen WHERE gen.s = g), DATE '2026-11-20', false
            FROM generate_series(1, {s}) g WHERE g % 47 <> 0""",
        ),
        (
            "seating run",
            f"""INSERT INTO exams_seatingrun (id, session_id, seed, created_at, seated, problems, room_roles)
            VALUES ({p["run"]}, {p["session"]}, 20261201, TIMESTAMPTZ '2026-12-01 10:00+03',
                (SELECT count(*) FROM gen WHERE status <> 'withdrawn'), '[]', '{{}}')""",
        ),
        (
            "seats",
            f"""INSERT INTO exams_seat (run_id, application_id, venue_id, room_id, seat_number)
            SELECT {p["run"]}, {p["app_base"]} + g.i, {p["place_base"]} + g.s, r.id, (g.k - 1) % {ROOM_SIZE} + 1
            FROM (SELECT i, s, row_number() OVER (PARTITION BY s ORDER BY i) AS k FROM gen
                  WHERE status <> 'withdrawn') g
            JOIN orgs_room r ON r.place_id = {p["place_base"]} + g.s AND r.number = ((g.k - 1) / {ROOM_SIZE} + 1)::text""",
        ),
        (
            "work codes",
            f"""INSERT INTO exams_workcode (application_id, code, serial, issued_at, void_reason)
            SELECT {p["app_base"]} + i, 'N' || lpad(i::text, 9, '0'), i, TIMESTAMPTZ '2026-12-01 10:00+03', ''
            FROM gen WHERE status <> 'withdrawn'""",
        ),
        (
            "exam-day records",
            f"""INSERT INTO conduct_dayrecord (application_id, venue_id, room_id, state, has_id_document, identity_act,
                late, valid_reason_document, is05_marked, is05_signed, is08_act, is09_act, is09_by_head,
                member_signature, breaks_min, entered_from, recorded_at, reason)
            SELECT application_id, venue_id, room_id, 'finished', true, '', false, '', true, true, '', '', false,
                true, 0, 'venue', TIMESTAMPTZ '2026-12-02 15:00+03', ''
            FROM exams_seat WHERE run_id = {p["run"]}""",
        ),
        (
            "works with results",
            f"""INSERT INTO conduct_work (session_id, application_id, code, school_id, status, expert_requirements,
                expert_marks, expert_result, transfer_requirements, transfer_marks, transfer_result, mismatch,
                result, result_final)
            SELECT {p["session"]}, {p["app_base"]} + i, 'N' || lpad(i::text, 9, '0'), {p["school_base"]} + s, 'final',
                '{{}}', '{{}}', '', '{{}}', '{{}}', '', '[]', CASE WHEN {FAILED} THEN 'незачет' ELSE 'зачет' END, false
            FROM gen WHERE status <> 'withdrawn'""",
        ),
        (
            "plan, sections, items",
            f"""INSERT INTO plans_plansection (id, plan_id, code, title, "order")
            SELECT {p["section_base"]} + g, {p["plan"]}, g::text, 'Раздел ' || g, g FROM generate_series(1, 6) g;
            INSERT INTO plans_planitem (id, plan_id, section_id, key, number, "order", activity, deadline_raw,
                responsible_raw, deadline, deadline_kind, due_start, due_end, responsible, persons, track, inherited,
                warnings, extra, line)
            SELECT {p["item_base"]} + g, {p["plan"]}, {p["section_base"]} + 1 + (g - 1) % 6, g::text, g::text, g,
                'Мероприятие № ' || g, '', CASE WHEN g <= {ITEMS_TO_SCHOOLS} THEN 'ОО'
                WHEN g <= {ITEMS_TO_SCHOOLS + ITEMS_TO_MOUO} THEN 'МОУО' ELSE 'Министерство' END, '{{}}', 'by_date',
                DATE '2026-09-01' + g * 3, DATE '2026-09-01' + g * 3, '[]', '[]', '', '[]', '[]', '{{}}', g
            FROM generate_series(1, {PLAN_ITEMS}) g""",
        ),
        (
            "assignments",
            f"""INSERT INTO plans_assignment (item_id, organization_id, person, status, comment)
            SELECT it.id, o.id, '',
                (ARRAY['done','done','done','in_progress','new','not_done'])[1 + (it.id * 31 + o.id) % 6], ''
            FROM plans_planitem it JOIN orgs_organization o ON
                (it."order" <= {ITEMS_TO_SCHOOLS} AND o.kind = 'school' AND o.id > {p["school_base"]})
                OR (it."order" > {ITEMS_TO_SCHOOLS} AND it."order" <= {ITEMS_TO_SCHOOLS + ITEMS_TO_MOUO}
                    AND o.kind = 'mouo' AND o.id > {p["mouo_base"]} AND o.id <= {p["mouo_base"] + m})
                OR (it."order" > {ITEMS_TO_SCHOOLS + ITEMS_TO_MOUO} AND o.id = {p["ministry"]})
            WHERE it.plan_id = {p["plan"]}""",
        ),
    ]


def generate(scale: float) -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from itog.accounts.models import Membership
    from itog.exams.kinds.base import ApplicationData, Category, ExamForm, SpecialCondition
    from itog.exams.models import ExamSession
    from itog.orgs.models import Organization
    from itog.plans.models import Plan

    n, schools, mouo = int(PARTICIPANTS * scale), max(47, int(SCHOOLS * scale)), max(3, int(MUNICIPALITIES * scale))
    with transaction.atomic():
        ministry = Organization.objects.create(
            kind="ministry", code="NAT-MIN", name="Министерство образования (объем страны)", short_name="Минобр"
        )
        session = ExamSession.objects.create(
            region=ministry,
            kind="essay",
            academic_year=ACADEMIC_YEAR,
            stage="main",
            date=SESSION_DATE,
            rule_date=SESSION_DATE,
            processed_at="2026-12-10T12:00:00+03:00",
            published_at="2026-12-11T12:00:00+03:00",
            results_date="2026-12-12",
        )
        plan = Plan.objects.create(region=ministry, title="Дорожная карта (объем страны)", year=ACADEMIC_YEAR)
        user = get_user_model().objects.create_user("minobr-national", password="bench")
        Membership.objects.create(user=user, organization=ministry, role="ministry_admin")
    rules = session.rules.registration
    plain = ApplicationData(category=Category.STUDENT, grade=11, exam_form=ExamForm.ESSAY)
    ovz = ApplicationData(
        category=Category.STUDENT,
        grade=11,
        ovz=True,
        exam_form=ExamForm.EXPOSITION,
        special_conditions=frozenset({SpecialCondition.EXTRA_TIME}),
    )
    assert not rules.required_documents(plain), "a plain 11th-grader needs no document"
    need = sorted(d.value for d in rules.required_documents(ovz))
    assert need, "an 11th-grader with ОВЗ writing the изложение with extra time brings documents"

    def base(table: str) -> int:
        with connection.cursor() as c:
            c.execute(f"SELECT coalesce(max(id), 0) FROM {table}")
            return c.fetchone()[0] + 10

    p = {
        "n": n,
        "schools": schools,
        "mouo": mouo,
        "ministry": ministry.pk,
        "ministry_path": ministry.path,
        "session": session.pk,
        "plan": plan.pk,
        "mouo_base": base("orgs_organization"),
        "need": need,
    }
    p["school_base"] = p["mouo_base"] + mouo + 10
    p.update(
        place_base=base("orgs_place"),
        student_base=base("people_student"),
        participant_base=base("exams_participant"),
        app_base=base("exams_application"),
        run=base("exams_seatingrun"),
        section_base=base("plans_plansection"),
        item_base=base("plans_planitem"),
    )
    started = time.perf_counter()
    with connection.cursor() as c:
        for label, sql in sql_steps(p):
            t = time.perf_counter()
            for statement in sql.split(";\n"):
                c.execute(statement)
            print(f"  {label:<40} {time.perf_counter() - t:6.1f} s   (load average {os.getloadavg()[0]:.1f})")
        for table in ("people_student", "exams_participant", "exams_application", "exams_seatingrun"):
            c.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))")
        c.execute("SELECT setval(pg_get_serial_sequence('plans_planitem', 'id'), (SELECT max(id) FROM plans_planitem))")
        c.execute(
            "SELECT setval(pg_get_serial_sequence('plans_plansection', 'id'), (SELECT max(id) FROM plans_plansection))"
        )
        c.execute("DROP TABLE gen")
    print(f"generated in {time.perf_counter() - started:.0f} s; VACUUM ANALYZE …")
    t = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    print(f"  VACUUM ANALYZE {time.perf_counter() - t:.0f} s")
    return p


def run(port: int, args) -> None:
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

    from itog.exams.models import ExamSession

    call_command("migrate", verbosity=0)
    session = ExamSession.objects.filter(region__code="NAT-MIN").first()
    if session is None:
        print(f"generating the national dataset (scale {args.scale}) …")
        generate(args.scale)
    measure(args)
    connection.close()


def measure(args) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from itog.accounts.scope import forget_grants
    from itog.analytics.refresh import refresh_session
    from itog.conduct.results.services import visible_works
    from itog.exams.models import Application, ExamSession
    from itog.exams.registration.services import reconcile
    from itog.exams.seating.services import venue_readiness
    from itog.orgs.models import Organization, Place, PlaceKind
    from itog.plans.models import Plan
    from itog.plans.tracking import monitoring, monitoring_rows
    from itog.web.views.conduct import results_summary

    session = ExamSession.objects.get(region__code="NAT-MIN")
    plan = Plan.objects.get(region=session.region)
    user = get_user_model().objects.get(username="minobr-national")
    n = Application.objects.filter(session=session).count()
    schools = Organization.objects.filter(path__startswith=session.region.path, kind="school").count()
    mouo = Organization.objects.filter(path__startswith=session.region.path, kind="mouo").count()
    print(f"dataset: {n} applications, {mouo} МОУО, {schools} ОО; load average {os.getloadavg()[0]:.1f}")
    tick = os.sysconf("SC_CLK_TCK")
    postmaster = int(Path(args.pgdata, "postmaster.pid").read_text().split()[0])

    def backend_cpu() -> float:
        """CPU of the whole throw-away cluster: its live processes (the backend serving this process, parallel
        workers of a running query) plus what the postmaster collected from exited ones (parallel workers end
        with their query). Nothing else runs on this cluster."""
        total = 0
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            pid = int(stat.parent.name)
            if pid == postmaster:
                total += int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])
            elif int(fields[1]) == postmaster:
                total += int(fields[11]) + int(fields[12])
        return total / tick

    def timed(call):
        best = None
        for _ in range(args.repeat):
            forget_grants(user)
            with CaptureQueriesContext(connection) as ctx:
                t, cpu, db = time.perf_counter(), time.process_time(), backend_cpu()
                value = call()
                row = (time.perf_counter() - t, time.process_time() - cpu, backend_cpu() - db, len(ctx))
            if best is None or row[0] < best[0]:
                best = row
        return value, best

    # ---- services, checked against the generation rules
    exp = expected_counts(n, schools)
    print(f"\n{'service (ministry)':<44} {'wall s':>7} {'CPU py':>7} {'CPU pg':>7} {'queries':>8}")

    def show(name, row, note=""):
        flag = "" if row[0] < 2 else "  <-- over 2 s"
        print(f"{name:<44} {row[0]:>7.2f} {row[1]:>7.2f} {row[2]:>7.2f} {row[3]:>8}  {note}{flag}")

    r, row = timed(lambda: reconcile(session, user))
    by_status = {k: sum(x[f"n_{k}"] for x in r.by_school) for k in ("registered", "submitted_mouo", "submitted_rcoi")}
    by_status["withdrawn"] = sum(x["n_withdrawn"] for x in r.by_school)
    assert r.applications == exp["applications"], (r.applications, exp)
    for k in ("registered", "submitted_mouo", "submitted_rcoi", "withdrawn"):
        assert by_status[k] == exp[k], (k, by_status[k], exp[k])
    assert r.duplicates_total == exp["duplicates"], (r.duplicates_total, exp["duplicates"])
    assert r.missing_total == exp["missing"], (r.missing_total, exp["missing"])
    assert r.schools == schools and r.schools - r.submitted == exp["not_submitted"], (r.schools, r.submitted, exp)
    show(
        "выверка (reconcile)",
        row,
        f"{r.applications} заявлений; не передали {r.schools - r.submitted} из {r.schools}; "
        f"повторов {r.duplicates_total}; без документов {r.missing_total}",
    )
    venues = Place.objects.for_user(user).filter(kind=PlaceKind.VENUE, is_active=True)
    readiness, row = timed(lambda: venue_readiness(session, venues))
    not_ready = {v.pk for v, problems in readiness if problems}
    with connection.cursor() as c:  # the oracle: venues of schools with applications and without a safe
        c.execute(
            "SELECT count(DISTINCT pl.id) FILTER (WHERE NOT pl.head_room_safe), count(DISTINCT pl.id) "
            "FROM orgs_place pl JOIN exams_participant pa ON pa.registration_org_id = pl.organization_id "
            "JOIN exams_application a ON a.participant_id = pa.id WHERE a.session_id = %s AND pl.kind = 'venue'",
            [session.pk],
        )
        exp_not_ready_min, exp_venues = c.fetchone()
    assert len(readiness) == exp_venues, (len(readiness), exp_venues)
    assert len(not_ready) >= exp_not_ready_min, (len(not_ready), exp_not_ready_min)
    show("venue readiness (venue_readiness)", row, f"{len(readiness)} мест проведения, с замечаниями {len(not_ready)}")
    counts, row = timed(lambda: dict(results_summary(visible_works(user, session))))
    assert counts == {"зачет": exp["passed"], "незачет": exp["failed"]}, (counts, exp)
    show("results summary (results_summary)", row, f"зачет {counts['зачет']}, незачет {counts['незачет']}")
    m, row = timed(lambda: monitoring(plan, user))
    with connection.cursor() as c:
        c.execute(
            "SELECT count(*), count(*) FILTER (WHERE a.status = 'done'), "
            "count(*) FILTER (WHERE a.status <> 'done' AND it.due_end < %s) "
            "FROM plans_assignment a JOIN plans_planitem it ON it.id = a.item_id WHERE it.plan_id = %s",
            [TODAY, plan.pk],
        )
        exp_total, exp_done, _exp_overdue = c.fetchone()
    assert m.totals["assignments"] == exp_total and m.totals["done"] == exp_done, (m.totals, exp_total, exp_done)
    show("plan monitoring (monitoring)", row, f"{m.totals['assignments']} назначений, выполнено {m.totals['done']}")
    rows, row = timed(lambda: monitoring_rows(user).count())
    assert rows == exp_total, (rows, exp_total)
    show("monitoring across plans (count)", row, f"{rows} назначений")
    if not args.no_analytics:
        t = time.perf_counter()
        facts = refresh_session(session, "bench")
        print(f"{'analytics refresh_session (once)':<44} {time.perf_counter() - t:>7.2f}  {facts} строк фактов")

    # ---- pages
    client = Client()
    client.force_login(user)
    client.defaults["SERVER_NAME"] = "127.0.0.1"
    s = session.pk
    pages = [
        ("выверка", f"/sessions/{s}/reconciliation/"),
        ("выверка, page 400 of the schools", f"/sessions/{s}/reconciliation/?page=400"),
        ("seating / venue readiness", f"/sessions/{s}/seating/"),
        ("results", f"/sessions/{s}/results/"),
        ("plan monitoring", f"/plans/{plan.pk}/monitoring/"),
        ("monitoring across plans", "/plans/monitoring/"),
        ("home", "/"),
    ]
    if not args.no_analytics:
        pages.append(("analytics overview", "/analytics/"))
    client.get("/")  # templates compiled, connection open: not measured
    print(f"\n{'page (ministry)':<44} {'wall s':>7} {'CPU py':>7} {'CPU pg':>7} {'queries':>8} {'KB':>6} status")
    for name, url in pages:
        response, row = timed(lambda url=url: client.get(url))
        flag = "" if row[0] < 2 and response.status_code == 200 else "  <-- over target"
        print(
            f"{name:<44} {row[0]:>7.2f} {row[1]:>7.2f} {row[2]:>7.2f} {row[3]:>8} "
            f"{len(response.content) / 1024:>6.0f} {response.status_code}{flag}"
        )
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", help="cluster directory to create or reuse (default: a temporary one, removed)")
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the country's size (1.0 = 670,000)")
    parser.add_argument("--repeat", type=int, default=3, help="calls per figure; the best wall time is printed")
    parser.add_argument("--no-analytics", action="store_true", help="skip the analytics refresh and overview")
    args = parser.parse_args()
    pgbin, port, data, _fresh = start_cluster(args.keep)
    args.pgdata = data
    try:
        run(port, args)
    finally:
        as_postgres(f"{pgbin}/pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
