"""Rebuild the aggregate tables of a session from its applications, exam-day records, works and re-checks.

Every count is one database aggregation (GROUP BY registration place × category × ОВЗ × form); Python only
merges the aggregated rows. Called when results are published and when a re-check or перепроверка closes
(:mod:`itog.analytics.signals`), and by ``itog analytics refresh``.
"""

from __future__ import annotations

import time

from django.db import transaction
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    Sum,
    Value,
    When,
)

from itog.conduct.models import RecheckCase, RecheckKind, RecheckStatus, Work
from itog.exams.kinds import get_rules, has_rules
from itog.exams.models import Application, ApplicationStatus, ExamSession
from itog.orgs.models import Organization
from itog.people.models import Employee

from .models import (
    COUNTERS,
    CriterionFact,
    ExpertFact,
    RefreshLog,
    RegionFact,
    ResultFact,
    Source,
)

PASS, FAIL = "зачет", "незачет"


def criteria_spec(kind: str, forms, academic_year: str) -> list[tuple[str, str, bool]]:
    """(code, title, by points) of the criteria of the forms of a kind, kind-neutral. A kind whose checking
    asks ``criteria_for(academic_year)`` and answers points (the interview: «1.ИЧ» 0…max) has one set a year;
    a criterion counts as failed by a participant who got no point on it (our reading: the interview's
    criteria are not passed or failed one by one, a «0» is what the roadmaps' analysis asks about). The essay
    asks ``criteria_for(form, academic_year)`` per form: requirements and criteria marked «зачет»/«незачет»."""
    if not has_rules(kind):
        return []
    criteria_for = get_rules(kind).checking.criteria_for
    try:
        one = criteria_for(academic_year)
    except (LookupError, ValueError, TypeError):
        one = None
    if one is not None and not hasattr(one, "requirements"):
        return [(c.key, f"{c.code} «{c.title}»", True) for c in one.criteria]
    out: dict[str, str] = {}
    for name in [*forms, kind]:
        try:
            cs = criteria_for(name, academic_year)
        except (LookupError, ValueError, TypeError):
            continue
        for r in cs.requirements:
            out.setdefault(r.code, r.title)
        for c in cs.criteria:
            out.setdefault(c.code, c.title)
    return [(code, title, False) for code, title in out.items()]


def criteria_codes(kind: str, forms, academic_year: str) -> list[tuple[str, str]]:
    """(code, title) of the criteria of the forms of a kind (see :func:`criteria_spec`)."""
    return [(code, title) for code, title, _ in criteria_spec(kind, forms, academic_year)]


def _path_parts(path: str) -> list[int]:
    return [int(p) for p in path.strip("/").split("/") if p]


def _health():
    return Case(
        When(~Q(participant__health_category=""), then=Value(True)), default=Value(False), output_field=BooleanField()
    )


def refresh_session(session: ExamSession, reason: str = "") -> int:
    """Replace the session's aggregates; returns the number of fact rows. Unpublished sessions have none
    (results are not analysed before publication), a session without applications keeps its archive rows."""
    started = time.perf_counter()
    with transaction.atomic():
        has_apps = Application.objects.filter(session=session).exists()
        if has_apps or session.published_at is None:
            ResultFact.objects.filter(session=session).delete()
            ExpertFact.objects.filter(session=session).delete()
        RegionFact.objects.filter(session=session).delete()
        n = 0
        if session.published_at is not None and has_apps:
            n = _facts(session)
            _experts(session)
        _region_facts(session)
        RefreshLog.objects.update_or_create(
            session=session,
            defaults={
                "reason": reason[:100],
                "seconds": time.perf_counter() - started,
                "facts": n or ResultFact.objects.filter(session=session).count(),
            },
        )
    return n


def _day_states(kind: str) -> tuple[list[str], list[str], list[str], list[str]]:
    """The kind's day-record states: (took part, no work: absent or not admitted, did not finish, removed).
    A kind whose rules are not registered yet has no day records to count."""
    if not has_rules(kind):
        return [], [], [], []
    day = get_rules(kind).examday
    removed = getattr(day.DayState, "REMOVED", None)  # the interview removes nobody: no such state
    return (
        [s.value for s in day.ENTERED_STATES],
        [s.value for s in day.NO_WORK_STATES],
        [day.DayState.NOT_FINISHED.value],
        [removed.value] if removed is not None else [],
    )


def _facts(session: ExamSession) -> int:
    apps = Application.objects.filter(session=session).exclude(status=ApplicationStatus.WITHDRAWN)
    forms = sorted(set(apps.values_list("form", flat=True)))
    spec = criteria_spec(session.kind, forms, session.academic_year)
    codes = [c for c, _, _ in spec]
    earlier = Application.objects.filter(
        participant=OuterRef("participant"),
        session__kind=session.kind,
        session__academic_year=session.academic_year,
        session__date__lt=session.date,
    )
    state = "day_record__state"
    entered, no_work, not_finished, removed = _day_states(session.kind)
    annotations = {
        "registered": Count("pk"),
        "participants": Count("pk", filter=Q(**{f"{state}__in": entered})),
        "absent": Count("pk", filter=Q(**{f"{state}__in": no_work})),
        "not_finished": Count("pk", filter=Q(**{f"{state}__in": not_finished})),
        "removed": Count("pk", filter=Q(**{f"{state}__in": removed})),
        "checked": Count("pk", filter=Q(work__result__in=[PASS, FAIL])),
        "passed": Count("pk", filter=Q(work__result=PASS)),
        "failed": Count("pk", filter=Q(work__result=FAIL)),
        "readmitted": Count("pk", filter=Q(Exists(earlier))),
    }
    # The criteria of the original (the authorized person's entry, п. 8.1.2); requirements likewise. A criterion
    # by points (the interview: the second entry of the protocol) is failed by a participant with 0 on it.
    checked = Q(work__result__in=[PASS, FAIL])
    for i, (code, _, by_points) in enumerate(spec):
        if by_points:
            failed = Q(**{f"work__transfer_marks__{code}": 0})
            marked = Q(**{f"work__transfer_marks__{code}__isnull": False})
        else:
            failed = Q(**{f"work__transfer_marks__{code}": FAIL}) | Q(**{f"work__transfer_requirements__{code}": FAIL})
            marked = Q(**{f"work__transfer_marks__{code}__in": [PASS, FAIL]}) | Q(
                **{f"work__transfer_requirements__{code}__in": [PASS, FAIL]}
            )
        annotations[f"c{i}_f"] = Count("pk", filter=checked & failed)
        annotations[f"c{i}_n"] = Count("pk", filter=checked & marked)
    rows = list(
        apps.values(
            org_id=F("participant__registration_org"), cat=F("participant__category"), hl=_health(), fm=F("form")
        ).annotate(**annotations)
    )
    cases = (
        RecheckCase.objects.filter(work__session=session, status=RecheckStatus.CLOSED)
        .values(
            org_id=F("work__application__participant__registration_org"),
            cat=F("work__application__participant__category"),
            hl=Case(
                When(~Q(work__application__participant__health_category=""), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            fm=F("work__application__form"),
        )
        .annotate(
            rechecks=Count("pk", filter=Q(kind=RecheckKind.RECHECK)),
            recheck_changed=Count("pk", filter=Q(kind=RecheckKind.RECHECK) & ~Q(result=F("previous_result"))),
            pereproverki=Count("pk", filter=Q(kind=RecheckKind.PEREPROVERKA)),
            pereproverka_changed=Count("pk", filter=Q(kind=RecheckKind.PEREPROVERKA) & ~Q(result=F("previous_result"))),
        )
    )
    by_key = {(c["org_id"], c["cat"], c["hl"], c["fm"]): c for c in cases}
    paths = dict(Organization.objects.filter(pk__in={r["org_id"] for r in rows}).values_list("pk", "path"))
    facts, crits = [], []
    for r in rows:
        path = paths[r["org_id"]]
        parts = _path_parts(path)
        extra = by_key.get((r["org_id"], r["cat"], r["hl"], r["fm"]), {})
        fact = ResultFact(
            session=session,
            kind=session.kind,
            academic_year=session.academic_year,
            exam_date=session.date,
            stage=session.stage,
            region_id=parts[0],
            municipality_id=parts[1] if len(parts) > 1 else None,
            org_id=r["org_id"],
            org_path=path,
            category=r["cat"],
            health=bool(r["hl"]),
            form=r["fm"],
            source=Source.WORKS,
            **{k: r.get(k, 0) or extra.get(k, 0) for k in COUNTERS},
        )
        facts.append(fact)
        crits.append([(code, r[f"c{i}_f"], r[f"c{i}_n"]) for i, code in enumerate(codes) if r[f"c{i}_n"]])
    ResultFact.objects.bulk_create(facts, batch_size=1000)
    CriterionFact.objects.bulk_create(
        [
            CriterionFact(fact=fact, code=code, failed=f, checked=n)
            for fact, items in zip(facts, crits)
            for code, f, n in items
        ],
        batch_size=2000,
    )
    return len(facts)


def _region_facts(session: ExamSession) -> None:
    sums = {k: Sum(k) for k in COUNTERS}
    rows = list(ResultFact.objects.filter(session=session).values("category", "health", "form").annotate(**sums))
    crits: dict[tuple, dict] = {}
    for c in (
        CriterionFact.objects.filter(fact__session=session)
        .values("fact__category", "fact__health", "fact__form", "code")
        .annotate(f=Sum("failed"), n=Sum("checked"))
    ):
        crits.setdefault((c["fact__category"], c["fact__health"], c["fact__form"]), {})[c["code"]] = [c["f"], c["n"]]
    region = session.region
    RegionFact.objects.bulk_create(
        [
            RegionFact(
                session=session,
                kind=session.kind,
                academic_year=session.academic_year,
                exam_date=session.date,
                stage=session.stage,
                region=region,
                region_path=region.path,
                category=r["category"],
                health=r["health"],
                form=r["form"],
                criteria=crits.get((r["category"], r["health"], r["form"]), {}),
                **{k: r[k] or 0 for k in COUNTERS},
            )
            for r in rows
        ]
    )


def _experts(session: ExamSession) -> None:
    closed = RecheckCase.objects.filter(work=OuterRef("pk"), status=RecheckStatus.CLOSED)
    rows = list(
        Work.objects.filter(session=session, expert__isnull=False)
        .values("expert")
        .annotate(
            checked=Count("pk", filter=Q(expert_result__in=[PASS, FAIL])),
            failed=Count("pk", filter=Q(expert_result=FAIL)),
            rechecked=Count("pk", filter=Q(Exists(closed))),
            changed=Count("pk", filter=Q(Exists(closed.exclude(result=OuterRef("expert_result"))))),
        )
    )
    paths = dict(Employee.objects.filter(pk__in=[r["expert"] for r in rows]).values_list("pk", "organization__path"))
    out = []
    for r in rows:
        if not r["checked"]:
            continue
        path = paths[r["expert"]]
        parts = _path_parts(path)
        out.append(
            ExpertFact(
                session=session,
                kind=session.kind,
                academic_year=session.academic_year,
                region=session.region,
                expert_id=r["expert"],
                pool_id=parts[1] if len(parts) > 1 else parts[0],
                org_path=path,
                checked=r["checked"],
                failed=r["failed"],
                rechecked=r["rechecked"],
                changed=r["changed"],
            )
        )
    ExpertFact.objects.bulk_create(out, batch_size=2000)


def refresh_all(sessions=None, reason: str = "команда") -> list[tuple[ExamSession, int]]:
    qs = sessions if sessions is not None else ExamSession.objects.all()
    return [(s, refresh_session(s, reason)) for s in qs.select_related("region").order_by("date")]
