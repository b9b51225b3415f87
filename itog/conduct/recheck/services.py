"""Re-check on application and перепроверка (section F): eligibility and filing window, the forwarding
chain as tracked tasks, the ministry's decision, the regional commission's protocol (final result).
The rules are the kind's (``session.rules.recheck``)."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from itog.conduct.checking.services import marks_form_spec
from itog.conduct.models import ChainTask, RecheckCase, RecheckKind, RecheckStatus, Work, WorkStatus
from itog.exams.common import FAIL
from itog.exams.kinds.base import Violation
from itog.exams.models import Commission
from itog.exams.profiles import profile_for, profile_kw
from itog.exams.violations import Refused, refuse_if, violation


def earlier_fails(work: Work) -> int:
    """Earlier «незачет» results of the same person in the same academic year (L8 decided) — or in every
    year when the region's profile counts them so (``recheck_scope``)."""
    p = work.application.participant
    works = Work.objects.filter(
        session__date__lt=work.session.date,
        result=FAIL,
        session__kind=work.session.kind,
        application__participant__document_number=p.document_number,
        application__participant__document_series=p.document_series,
    )
    profile = profile_for(work.session)
    if str(getattr(profile, "recheck_scope", "academic_year")) == "academic_year":
        works = works.filter(session__academic_year=work.session.academic_year)
    return works.count()


def file_recheck(work: Work, user, filed_at: datetime, copies: int, certified_by: str) -> RecheckCase:
    """An application for a re-check (п. 8.2.1): only a student with a repeated «незачет» (V62), only on the
    results day until 18:00 local time (V63), two copies certified by the school head (V64); the final result
    of an earlier re-check cannot be re-checked (V68). The forwarding chain becomes tracked tasks."""
    session = work.session
    rules = session.rules.recheck
    kw = profile_kw(session)  # the region's filing time, re-check threshold and chain deadlines
    tz = work.application.participant.registration_org.time_zone
    problems = rules.check_recheck_eligibility(
        work.application.participant.category, work.result, earlier_fails(work), work.result_final, **kw
    )
    if session.results_date is None:
        problems.append(violation("X38"))
    else:
        problems += rules.check_recheck_filing(filed_at, session.results_date, tz, **kw)
    problems += rules.check_recheck_copies(copies, bool(certified_by.strip()))
    if RecheckCase.objects.filter(work=work, kind=RecheckKind.RECHECK).exists():
        problems.append(violation("X39"))
    refuse_if(problems)
    with transaction.atomic():
        case = RecheckCase(
            work=work,
            kind=RecheckKind.RECHECK,
            filed_at=filed_at,
            copies=copies,
            certified_by=certified_by.strip()[:200],
            previous_result=work.result,
            created_by=user,
        )
        case._history_user = user
        case.save()
        filed_on = filed_at.astimezone(ZoneInfo(tz)).date()
        for t in rules.recheck_chain(filed_on, session.results_date, **kw):
            ChainTask.objects.create(case=case, key=t.key, label=t.label, item=t.item, actor=t.actor, due=t.due)
    return case


def complete_task(task: ChainTask, user, now: datetime | None = None) -> list[Violation]:
    """Mark a chain step done; a late step is kept with its lateness (V65) as a warning."""
    now = now or timezone.now()
    late = task.case.work.session.rules.recheck.check_chain_task(task, timezone.localdate(now), timezone.localdate(now))
    task.done_at, task.done_by = now, user
    task._history_user = user
    task.save()
    return late


def decide(case: RecheckCase, user, approve: bool, note: str, commission: Commission | None) -> None:
    """The ministry decides (п. 3.1, 8.2.3; V66) and names the regional commission (п. 8.2.4)."""
    if case.status != RecheckStatus.FILED:
        raise Refused([violation("X40")])
    if approve and (commission is None or commission.kind != "regional_recheck"):
        raise Refused([violation("X41", field="commission")])
    case.status = RecheckStatus.DECIDED if approve else RecheckStatus.REFUSED
    case.decided_at, case.decided_by, case.decision_note, case.commission = timezone.now(), user, note[:500], commission
    case._history_user = user
    case.save()


def start_pereproverka(works: list[Work], user, note: str, commission: Commission) -> list[RecheckCase]:
    """Перепроверка of selected works on the ministry's decision (п. 8.2.3; F10): no application."""
    if commission is None or commission.kind != "regional_recheck":
        raise Refused([violation("X41", field="commission")])
    final = [w for w in works if w.result_final]
    if final:
        raise Refused([violation("V68")])
    cases = []
    with transaction.atomic():
        for w in works:
            c = RecheckCase(
                work=w,
                kind=RecheckKind.PEREPROVERKA,
                status=RecheckStatus.DECIDED,
                decided_at=timezone.now(),
                decided_by=user,
                decision_note=note[:500],
                commission=commission,
                previous_result=w.result,
                created_by=user,
            )
            c._history_user = user
            c.save()
            cases.append(c)
    return cases


def record_protocol(
    case: RecheckCase,
    user,
    requirements: dict,
    marks: dict,
    completed_on: date,
    delivered_on: date,
    number: str,
    overall: str | None = None,
) -> str:
    """The regional commission's protocol (п. 8.2.5): marks by the federal criteria, delivered to РЦОИ the same
    day it ends (V67); its result is final and replaces the earlier one, with history (п. 8.2.6). ``overall``:
    the overall mark the paper protocol gives, when entered — refused when it contradicts the marks: a failed
    requirement («Объем», «Самостоятельность») with «зачет» (V58, п. 8.1.4), any other difference (X28)."""
    work = case.work
    rules = work.session.rules
    problems = rules.recheck.check_decision(case.status == RecheckStatus.DECIDED)
    problems += rules.recheck.check_protocol_delivery(completed_on, delivered_on)
    if not number.strip():
        problems.append(violation("X42", field="number"))
    criteria = marks_form_spec(work.session, work.application.form)
    outcome, mark_problems = rules.checking.check_expert_marks(criteria, requirements, marks, overall or None)
    refuse_if(problems + mark_problems)
    with transaction.atomic():
        case.requirements, case.marks, case.result = dict(requirements), dict(marks), outcome.overall
        case.completed_on, case.protocol_delivered_on, case.protocol_number = completed_on, delivered_on, number.strip()
        case.status = RecheckStatus.CLOSED
        case._history_user = user
        case.save()
        work.result, work.result_final, work.status = outcome.overall, True, WorkStatus.FINAL
        work._history_user = user
        work._change_reason = f"Протокол № {case.protocol_number} ({case.get_kind_display()})"
        work.save()
    return outcome.overall
