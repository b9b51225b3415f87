"""Archived years for the demo: the results of earlier academic years as they would be loaded from the
regional information system (``source = "archive"``) — per school × category counts, criteria and experts,
written straight into the aggregate tables (the works of those years are not in Itog).

Deterministic (seeded by the year) and fast (bulk inserts of a few thousand rows). A few schools are made
unusual on purpose — a jump, a large all-«зачет» school, many removed, a harsh expert — so that the risk
zones have something to show.
"""

from __future__ import annotations

import random
import time
from datetime import datetime
from datetime import time as dtime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.db.models import Count

from itog.exams.models import ExamSession
from itog.exams.registration.services import ensure_sessions
from itog.orgs.kinds import OrgKind
from itog.orgs.models import Organization
from itog.people.models import Employee, Student

from .models import COUNTERS, CriterionFact, ExpertFact, ResultFact, Source
from .refresh import criteria_codes, refresh_session

CATEGORY_SHARES = [
    ("student", False, 0.9),
    ("student", True, 0.025),
    ("vpl", False, 0.04),
    ("spo", False, 0.025),
    ("extern", False, 0.01),
]


def load_demo_history(region: Organization, last_year_start: int, years: int = 2, progress=print) -> int:
    """``years`` academic years before ``last_year_start`` (e.g. 2023/24 and 2024/25 before 2025/26)."""
    started = time.perf_counter()
    total = 0
    schools = list(Organization.objects.filter(path__startswith=region.path, kind=OrgKind.SCHOOL).order_by("code"))
    grade11 = dict(Student.objects.filter(school__in=schools, grade=11).values_list("school").annotate(n=Count("pk")))
    for back in range(years, 0, -1):
        start = last_year_start - back
        label = f"{start}/{(start + 1) % 100:02d}"
        main, additional = ensure_sessions(region, label)[:2]
        if ResultFact.objects.filter(session=main).exists():
            continue
        with transaction.atomic():
            total += _year(region, main, additional, schools, grade11, random.Random(start), back)
    # a database from before the analytics app: aggregates of the sessions published without them
    from .models import RefreshLog

    for session in ExamSession.objects.filter(region=region, published_at__isnull=False).exclude(
        pk__in=RefreshLog.objects.values("session_id")
    ):
        refresh_session(session, "демонстрационные данные")
    if total:
        progress(
            f"  архив прошлых лет: {years} уч. года, строк показателей — {total} "
            f"({time.perf_counter() - started:.1f} с)"
        )
    return total


def _publish(session: ExamSession) -> None:
    at = datetime.combine(session.date, dtime(12), tzinfo=ZoneInfo("Europe/Moscow"))
    # .update(): no signal — the archive rows are written first, the region totals after
    ExamSession.objects.filter(pk=session.pk).update(processed_at=at, published_at=at, results_date=session.date)
    session.refresh_from_db()


def _year(region, main, additional, schools, grade11, rng: random.Random, back: int) -> int:
    _publish(main)
    _publish(additional)
    codes = [c for c, _ in criteria_codes("essay", ["essay"], main.academic_year)]
    base_fail = 0.07 + 0.015 * back  # the region improves year by year
    facts, crits = [], []
    readmit: dict[tuple, int] = {}
    for i, school in enumerate(schools):
        n_school = max(6, int(grade11.get(school.pk, 30) * rng.uniform(0.85, 1.1)))
        school_fail = max(0.0, rng.gauss(base_fail, 0.03))
        if i == 3 and back == 1:
            school_fail = 0.0  # all «зачет» at a large school
            n_school = max(n_school, 80)
        if i == 5 and back == 2:
            school_fail = 0.35  # next year it drops: a jump
        for category, health, share in CATEGORY_SHARES:
            n = round(n_school * share)
            if n <= 0:
                continue
            fail = min(0.9, school_fail * (1.8 if category in ("vpl", "spo") else 1.3 if health else 1.0))
            absent = sum(rng.random() < 0.015 for _ in range(n))
            removed = sum(rng.random() < (0.06 if i == 7 else 0.004) for _ in range(n - absent))
            not_finished = sum(rng.random() < 0.008 for _ in range(n - absent - removed))
            checked = n - absent - removed - not_finished
            failed = sum(rng.random() < fail for _ in range(checked))
            parts = [int(p) for p in school.path.strip("/").split("/")]
            fact = ResultFact(
                session=main,
                kind="essay",
                academic_year=main.academic_year,
                exam_date=main.date,
                stage=main.stage,
                region=region,
                municipality_id=parts[1],
                org=school,
                org_path=school.path,
                category=category,
                health=health,
                form="essay",
                source=Source.ARCHIVE,
                registered=n,
                participants=n - absent,
                absent=absent,
                not_finished=not_finished,
                removed=removed,
                checked=checked,
                passed=checked - failed,
                failed=failed,
                rechecks=sum(rng.random() < 0.15 for _ in range(failed)),
            )
            fact.recheck_changed = sum(rng.random() < 0.3 for _ in range(fact.rechecks))
            facts.append(fact)
            crits.append(_criteria(codes, failed, checked, rng, harsh_k2=(i == 9)))
            if failed:
                readmit[(school.pk, category, health)] = sum(rng.random() < 0.85 for _ in range(failed))
    ResultFact.objects.bulk_create(facts, batch_size=2000)
    CriterionFact.objects.bulk_create(
        [CriterionFact(fact=f, code=c, failed=k, checked=n) for f, items in zip(facts, crits) for c, k, n in items],
        batch_size=4000,
    )
    # the additional date: those re-admitted after «незачет»
    extra = []
    for fact in facts:
        n = readmit.get((fact.org_id, fact.category, fact.health), 0)
        if not n:
            continue
        failed = sum(rng.random() < 0.35 for _ in range(n))
        extra.append(
            ResultFact(
                session=additional,
                kind="essay",
                academic_year=additional.academic_year,
                exam_date=additional.date,
                stage=additional.stage,
                region=region,
                municipality_id=fact.municipality_id,
                org_id=fact.org_id,
                org_path=fact.org_path,
                category=fact.category,
                health=fact.health,
                form="essay",
                source=Source.ARCHIVE,
                registered=n,
                participants=n,
                checked=n,
                passed=n - failed,
                failed=failed,
                readmitted=n,
            )
        )
    ResultFact.objects.bulk_create(extra, batch_size=2000)
    _experts(region, main, facts, rng)
    refresh_session(main, "архив")
    refresh_session(additional, "архив")
    return len(facts) + len(extra)


def _criteria(codes, failed, checked, rng, harsh_k2=False):
    """Split the failures over the requirements and criteria (T1 volume ~25 %, K1/K2 the rest)."""
    out = {c: 0 for c in codes}
    t_fail = 0
    for _ in range(failed):
        x = rng.random()
        if x < 0.25:
            out["T1"] += 1
            t_fail += 1
        elif x < 0.3:
            out["T2"] += 1
            t_fail += 1
        elif x < 0.55 and not harsh_k2:
            out["K1"] += 1
        else:
            out["K2"] += 1
    for c in ("K3", "K4", "K5"):
        out[c] = sum(rng.random() < {"K3": 0.08, "K4": 0.12, "K5": 0.3}[c] for _ in range(checked - failed))
    if harsh_k2:
        out["K2"] += sum(rng.random() < 0.2 for _ in range(checked - failed))
    return [
        (c, out[c], checked if c.startswith("T") else checked - t_fail)
        for c in codes
        if (checked if c.startswith("T") else checked - t_fail) > 0
    ]


def _experts(region, session, facts, rng) -> None:
    checked_by_mouo: dict[int, tuple[int, int]] = {}
    for f in facts:
        k, n = checked_by_mouo.get(f.municipality_id, (0, 0))
        checked_by_mouo[f.municipality_id] = (k + f.failed, n + f.checked)
    rows = []
    for mouo_id, (k, n) in checked_by_mouo.items():
        mouo = Organization.objects.get(pk=mouo_id)
        experts = list(
            Employee.objects.filter(organization__path__startswith=mouo.path, is_russian_specialist=True)
            .select_related("organization")
            .order_by("pk")[:12]
        )
        if len(experts) < 3:
            continue
        rate = k / n if n else 0.0
        for j, e in enumerate(experts):
            works = n // len(experts)
            r = rate * (2.6 if j == 0 else 0.25 if j == 1 else 1.0)  # one harsh, one lenient expert
            failed = sum(rng.random() < min(r, 0.95) for _ in range(works))
            rechecked = sum(rng.random() < 0.15 for _ in range(failed))
            changed = sum(rng.random() < (0.7 if j == 0 else 0.1) for _ in range(rechecked))
            rows.append(
                ExpertFact(
                    session=session,
                    kind="essay",
                    academic_year=session.academic_year,
                    region=region,
                    expert=e,
                    pool_id=mouo_id,
                    org_path=e.organization.path,
                    checked=works,
                    failed=failed,
                    rechecked=rechecked,
                    changed=changed,
                )
            )
    ExpertFact.objects.bulk_create(rows, batch_size=2000)


__all__ = ["COUNTERS", "load_demo_history"]
